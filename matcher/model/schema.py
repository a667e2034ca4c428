"""JSON Schema of the round file, generated from the models (the one source of truth).

``python -m matcher.model.schema > docs/round.schema.json`` regenerates the published schema; a
test fails when the published copy drifts from the models.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from matcher.model.round import Round

SCHEMA_ID = "https://example.invalid/cadre-matcher/round.schema.json"


def round_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) a round file must satisfy before semantic checks.

    The schema covers shapes, types, ranges and enumerations; cross-references (duplicate ids,
    unknown communities in preferences, unknown skills) are checked by
    :func:`matcher.model.validate.validate_round`, which gives located messages.
    """
    schema = Round.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Cadre-to-community assignment round",
    }


def schema_text() -> str:
    """The schema as the text stored in ``docs/round.schema.json``."""
    return json.dumps(round_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    """Print the schema to standard output."""
    sys.stdout.write(schema_text())


if __name__ == "__main__":
    main()
