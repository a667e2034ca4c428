"""Mid-term replacement at province scale: 1 and 50 recalls, incremental vs a full re-solve.

``python -m benchmarks.bench_replace [--scales province city-tight] [--recalls 1 50]
[--change 5000]``

The approved plan is the engine's optimum of the scale's round (province: the targets; the
tight city pool: recalls that need chains of moves). For each number of recalls
(sitting cadres drawn with a fixed seed) it times, in this one process:

* **replace** — :class:`matcher.lifecycle.replace.Prepared.decide`: successive shortest
  augmenting paths from the plan (fewest vacancies, then moves, then cost, each proven);
* **full re-solve** — the engine on the round without the recalled cadres, sitting cadres
  holding their posts as current posts and a ``change`` weight per move (the old way:
  one weighted sum, moves not proven fewest).

Building the plan's network and potentials (``prepare``, once per approved plan) and the
re-solve's problem data are timed apart from the decisions, like the engine's own benchmark
separates problem data from the solve. Printed as Markdown; targets measured, not asserted.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from benchmarks.rounds import load
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
from matcher.lifecycle.adjustment import orig_groups
from matcher.lifecycle.events import plan_posts
from matcher.lifecycle.replace import Prepared
from matcher.model.round import CurrentPost, PostType

TARGETS = {1: 0.5, 50: 2.0}


def _note(method: str, paths: int, notes: tuple[str, ...]) -> str:
    """The table's notes cell: the paths taken, or why the levels MIP decided."""
    if method == "augmenting-paths":
        return f"{paths} augmenting paths; optimality conditions hold"
    return "; ".join(notes[-1:])[:160]


def _without(pairs: CandidatePairs, keep: np.ndarray) -> CandidatePairs:
    """The pairs of the kept cadres, re-indexed (order, hence sorting, is preserved)."""
    new = np.cumsum(keep) - 1
    m = keep[pairs.cadre]
    return CandidatePairs(
        new[pairs.cadre[m]].astype(np.int32), pairs.community[m], pairs.distance_m[m]
    )


def main(argv: list[str] | None = None) -> str:
    """Run every scale and print the tables; return them."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", nargs="+", default=["province", "city-tight"])
    ap.add_argument("--recalls", type=int, nargs="+", default=[1, 50])
    ap.add_argument("--change", type=int, default=5000, help="re-solve's change weight")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    tables = [_scale(name, args) for name in args.scales]
    text = "\n\n".join(tables)
    sys.stdout.write(text + "\n")
    return text


def _scale(scale: str, args: argparse.Namespace) -> str:
    """One scale's table: each recall count, the replacement beside the full re-solve."""
    inst = load(scale)
    rnd, pairs, problem = inst.round, inst.pairs, inst.problem
    plan = solve(problem, rnd.settings)
    posts = plan_posts(plan)
    orig = orig_groups(problem, posts)
    t = time.perf_counter()
    prepared = Prepared(problem, orig)
    prep_s = time.perf_counter() - t
    rows = [
        "| recalls | method | status | time s | vacancies | moves | cost | notes |",
        "|---:|---|---|---:|---:|---:|---:|---|",
    ]
    lines: list[str] = []
    rng = np.random.default_rng(args.seed)
    sitting = np.nonzero(orig >= 0)[0]
    for k in args.recalls:
        leave = sorted(int(i) for i in rng.choice(sitting, k, replace=False))
        t = time.perf_counter()
        core = prepared.decide(leave=leave)
        rep_s = time.perf_counter() - t
        vals: list[int | str] = [lv.value for lv in core.levels]
        vals += ["–"] * (3 - len(vals))
        proven = len(core.levels) == 3 and all(lv.proven for lv in core.levels)
        rows.append(
            f"| {k} | replace ({core.method}) | {core.status.value}"
            f"{' (each level proven)' if proven else ''} | {rep_s:.3f} | "
            + " | ".join(f"{v:,}" if isinstance(v, int) else v for v in vals)
            + f" | {_note(core.method, core.paths, core.notes)} |"
        )
        gone = {problem.cadre_ids[i] for i in leave}
        cadres = [
            c.model_copy(
                update={
                    "current_post": CurrentPost(
                        community=posts[c.id][0], post_type=PostType(posts[c.id][1])
                    )
                    if c.id in posts
                    else None
                }
            )
            for c in rnd.cadres
            if c.id not in gone
        ]
        weights = rnd.weights.model_copy(update={"change": args.change})
        cov = rnd.rules.coverage.model_copy(update={"allow_vacancies": True})
        rules = rnd.rules.model_copy(
            update={
                "coverage": cov,  # as the replacement: a post may stay empty
                "locks": [lk for lk in rnd.rules.locks if lk.cadre not in gone],
                "forbidden_pairs": [f for f in rnd.rules.forbidden_pairs if f.cadre not in gone],
            }
        )
        resolve_round = rnd.model_copy(
            update={"cadres": cadres, "weights": weights, "rules": rules}
        )
        keep = np.array([c.id not in gone for c in rnd.cadres])
        t = time.perf_counter()
        p2 = build_problem(resolve_round, _without(pairs, keep))
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        res = solve(p2, resolve_round.settings)
        solve_s = time.perf_counter() - t
        after = plan_posts(res)
        moved = sum(1 for cid, post in posts.items() if cid not in gone and after.get(cid) != post)
        vac = len(res.vacancies)
        rows.append(
            f"| {k} | full re-solve (change {args.change}) | {res.status.value} | {solve_s:.3f} | "
            f"{vac:,} | {moved:,} | – | {res.method}; problem data {build_s:.1f} s |"
        )
        target = TARGETS.get(k) if scale == "province" else None
        if target is None:
            lines.append(
                f"- {k} recall(s): replacement {rep_s:.3f} s moving {vals[1]} sitting cadres "
                f"(proven fewest) vs full re-solve {solve_s:.2f} s moving {moved}"
            )
        else:
            ok = rep_s <= target and proven
            lines.append(
                f"- {k} recall(s) ≤ {target} s, proven: {rep_s:.3f} s "
                f"({'met' if ok else 'NOT met'}); full re-solve {solve_s:.2f} s "
                f"({solve_s / max(rep_s, 1e-6):,.0f}× the replacement), moving {moved} vs {vals[1]}"
            )
    return "\n".join(
        [
            f"Scale {scale}: {problem.n_posts:,} posts, {problem.n_arcs:,} arcs; plan "
            f"{plan.status.value}. Prepare (network and potentials of the approved plan, "
            f"once per plan): {prep_s:.2f} s.",
            "",
            *rows,
            "",
            *lines,
        ]
    )


if __name__ == "__main__":
    main()
