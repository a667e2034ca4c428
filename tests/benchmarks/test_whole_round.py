"""The benchmark's whole-round rows (a round without a distance rule, through run_round)."""

from __future__ import annotations

import pytest

import geodata.pairs
from benchmarks import measure
from benchmarks.rounds import Scale, without_distance_rule
from geodata.scenarios import generate


@pytest.mark.parametrize("method", ["engine", "engine-short"])
def test_a_truncated_round_is_measured_whole_and_proven(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinzhou without its distance rule, each community starting from its 3 nearest
    eligible cadres: the row is the whole round (pairs, solve, proof), checked by the
    independent checker, and says optimal only with the proof."""
    monkeypatch.setattr(geodata.pairs, "ALL_PAIRS_LIMIT", 0)
    monkeypatch.setattr(geodata.pairs, "DEFAULT_K", 3)
    scale = Scale("province-nodist", lambda s: without_distance_rule(generate("jinzhou", s)), 0, "")
    monkeypatch.setitem(measure.SCALES, "province-nodist", scale)
    row = measure.run("province-nodist", method, 600.0)
    assert row.status.startswith(("optimal", "feasible", "unknown"))
    assert row.objective is None or row.breaks == 0
    if row.status.startswith("optimal"):
        assert "proven over all pairs" in row.note
    if method == "engine":  # 600 s: time enough for the proof
        assert row.status.startswith("optimal")
