"""No control characters in a request's path or query: 422 before any route runs.

An id in a path (``/plans/%00``, ``/cadres/%00/file``) or a query parameter reaches the
database as text, and PostgreSQL refuses a NUL in text with an error (a 500); SQLite would take
it and find nothing. The same characters a round may not hold (:mod:`matcher.model.text`) are
refused here the same way on both databases, naming where they were.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Receive, Scope, Send

from matcher.model.text import FORBIDDEN
from matcher_service.problems import problem_response


def _where(scope: Scope) -> str | None:
    """``"path"`` or ``"query"`` when that part holds a forbidden character, else None."""
    if FORBIDDEN.search(str(scope.get("path", ""))):
        return "path"
    query = bytes(scope.get("query_string") or b"").decode("latin-1")
    if "%" in query and FORBIDDEN.search(unquote_plus(query, errors="replace")):
        return "query"
    return None


class PathTextMiddleware:
    """Refuse requests whose path or query holds a control character (422 problem+json)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        where = _where(scope) if scope["type"] == "http" else None
        if where is None:
            await self.app(scope, receive, send)
            return
        part = {"path": "路径", "query": "查询参数"}[where]
        response = problem_response(
            422,
            f"{part}含有不允许的控制字符 / the {where} holds a control character "
            "(U+0000–U+001F other than tab and line breaks); no id or parameter contains one",
            instance=None,
            kind="invalid-text",
        )
        await response(scope, receive, send)
