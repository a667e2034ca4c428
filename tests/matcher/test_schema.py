"""The published JSON Schema matches the models and accepts/rejects real round files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from matcher.schema import round_schema, schema_text

ROOT = Path(__file__).parents[2]


def test_published_schema_is_current() -> None:
    """docs/round.schema.json equals the generated schema (regenerate: python -m matcher.schema)."""
    published = (ROOT / "docs" / "round.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "run: python -m matcher.schema > docs/round.schema.json"


def test_schema_accepts_fixture_and_rejects_shape_errors() -> None:
    """tiny.json is valid under the schema; a string count and an unknown field are not."""
    schema = round_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    tiny = json.loads((ROOT / "tests" / "data" / "rounds" / "tiny.json").read_text("utf-8"))
    jsonschema.validate(tiny, schema)
    tiny["communities"][0]["posts"]["full_time"] = "one"
    tiny["colour"] = "blue"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(tiny))
    assert len(errors) == 2
