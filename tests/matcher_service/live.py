"""A real uvicorn serving the app on 127.0.0.1 (free port), started and stopped by a test.

Startup is awaited by reading the server's log for uvicorn's "running on" line (an event,
not a clock). ``crash()`` kills the server and its workers at once, as a power cut would;
``kill_server_only()`` kills the server process alone, leaving its workers to fend for
themselves.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from matcher_service.logs import LOG_CONFIG

ROOT = Path(__file__).parents[2]
HTTP = "matcher_service.http_protocol:ProblemHttpTools"  # as make serve
_PORT = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


class LiveServer:
    """``uvicorn --factory service:create_app`` with settings from environment variables."""

    def __init__(self, database_url: str, runner: str, **env: str) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MATCHER_RUNNER": runner,
            "MATCHER_WORKERS": "1",
            "MATCHER_LEASE_S": "2",  # a dead server's jobs are declared interrupted soon
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.log: list[str] = []
        self._logged = threading.Condition()

    def start(self, startup_timeout_s: float = 60.0) -> LiveServer:
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "service:create_app"]
        cmd += ["--host", "127.0.0.1", "--port", "0", "--no-access-log", "--http", HTTP]
        cmd += ["--log-config", LOG_CONFIG]  # as make serve: JSON lines
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its own process group: crash() takes the workers too
        )
        ready = threading.Event()
        threading.Thread(target=self._read, args=(ready,), daemon=True).start()
        if not ready.wait(startup_timeout_s) or not self.port:
            self.crash()
            raise RuntimeError("server did not start:\n" + "".join(self.log))
        return self

    def _read(self, ready: threading.Event) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._logged:
                self.log.append(line)
                self._logged.notify_all()
            m = _PORT.search(line)
            if m:  # logged once the app started and the socket listens
                self.port = int(m.group(1))
                ready.set()
        ready.set()  # the process ended
        with self._logged:
            self._logged.notify_all()

    def wait_for_log(self, text: str, timeout_s: float = 60.0) -> bool:
        """Wait until the server logs a line containing ``text`` (woken by each new line)."""
        with self._logged:
            return self._logged.wait_for(
                lambda: (
                    any(text in line for line in self.log)
                    or (self.proc is not None and self.proc.poll() is not None)
                ),
                timeout_s,
            ) and any(text in line for line in self.log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, key: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        )

    def stop(self) -> None:
        """Graceful stop (SIGINT, as Ctrl-C)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.crash()

    def kill_server_only(self) -> None:
        """kill -9 of the server process alone: its workers are not signalled."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def crash(self) -> None:
        """Kill the server and every worker process at once."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
