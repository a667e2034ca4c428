"""An uploaded workbook checked and given back marked (``POST /rounds/upload/validate``).

The clerk's files are saved under safe names in a temporary folder, bounded by the service's
workbook limits (:func:`matcher.model.io.xlsx_guard.check_workbook`), read with
:func:`matcher.model.io.read_round_report` (errors and warnings of every layer at once) and,
when asked, written back with each problem cell marked
(:func:`matcher.model.io.marked.write_marked_workbook`). Problems name the uploaded file and
sheet, never the temporary folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from matcher.model.io.mapping import Mapping
from matcher.model.io.marked import write_marked_workbook
from matcher.model.io.round_files import read_round_report
from matcher.model.io.xlsx_guard import XlsxLimits
from matcher.model.messages import Lang
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round
from matcher_service.uploads import guard_csv, guard_workbook, safe_name

_WORKBOOK = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class CheckedUpload:
    """What the check found: errors, warnings, the messages' language, the round if it reads
    and the marked workbook if one was asked for."""

    errors: list[InputProblem]
    warnings: list[InputProblem]
    lang: Lang
    round: Round | None
    marked: bytes | None


def _untemp(p: InputProblem, folder: Path) -> InputProblem:
    return p.moved(source=p.source.replace(f"{folder}/", "").replace(str(folder), "upload"))


def _marked(path: Path, folder: Path, found: list[InputProblem], lang: Lang) -> bytes:
    """The workbook back with ``found`` marked; a workbook too damaged to open again is a 422
    naming what was found (as ``/rounds/upload`` answers), never a 500."""
    target = folder / "marked.xlsx"
    try:
        write_marked_workbook(path, found, target, lang)
    except Exception as exc:  # openpyxl/lxml/zipfile raise many types on a damaged file
        damaged = InputProblem(
            path.name,
            "",
            f"the workbook cannot be opened to mark it ({type(exc).__name__}); "
            "save it again from Excel or WPS and re-upload",
            zh="工作簿已损坏，无法标注；请在 Excel 或 WPS 中另存后重新上传",
        )
        errors = [p for p in found if p.severity == "error"]
        warnings = [p for p in found if p.severity != "error"]
        raise InvalidInput(errors or [damaged], warnings) from None
    return target.read_bytes()


def check_upload(
    files: list[tuple[str, bytes]],
    limits: XlsxLimits,
    lang: Lang | None,
    mark: bool,
    mapping: Mapping | None = None,
) -> CheckedUpload:
    """Read the uploaded workbook (or CSV files, or JSON round) and report; mark if asked."""
    names = [safe_name(n, i) for i, (n, _) in enumerate(files)]
    suffixes = {Path(n).suffix.lower() for n in names}
    one_file = len(names) == 1 and suffixes <= {*_WORKBOOK, ".json"}
    if not files or len(set(names)) != len(names) or not (one_file or suffixes == {".csv"}):
        message = "send one .xlsx workbook, one .json round, or CSV files with distinct names"
        raise InvalidInput([InputProblem("request", "files", message)])
    for n, (_, data) in zip(names, files, strict=True):
        if n.lower().endswith(".csv"):
            guard_csv(n, data, limits.max_rows)  # as /rounds/upload: counted before parsing
    with tempfile.TemporaryDirectory(prefix="matcher-check-") as tmp:
        folder = Path(tmp)
        for n, (_, data) in zip(names, files, strict=True):
            (folder / n).write_bytes(data)
        path = folder / names[0] if one_file else folder
        if path.suffix.lower() in _WORKBOOK:
            guard_workbook(path, limits, folder)  # as /rounds/upload: a bomb never reaches it
        rnd: Round | None = None
        try:
            report = read_round_report(path, mapping=mapping)
            errors, warnings, found = [], report.warnings, report.lang
            rnd = report.round
        except InvalidInput as exc:
            errors, warnings, found = exc.problems, exc.warnings, exc.lang or "zh"
        errors = [_untemp(p, folder) for p in errors]
        warnings = [_untemp(p, folder) for p in warnings]
        shown: Lang = lang or found
        marked = None
        if mark:
            marked = _marked(path, folder, [*errors, *warnings], shown)
    return CheckedUpload(errors, warnings, shown, rnd, marked)
