"""The scanner of issue 21: words a planner must never read in Chinese mode.

:func:`findings` lists every solver term, raw id, Python repr, English word and objective
point in a text; tests run it over the page's visible text, the documents (PDF text, XLSX
cells, map labels, summary.md) and the CLI's output. Technical views (the 技术信息 tab and
sheet, ``--technical``) are left out by the callers, as they are meant to show the solver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

SOLVER = re.compile(
    r"objective|bound|\bgap\b|lagrang|split-flow|augmenting|residual|optimality|"
    r"目标值|下界|增广|残量|拉格朗日|对偶|分差|目标分项|代价",
    re.IGNORECASE,
)
REPR = re.compile(r"\{'[^']*':|\[\s*'[^']*'\s*[,\]]|\bNone\b|\bTrue\b|\bFalse\b|\bnan\b")
PLAN_ID = re.compile(r"\bp_[0-9a-f]{8,}\b")
POINTS = re.compile(r"[0-9]\s*分(?![之钟配别析布工项])")
ENGLISH = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
# words a Chinese page may show in Latin letters: the language switch, file kinds, map credits
ALLOWED = {"english", "excel", "pdf", "csv", "json", "geojson", "leaflet", "openstreetmap"}


def findings(text: str, ids: Iterable[str] = (), lang: str = "zh") -> list[str]:
    """What in ``text`` a department could not defend (empty when clean)."""
    out = [f"solver term {m.group(0)!r}" for m in SOLVER.finditer(text)]
    out += [f"python repr {m.group(0)!r}" for m in REPR.finditer(text)]
    out += [f"plan id {m.group(0)!r}" for m in PLAN_ID.finditer(text)]
    for i in ids:
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(i)}(?![A-Za-z0-9])", text):
            out.append(f"raw id {i!r}")
    if lang == "zh":
        out += [f"points {m.group(0)!r}" for m in POINTS.finditer(text)]
        out += [
            f"English word {m.group(0)!r}"
            for m in ENGLISH.finditer(text)
            if m.group(0).lower() not in ALLOWED
        ]
    return out


def pdf_text(path: Path) -> str:
    """The text of every page of a PDF (pypdf)."""
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


MACHINE_COLUMNS = {"社区编号", "岗位序号", "干部编号"}


def xlsx_text(path: Path, skip: tuple[str, ...] = ("技术信息", "优化层级")) -> dict[str, str]:
    """Sheet name → the text of its cells a person reads: every sheet but the technical ones,
    without the hidden machine columns (ids)."""
    import openpyxl

    out: dict[str, str] = {}
    for ws in openpyxl.load_workbook(path).worksheets:
        if ws.title in skip:
            continue
        hidden = {
            i
            for row in ws.iter_rows(max_row=4)
            for i, c in enumerate(row)
            if c.value in MACHINE_COLUMNS
        }
        cells = [
            str(v)
            for row in ws.iter_rows(values_only=True)
            for i, v in enumerate(row)
            if v is not None and i not in hidden
        ]
        out[ws.title] = "\n".join(cells)
    return out


def context(text: str, found: list[str], width: int = 60) -> str:
    """The findings with a little of the text around the first one, for the failure message."""
    if not found:
        return ""
    word = found[0].split("'")[1] if "'" in found[0] else ""
    at = max(0, text.find(word) - width)
    return f"{found}: …{text[at : at + 2 * width]}…"


__all__ = ["context", "findings", "pdf_text", "xlsx_text"]
