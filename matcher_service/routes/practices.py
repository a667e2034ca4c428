"""The practices over HTTP: mentors, exchange postings and joint committees, solved at once.

Each is small (a district or a city's secretaries), so the answer comes in the response, not
through a job: ``POST /practices/{kind}`` with the practice's JSON body returns the outcome
(status, objective, bound, gap, pairs or groups, conflicts); ``?format=xlsx`` returns the
approval workbook instead. The bodies hold personal data, so writing roles only; the audit
middleware records each call.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from matcher.practices.files import KINDS, parse, write_outputs
from matcher_service import deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.routes.openapi_bits import errors

router = APIRouter(tags=["practices"])
Writer = Annotated[Identity, require(Permission.WRITE)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "A mentoring, exchange or committee round (docs/practices.md)",
    }
}


def _solve(kind: str, raw: Any, mode: str | None, fmt: str) -> tuple[bytes, str]:
    from geodata.pipeline import run_practice

    model = parse(KINDS[kind], raw, "request")
    outcome = run_practice(model, mode=mode)
    if fmt == "json":
        return json.dumps(outcome.to_dict(), ensure_ascii=False).encode(), "application/json"
    with tempfile.TemporaryDirectory() as tmp:
        write_outputs(model, outcome, Path(tmp), "outcome")
        return (Path(tmp) / "outcome.xlsx").read_bytes(), XLSX


@router.post(
    "/practices/{kind}",
    name="practices.solve",
    openapi_extra=_BODY,
    responses={
        200: {
            "description": "The outcome (JSON) or the approval workbook (XLSX)",
            "content": {"application/json": {"schema": {"type": "object"}}, XLSX: {}},
        },
        **errors(400, 413),
    },
)
async def solve_practice(
    request: Request,
    kind: Literal["mentors", "exchange", "committees"],
    who: Writer,
    mode: Annotated[Literal["optimal", "stable"] | None, Query()] = None,
    format: Annotated[Literal["json", "xlsx"], Query()] = "json",
) -> Response:
    """Solve a practice round: mentors (导师帮带), exchange postings (挂职交流, ``mode``
    optimal or stable, with the stability audit) or joint committees (联合党委)."""
    raw = await deps.json_body(request)
    body, media = await run_in_threadpool(_solve, kind, raw, mode, format)
    headers = (
        {"Content-Disposition": 'attachment; filename="outcome.xlsx"'} if format == "xlsx" else {}
    )
    return Response(body, media_type=media, headers=headers)
