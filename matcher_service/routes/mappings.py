"""Column mappings (列的识别): proposed for an uploaded workbook, saved and read as templates."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from matcher.model.io.mapping_file import mapping_json, parse_mapping
from matcher.model.io.xlsx_guard import XlsxLimits
from matcher.model.problems import InputProblem, InvalidInput
from matcher_service import deps
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import errors
from matcher_service.routes.rounds import Files, Reader, Writer
from matcher_service.upload_mapping import propose_upload, stored_mapping

router = APIRouter(tags=["mappings"])
_NAME = re.compile(r"^[\w\u3400-\u9fff .-]{1,80}$")
Template = Annotated[
    str | None, Query(max_length=80, description="a stored mapping template to lay over")
]


@router.post("/rounds/upload/mapping", name="rounds.upload_mapping", responses=errors(400, 413))
async def propose_mapping(
    request: Request, files: Files, who: Writer, template: Template = None
) -> dict[str, Any]:
    """Every column's role in an uploaded workbook (field, intent, kept, private, ignored),
    with its confidence and a question where unsure; a stored template answers what it
    knows. Nothing is stored."""
    cfg = deps.settings(request)
    contents = [(f.filename or "", await f.read()) for f in files]
    rows = max(cfg.max_cadres, cfg.max_communities) + 1_000
    limits = XlsxLimits(max_rows=min(rows, XlsxLimits.max_rows))
    given = await stored_mapping(request, None, template)
    return await run_in_threadpool(propose_upload, contents, limits, given)


@router.get("/mappings", name="mappings.list", responses=errors())
async def list_mappings(request: Request, who: Reader) -> dict[str, list[str]]:
    """The names of the stored mapping templates."""
    return {"items": await run_in_threadpool(deps.store(request).list_mappings)}


@router.get("/mappings/{name}", name="mappings.get", responses=errors(404))
async def get_mapping(request: Request, name: str, who: Reader) -> Any:
    """A stored mapping template."""
    body = await run_in_threadpool(deps.store(request).get_mapping, name)
    if body is None:
        raise ApiError(404, f"no mapping template named {name!r}")
    return json.loads(body)


@router.put("/mappings/{name}", name="mappings.put", responses=errors(400, 413))
async def put_mapping(request: Request, name: str, who: Writer) -> dict[str, Any]:
    """Store a mapping (as ``matcher map`` writes it) under ``name``; 422 names each bad role
    or field."""
    if not _NAME.match(name) or name.startswith("."):
        problem = InputProblem("path", "name", "letters, digits, Chinese, spaces, . - _ only")
        raise InvalidInput([problem])
    raw = await deps.json_body(request)
    mapping = parse_mapping(raw, "body")
    mapping.name = name
    body = json.dumps(mapping_json(mapping, str(raw.get("workbook") or "")), ensure_ascii=False)
    await run_in_threadpool(deps.store(request).save_mapping, name, body, who.name)
    return {"name": name, "sheets": len(mapping.sheets)}
