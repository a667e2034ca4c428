"""Mid-term replacement at province scale: 1 and 50 recalls, incremental vs a full re-solve.

``python -m benchmarks.bench_replace [--scales province city-tight] [--recalls 1 50]
[--change 5000]``; ``python -m benchmarks.bench_replace --service`` times Datong recalls
through the service instead (see :func:`service_recalls`).

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
    ap.add_argument("--seed", type=int, default=1, help="which cadres are recalled")
    ap.add_argument("--service", action="store_true", help="Datong recalls through the service")
    ap.add_argument("--rounds", type=int, default=3, help="--service: alternations per count")
    args = ap.parse_args(argv)
    if args.service:
        text = service_recalls(args.rounds, seed=args.seed)
        sys.stdout.write(text + "\n")
        return text
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


def service_recalls(rounds: int = 3, counts: tuple[int, ...] = (1, 8), seed: int = 2) -> str:
    """Datong (the seed scenario, 1,381 compounds) solved by the service, then recalls of 1
    and 8 sitting cadres, each timed three ways in turn, ``rounds`` times, in this one run:

    * **service** — ``POST /plans/{id}/replace`` (a job, one worker process, SQLite) followed
      over its event stream to the end, then the report fetched: request to report in hand;
      the job's own run time beside it (the worker keeps the plan prepared after the first);
    * **in-process, prepared** — :class:`geodata.replacement.PreparedPlan` kept across the
      recalls (what the worker does);
    * **in-process, rebuilt** — the round after the events validated, measured and decided
      afresh (the path the request thread took before).

    One warm-up recall first (the worker's imports and its plan cache). Wall-clock seconds,
    medians over the rounds, never asserted."""
    import os
    import random
    import statistics

    import httpx

    from benchmarks.bench_service import _seconds, _serve, _wait, database
    from geodata.pairs import candidate_pairs
    from geodata.replacement import PreparedPlan
    from geodata.scenarios import generate
    from matcher.lifecycle.adjustment import replace
    from matcher.lifecycle.events import Events, apply_events
    from matcher_service.auth import Role, create_key
    from matcher_service.migrate import upgrade
    from matcher_service.results import result_from_dict
    from matcher_service.store import Store

    rnd = generate("datong", 0)
    load0 = os.getloadavg()[0]
    times: dict[tuple[int, str], list[float]] = {}
    methods: dict[int, set[str]] = {}
    with database("sqlite") as url:
        assert url is not None
        store = Store.connect(url)
        upgrade(store.engine)
        key = create_key(store, "bench", Role.PLANNER)
        store.close()
        proc, base = _serve(url, 1)
        try:
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=600
            ) as client:
                while client.get("/health").json()["status"] != "ok":
                    time.sleep(0.2)
                rid = client.post(
                    "/rounds",
                    content=rnd.model_dump_json().encode(),
                    headers={"Content-Type": "application/json"},
                ).json()["id"]
                job = client.post(f"/rounds/{rid}/solve").json()
                plan_id = str(_wait(client, str(job["id"]))["plan_id"])
                plan = client.get(f"/plans/{plan_id}").json()
                result = result_from_dict(plan["result"])
                held = [a.cadre_id for a in result.assignments if a.cadre_id]
                prepared = PreparedPlan(rnd, result)
                t = time.perf_counter()
                prepared.engine()
                prepare_s = time.perf_counter() - t

                def service(ev: dict[str, object]) -> tuple[float, float, str]:
                    t = time.perf_counter()
                    r = client.post(f"/plans/{plan_id}/replace", json=ev)
                    done = _wait(client, str(r.json()["id"]))
                    if done.get("plan_id"):
                        method = client.get(f"/plans/{done['plan_id']}/replacement").json()[
                            "method"
                        ]
                    else:
                        method = str(done.get("error", ""))[:60]
                    ran = _seconds(done["started_at"], done["finished_at"])
                    return time.perf_counter() - t, ran, method

                service({"recall": held[-1:]})  # warm-up: imports, the worker's plan cache
                picker = random.Random(seed)  # the recalled cadres: drawn, never chosen
                for k in range(rounds):
                    for n in counts:
                        pick = picker.sample(held, n)
                        ev = {"recall": pick, "effective": "2025-07-01"}
                        took, ran, method = service(ev)
                        print(
                            f"  {n} recall(s), round {k}: service {took:.2f} s (job {ran:.2f} s,"
                            f" {method})",
                            end="",
                            file=sys.stderr,
                            flush=True,
                        )
                        times.setdefault((n, "service"), []).append(took)
                        times.setdefault((n, "job"), []).append(ran)
                        methods.setdefault(n, set()).add(method)
                        events = Events.model_validate(ev)
                        t = time.perf_counter()
                        prepared.replace(events)
                        times.setdefault((n, "prepared"), []).append(time.perf_counter() - t)
                        t = time.perf_counter()
                        sit = apply_events(rnd, result, events)
                        replace(sit, candidate_pairs(sit.round))
                        times.setdefault((n, "rebuilt"), []).append(time.perf_counter() - t)
                        print(
                            f"; prepared {times[(n, 'prepared')][-1]:.2f} s; rebuilt "
                            f"{times[(n, 'rebuilt')][-1]:.2f} s",
                            file=sys.stderr,
                            flush=True,
                        )
        finally:
            import signal

            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(30)
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = [
        f"Datong seed scenario: {len(rnd.communities):,} compounds, {len(rnd.cadres):,} cadres;"
        f" load average {load0:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores;"
        f" medians of {rounds}; preparing the plan once in-process {prepare_s:.2f} s.",
        "",
        "| recalls | service: request → report | of which the job ran | in-process, prepared "
        "| in-process, rebuilt (old path) | method |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for n in counts:
        rows.append(
            f"| {n} | {med[(n, 'service')]:.3f} s | {med[(n, 'job')]:.3f} s | "
            f"{med[(n, 'prepared')]:.3f} s | {med[(n, 'rebuilt')]:.3f} s | "
            f"{', '.join(sorted(methods[n]))} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
