"""A plan's round is validated once per version for replacements, never served once erased."""

from __future__ import annotations

from pathlib import Path

import pytest

import matcher_service.deps as deps_module
from matcher.model.round import Round
from matcher_service.parsed_rounds import ParsedRounds
from tests.matcher_service.conftest import running, sqlite_settings
from tests.matcher_service.replacing import replaced
from tests.matcher_service.test_api_lifecycle import _solved_plan


def test_two_replacements_parse_the_round_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second replacement of the same plan reuses the parsed round; erasing the round
    drops it and the plan's replacement is a 404."""
    parses: list[int] = []
    real = Round.model_validate_json

    def counted(body: str | bytes) -> Round:
        parses.append(1)
        return real(body)

    monkeypatch.setattr(deps_module.Round, "model_validate_json", counted)
    with running(sqlite_settings(tmp_path)) as api:
        p1, posts = _solved_plan(api)
        parses.clear()  # the solve job parsed it in its own way; count the replacements
        events = {
            "recall": [posts["A"]],
            "reasons": {posts["A"]: "调任"},
            "effective": "2025-07-01",
        }
        for _ in range(2):
            r = replaced(api, p1, events)
            assert r.status_code == 201, r.text
        assert len(parses) == 2  # once for the requests, once in the worker's plan cache
        kept: ParsedRounds = api.app.state.parsed_rounds
        assert len(kept) == 1
        rid = api.client.get(f"/plans/{p1}", headers=api.h("viewer")).json()["round_id"]
        assert api.client.delete(f"/rounds/{rid}", headers=api.h("admin")).status_code == 204
        assert len(kept) == 0
        r = api.client.post(f"/plans/{p1}/replace", json=events, headers=api.h("planner"))
        assert r.status_code == 404


def test_lru_keeps_the_newest_versions() -> None:
    """Past its bound the least recently used version goes first; drop_round takes all of a
    round's versions."""
    kept = ParsedRounds(max_items=2)
    a, b, c = object(), object(), object()
    kept.put("r", 1, a)  # type: ignore[arg-type]
    kept.put("r", 2, b)  # type: ignore[arg-type]
    assert kept.get("r", 1) is a
    kept.put("s", 1, c)  # type: ignore[arg-type]
    assert kept.get("r", 2) is None and kept.get("r", 1) is a and kept.get("s", 1) is c
    kept.drop_round("r")
    assert kept.get("r", 1) is None and len(kept) == 1
