"""Terms and the next round from an approved plan."""

from __future__ import annotations

from datetime import date

from matcher.lifecycle.terms import Outcome, Posting, add_months, next_round, postings_from_plan
from tests.matcher.lifecycle.chain_fixture import approved_plan, chain_round


def test_term_end_uses_the_rounds_length_per_post_type() -> None:
    """A full-time posting started 2025-01-31 with 24 months ends 2027-01-31; month ends clamp."""
    rnd = chain_round()
    postings = postings_from_plan(rnd, approved_plan(rnd), date(2025, 1, 31))
    assert {p.term_months for p in postings} == {24}
    assert postings[0].term_end == date(2027, 1, 31)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)


def test_next_round_keeps_sitting_cadres_and_releases_ending_terms() -> None:
    """Serving postings become current posts; a term ending before the date is released, and
    a released cadre may not go back where it served (not_back)."""
    rnd = chain_round()
    postings = postings_from_plan(rnd, approved_plan(rnd), date(2025, 1, 1))
    short = [
        Posting(p.cadre_id, p.community_id, p.post_type, p.start, 6 if p.cadre_id == "K3" else 24)
        for p in postings
    ]
    nxt = next_round(rnd, short, date(2026, 1, 1), not_back={"K3": ["C"]})
    cur = {c.id: c.current_post.community if c.current_post else None for c in nxt.cadres}
    assert cur == {"K1": "A", "K2": "B", "K3": None, "K4": None}
    assert [(f.cadre, f.community) for f in nxt.rules.forbidden_pairs] == [("K3", "C")]


def test_ended_postings_are_not_current_posts() -> None:
    """A recalled posting does not become a current post in the next round."""
    rnd = chain_round()
    p = Posting("K1", "A", "full-time", date(2025, 1, 1), 24, Outcome.RECALLED, "调任")
    nxt = next_round(rnd, [p], date(2025, 6, 1))
    assert all(c.current_post is None for c in nxt.cadres)
    assert Outcome.RECALLED.zh == "召回"


def test_continuity_puts_known_communities_first() -> None:
    """A released cadre's community goes to the front of its preferences (soft continuity)."""
    rnd = chain_round()
    nxt = next_round(rnd, [], date(2026, 1, 1), continuity={"K4": ["C"], "K1": ["NOPE"]})
    prefs = {c.id: c.preferences for c in nxt.cadres}
    assert prefs["K4"] == ["C"] and prefs["K1"] == []
