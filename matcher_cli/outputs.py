"""What ``matcher solve`` and ``matcher demo`` write: one file per ``--format`` name, staged in
a temporary folder and renamed onto OUTDIR only when every file is complete."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from matcher.engine.result import Result
from matcher.model.io import write_plan_json, write_round_json
from matcher.model.io.atomic import staged_dir
from matcher.model.io.internal_roster import FILE_NAME as INTERNAL_ROSTER
from matcher.model.io.internal_roster import write_internal_roster
from matcher.model.io.results import (
    write_roster_csv,
    write_roster_pdf,
    write_roster_xlsx,
    write_summary,
)
from matcher.model.language import Lang
from matcher.model.messages import Text
from matcher.model.round import Round
from matcher_cli.errors import WordedTypeError

log = logging.getLogger("matcher.cli")

Writer = Callable[[Round, Result, Path, Lang], None]


def _geojson(rnd: Round, res: Result, path: Path, lang: Lang) -> None:
    from geodata.export import write_geojson

    write_geojson(rnd, res, path)


def _png(rnd: Round, res: Result, path: Path, lang: Lang) -> None:
    from geodata.maps import write_png

    write_png(rnd, res, path, lang=lang)


def _html(rnd: Round, res: Result, path: Path, lang: Lang) -> None:
    from geodata.maps import write_html

    write_html(rnd, res, path, lang=lang)


# --format name → (file name, writer). Order is the order files are written.
OUTPUTS: dict[str, tuple[str, Writer]] = {
    "round": ("round.json", lambda rnd, _res, path, _lang: write_round_json(rnd, path)),
    "json": ("plan.json", lambda rnd, res, path, _lang: write_plan_json(rnd, res, path)),
    "csv": ("roster.csv", lambda rnd, res, path, lang: write_roster_csv(rnd, res, path, lang=lang)),
    "xlsx": ("roster.xlsx", lambda r, res, path, lang: write_roster_xlsx(r, res, path, lang=lang)),
    "pdf": ("roster.pdf", lambda rnd, res, path, lang: write_roster_pdf(rnd, res, path, lang=lang)),
    "md": ("summary.md", lambda rnd, res, path, lang: write_summary(rnd, res, path, lang=lang)),
    "geojson": ("plan.geojson", _geojson),
    "png": ("map.png", _png),
    "html": ("map.html", _html),
}
NO_PLAN_OUTPUTS = ("round", "json", "md")  # what still makes sense when the rules conflict
OUTPUT_NAMES = {name for name, _ in OUTPUTS.values()} | {INTERNAL_ROSTER}


def formats(text: str) -> list[str]:
    """``--format``: a comma list of output names (or ``all``), in writing order."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in OUTPUTS and n != "all"]
    if unknown:
        raise WordedTypeError(
            Text(
                f"没有 {'、'.join(unknown)} 这种输出；可选：all（全部）、{'、'.join(OUTPUTS)}",
                f"unknown format {', '.join(unknown)}; choose from all, {', '.join(OUTPUTS)}",
            )
        )
    return list(OUTPUTS) if "all" in names else [n for n in OUTPUTS if n in names]


def write_outputs(
    rnd: Round,
    res: Result,
    outdir: Path,
    chosen: Sequence[str],
    lang: Lang = "zh",
    private: Sequence[str] = (),
) -> list[Path]:
    """Write the chosen outputs (texts in ``lang``) into a staged folder, then rename it to
    ``outdir``; with ``private`` column names, also the internal roster (内部名单.xlsx) that
    carries them — the only output that ever does."""
    if not res.is_feasible():
        chosen = [f for f in chosen if f in NO_PLAN_OUTPUTS]
    written: list[Path] = []
    with staged_dir(outdir, replaceable=OUTPUT_NAMES) as temp:
        if private and res.is_feasible():
            write_internal_roster(rnd, res, temp / INTERNAL_ROSTER, private, lang)
            written.append(outdir / INTERNAL_ROSTER)
        for fmt in chosen:
            name, writer = OUTPUTS[fmt]
            try:
                writer(rnd, res, temp / name, lang)
            except ImportError as exc:  # a geodata writer not installed in this build
                log.warning("skipped %s: %s", name, exc)
                continue
            written.append(outdir / name)
    return written
