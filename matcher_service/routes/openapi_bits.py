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
    429: "Too many: the job queue is full, this key started too many solves this minute, or "
    "this key or client failed authentication too often; retry after Retry-After seconds",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for these error statuses (always with 400, 401, 403, 422 and
    429: failed authentications are limited on every route)."""
    wanted = sorted({400, 401, 403, 422, 429, *codes})
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


# What the exports send, per media type: plan JSON and GeoJSON are JSON objects of a known
# shape; the roster CSV is text; the XLSX workbook is bytes.
PLAN_FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The plan file, as `matcher solve` writes plan.json",
    "required": ["format_version", "round", "result"],
    "properties": {
        "format_version": {"type": "integer"},
        "round": {
            "type": "object",
            "required": ["name", "communities", "cadres"],
            "properties": {
                "name": {"type": "string"},
                "communities": {"type": "integer"},
                "cadres": {"type": "integer"},
            },
        },
        "result": {"type": "object"},
    },
}
GEOJSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Communities (points) and assignment lines as a GeoJSON FeatureCollection",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "geometry": {"type": ["object", "null"]},
                    "properties": {"type": "object"},
                },
            },
        },
    },
}
EXPORT_SCHEMAS: dict[str, dict[str, Any]] = {
    "application/json": PLAN_FILE_SCHEMA,
    "application/geo+json": GEOJSON_SCHEMA,
    "text/csv": {"type": "string", "description": "The roster, UTF-8 with BOM"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "type": "string",
        "format": "binary",
        "description": "The roster workbook (选派名单 and its companion sheets, print-ready)",
    },
    "application/pdf": {
        "type": "string",
        "format": "binary",
        "description": "The roster for signing (A4 landscape, page numbers, 审核/审批 block)",
    },
}


def sse_event(data_schema: str) -> dict[str, Any]:
    """One server-sent event whose ``data`` is JSON of the component ``data_schema`` (OpenAPI
    before 3.2 lets an event stream's ``schema`` describe each event)."""
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {
            "event": {"type": "string", "enum": ["job", "end"]},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"$ref": f"#/components/schemas/{data_schema}"},
            },
            "id": {"type": "string"},
            "retry": {"type": "integer"},
        },
    }
