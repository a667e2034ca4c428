"""Run one method on one benchmark round in a fresh subprocess; time it, check its plan.

``python -m benchmarks.measure SCALE METHOD [--limit S]`` prints one JSON line. Each run is
its own process, so peak memory (``ru_maxrss``) belongs to that method alone (plus the round,
pairs and problem it needs, which every method shares). ``time_s`` is wall-clock time of the
method only: from the engine's problem data to a plan, model building included; generating
the round, measuring pairs and building the problem data are timed apart (``prep_s``). A
scale whose pairs leave some out (:data:`WHOLE_ROUND`) is timed whole: pair search, problem
data, solve and the proof over left-out pairs (``prep_s``: making the round only).
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from benchmarks import full_mip, hand_method, naive_cpsat, plain_flow, slot_model
from benchmarks.checker import check
from benchmarks.outcome import Outcome, placements
from benchmarks.rounds import SCALES
from geodata.pairs import candidate_pairs
from geodata.pipeline import run_round
from matcher.engine.flow import Solution
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Result
from matcher.engine.solve import solve as engine_solve
from matcher.model.round import Round

METHODS = (
    "engine",
    "engine-short",
    "engine-before",
    "engine-travel",
    "naive-cpsat",
    "full-mip",
    "plain-flow",
    "hand",
)
#: The round's weights with every term but distance (and vacancies) set to 0.
TRAVEL_ONLY = {"skill_fit": 0, "weak_priority": 0, "preference_step": 0, "change": 0}
#: Scales whose candidate pairs leave pairs out: ``engine`` runs the whole round through
#: :func:`geodata.pipeline.run_round` (pair search, solve and the proof over left-out pairs,
#: all under the limit), timed whole; ``engine-short`` the same with a limit of
#: :data:`SHORT_LIMIT` s, to show the limit honoured with the best plan so far.
WHOLE_ROUND = ("province-nodist",)
SHORT_LIMIT = 5.0
#: Booleans above which the naive models are not built (they would need many GB and hours).
MAX_BOOLEANS = 4_000_000


@dataclass(frozen=True)
class Row:
    """One measured run (JSON-ready)."""

    scale: str
    method: str
    status: str
    time_s: float | None
    objective: int | None
    bound: float | None
    gap: float | None
    breaks: int | None
    broken: str
    travel_km: float | None
    filled: int | None
    posts: int
    arcs_per_post: float
    peak_mb: float
    prep_s: float
    note: str


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _engine(rnd: Round, problem: ProblemData, limit: float, before: bool = False) -> Outcome:
    """The engine with the round's settings (time limit capped at ``limit``); ``before``:
    the split phase without the saturated-quota reduction (the path before issue 16)."""
    settings = rnd.settings.model_copy(update={"time_limit_s": limit})
    return _outcome(problem, engine_solve(problem, settings, reductions=not before))


def _outcome(problem: ProblemData, res: Result) -> Outcome:
    """The engine's result as the benchmark's outcome (the plan as arrays of ``problem``)."""
    words = ("column generation", "flow optimum", "proven over all pairs", "not proven")
    note = "; ".join(n for n in res.notes if any(w in n for w in words))
    if not res.is_feasible():
        return Outcome(res.status.value, None, res.bound, note)
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    vacant = np.zeros(problem.n_groups, dtype=np.int32)
    index = {
        (problem.community_ids[int(problem.group_community[g])], int(problem.group_type[g])): g
        for g in range(problem.n_groups)
    }
    cad_ix = {c: i for i, c in enumerate(problem.cadre_ids)}
    post = res.assignments
    grp = np.array(
        [index[a.community_id, 0 if a.post_type == "full-time" else 1] for a in post], np.int64
    )
    cad = np.array([-1 if a.cadre_id is None else cad_ix[a.cadre_id] for a in post], np.int64)
    np.add.at(vacant, grp[cad < 0], 1)
    grp, cad = grp[cad >= 0].astype(problem.arc_group.dtype), cad[cad >= 0]
    # the arc of (group, cadre): arcs are sorted by group, then cadre; one search for all posts
    lo = np.searchsorted(problem.arc_group, grp)
    hi = np.searchsorted(problem.arc_group, grp, side="right")
    while (lo < hi).any():
        mid = (lo + hi) // 2
        less = (lo < hi) & (problem.arc_cadre[np.minimum(mid, problem.n_arcs - 1)] < cad)
        lo, hi = np.where(less, mid + 1, lo), np.where(less | (lo >= hi), hi, mid)
    chosen[lo] = True
    if Solution(chosen, vacant).cost(problem) != res.objective:
        note += "; WARNING: plan cost differs from the reported objective"
    word = f"{res.status.value} ({res.method})"
    return Outcome(word, Solution(chosen, vacant), res.bound, note)


def run(scale: str, method: str, limit: float) -> Row:
    """Measure ``method`` on ``scale`` in this process."""
    started = time.perf_counter()
    spec = SCALES[scale]
    rnd = spec.make(spec.seed)
    if scale in WHOLE_ROUND and method in ("engine", "engine-short"):
        cap = SHORT_LIMIT if method == "engine-short" else limit
        rnd = rnd.model_copy(update={"settings": rnd.settings.model_copy(
            update={"time_limit_s": cap})})  # fmt: skip
        prep = time.perf_counter() - started  # making the round only: pairs are timed in
        t0 = time.perf_counter()
        plan = run_round(rnd)
        seconds = time.perf_counter() - t0
        return _row(scale, method, rnd, plan.problem, _outcome(plan.problem, plan.result),
                    seconds, prep)  # fmt: skip
    pairs = candidate_pairs(rnd)
    naive = method in ("naive-cpsat", "full-mip")
    if naive and len(pairs) > MAX_BOOLEANS:  # every pair gives at least one Boolean, mostly 2-3
        posts = sum(c.posts.full_time + c.posts.part_time for c in rnd.communities)
        why = f"not built: {len(pairs):,} candidate pairs > {MAX_BOOLEANS:,} Booleans"
        return Row(scale, method, "skipped", None, None, None, None, None, "", None, None,
                   posts, 0.0, _peak_mb(), time.perf_counter() - started, why)  # fmt: skip
    if method == "engine-travel":  # the same rules, travel as the only soft goal
        rnd = rnd.model_copy(update={"weights": rnd.weights.model_copy(update=TRAVEL_ONLY)})
    problem = build_problem(rnd, pairs)
    prep = time.perf_counter() - started
    t0 = time.perf_counter()
    if naive and slot_model.column_count(problem) > MAX_BOOLEANS:
        n = slot_model.column_count(problem)
        out = Outcome("skipped", note=f"not built: {n:,} Booleans > {MAX_BOOLEANS:,}")
    elif method in ("engine", "engine-travel", "engine-before"):
        out = _engine(rnd, problem, limit, before=method == "engine-before")
    elif method == "naive-cpsat":
        out = naive_cpsat.solve(problem, rnd.settings, limit)
    elif method == "full-mip":
        out = full_mip.solve(problem, rnd.settings, limit)
    elif method == "plain-flow":
        out = plain_flow.solve(problem)
    elif method == "hand":
        out = hand_method.solve(rnd, problem)
    else:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    seconds = time.perf_counter() - t0
    return _row(scale, method, rnd, problem, out, seconds, prep)


def _row(
    scale: str,
    method: str,
    rnd: Round,
    problem: ProblemData,
    out: Outcome,
    seconds: float,
    prep: float,
) -> Row:
    """The measured row: the outcome checked by the independent checker."""
    posts = problem.n_posts
    per_post = problem.n_arcs / max(1, posts)
    if out.solution is None:
        return Row(scale, method, out.status, seconds if out.status != "skipped" else None,
                   None, out.bound, None, None, "", None, None, posts, per_post, _peak_mb(),
                   prep, out.note)  # fmt: skip
    obj = out.solution.cost(problem)
    gap = None
    if out.bound is not None and not out.status.startswith("relax"):
        gap = max(0.0, obj - out.bound) / max(1.0, abs(obj))
    verdict = check(rnd, placements(problem, out.solution))
    return Row(
        scale,
        method,
        out.status,
        seconds,
        obj,
        out.bound,
        gap,
        verdict.total,
        verdict.describe(),
        round(verdict.travel_km, 1),
        verdict.filled,
        posts,
        per_post,
        _peak_mb(),
        prep,
        out.note,
    )


def in_subprocess(scale: str, method: str, limit: float, timeout: float) -> Row:
    """Run :func:`run` in a fresh Python process; a crash or timeout becomes a row."""
    cmd = [sys.executable, "-m", "benchmarks.measure", scale, method, "--limit", str(limit)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return _failed(scale, method, f"killed after {timeout:.0f} s")
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return _failed(scale, method, f"exit {done.returncode}: {tail[:160]}")
    data: dict[str, Any] = json.loads(lines[-1])
    return Row(**data)


def _failed(scale: str, method: str, why: str) -> Row:
    return Row(scale, method, "failed", None, None, None, None, None, "", None, None, 0, 0.0,
               0.0, 0.0, why)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Command line: measure one (scale, method) and print the row as JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("scale")
    ap.add_argument("method", choices=METHODS)
    ap.add_argument("--limit", type=float, default=60.0, help="time limit of the method (s)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    row = run(args.scale, args.method, args.limit)
    sys.stdout.write(json.dumps(asdict(row)) + "\n")


if __name__ == "__main__":
    main()
