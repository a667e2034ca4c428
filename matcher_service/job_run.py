"""One worker process and the jobs it runs: claim under a lease, heartbeat, fenced writes.

A worker dies with its server: it asks the kernel for SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``, Linux), and its heartbeat also checks the parent is still there.
While it runs a job a heartbeat thread renews the job's lease every third of the lease time;
if a renewal finds the job is no longer its own (declared interrupted after a stall, say), the
solve is told to stop and its final write is refused by the store (:mod:`matcher_service.store
.leases`), so an orphan can never turn an ``interrupted`` job into a second ``succeeded`` one.

Workers take the oldest queued job of the whole database, not only their own server's: a local
"there is work" hint wakes them at once, and an idle worker also looks every ``claim_poll_s``,
so several server processes on one database share the queue.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import json
import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Protocol

from matcher.engine.progress import Progress, ProgressCallback, StopCheck
from matcher.engine.result import Result
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round
from matcher_service.clock import Checkpoint, no_pause, pause_at
from matcher_service.logs import JsonFormatter
from matcher_service.replace_job import PlanCache, replace_and_finish
from matcher_service.store import Job, LeaseLost, Store

log = logging.getLogger(__name__)
_PROGRESS_EVERY_S = 0.2
_CANCEL_POLL_S = 0.25
_PR_SET_PDEATHSIG = 1
WARM_UP_ROUND = Path(__file__).with_name("warmup_round.json")
Notify = Callable[[str], None]


def _quiet(job_id: str) -> None:
    """The default notifier: nobody listens."""


class EventLike(Protocol):
    """A multiprocessing Event, as far as a worker uses it."""

    def is_set(self) -> bool: ...


class Solved(Protocol):
    """What a runner returns: anything with a ``result`` (e.g. :class:`geodata.pipeline.Plan`)."""

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


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies, even by SIGKILL (Linux); exit
    at once if the parent is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the heartbeat's parent check remains
        log.warning("no parent-death signal on this system; relying on the heartbeat")
    if os.getppid() != parent:
        os._exit(1)


class _Watch:
    """Progress sink and stop check for one job: throttled fenced writes, cancel flag,
    deadline, and the lease (``lost`` once the job is no longer this worker's)."""

    def __init__(self, store: Store, job: Job, token: str, notify: Notify = _quiet) -> None:
        self.store, self.job_id, self.token, self.notify = store, job.id, token, notify
        self.deadline = time.monotonic() + job.time_limit_s
        self.cancelled = self.timed_out = self.lost = False
        self._last_report = self._last_poll = 0.0
        self._phase = ""

    def progress(self, p: Progress) -> None:
        t = time.monotonic()
        if p.phase == self._phase and t - self._last_report < _PROGRESS_EVERY_S:
            return
        self._phase, self._last_report = p.phase, t
        fraction = max(0.0, min(1.0, p.fraction))
        if not self.store.report_progress(
            self.job_id, self.token, p.phase, fraction, p.message, p.objective, p.bound
        ):
            self.lost = True
        self.notify(self.job_id)

    def should_stop(self) -> bool:
        if self.cancelled or self.timed_out or self.lost:
            return True
        t = time.monotonic()
        if t >= self.deadline:
            self.timed_out = True
            return True
        if t - self._last_poll >= _CANCEL_POLL_S:
            self._last_poll = t
            self.cancelled = self.store.cancel_requested(self.job_id)
        return self.cancelled


class _Heartbeat:
    """Renews a job's lease while it runs; marks the watch ``lost`` when renewal is refused,
    and ends the process if its server (``parent``) is gone."""

    def __init__(self, watch: _Watch, lease_s: float, parent: int | None) -> None:
        self.watch, self.lease_s, self.parent = watch, lease_s, parent
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="matcher-lease", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join(5.0)

    def _run(self) -> None:
        w = self.watch
        while not self._done.wait(self.lease_s / 3):
            if self.parent is not None and os.getppid() != self.parent:
                os._exit(1)  # the server is gone; so is this worker (its writes are fenced)
            try:
                if not w.store.renew_lease(w.job_id, w.token, self.lease_s):
                    w.lost = True
                    return
            except Exception as exc:  # a database hiccup: the next beat tries again
                log.warning("lease of job %s not renewed: %s", w.job_id, type(exc).__name__)


def run_job(
    store: Store,
    runner: Runner,
    job_id: str,
    notify: Notify = _quiet,
    lease_s: float = 30.0,
    plans: PlanCache | None = None,
) -> str | None:
    """Claim one queued job by id and run it to its final state; that state (None if it was
    not claimable). ``notify(job_id)`` follows every write to the job's row."""
    token = store.claim_job(job_id, os.getpid(), "local", lease_s)
    if token is None:
        return None
    return run_claimed(store, runner, store.get_job(job_id), notify, lease_s, plans=plans)


def run_claimed(
    store: Store,
    runner: Runner,
    job: Job,
    notify: Notify = _quiet,
    lease_s: float = 30.0,
    parent: int | None = None,
    plans: PlanCache | None = None,
    pause: Checkpoint = no_pause,
) -> str | None:
    """Run a job this worker holds the lease of; its final state (None: the lease was lost
    and nothing was written). A replacement job (``kind == "replace"``) is decided and
    stored by :mod:`matcher_service.replace_job`, with ``plans`` the worker's cache of
    prepared plans; ``pause`` is the test hooks' checkpoint inside its transaction."""
    notify(job.id)
    watch = _Watch(store, job, job.lease_token or "", notify)
    try:
        with _Heartbeat(watch, lease_s, parent):
            if job.kind == "replace":
                state = replace_and_finish(store, job, watch, plans or PlanCache(), pause)
            else:
                state, result, error = _solve(store, runner, job, watch)
                store.finish_job(job.id, watch.token, state, result, error)
    except LeaseLost:
        log.warning("job %s is no longer this worker's; its result was discarded", job.id)
        return None
    finally:
        notify(job.id)
    log.info("job %s %s", job.id, state)
    return state


def _solve(
    store: Store, runner: Runner, job: Job, watch: _Watch
) -> tuple[str, dict[str, object] | None, str | None]:
    """(final state, result, error) of running ``job``; a failure is an answer too."""
    try:
        info = store.get_round(job.round_id, job.round_version)
        rnd = Round.model_validate_json(info.body)  # validated in full when it was stored
        progress: ProgressCallback = watch.progress
        stop: StopCheck = watch.should_stop
        result = runner(rnd, progress=progress, should_stop=stop).result
    except Exception as exc:  # a failed job is an answer; the worker lives on
        # The type only: messages may quote cadre ids, which never go to the log.
        log.error("job %s failed: %s", job.id, type(exc).__name__)
        return "failed", None, f"{type(exc).__name__}: {exc}"[:2000]
    state = "cancelled" if watch.cancelled else "timed_out" if watch.timed_out else "succeeded"
    return state, result.to_dict(), None


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
    hints: Queue[str | None],
    events: Queue[str] | None = None,
    warm: bool = True,
    owner: str = "",
    parent: int | None = None,
    lease_s: float = 30.0,
    claim_poll_s: float = 1.0,
    stopping: EventLike | None = None,
    pause: str = "",
) -> None:
    """Entry point of a worker process: claim and run queued jobs until told to stop
    (``None`` on ``hints``; once ``stopping`` is set no new job is claimed); put a job's id on
    ``events`` after each change to it."""
    if parent is not None:
        die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())  # as the server's: no personal data in any log
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    runner = load_runner(runner_path)  # imported once, so the first job is not slow
    if warm:
        warm_up(runner)
    gc.collect()
    gc.freeze()  # modules and warm-up leftovers never need collecting; later GCs stay short
    notify: Notify = events.put if events is not None else _quiet
    store = Store.connect(database_url)
    pid = os.getpid()
    plans = PlanCache()  # this worker's prepared approved plans, by plan and version
    hook = pause_at(pause)
    try:
        while True:
            try:
                if hints.get(timeout=claim_poll_s) is None:
                    return
            except queue.Empty:
                pass  # look anyway: another server process may have queued a job
            try:
                while (
                    not (stopping and stopping.is_set())
                    and (job := store.claim_next(owner, pid, lease_s)) is not None
                ):
                    run_claimed(store, runner, job, notify, lease_s, parent, plans, hook)
            except Exception as exc:
                log.error("worker could not take or record a job: %s", type(exc).__name__)
    finally:
        store.close()
