"""OpenAPI fragments shared by the routes: error responses and the round request body."""

from __future__ import annotations

from typing import Any

from matcher_service.problems import PROBLEM_MEDIA_TYPE

_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_TEXT = {
    400: "Malformed request",
    401: "No API key, or an unknown or revoked one",
    403: "The key's role may not do this",
    404: "No such round, job or plan",
    409: "The job or round is not in a state that allows this (a job still active, a round "
    "too busy to edit)",
    412: "If-Match named a version that is no longer current (the response's ETag is)",
    413: "Body too large, or too many communities or cadres",
    422: "Invalid input: every problem with its file, row or field path",
    428: "This service requires If-Match on changes to a round",
    429: "The job queue is full; retry later",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for these error statuses (always with 400, 401, 403 and 422)."""
    wanted = sorted({400, 401, 403, 422, *codes})
    return {c: {"description": _TEXT[c], "content": _PROBLEM} for c in wanted}


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match named the current ETag (no body)"}
}

ROUND_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A round (see docs/round.md). Validated in full: all problems at once.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InRound"}}},
    }
}

IF_MATCH: dict[str, Any] = {
    "parameters": [
        {
            "name": "If-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": 'The round\'s ETag as read (e.g. `"3"`): 412 if it changed since',
        }
    ]
}
