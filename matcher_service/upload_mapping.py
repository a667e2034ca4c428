"""Column mappings over HTTP: proposed for an uploaded workbook, given with an upload, kept as
named templates (:mod:`matcher.model.io.mapping_file`; stored by
:mod:`matcher_service.store.mappings`).

An upload may carry a mapping as the form field ``mapping`` (the JSON ``matcher map`` writes)
or name a stored template with ``?template=NAME``; both are checked before the files are read,
and a bad one is a 422 naming each wrong role or field.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from matcher.model.io.mapping import Mapping
from matcher.model.io.mapping_file import mapping_json, parse_mapping, propose_mapping
from matcher.model.io.xlsx_guard import XlsxLimits, check_workbook
from matcher.model.problems import InputProblem, InvalidInput
from matcher_service import deps
from matcher_service.uploads import safe_name

_WORKBOOK = (".xlsx", ".xlsm")


def given_mapping(text: str | None, template: str | None, stored: str | None) -> Mapping | None:
    """The mapping an upload names: the ``mapping`` field's JSON, else the stored template's
    body (``stored``; None when the template does not exist)."""
    if text:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}"
            raise InvalidInput(
                [InputProblem("mapping", where, f"not valid JSON: {exc.msg}")]
            ) from None
        return parse_mapping(raw, "mapping")
    if template:
        if stored is None:
            message = f"no mapping template named {template!r}"
            raise InvalidInput([InputProblem("template", template, message)])
        return parse_mapping(json.loads(stored), f"template {template}")
    return None


async def stored_mapping(
    request: Request, text: str | None, template: str | None
) -> Mapping | None:
    """The mapping an upload gives (form field ``mapping``) or names (``?template=``)."""
    stored = None
    if template and not text:
        stored = await run_in_threadpool(deps.store(request).get_mapping, template)
    return given_mapping(text, template, stored)


def propose_upload(
    files: list[tuple[str, bytes]], limits: XlsxLimits, given: Mapping | None
) -> dict[str, Any]:
    """The mapping proposed for one uploaded workbook (or CSV files), as ``mapping.json``."""
    names = [safe_name(n, i) for i, (n, _) in enumerate(files)]
    suffixes = {Path(n).suffix.lower() for n in names}
    one_book = len(names) == 1 and suffixes <= set(_WORKBOOK)
    if not files or len(set(names)) != len(names) or not (one_book or suffixes == {".csv"}):
        message = "send one .xlsx workbook or CSV files with distinct names"
        raise InvalidInput([InputProblem("request", "files", message)])
    with tempfile.TemporaryDirectory(prefix="matcher-map-") as tmp:
        folder = Path(tmp)
        for n, (_, data) in zip(names, files, strict=True):
            (folder / n).write_bytes(data)
        path = folder / names[0] if one_book else folder
        if one_book:
            check_workbook(path, limits)
        try:
            mapping = propose_mapping(path, given)
        except InvalidInput as exc:
            raise InvalidInput([_untemp(p, folder) for p in exc.problems]) from None
        body = mapping_json(mapping, names[0] if one_book else "CSV")
    for sheet in body["sheets"]:
        sheet.pop("path", None)
    return body


def _untemp(p: InputProblem, folder: Path) -> InputProblem:
    return p.moved(source=p.source.replace(f"{folder}/", "").replace(str(folder), "upload"))
