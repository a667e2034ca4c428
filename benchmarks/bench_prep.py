"""From file to plan at province scale: each phase timed, this tree beside an older one.

``python -m benchmarks.bench_prep [--base PATH] [--scale province] [--repeat 1]`` writes the
benchmark round to a JSON file once, then for each tree (this one, and the tree at ``--base``
when given: e.g. ``git archive <commit> | tar -x -C /tmp/base``) runs, each in a fresh
process and interleaved: the phases in-process (read + validate the file, candidate pairs,
problem data, solve, ``plan.json``) and ``matcher solve ROUND -o DIR --format json`` end to
end, with the peak RSS of each process. Prints one Markdown table with the load average.
``--clock cpu`` times each process's CPU seconds instead of wall seconds: on a loaded machine
(other work on every core) wall time measures the queue more than the code.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.rounds import SCALES

PHASES = """
import json, resource, sys, time
clock = time.perf_counter if sys.argv[2] == "wall" else time.process_time
t0 = clock()
from matcher.model.io.round_files import read_round
from geodata.pairs import candidate_pairs
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
t1 = clock(); rnd = read_round(sys.argv[1])
t2 = clock(); pairs = candidate_pairs(rnd)
t3 = clock(); problem = build_problem(rnd, pairs)
t4 = clock(); res = solve(problem, rnd.settings)
t5 = clock()
print(json.dumps({"import": t1 - t0, "read": t2 - t1, "pairs": t3 - t2, "problem": t4 - t3,
    "solve": t5 - t4, "status": res.status.value, "objective": res.objective,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def _run(cmd: list[str], tree: Path) -> subprocess.CompletedProcess[str]:
    """``cmd`` (``python -c …``) with only ``tree`` on the path: ``-P`` and ``cwd=tree``, else
    ``-c`` puts the current folder first and every "tree" would run the caller's code."""
    return subprocess.run([cmd[0], "-P", *cmd[1:]], env=_env(tree), cwd=tree,
                          capture_output=True, text=True, check=True)  # fmt: skip


def phases(tree: Path, round_file: Path, clock: str = "wall") -> dict[str, float | str | None]:
    """Run the phases in a fresh process with ``tree`` on the path; seconds of ``clock``
    (``wall``, or ``cpu``: the process's CPU time, which a loaded machine inflates less)."""
    done = _run([sys.executable, "-c", PHASES, str(round_file), clock], tree)
    out: dict[str, float | str | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


E2E = """
import atexit, resource, runpy, sys
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
atexit.register(lambda: sys.stderr.write(f"PEAK_MB {peak():.0f}\\n"))
sys.argv = ["matcher", *sys.argv[1:]]
runpy.run_module("matcher_cli", run_name="__main__")
"""


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def end_to_end(tree: Path, round_file: Path, clock: str = "wall") -> tuple[float, float]:
    """``matcher solve`` to plan.json in a fresh process: (seconds of ``clock``, its peak MB)."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-c", E2E, "solve", str(round_file), "-o", out,
               "--format", "json"]  # fmt: skip
        t, cpu = time.perf_counter(), _children_cpu()
        done = _run(cmd, tree)
        seconds = time.perf_counter() - t if clock == "wall" else _children_cpu() - cpu
    peak = [ln for ln in done.stderr.splitlines() if ln.startswith("PEAK_MB ")]
    return seconds, float(peak[-1].split()[1]) if peak else float("nan")


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", type=Path, help="an older tree to run beside this one")
    ap.add_argument("--scale", default="province", choices=list(SCALES))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall seconds (quiet machine) or CPU seconds of each process (a loaded one)",
    )
    args = ap.parse_args(argv)
    here = Path(__file__).resolve().parents[1]
    trees = [("this tree", here)] + ([("base", args.base.resolve())] if args.base else [])
    spec = SCALES[args.scale]
    with tempfile.TemporaryDirectory() as tmp:
        round_file = Path(tmp) / f"{args.scale}.json"
        round_file.write_text(spec.make(spec.seed).model_dump_json(), encoding="utf-8")
        load = os.getloadavg()[0]
        rows: list[str] = []
        for _ in range(args.repeat):
            for name, tree in trees:  # interleaved: the same minutes for both
                p = phases(tree, round_file, args.clock)
                e2e, peak = end_to_end(tree, round_file, args.clock)
                prep = float(p["read"] or 0) + float(p["pairs"] or 0) + float(p["problem"] or 0)
                rows.append(
                    f"| {name} | {p['read']:.2f} | {p['pairs']:.2f} | {p['problem']:.2f} | "
                    f"**{prep:.2f}** | {p['solve']:.2f} ({p['status']}) | {p['peak_mb']:,.0f} | "
                    f"**{e2e:.2f}** | {peak:,.0f} |"
                )
        load_end = os.getloadavg()[0]
    head = [
        f"Round `{args.scale}` written as JSON ({round_file.name}); load average "
        f"{load:.1f} → {load_end:.1f} on {os.cpu_count()} cores. {args.clock.upper()} seconds; "
        "peak MB of the process.",
        "",
        "| tree | read + validate | pairs | problem data | round + pairs + problem | solve "
        "| peak MB | `matcher solve` → plan.json | its peak MB |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    text = "\n".join(head + rows) + "\n"
    sys.stdout.write(text)
    return text


if __name__ == "__main__":
    main()
