"""Scenarios: overrides on a base round, pairs carried over by id, plans as current posts."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.analysis.scenario import Scenario, apply_scenario, carry_pairs, from_plan
from matcher.model.problems import InvalidInput
from matcher.model.validate import validate_round
from tests.matcher.analysis.explain_fixtures import solve_round, tiny, tiny_raw
from tests.matcher.engine_fixtures import all_pairs


def test_weights_rules_and_settings_are_overridden_base_untouched() -> None:
    """Weights and settings replace fields; rules merge (km changes, enabled stays)."""
    base = validate_round(tiny_raw())
    sc = Scenario(
        weights={"weak_priority": 300}, rules={"max_distance": {"km": 5}}, settings={"seed": 3}
    )
    new = apply_scenario(base, sc)
    assert new.weights.weak_priority == 300 and new.weights.distance_per_km == 10
    assert new.rules.max_distance.km == 5 and new.rules.max_distance.enabled
    assert new.rules.rank_floors == base.rules.rank_floors
    assert new.settings.seed == 3
    assert base.weights.weak_priority == 100 and base.rules.max_distance.km == 10


def test_removed_cadre_takes_its_locks_and_pairs_along() -> None:
    """Removing C01 drops its lock; carried pairs keep every other pair with its distance."""
    raw = tiny_raw()
    raw["rules"]["locks"] = [{"cadre": "C01", "community": "GT02"}]
    base = validate_round(raw)
    pairs = all_pairs(base)
    new = apply_scenario(base, Scenario(remove_cadres=["C01"]))
    assert "C01" not in new.cadre_index() and not new.rules.locks
    carried = carry_pairs(base, pairs, new)
    assert len(carried) == len(pairs) - len(base.communities)
    old = {
        (base.cadres[i].id, base.communities[c].id): d
        for i, c, d in zip(pairs.cadre, pairs.community, pairs.distance_m, strict=True)
    }
    for i, c, d in zip(carried.cadre, carried.community, carried.distance_m, strict=True):
        assert old[(new.cadres[i].id, new.communities[c].id)] == d


def test_added_cadre_with_extra_pairs() -> None:
    """An added cadre gets the extra pairs given for it; without them it has none."""
    base = validate_round(tiny_raw())
    spare = dict(tiny_raw()["cadres"][3], id="C07", name="周七")
    new = apply_scenario(base, Scenario(add_cadres=[spare]))
    j = new.cadre_index()["C07"]
    pairs = carry_pairs(base, all_pairs(base), new)
    assert not np.any(pairs.cadre == j)
    extra = all_pairs(new)
    mine = extra.cadre == j
    pairs = carry_pairs(
        base,
        all_pairs(base),
        new,
        extra=type(extra)(extra.cadre[mine], extra.community[mine], extra.distance_m[mine]),
    )
    assert int(np.sum(pairs.cadre == j)) == len(new.communities)


def test_scenario_lock_is_honoured() -> None:
    """A lock added by a scenario holds in the solved plan."""
    s = tiny()
    lock = {"cadre": "C01", "community": "GT01", "post_type": "full-time"}
    forced = solve_round(apply_scenario(s.round, Scenario(locks=[lock])), s.pairs)
    holder = {(a.community_id, a.post_type): a.cadre_id for a in forced.result.assignments}
    assert holder[("GT01", "full-time")] == "C01"


def test_bad_overrides_are_reported_with_the_scenario_as_origin() -> None:
    """An unknown weight and a lock on a missing cadre are both reported, naming the scenario."""
    base = validate_round(tiny_raw())
    sc = Scenario(name="typo", weights={"speed": 1}, locks=[{"cadre": "X9", "community": "GT01"}])
    with pytest.raises(InvalidInput) as err:
        apply_scenario(base, sc)
    text = err.value.report()
    assert "scenario typo" in text and "speed" in text and "X9" in text


def test_from_plan_replans_without_moves() -> None:
    """The plan as current posts, change weight on: the re-plan keeps every cadre in place."""
    s = tiny()
    sitting = apply_scenario(from_plan(s.round, s.result), Scenario(weights={"change": 500}))
    posts = {c.id: c.current_post for c in sitting.cadres}
    assert posts["C03"] is not None and posts["C03"].community == "GT01"
    assert posts["C06"] is None
    again = solve_round(sitting, s.pairs)
    assert again.result.terms["change"] == 0
    assert [a.cadre_id for a in again.result.assignments] == [
        a.cadre_id for a in s.result.assignments
    ]
