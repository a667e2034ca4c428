"""A stored plan as a file: plan JSON, roster CSV, XLSX or PDF, GeoJSON.

The project's own writers make the files (:mod:`matcher.model.io.results`,
:func:`geodata.export.write_geojson`), so a download is byte-for-byte what the CLI writes.
They write atomically to a path; here that path is in a temporary folder. The roster
formats are written in the language asked for (the request's ``Accept-Language``, else the
round's own language); the writers drop characters a document cannot hold
(:func:`matcher.model.text.clean`), so text stored before they were refused still exports.
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from matcher.engine.result import Result
from matcher.model.round import Round


@dataclass(frozen=True)
class Format:
    """How one export format is written and served; ``lang``: the writer takes a language."""

    module: str
    function: str
    suffix: str
    media_type: str
    lang: bool = False


_RESULTS = "matcher.model.io.results"
FORMATS: dict[str, Format] = {
    "json": Format(_RESULTS, "write_plan_json", ".json", "application/json"),
    "csv": Format(_RESULTS, "write_roster_csv", ".csv", "text/csv; charset=utf-8", lang=True),
    "xlsx": Format(
        _RESULTS,
        "write_roster_xlsx",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lang=True,
    ),
    "pdf": Format(_RESULTS, "write_roster_pdf", ".pdf", "application/pdf", lang=True),
    "geojson": Format("geodata.export", "write_geojson", ".geojson", "application/geo+json"),
}


def export_bytes(fmt: str, rnd: Round, result: Result, stem: str, lang: str | None = None) -> bytes:
    """The file of ``fmt`` for a round and its result (``lang`` None: the round's language)."""
    spec = FORMATS[fmt]
    writer = getattr(importlib.import_module(spec.module), spec.function)
    with tempfile.TemporaryDirectory(prefix="matcher-export-") as tmp:
        path = Path(tmp) / f"{stem}{spec.suffix}"
        if spec.lang:
            writer(rnd, result, path, lang=lang)
        else:
            writer(rnd, result, path)
        return path.read_bytes()
