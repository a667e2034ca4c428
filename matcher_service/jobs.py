"""Solve and replacement jobs in long-lived worker processes, never in a request handler.

The database is the source of truth: a job is a row (queued → running → succeeded / cancelled /
timed_out / failed / interrupted) with its progress, cancel flag and lease. This server
instance (``owner``: host, pid and a random tag) keeps a fixed number of spawned worker
processes (:mod:`matcher_service.job_run`): they claim queued jobs from the database, renew
each job's lease while they run it, and write through fenced updates. The pool only hands the
workers "there is work" hints. A supervisor thread respawns dead workers (their jobs become
``interrupted`` at once), kills a worker that overruns its deadline by the grace period, and
expires leases nobody renews — e.g. of a server killed with its workers on another host — so
every job ends in one true state. Several server processes may share one database.

Workers also say "job X changed" on a second queue after each write to a job's row, so the
service's event streams wake at once instead of waiting for their next poll. Each worker solves
a tiny bundled round once before taking jobs (imports, engine first-call costs) and then freezes
what it has allocated out of the garbage collector's way, so the first real job is not slow.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import socket
import threading
import time
from datetime import timedelta
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from typing import Any
from uuid import uuid4

from matcher_service.clock import pause_point
from matcher_service.job_run import Notify, load_runner, run_job, warm_up, worker_main
from matcher_service.settings import ServiceSettings
from matcher_service.store import LeaseLost, Store, now

__all__ = ["WorkerPool", "describe", "load_runner", "run_job", "warm_up", "worker_main"]
log = logging.getLogger(__name__)
STOPPED = "the service stopped while this job ran; re-run it"
WORKER_DIED = "the worker process died while this job ran; re-run it"


def instance_id() -> str:
    """This server process's name in the jobs it runs: host, pid and a random tag (a pid is
    reused after a restart; the tag is not)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid4().hex[:8]}"


class WorkerPool:
    """A fixed number of spawned worker processes plus a supervisor thread, and a relay
    thread handing the workers' "job changed" notes to ``on_change`` (if given)."""

    def __init__(
        self, settings: ServiceSettings, store: Store, on_change: Notify | None = None
    ) -> None:
        self.settings, self.store, self.on_change = settings, store, on_change
        self.owner = instance_id()
        self._ctx = mp.get_context("spawn")
        self._queue: Queue[str | None] = self._ctx.Queue()
        self._events: Queue[str] = self._ctx.Queue()
        self._draining = self._ctx.Event()  # no new claims; workers finish what they run
        self._relay: threading.Thread | None = None
        self._procs: list[BaseProcess] = []
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _spawn(self) -> BaseProcess:
        s = self.settings
        proc = self._ctx.Process(
            target=worker_main,
            args=(s.database_url, s.runner, self._queue, self._events, s.warm_up),
            kwargs={
                "owner": self.owner,
                "parent": os.getpid(),
                "lease_s": s.lease_s,
                "claim_poll_s": s.claim_poll_s,
                "stopping": self._draining,
                "pause": pause_point(s),
            },
            name="matcher-worker",
            daemon=True,
        )
        proc.start()
        return proc

    def start(self) -> None:
        with self._lock:
            self._procs = [self._spawn() for _ in range(self.settings.workers)]
        self._thread = threading.Thread(target=self._supervise, name="matcher-jobs", daemon=True)
        self._thread.start()
        self._relay = threading.Thread(target=self._relay_events, name="matcher-job-events")
        self._relay.daemon = True
        self._relay.start()

    def _relay_events(self) -> None:
        while (job_id := self._events.get()) != "":
            if self.on_change is not None:
                try:
                    self.on_change(job_id)
                except Exception as exc:  # e.g. the event loop is closing
                    log.debug("job change not relayed: %s", type(exc).__name__)

    def submit(self, job_id: str) -> None:
        """Tell the workers a job is queued (the next free one claims the oldest)."""
        self._queue.put(job_id)

    def alive(self) -> int:
        with self._lock:
            return sum(p.is_alive() for p in self._procs)

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._procs if p.pid is not None]

    def busy(self) -> int:
        """Jobs this instance's workers are running."""
        return len(self._mine())

    def stop(self, timeout_s: float = 3.0) -> None:
        """Stop workers (no new claims; running jobs get ``timeout_s`` to end); jobs still
        running then become ``interrupted`` (re-runnable). Queued jobs stay queued."""
        self._draining.set()
        with self._lock:
            procs = list(self._procs)
        for _ in procs:
            self._queue.put(None)
        end = time.monotonic() + timeout_s
        for p in procs:
            p.join(max(0.0, end - time.monotonic()))
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join(1.0)
        # Only now: workers respawned by the supervisor thread die with that thread
        # (their parent-death signal follows the thread that started them).
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(2.0)
        self._interrupt_mine(STOPPED)
        self._events.put("")
        if self._relay is not None:
            self._relay.join(2.0)
        self._queue.close()
        self._events.close()

    def _mine(self) -> list[Any]:
        return [j for j in self.store.list_jobs(states=("running",)) if j.owner == self.owner]

    def _interrupt_mine(self, reason: str, pids: set[int | None] | None = None) -> None:
        """Interrupt this instance's running jobs (of workers ``pids`` only, if given)."""
        for job in self._mine():
            if pids is not None and job.worker_pid not in pids:
                continue
            if self.store.interrupt(job.id, job.lease_token, reason):
                log.warning("job %s interrupted: worker %s is gone", job.id, job.worker_pid)

    def _kill_overdue(self) -> None:
        grace = timedelta(seconds=self.settings.kill_grace_s)
        pids = set(self.pids())
        for job in self._mine():
            if job.started_at is None or job.worker_pid not in pids:
                continue
            if now() > job.started_at + timedelta(seconds=job.time_limit_s) + grace:
                try:
                    self.store.finish_job(
                        job.id, job.lease_token, "timed_out", None, error="killed: did not stop"
                    )
                except LeaseLost:
                    continue  # it finished (or was interrupted) just now: leave it be
                log.warning("job %s overran its time limit; killing its worker", job.id)
                os.kill(job.worker_pid, signal.SIGKILL)

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                procs = list(self._procs)
            wait([p.sentinel for p in procs], timeout=1.0)
            if self._stopping.is_set():
                return
            if self._draining.is_set():  # stop() is ending the workers; nothing to respawn
                self._stopping.wait(0.2)
                continue
            try:
                dead = [p for p in procs if not p.is_alive()]
                if dead:
                    self._interrupt_mine(WORKER_DIED, {p.pid for p in dead})
                    with self._lock:
                        self._procs = [p for p in self._procs if p.is_alive()]
                        self._procs += [self._spawn() for _ in dead]
                self._kill_overdue()
                for job_id in self.store.expire_leases():
                    log.warning("job %s interrupted: its lease ran out", job_id)
            except Exception as exc:  # the supervisor must outlive a database hiccup
                log.error("supervisor check failed: %s", type(exc).__name__)


def describe(pool: WorkerPool | None) -> dict[str, int]:
    """Worker counts for the health endpoint (reads the database: call off the event loop)."""
    if pool is None:
        return {"configured": 0, "alive": 0, "busy": 0}
    return {"configured": pool.settings.workers, "alive": pool.alive(), "busy": pool.busy()}
