"""``make bench``: the engine side by side with four alternatives at every benchmark scale.

``python -m benchmarks.run [--quick] [--scales city datong ...] [--with-pairs]
[--with-service] [--without-replace] [--without-prep]`` runs each (scale, method) in its own
subprocess (see
:mod:`benchmarks.measure`), prints one Markdown table per scale with the ratios engine vs
each alternative, checks the issue's targets (measured, never asserted) and writes it all to
``benchmarks/results.md`` (atomically). ``--quick`` skips the naive CP-SAT and the full MIP
at province scale, where building their models alone would take minutes and many GB.

Methods: ``engine`` (the round's weights); ``engine-before`` (the same engine without the
saturated-quota reduction, the path before issue 16, measured in the same run);
``engine-travel`` (the same rules with travel as
the only soft goal, for a like-for-like travel comparison with the hand method; not run at
province scale); ``naive-cpsat``; ``full-mip``; ``plain-flow``; ``hand``.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.binding_targets import binding_targets
from benchmarks.measure import METHODS, SHORT_LIMIT, WHOLE_ROUND, Row, in_subprocess
from benchmarks.rounds import SCALES

log = logging.getLogger(__name__)
RESULTS = Path(__file__).with_name("results.md")
SLOW = ("naive-cpsat", "full-mip")
#: Scales that only compare the engine with its earlier path (the rest as at its base scale).
ONLY = {
    "province-binding": ("engine", "engine-before"),
    "province-nodist": ("engine", "engine-short"),
}


def _num(v: float | None, fmt: str) -> str:
    return "–" if v is None else format(v, fmt)


def table(rows: list[Row]) -> str:
    """The Markdown table of one scale."""
    out = [
        "| method | status | time s | objective | gap | rule breaks | travel km | km / filled "
        "post | peak MB | notes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        per = None if not r.filled or r.travel_km is None else r.travel_km / r.filled
        breaks = "–" if r.breaks is None else f"{r.breaks}" + (f" ({r.broken})" if r.breaks else "")
        out.append(
            f"| {r.method} | {r.status} | {_num(r.time_s, '.2f')} | {_num(r.objective, ',')} "
            f"| {_num(r.gap, '.1e')} | {breaks} | {_num(r.travel_km, ',.1f')} "
            f"| {_num(per, '.3f')} | {r.peak_mb:,.0f} | {r.note} |"
        )
    return "\n".join(out)


def ratios(rows: list[Row]) -> list[str]:
    """Engine vs each alternative: time ratio, objective and travel comparisons."""
    by = {r.method: r for r in rows}
    eng = by.get("engine")
    if eng is None or eng.time_s is None or eng.objective is None:
        return ["- engine: no plan, no ratios"]
    lines: list[str] = []
    for name, r in by.items():
        if name == "engine" or r.time_s is None:
            continue
        ratio = r.time_s / max(eng.time_s, 1e-6)
        unproven = r.status not in ("optimal",) and name in SLOW
        sign = "≥ " if unproven else ""
        lines.append(f"- {name}: {sign}{ratio:,.1f}× the engine's time" + (
            " (stopped at its limit without proof)" if unproven else ""))  # fmt: skip
    hand = by.get("hand")
    if hand and hand.objective is not None and hand.travel_km is not None:
        worse = "never worse" if eng.objective <= hand.objective else "WORSE"
        lines.append(
            f"- hand method: objective {hand.objective:,} vs engine {eng.objective:,} (engine "
            f"{worse}); rules the hand method breaks: {hand.broken}"
        )
        h_per = hand.travel_km / max(1, hand.filled or 1)
        for e in (by.get("engine"), by.get("engine-travel")):
            if e is None or not e.travel_km:
                continue
            e_per = e.travel_km / max(1, e.filled or 1)
            lines.append(
                f"- travel, hand vs {e.method}: {h_per:.3f} vs {e_per:.3f} km per filled post "
                f"({(h_per - e_per) / h_per:+.1%} saved by {e.method}); total "
                f"{hand.travel_km:,.1f} km for {hand.filled} posts vs {e.travel_km:,.1f} km for "
                f"{e.filled}"
            )
    return lines


def targets(results: dict[str, list[Row]]) -> list[str]:
    """The issue's targets, each with the measured figure and met / not met."""

    def get(scale: str, method: str) -> Row | None:
        return next((r for r in results.get(scale, []) if r.method == method), None)

    out: list[str] = []
    prov = get("province", "engine")
    if prov:
        ok = prov.status.startswith("optimal") and (prov.gap or 0) <= 1e-4
        ok = ok and prov.time_s is not None and prov.time_s <= 10 and prov.peak_mb <= 2048
        out.append(
            f"- province proven optimal (gap ≤ 1e-4) in ≤ 10 s with ≤ 2 GB: status {prov.status}, "
            f"{_num(prov.time_s, '.1f')} s (+ {prov.prep_s:.0f} s round, pairs and problem "
            f"data), peak {prov.peak_mb:,.0f} MB — {'met' if ok else 'NOT met'}"
        )
    for scale in results:
        eng = get(scale, "engine")
        for method, fold in (("naive-cpsat", 20.0), ("full-mip", 5.0)):
            alt = get(scale, method)
            if eng and alt and eng.time_s and alt.time_s:
                ratio = alt.time_s / eng.time_s
                ok = ratio >= fold
                sign = "" if alt.status == "optimal" else "≥ "
                out.append(
                    f"- {scale}: engine ≥ {fold:.0f}× faster than {method}: {sign}{ratio:,.1f}× "
                    f"({alt.status}) — {'met' if ok else 'NOT met'}"
                )
    out += binding_targets(results)
    nod, short = get("province-nodist", "engine"), get("province-nodist", "engine-short")
    if nod:
        ok = nod.status.startswith("optimal") and nod.time_s is not None and nod.time_s <= 60
        ok = ok and nod.peak_mb <= 2048
        out.append(
            f"- province without a distance rule proven optimal in ≤ 60 s (pair search, solve "
            f"and proof) with ≤ 2 GB: {nod.status}, {_num(nod.time_s, '.1f')} s, peak "
            f"{nod.peak_mb:,.0f} MB — {'met' if ok else 'NOT met'}"
        )
    if short:
        honest = not short.status.startswith("optimal") or (nod is not None and (
            short.objective == nod.objective))  # fmt: skip
        out.append(
            f"- the same with a {SHORT_LIMIT:.0f} s limit: {short.status}, "
            f"{_num(short.time_s, '.1f')} s, objective {_num(short.objective, ',')} "
            f"(overrun {_num(None if short.time_s is None else short.time_s - SHORT_LIMIT, '.1f')}"
            f" s: the uninterruptible pieces) — {'honest' if honest else 'NOT honest'}"
        )
    dat = get("datong", "engine")
    if dat and dat.time_s is not None:
        out.append(
            f"- datong ≤ 1 s: {dat.time_s:.2f} s — {'met' if dat.time_s <= 1 else 'NOT met'}"
        )
    travel_targets: tuple[tuple[str, float | None], ...] = (
        ("city-tight", 0.15),
        ("city-loose", None),
    )
    for scale, want in travel_targets:
        eng, hand = get(scale, "engine"), get(scale, "hand")
        if not (eng and hand and eng.travel_km and hand.travel_km and eng.objective is not None):
            continue
        trav = get(scale, "engine-travel") or eng
        e_per = (trav.travel_km or 0.0) / (trav.filled or 1)
        h_per = hand.travel_km / (hand.filled or 1)
        saved = (h_per - e_per) / h_per
        never_worse = hand.objective is not None and eng.objective <= hand.objective
        if want is not None:
            out.append(
                f"- {scale}: ≥ 15 % less travel per filled post than the hand method "
                f"({trav.method}): {saved:+.1%} — {'met' if saved >= want else 'NOT met'}; "
                f"hand method breaks {hand.breaks} rule(s) ({hand.broken})"
            )
        out.append(
            f"- {scale}: optimum never worse than the hand method on the objective: "
            f"{eng.objective:,} vs {_num(hand.objective, ',')} — "
            f"{'met' if never_worse else 'NOT met'}"
        )
    return out


