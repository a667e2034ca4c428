"""A rotation moves only the released: every posting whose term continues is kept, on random
rounds with a change weight of 0 (where only a hard keep can hold the cadres)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.pipeline import run_round
from matcher.lifecycle.terms import KEEP_REASON, Posting, next_round, postings_from_plan
from matcher.model.round import Round
from tests.crosscheck.rounds import random_round


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32 - 1))
def test_postings_whose_term_continues_are_kept(seed: int) -> None:
    """About half the postings end before the rotation date; the others are kept exactly."""
    raw = random_round(seed, 8, 24)
    raw.setdefault("weights", {})["change"] = 0
    raw["rules"]["locks"] = []
    rnd = Round.model_validate(raw)
    first = run_round(rnd).result
    if not first.is_feasible():
        return
    rng = np.random.default_rng(seed)
    postings = [
        Posting(p.cadre_id, p.community_id, p.post_type, p.start, int(rng.choice([6, 36])))
        for p in postings_from_plan(rnd, first, date(2025, 1, 1))
    ]
    kept = {(p.cadre_id, p.community_id, p.post_type) for p in postings if p.term_months == 36}
    nxt = next_round(rnd, postings, date(2026, 1, 1))
    locks = {(lk.cadre, lk.community, lk.post_type) for lk in nxt.rules.locks}
    assert {lk.reason for lk in nxt.rules.locks} <= {KEEP_REASON} and locks == kept
    second = run_round(nxt).result
    if not second.is_feasible():  # the keeps clash with a rule: reported, never ignored
        assert any("locks" in c.rules for c in second.conflicts)
        return
    now = {(a.cadre_id, a.community_id, a.post_type) for a in second.assignments}
    assert kept <= now
