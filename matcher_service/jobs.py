"""Solve jobs in long-lived worker processes, never in a request handler.

The database is the source of truth: a job is a row (queued → running → succeeded / cancelled /
timed_out / failed / interrupted) with its progress and cancel flag. The pool only carries job
ids to the workers. A worker claims the row, runs the round through the configured runner
(:func:`pipeline.run_round`), polls the row's cancel flag and its deadline through
``should_stop``, and writes the plan together with the final state in one transaction.
A supervisor thread notices dead workers (their job becomes ``interrupted``) and kills a worker
that overruns its deadline by the grace period; after a restart, jobs left ``running`` are
marked ``interrupted`` and ``queued`` ones are handed out again.

Workers also say "job X changed" on a second queue after each write to a job's row, so the
service's event streams wake at once instead of waiting for their next poll. Each worker solves
a tiny bundled round once before taking jobs (imports, engine first-call costs) and then freezes
what it has allocated out of the garbage collector's way, so the first real job is not slow.
"""

from __future__ import annotations

import gc
import importlib
import json
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any, Protocol

from matcher.engine.progress import Progress, ProgressCallback, StopCheck
from matcher.engine.result import Result
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round
from matcher_service.settings import ServiceSettings
from matcher_service.store import Store, now

log = logging.getLogger(__name__)
_PROGRESS_EVERY_S = 0.2
_CANCEL_POLL_S = 0.25
WARM_UP_ROUND = Path(__file__).with_name("warmup_round.json")
Notify = Callable[[str], None]


def _quiet(job_id: str) -> None:
    """The default notifier: nobody listens."""


class Solved(Protocol):
    """What a runner returns: anything with a ``result`` (e.g. :class:`pipeline.Plan`)."""

    @property
    def result(self) -> Result: ...


Runner = Callable[..., Solved]


def load_runner(path: str) -> Runner:
    """Import ``"module:function"``."""
    module, _, name = path.partition(":")
    fn = getattr(importlib.import_module(module), name)
    if not callable(fn):
        raise TypeError(f"{path} is not callable")
    return fn  # type: ignore[no-any-return]


class _Watch:
    """Progress sink and stop check for one job: throttled DB writes, cancel flag, deadline."""

    def __init__(
        self, store: Store, job_id: str, time_limit_s: float, notify: Notify = _quiet
    ) -> None:
        self.store, self.job_id, self.notify = store, job_id, notify
        self.deadline = time.monotonic() + time_limit_s
        self.cancelled = self.timed_out = False
        self._last_report = self._last_poll = 0.0
        self._phase = ""

    def progress(self, p: Progress) -> None:
        t = time.monotonic()
        if p.phase == self._phase and t - self._last_report < _PROGRESS_EVERY_S:
            return
        self._phase, self._last_report = p.phase, t
        self.store.report_progress(
            self.job_id, p.phase, max(0.0, min(1.0, p.fraction)), p.message, p.objective, p.bound
        )
        self.notify(self.job_id)

    def should_stop(self) -> bool:
        if self.cancelled or self.timed_out:
            return True
        t = time.monotonic()
        if t >= self.deadline:
            self.timed_out = True
            return True
        if t - self._last_poll >= _CANCEL_POLL_S:
            self._last_poll = t
            self.cancelled = self.store.cancel_requested(self.job_id)
        return self.cancelled


def run_job(store: Store, runner: Runner, job_id: str, notify: Notify = _quiet) -> str | None:
    """Run one queued job to its final state; return that state (None if not claimable).
    ``notify(job_id)`` follows every write to the job's row."""
    if not store.claim_job(job_id, os.getpid()):
        return None
    notify(job_id)
    job = store.get_job(job_id)
    watch = _Watch(store, job_id, job.time_limit_s, notify)
    try:
        info = store.get_round(job.round_id, job.round_version)
        rnd = Round.model_validate_json(info.body)  # validated in full when it was stored
        progress: ProgressCallback = watch.progress
        stop: StopCheck = watch.should_stop
        result = runner(rnd, progress=progress, should_stop=stop).result
    except Exception as exc:  # a failed job is an answer; the worker lives on
        # The type only: messages may quote cadre ids, which never go to the log.
        log.error("job %s failed: %s", job_id, type(exc).__name__)
        store.finish_job(job_id, "failed", None, error=f"{type(exc).__name__}: {exc}"[:2000])
        notify(job_id)
        return "failed"
    state = "cancelled" if watch.cancelled else "timed_out" if watch.timed_out else "succeeded"
    store.finish_job(job_id, state, result.to_dict())
    notify(job_id)
    log.info("job %s %s (%s)", job_id, state, result.status.value)
    return state


