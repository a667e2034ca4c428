"""Issue 16's targets for binding rules, each measured figure beside the earlier path's.

``engine-before`` is the same engine with the saturated-quota reduction switched off (the
path before issue 16), run in the same ``make bench`` process tree, so the two are measured
under the same load.
"""

from __future__ import annotations

from benchmarks.measure import Row

MB_PER_GB = 1024


def _get(results: dict[str, list[Row]], scale: str, method: str) -> Row | None:
    return next((r for r in results.get(scale, []) if r.method == method), None)


def _pair(now: Row, before: Row | None) -> str:
    """``now`` s (status) vs ``before`` s (status), with the speed-up."""
    if before is None or before.time_s is None or now.time_s is None:
        return f"{now.time_s or 0:.2f} s ({now.status})"
    ratio = before.time_s / max(now.time_s, 1e-6)
    return (
        f"{now.time_s:.2f} s ({now.status}) vs {before.time_s:.2f} s before "
        f"({before.status}), {ratio:.1f}× faster"
    )


def binding_targets(results: dict[str, list[Row]]) -> list[str]:
    """One line per target of issue 16, deliverable 5: met or NOT met, with the figures."""
    out: list[str] = []
    dat = _get(results, "datong", "engine")
    mip = _get(results, "datong", "full-mip")
    if dat and dat.time_s is not None:
        pair = _pair(dat, _get(results, "datong", "engine-before"))
        fast = dat.time_s <= 0.2
        line = f"- datong (two equality quotas) ≤ 0.2 s: {pair} — {'met' if fast else 'NOT met'}"
        out.append(line)
        if mip and mip.time_s is not None:
            ratio = mip.time_s / max(dat.time_s, 1e-6)
            out.append(
                f"- datong ≥ 20× the full MIP: {ratio:,.1f}× ({mip.time_s:.2f} s, {mip.status}) "
                f"— {'met' if ratio >= 20 else 'NOT met'}"
            )
    bind = _get(results, "province-binding", "engine")
    if bind and bind.time_s is not None:
        pair = _pair(bind, _get(results, "province-binding", "engine-before"))
        ok = bind.time_s <= 5 and bind.status.startswith("optimal")
        out.append(
            f"- province with a binding quota proven optimal in ≤ 5 s: {pair} — "
            f"{'met' if ok else 'NOT met'}"
        )
    prov = _get(results, "province", "engine")
    if prov and prov.time_s is not None:
        ok = prov.time_s <= 2 and prov.peak_mb <= MB_PER_GB
        out.append(
            f"- province (slack rules) ≤ 2 s and ≤ 1 GB: {prov.time_s:.2f} s, peak "
            f"{prov.peak_mb:,.0f} MB for the whole process — {'met' if ok else 'NOT met'}"
        )
    return out