def _section(module: str, title: str, timeout: float) -> str:
    """Run another helper's benchmark script as it is and keep its printed tables."""
    cmd = [sys.executable, "-m", module]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        body = done.stdout.strip() or f"(no output; exit {done.returncode})"
    except subprocess.TimeoutExpired:
        body = f"(stopped after {timeout:.0f} s)"
    return f"## {title}\n\n`python -m {module}`\n\n{body}\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temp file beside ``path`` and rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> str:
    """Run the benchmark; print and write the report; return it."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip slow alternatives at province")
    ap.add_argument("--scales", nargs="+", default=list(SCALES), choices=list(SCALES))
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    ap.add_argument("--cpsat-limit", type=float, default=60.0, help="naive CP-SAT limit (s)")
    ap.add_argument("--mip-limit", type=float, default=120.0, help="full MIP limit (s)")
    ap.add_argument("--engine-limit", type=float, default=120.0, help="engine limit (s)")
    ap.add_argument(
        "--proof-limit", type=float, default=60.0, help="limit of the round without distance rule"
    )
    ap.add_argument("--with-pairs", action="store_true", help="add benchmarks.bench_pairs")
    ap.add_argument("--with-service", action="store_true", help="add benchmarks.bench_service")
    ap.add_argument("--with-uploads", action="store_true", help="add benchmarks.bench_uploads")
    ap.add_argument("--without-replace", action="store_true", help="skip benchmarks.bench_replace")
    ap.add_argument("--without-prep", action="store_true", help="skip benchmarks.bench_prep")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    limits = {"naive-cpsat": args.cpsat_limit, "full-mip": args.mip_limit}
    results: dict[str, list[Row]] = {}
    parts = [
        "# Benchmark results",
        "",
        f"`python -m benchmarks.run {' '.join(argv if argv is not None else sys.argv[1:])}`"
        f" on {platform.machine()} with {os.cpu_count()} cores (shared, noisy: read the "
        "ratios). Each (scale, method) ran in its own process; *time s* is the method alone "
        "(model building included), *peak MB* the process's peak RSS (round, pairs and "
        "problem data included); rule breaks are counted by the independent checker "
        "(benchmarks/checker.py). Naive CP-SAT and full MIP: the seat-level model of "
        "benchmarks/slot_model.py (one Boolean per eligible cadre-post pair). Load average "
        f"at the start: {os.getloadavg()[0]:.1f} (on 2 cores; above ~2 every time stretches).",
        "",
    ]
    for scale in args.scales:
        rows: list[Row] = []
        for method in args.methods:
            if args.quick and scale == "province" and method in SLOW:
                continue
            if scale.startswith("province") and method == "engine-travel":
                continue
            if scale in ONLY and method not in ONLY[scale]:
                continue
            if method == "engine-short" and scale not in WHOLE_ROUND:
                continue
            limit = limits.get(method, args.engine_limit)
            if scale in WHOLE_ROUND:
                limit = SHORT_LIMIT if method == "engine-short" else args.proof_limit
            log.info("bench: %s / %s (limit %.0f s)", scale, method, limit)
            row = in_subprocess(scale, method, limit, timeout=limit + 600)
            if row.status == "failed":  # e.g. a module caught mid-edit in a shared tree
                log.warning("  %s / %s failed (%s); retrying once", scale, method, row.note)
                row = in_subprocess(scale, method, limit, timeout=limit + 600)
            rows.append(row)
            log.info("  -> %s, %s s", rows[-1].status, _num(rows[-1].time_s, ".2f"))
        results[scale] = rows
        head = rows[0] if rows else None
        pool = (
            f" — {head.posts:,} posts, {head.arcs_per_post:.1f} eligible cadres per post, "
            f"round + pairs + problem data in {head.prep_s:.1f} s"
            if head and head.posts
            else ""
        )
        parts += [f"## {scale}: {SCALES[scale].description}{pool}", "", table(rows), ""]
        parts += [*ratios(rows), ""]
    parts = [
        *parts[:4],
        "## Targets (measured, not asserted)",
        "",
        *targets(results),
        "",
        *parts[4:],
    ]
    parts.append(_section("benchmarks.bench_read", "Reading a round workbook (XLSX)", 1800))
    if args.with_pairs:
        parts.append(_section("benchmarks.bench_pairs", "Candidate pairs", 1800))
    if args.with_service:
        parts.append(_section("benchmarks.bench_service", "Service", 1800))
    if args.with_uploads:
        parts.append(_section("benchmarks.bench_uploads", "Crafted uploads", 1800))
    if not args.without_prep and "province" in args.scales:
        title = "From file to plan at province scale (read, pairs, problem, solve, matcher solve)"
        parts.append(_section("benchmarks.bench_prep", title, 1800))
    if not args.without_replace and "province" in args.scales:
        title = "Mid-term replacement: 1 and 50 recalls at province scale vs a full re-solve"
        parts.append(_section("benchmarks.bench_replace", title, 1800))
    report = "\n".join(parts).rstrip() + "\n"
    sys.stdout.write(report)
    write_atomic(args.out, report)
    return report


if __name__ == "__main__":
    main()
