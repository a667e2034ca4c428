"""The published JSON Schema matches the models and accepts/rejects real round files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from matcher.model.schema import round_schema, schema_text

ROOT = Path(__file__).parents[3]


def test_published_schema_is_current() -> None:
    """docs/round.schema.json is the generated schema (python -m matcher.model.schema)."""
    published = (ROOT / "docs" / "round.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), (
        "run: python -m matcher.model.schema > docs/round.schema.json"
    )


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


def test_round_md_documents_every_field() -> None:
    """docs/round.md names every field of every round model, rule, weight and setting."""
    from pydantic import BaseModel

    from matcher.model import round as round_models
    from matcher.model import rules, settings, weights

    doc = (ROOT / "docs" / "round.md").read_text(encoding="utf-8")
    models = [
        obj
        for module in (round_models, rules, settings, weights)
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__ == module.__name__
    ]
    missing = {
        f"{model.__name__}.{name}"
        for model in models
        for name in model.model_fields
        if f"`{name}`" not in doc
    }
    assert len(models) >= 20 and missing == set()


def test_round_md_rules_example_is_the_tested_fixture() -> None:
    """The rules table example in docs/round.md is exactly the fixture the tests read."""
    doc = (ROOT / "docs" / "round.md").read_text(encoding="utf-8")
    example = (ROOT / "tests" / "data" / "rounds" / "rules_example.csv").read_text("utf-8")
    assert f"```csv\n{example}```" in doc