def warm_up(runner: Runner) -> None:
    """Solve the bundled tiny round once and throw the answer away: the engine's lazy imports
    and first-call costs are paid before the first job. Failures only get logged."""
    try:
        raw = json.loads(WARM_UP_ROUND.read_text(encoding="utf-8"))
        runner(validate_round(raw, Origin(WARM_UP_ROUND.name)), should_stop=lambda: True)
    except Exception as exc:
        log.warning("warm-up solve failed: %s", type(exc).__name__)


def worker_main(
    database_url: str,
    runner_path: str,
    queue: Queue[str | None],
    events: Queue[str] | None = None,
    warm: bool = True,
) -> None:
    """Entry point of a worker process: take job ids until told to stop (``None``); put a job's
    id on ``events`` after each change to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(process)d %(message)s")
    runner = load_runner(runner_path)  # imported once, so the first job is not slow
    if warm:
        warm_up(runner)
    gc.collect()
    gc.freeze()  # modules and warm-up leftovers never need collecting; later GCs stay short
    notify: Notify = events.put if events is not None else _quiet
    store = Store.connect(database_url)
    try:
        while (job_id := queue.get()) is not None:
            try:
                run_job(store, runner, job_id, notify)
            except Exception as exc:
                log.error("job %s could not be recorded: %s", job_id, type(exc).__name__)
    finally:
        store.close()


class WorkerPool:
    """A fixed number of spawned worker processes plus a supervisor thread, and a relay
    thread handing the workers' "job changed" notes to ``on_change`` (if given)."""

    def __init__(
        self, settings: ServiceSettings, store: Store, on_change: Notify | None = None
    ) -> None:
        self.settings, self.store, self.on_change = settings, store, on_change
        self._ctx = mp.get_context("spawn")
        self._queue: Queue[str | None] = self._ctx.Queue()
        self._events: Queue[str] = self._ctx.Queue()
        self._relay: threading.Thread | None = None
        self._procs: list[BaseProcess] = []
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _spawn(self) -> BaseProcess:
        proc = self._ctx.Process(
            target=worker_main,
            args=(
                self.settings.database_url,
                self.settings.runner,
                self._queue,
                self._events,
                self.settings.warm_up,
            ),
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
        """Hand a queued job to the next free worker."""
        self._queue.put(job_id)

    def alive(self) -> int:
        with self._lock:
            return sum(p.is_alive() for p in self._procs)

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._procs if p.pid is not None]

    def stop(self, timeout_s: float = 3.0) -> None:
        """Stop workers; jobs still running become ``interrupted`` (re-runnable)."""
        self._stopping.set()
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
        if self._thread is not None:
            self._thread.join(2.0)
        self._reap(procs, "the service stopped while this job ran; re-run it")
        self._events.put("")
        if self._relay is not None:
            self._relay.join(2.0)
        self._queue.close()
        self._events.close()

    def _reap(self, dead: list[BaseProcess], reason: str) -> None:
        pids = {p.pid for p in dead}
        for job in self.store.list_jobs(states=("running",)):
            if job.worker_pid in pids and self.store.mark_interrupted(job.id, reason):
                log.warning("job %s interrupted: worker %s is gone", job.id, job.worker_pid)

    def _kill_overdue(self) -> None:
        grace = timedelta(seconds=self.settings.kill_grace_s)
        for job in self.store.list_jobs(states=("running",)):
            if job.started_at is None or job.worker_pid not in self.pids():
                continue
            if now() > job.started_at + timedelta(seconds=job.time_limit_s) + grace:
                self.store.finish_job(job.id, "timed_out", None, error="killed: did not stop")
                log.warning("job %s overran its time limit; killing its worker", job.id)
                os.kill(job.worker_pid, signal.SIGKILL)

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                procs = list(self._procs)
            wait([p.sentinel for p in procs], timeout=1.0)
            if self._stopping.is_set():
                return
            dead = [p for p in procs if not p.is_alive()]
            if dead:
                self._reap(dead, "the worker process died while this job ran; re-run it")
                with self._lock:
                    self._procs = [p for p in self._procs if p.is_alive()]
                    self._procs += [self._spawn() for _ in dead]
            try:
                self._kill_overdue()
            except Exception as exc:  # the supervisor must outlive a database hiccup
                log.error("supervisor check failed: %s", type(exc).__name__)


def describe(pool: WorkerPool | None) -> dict[str, Any]:
    """Worker counts for the health endpoint."""
    if pool is None:
        return {"configured": 0, "alive": 0}
    return {"configured": pool.settings.workers, "alive": pool.alive()}
