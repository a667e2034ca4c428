"""Errors as RFC 9457 problem details (``application/problem+json``), with field paths.

Every error the service returns has this shape; input problems from :mod:`matcher.model.problems`
become ``errors`` items with a JSON pointer, so a client can mark the exact field.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.model.io.xlsx_guard import WorkbookTooLarge
from matcher.model.problems import InputProblem, InvalidInput

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://cadre-matcher.example/problems/"
log = logging.getLogger(__name__)

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many jobs",
    500: "Internal error",
}
_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_FIELD_PATH = re.compile(r"[^\s/,\[\].]+(?:\[\d+\]|\.[^\s/,\[\].]+)*")


class ApiError(Exception):
    """An error with an HTTP status, turned into problem+json by the app's handler."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.errors = errors
        self.headers = headers


def json_pointer(where: str) -> str | None:
    """``cadres[3].rank`` → ``/cadres/3/rank``; rows of uploaded files, lines and columns of
    JSON text and parts of a workbook have no pointer."""
    if not _FIELD_PATH.fullmatch(where):
        return None
    parts = [m.group(1) or m.group(2) for m in _TOKEN.finditer(where)]
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def problem_item(p: InputProblem) -> dict[str, Any]:
    """One input problem as an ``errors`` item (source, where, pointer, id, field, message)."""
    return {**p.to_dict(), "pointer": json_pointer(p.where)}


def problem_response(
    status: int,
    detail: str,
    *,
    instance: str | None = None,
    kind: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind if kind else "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _unprocessable(
    request: Request, items: list[dict[str, Any]], what: str, kind: str
) -> JSONResponse:
    """422 listing every problem found in ``what`` (the input, or the request itself)."""
    detail = f"{len(items)} problem(s) in the {what}"
    return problem_response(422, detail, instance=request.url.path, kind=kind, errors=items)


def _invalid_input(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidInput)
    items = [problem_item(p) for p in exc.problems]
    if isinstance(exc, WorkbookTooLarge):  # refused before reading: a bound, not a mistake
        detail = "上传的文件超出本服务的读取上限 / the upload is larger than this service reads: "
        detail += str(exc.problems[0])
        return problem_response(
            413, detail, instance=request.url.path, kind="too-large", errors=items
        )
    return _unprocessable(request, items, "input", "invalid-input")


def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        where = ".".join(loc)
        if err.get("type") == "json_invalid":  # loc is ("body", offset): say line and column
            items.append(_json_syntax(exc.body, err))
            continue
        items.append(
            {
                "source": "request",
                "where": where,
                "pointer": "/" + "/".join(loc[1:]) if loc[:1] == ["body"] else None,
                "id": None,
                "field": loc[-1] if loc else None,
                "message": str(err.get("msg", "invalid")),
            }
        )
    return _unprocessable(request, items, "request", "invalid-request")


def _json_syntax(doc: Any, err: Any) -> dict[str, Any]:
    """A JSON syntax error of a body FastAPI parsed, with its line and column."""
    loc = err.get("loc", ())
    offset = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
    text = doc if isinstance(doc, str) else ""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    reason = (err.get("ctx") or {}).get("error", "not valid JSON")
    return {
        "source": "request",
        "where": f"line {line}, column {column}",
        "pointer": None,
        "id": None,
        "field": None,
        "message": f"invalid JSON: {reason}",
    }


def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return problem_response(
        exc.status,
        exc.detail,
        instance=request.url.path,
        kind=exc.kind,
        errors=exc.errors,
        headers=exc.headers,
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(
        exc.status_code, str(exc.detail), instance=request.url.path, headers=headers
    )


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(500, "internal error; see the service log", instance=request.url.path)


def install(app: FastAPI) -> None:
    """Register the problem+json handlers on an app."""
    app.add_exception_handler(InvalidInput, _invalid_input)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
