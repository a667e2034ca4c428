"""The OpenAPI document: FastAPI's, plus the round request body and the problem schema.

``python -m matcher_service.openapi`` writes ``docs/openapi.json``; a test fails when it drifts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from matcher.model.io.atomic import write_text
from matcher.model.round import Round
from matcher_service.schemas import Problem

DOC = Path(__file__).parents[1] / "docs" / "openapi.json"
DESCRIPTION = (
    "Assignment rounds of cadres to communities: store rounds, solve them in worker processes, "
    "fetch and export plans with per-post explanations. Send an API key as "
    "`Authorization: Bearer <key>`. Errors are RFC 9457 problem+json with field paths."
)


def build(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document (cached on the app)."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title, version=app.version, description=DESCRIPTION, routes=app.routes
    )
    comps = doc.setdefault("components", {}).setdefault("schemas", {})
    # The request body of a round is the validation-mode Round schema, under "In…" names so it
    # never collides with the response-mode schemas FastAPI generates.
    body = Round.model_json_schema(ref_template="#/components/schemas/In{model}")
    for name, schema in body.pop("$defs", {}).items():
        comps[f"In{name}"] = schema
    comps["InRound"] = body
    comps["Problem"] = Problem.model_json_schema()
    app.openapi_schema = doc
    return doc


def render(app: FastAPI) -> str:
    """The document as committed: sorted keys, two-space indent, trailing newline."""
    return json.dumps(build(app), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write docs/openapi.json (or the path given)."""
    from matcher_service.settings import ServiceSettings
    from service import create_app

    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DOC
    write_text(target, render(create_app(ServiceSettings())))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
