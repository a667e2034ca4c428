"""The committed OpenAPI document (docs/openapi.json) matches what the service serves."""

from __future__ import annotations

from matcher_service.openapi import DOC, render
from matcher_service.settings import ServiceSettings
from service import create_app


def test_openapi_document_has_not_drifted() -> None:
    """docs/openapi.json is the app's spec (regenerate: `python -m matcher_service.openapi`)."""
    assert DOC.read_text(encoding="utf-8") == render(create_app(ServiceSettings()))


def test_spec_documents_every_route_with_problem_errors() -> None:
    """Every data route documents 401, 403 and 422 as problem+json; health stays open."""
    spec = create_app(ServiceSettings()).openapi()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path in ("/health", "/version"):
                assert "401" not in op["responses"]
                continue
            for code in ("401", "403", "422"):
                content = op["responses"][code]["content"]
                assert "application/problem+json" in content, (method, path, code)
    assert spec["components"]["schemas"]["InRound"]["title"] == "Round"
