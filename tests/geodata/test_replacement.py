"""A prepared plan decides pool-only events exactly as the round rebuilt after them: the same
new round, proven levels, objective and vacancies-without-moves, on random plans; other
events (and rounds without a distance rule) take the full path."""

from __future__ import annotations

import random

import pytest

from geodata.pairs import candidate_pairs
from geodata.pipeline import run_round
from geodata.replacement import PreparedPlan
from matcher import validate_round
from matcher.lifecycle.adjustment import replace
from matcher.lifecycle.events import Events, Unsuitable, apply_events
from tests.matcher.lifecycle.test_replace_crosscheck import random_round


def _events(rng: random.Random, held: list[str], communities: list[str]) -> Events:
    gone = rng.sample(held, min(len(held), rng.randint(1, 2)))
    rest = [c for c in held if c not in gone]
    unsuitable = [
        Unsuitable(cadre=c, not_back_to=rng.sample(communities, 1), reason="群众意见大")
        for c in rest[: rng.randint(0, 1)]
    ]
    return Events(recall=gone[:1], promote=gone[1:], unsuitable=unsuitable, reasons={})


@pytest.mark.parametrize("kind", ["plain", "side_rules", "saturated"])
def test_prepared_replacements_equal_the_rebuilt_round(kind: str) -> None:
    """Recalls, promotions and unsuitable cadres on 15 random plans: the prepared plan's
    replacement (twice, from one preparation) equals the one of the round rebuilt."""
    rng = random.Random({"plain": 3, "side_rules": 5, "saturated": 9}[kind])
    compared = 0
    for _ in range(15):
        raw = random_round(rng, side_rules=kind == "side_rules", saturated=kind == "saturated")
        rnd = validate_round(raw)
        result = run_round(rnd).result
        if not result.is_feasible():
            continue
        held = [a.cadre_id for a in result.assignments if a.cadre_id]
        prepared = PreparedPlan(rnd, result)
        for _ in range(2):
            ev = _events(rng, held, [c.id for c in rnd.communities])
            fast_sit, fast = prepared.replace(ev)
            sit = apply_events(rnd, result, ev)
            full = replace(sit, candidate_pairs(sit.round))
            assert prepared._engine is not None and prepared._engine.fits(ev)
            assert fast_sit.round.model_dump() == sit.round.model_dump()
            assert fast_sit.departures == sit.departures and fast_sit.forced == sit.forced
            assert fast.status == full.status, (fast.notes, full.notes)
            assert [lv.value for lv in fast.levels] == [lv.value for lv in full.levels]
            assert all(lv.proven for lv in fast.levels) == all(lv.proven for lv in full.levels)
            assert fast.start_vacancies == full.start_vacancies
            assert fast.result.objective == full.result.objective
            assert fast.result.unplaced_cadres == full.result.unplaced_cadres
            assert fast.round.model_dump() == full.round.model_dump()  # the same plan
            compared += 1
    assert compared >= 10


def test_other_events_take_the_full_path() -> None:
    """New cadres, closed communities or new rules are not pool-only: the round after them is
    rebuilt (the prepared network is not even built for them)."""
    rnd = validate_round(random_round(random.Random(1), side_rules=False))
    result = run_round(rnd).result
    prepared = PreparedPlan(rnd, result)
    sit, rep = prepared.replace(Events(close_communities=[rnd.communities[0].id]))
    assert prepared._engine is None
    assert rnd.communities[0].id not in {c.id for c in sit.round.communities}
    assert rep.is_feasible()
