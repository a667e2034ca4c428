"""Runners the service's workers can run in tests instead of the real engine.

They are real functions with the runner signature — a greedy nearest-cadre plan — so the job
machinery (progress, cancel, time limit, plan storage) is tested without the engine's cost.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from matcher.engine.progress import Progress, ProgressCallback, StopCheck, never_stop, no_progress
from matcher.engine.result import Assignment, Result, Status
from matcher.model.round import Round

_WAIT_AT_MOST_S = 60.0  # a slow job waits for its stop signal, but never forever


@dataclass(frozen=True)
class Solved:
    round: Round
    result: Result


def _metres(a: tuple[float, float], b: tuple[float, float]) -> int:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6_371_000 * math.asin(math.sqrt(h)))


def greedy(rnd: Round, status: Status = Status.FEASIBLE) -> Result:
    """Each post, in order, gets the nearest unused cadre whose availability fits."""
    used: set[str] = set()
    out: list[Assignment] = []
    for com in rnd.communities:
        if com.location is None:
            continue
        here = (com.location.lon, com.location.lat)
        for post_type, n in (
            ("full-time", com.posts.full_time),
            ("part-time", com.posts.part_time),
        ):
            for slot in range(1, n + 1):  # posts count from 1, as in the engine
                fits = [
                    c
                    for c in rnd.cadres
                    if c.id not in used and c.availability.value in (post_type, "either")
                ]
                best = min(
                    fits,
                    key=lambda c: _metres(here, (c.location.lon, c.location.lat)),
                    default=None,
                )
                if best is None:
                    out.append(
                        Assignment(com.id, post_type, slot, None, None, 1000, {"vacancy": 1000})
                    )
                    continue
                used.add(best.id)
                d = _metres(here, (best.location.lon, best.location.lat))
                cost = d // 100
                out.append(
                    Assignment(
                        com.id, post_type, slot, best.id, d, cost, {"distance": cost}, "nearest"
                    )
                )
    total = sum(a.cost for a in out)
    return Result(status, total, None, None, {"distance": total}, "test-greedy", 0.0, tuple(out))


def greedy_run(
    rnd: Round, *, progress: ProgressCallback | None = None, should_stop: StopCheck | None = None
) -> Solved:
    """Solve at once with the greedy plan."""
    (progress or no_progress)(Progress("greedy", 0.5, "placing cadres"))
    return Solved(rnd, greedy(rnd))


def slow_run(
    rnd: Round, *, progress: ProgressCallback | None = None, should_stop: StopCheck | None = None
) -> Solved:
    """Find the greedy plan, then keep 'improving' until told to stop; return the best found."""
    report, stop = progress or no_progress, should_stop or never_stop
    best = greedy(rnd)
    report(Progress("search", 0.1, "first plan found", objective=best.objective))
    pause = threading.Event()
    waited = 0.0
    while not stop() and waited < _WAIT_AT_MOST_S:
        pause.wait(0.05)
        waited += 0.05
    return Solved(rnd, best)


def failing_run(
    rnd: Round, *, progress: ProgressCallback | None = None, should_stop: StopCheck | None = None
) -> Solved:
    """A runner that breaks, as a buggy engine would."""
    raise RuntimeError("engine exploded")


def by_description(
    rnd: Round, *, progress: ProgressCallback | None = None, should_stop: StopCheck | None = None
) -> Solved:
    """Pick the behaviour from the round's description (``slow`` / ``fail``), so one server
    can run every kind of job."""
    run = {"slow": slow_run, "fail": failing_run}.get(rnd.description, greedy_run)
    return run(rnd, progress=progress, should_stop=should_stop)
