"""docs/lifecycle.md's claims about events, checked on random small rounds from the page and an
independent reading of the rules: wishes and locks after closes and merges, every change's
origin and destination, forced moves, and the no-moves vacancy count (a maximum matching)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from geodata.pipeline import run_replacement, run_round
from matcher.lifecycle.events import Events
from matcher.model.round import Round
from tests.crosscheck.independent import distances, eligible
from tests.crosscheck.rounds import random_round

TYPES = ("full-time", "part-time")


def small_round(seed: int) -> Round:
    """A random round without side rules or locks, one post per cadre, vacancies allowed."""
    raw = random_round(seed, 6, 14)
    rules = raw.setdefault("rules", {})
    rules.update(source_quotas=[], skill_mix=[], locks=[], forbidden_pairs=[])
    rules["one_post_per_cadre"] = {"enabled": True}
    rules["coverage"] = {"enabled": True, "allow_vacancies": True}
    for cadre in raw["cadres"]:
        cadre.pop("current_post", None)
    return Round.model_validate(raw)


def draw_events(
    rnd: Round, plan: dict[str, tuple[str, str]], rng: np.random.Generator
) -> dict[str, Any]:
    """Random recalls, promotions, an unsuitable cadre, a close, a merge, new cadres."""
    holders = sorted(plan)
    rng.shuffle(holders)
    coms = [c.id for c in rnd.communities]
    ev: dict[str, Any] = {"recall": holders[:1], "promote": holders[1:2]}
    if len(holders) > 2 and rng.random() < 0.5:
        ev["unsuitable"] = [{"cadre": holders[2], "reason": "人岗不适"}]
    rng.shuffle(coms)
    if len(coms) > 1 and rng.random() < 0.7:
        ev["close_communities"] = [coms[0]]
    if len(coms) > 2 and rng.random() < 0.5:
        ev["merge"] = [{"community": coms[1], "into": coms[2]}]
    new = rnd.cadres[0].model_dump(mode="json")
    ev["add_cadres"] = [{**new, "id": f"NEW{k}", "current_post": None} for k in range(2)]
    return ev


def no_move_vacancies(rnd: Round, stayers: dict[str, tuple[str, str]]) -> int:
    """Fewest vacancies when every stayer keeps the post and everyone else fills what they can
    (one post per cadre): a maximum matching of the others into the posts left."""
    dist = distances(rnd)
    com_ix = {c.id: k for k, c in enumerate(rnd.communities)}
    free = {
        (k, t): [rnd.communities[k].posts.full_time, rnd.communities[k].posts.part_time][t]
        for k in range(len(rnd.communities))
        for t in (0, 1)
    }
    for com, typ in stayers.values():
        free[com_ix[com], TYPES.index(typ)] -= 1
    slots = [(k, t) for (k, t), n in free.items() for _ in range(n)]
    others = [i for i, c in enumerate(rnd.cadres) if c.id not in stayers]
    rows, cols = [], []
    for r, i in enumerate(others):
        for s, (k, t) in enumerate(slots):
            if eligible(rnd, dist, i, k, t) == "":
                rows.append(r)
                cols.append(s)
    total = sum(free.values())
    if not others or not slots:
        return total
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(others), len(slots)))
    matched = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    return total - matched


def check_claims(rnd: Round, seed: int) -> None:
    first = run_round(rnd).result
    plan = {a.cadre_id: (a.community_id, a.post_type) for a in first.assignments if a.cadre_id}
    if len(plan) < 2:
        return
    rng = np.random.default_rng(seed)
    raw_ev = draw_events(rnd, plan, rng)
    closed = set(raw_ev.get("close_communities", []))
    merged = {m["community"]: m["into"] for m in raw_ev.get("merge", [])}
    # wishes for the communities that go away, and locks the events must drop
    wishers = list(rnd.cadres[:4])
    prefs = [*closed, *merged]
    cadres = [
        c.model_copy(update={"preferences": prefs}) if c in wishers else c for c in rnd.cadres
    ]
    gone = set(raw_ev["recall"]) | set(raw_ev["promote"])
    locks = [
        {"cadre": cid, "community": com}
        for cid, (com, _) in plan.items()
        if cid in gone or com in closed or com in merged
    ]
    rules = rnd.rules.model_copy(
        update={"locks": type(rnd.rules).model_validate({"locks": locks}).locks}
    )
    rnd = rnd.model_copy(update={"cadres": cadres, "rules": rules})
    events = Events.model_validate(raw_ev)
    _, rep = run_replacement(rnd, first, events)  # closing a wished-for community is no error
    after = rep.round
    ids = {c.id for c in after.communities}
    assert not closed & ids and not set(merged) & ids
    for c in after.cadres:
        assert not set(c.preferences) & (closed | set(merged))
        if c.id in {w.id for w in wishers} and merged:
            assert set(merged.values()) <= set(c.preferences)
    for lock in locks:
        assert any(f"锁定 {lock['cadre']}→{lock['community']}" in n for n in rep.notes), lock
    if closed and wishers:
        assert any(f"社区{next(iter(closed))}撤销" in n for n in rep.notes)
    if not rep.is_feasible():
        return
    unsuitable = {u["cadre"] for u in raw_ev.get("unsuitable", [])}
    by_cadre = {ch.cadre_id: ch for ch in rep.changes}
    for ch in rep.changes:  # docs: every change has the origin the plan gave and a destination
        if ch.kind in ("leaves", "released"):
            assert ch.from_post is not None and ch.to_post is None
        elif ch.kind in ("moves", "follows"):
            assert ch.from_post is not None and ch.to_post is not None
        else:
            assert ch.kind == "comes" and ch.from_post is None and ch.to_post is not None
        if ch.from_post is not None and ch.cadre_id in plan:
            assert ch.from_post == plan[ch.cadre_id]
    # docs: forced = unsuitable, closed, or no longer allowed the (merged) post by the rules
    dist = distances(after)
    com_ix = {c.id: k for k, c in enumerate(after.communities)}
    cad_ix = {c.id: j for j, c in enumerate(after.cadres)}
    forced: set[str] = set()
    may_stay: dict[str, tuple[str, str]] = {}
    for cid, (com, typ) in plan.items():
        if cid in gone:
            assert by_cadre[cid].kind == "leaves"
            continue
        now = merged.get(com, com)
        barred = com in closed or cid in unsuitable
        if barred or eligible(after, dist, cad_ix[cid], com_ix[now], TYPES.index(typ)) != "":
            forced.add(cid)
        else:
            may_stay[cid] = (now, typ)
        if cid in forced:
            assert by_cadre[cid].kind in ("moves", "released")
        elif com in merged:
            assert by_cadre[cid].kind in ("follows", "moves", "released")
    assert rep.forced == len(forced)
    if rep.start_vacancies is not None:
        assert rep.start_vacancies == no_move_vacancies(after, may_stay)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32 - 1))
def test_event_claims_hold_on_random_rounds(seed: int) -> None:
    """Closes, merges, recalls, promotions and unsuitable cadres are reported as documented."""
    check_claims(small_round(seed), seed)
