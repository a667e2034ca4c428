"""Reading a round workbook: the province scenario as XLSX with calamine and with openpyxl.

``python -m benchmarks.bench_read [--seed N] [--repeat K]`` writes the province scenario
(10,000 communities, 40,000 cadres) as an XLSX workbook in a temporary folder, then reads it
back K times with each reader, each time in a fresh process (so no reader benefits from the
other's imports or caches): *sheets* is the reader alone (cells → text tables, header found),
*round* the whole :func:`matcher.model.io.read_round_report` (every cell parsed, every row
validated, references resolved), as wall time and as the process's CPU time (on a shared,
loaded machine the wall time counts other processes' turns; the load average is printed).
Prints one Markdown table with the best of K and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from matcher.model.io import write_round_xlsx

ENGINES = ("calamine", "openpyxl")
_CHILD = """
import json, sys, time
from pathlib import Path
from matcher.model.io.tables import read_workbook
from matcher.model.io.round_files import read_round_report
path, engine = Path(sys.argv[1]), sys.argv[2]
t0 = time.perf_counter(); tables, _ = read_workbook(path, engine=engine)
t1 = time.perf_counter(); c1 = time.process_time(); report = read_round_report(path, engine=engine)
t2 = time.perf_counter(); c2 = time.process_time()
rnd = report.round
print(json.dumps({"sheets": t1 - t0, "round": t2 - t1, "cpu": c2 - c1,
                  "cadres": len(rnd.cadres), "communities": len(rnd.communities)}))
"""


def measure(path: Path, engine: str) -> dict[str, float]:
    """One read of ``path`` with ``engine`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), engine],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> str:
    """Write the workbook, read it with each engine, print and return the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    from geodata.scenarios import generate

    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        path = Path(tmp) / "province.xlsx"
        write_round_xlsx(generate("province", args.seed), path)
        size_mb = path.stat().st_size / 1e6
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for engine in ENGINES:
                got = measure(path, engine)
                old = best.get(engine)
                if old is None or got["round"] < old["round"]:
                    best[engine] = got
    fast, slow = best["calamine"], best["openpyxl"]
    lines = [
        f"province scenario (seed {args.seed}) as XLSX: {int(fast['communities']):,} "
        f"communities, {int(fast['cadres']):,} cadres, {size_mb:.1f} MB; best of {args.repeat}, "
        "each read in a fresh process",
        "",
        "| reader | sheets s | whole round s | whole round CPU s | vs calamine (wall) |",
        "|---|---:|---:|---:|---:|",
    ]
    for engine in ENGINES:
        r = best[engine]
        lines.append(
            f"| {engine} | {r['sheets']:.2f} | {r['round']:.2f} | {r['cpu']:.2f} | "
            f"{r['round'] / fast['round']:.1f}× |"
        )
    load = os.getloadavg()[0]
    lines += [
        "",
        f"- whole round with calamine ≤ 5 s: {fast['round']:.2f} s wall "
        f"({'met' if fast['round'] <= 5.0 else 'NOT met'}), {fast['cpu']:.2f} s CPU "
        f"({'met' if fast['cpu'] <= 5.0 else 'NOT met'}); openpyxl {slow['round']:.2f} s wall, "
        f"{slow['cpu']:.2f} s CPU; load average {load:.1f} on {os.cpu_count()} cores",
    ]
    report = "\n".join(lines) + "\n"
    sys.stdout.write(report)
    return report


if __name__ == "__main__":
    main()
