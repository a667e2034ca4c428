"""A stored plan as a file: plan JSON, roster CSV or XLSX, GeoJSON.

The project's own writers make the files (:mod:`matcher.model.io.results`,
:func:`geodata.export.write_geojson`), so a download is byte-for-byte what the CLI writes.
They write atomically to a path; here that path is in a temporary folder.
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
    """How one export format is written and served."""

    module: str
    function: str
    suffix: str
    media_type: str


FORMATS: dict[str, Format] = {
    "json": Format("matcher.model.io.results", "write_plan_json", ".json", "application/json"),
    "csv": Format(
        "matcher.model.io.results", "write_roster_csv", ".csv", "text/csv; charset=utf-8"
    ),
    "xlsx": Format(
        "matcher.model.io.results",
        "write_roster_xlsx",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "geojson": Format("geodata.export", "write_geojson", ".geojson", "application/geo+json"),
}


def export_bytes(fmt: str, rnd: Round, result: Result, stem: str) -> bytes:
    """The file of ``fmt`` for a round and its result."""
    spec = FORMATS[fmt]
    writer = getattr(importlib.import_module(spec.module), spec.function)
    with tempfile.TemporaryDirectory(prefix="matcher-export-") as tmp:
        path = Path(tmp) / f"{stem}{spec.suffix}"
        writer(rnd, result, path)
        return path.read_bytes()
