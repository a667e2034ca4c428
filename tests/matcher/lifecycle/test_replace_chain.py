"""Replacement on the hand-checkable chain round: who leaves, who moves, who comes, and why."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.engine.result import Status
from matcher.lifecycle.events import Events, Unsuitable
from matcher.model.io.cadre_file import read_cadres
from matcher.model.problems import InvalidInput
from tests.matcher.lifecycle.chain_fixture import DATA, run


def test_recall_frees_a_chain_of_one_move() -> None:
    """K1 recalled from weak A (needs 副科+): K2 moves B→A, free K4 comes to B; 1 move, proven,
    and the report says no plan without moves fills every post."""
    _, rep = run(Events(recall=["K1"], reasons={"K1": "调任"}))
    assert rep.status is Status.OPTIMAL
    assert [(lv.name, lv.value, lv.proven) for lv in rep.levels][:2] == [
        ("vacancies", 0, True),
        ("moves", 1, True),
    ]
    posts = {a.cadre_id: a.community_id for a in rep.result.assignments}
    assert posts == {"K2": "A", "K4": "B", "K3": "C"}
    kinds = {c.cadre_id: (c.kind, c.chain) for c in rep.changes}
    assert kinds["K1"] == ("leaves", ("K1", "K2", "K4"))
    assert kinds["K2"] == ("moves", ("K1", "K2", "K4"))
    assert kinds["K4"][0] == "comes"
    assert "周一" in next(c.reason for c in rep.changes if c.cadre_id == "K2")  # by name
    assert rep.start_vacancies == 1
    assert any("至少需调动 1 名" in n for n in rep.notes)


def test_recall_with_a_free_eligible_cadre_moves_nobody() -> None:
    """K3 recalled from C: free K4 fills it directly, nobody sitting moves."""
    _, rep = run(Events(recall=["K3"]))
    assert rep.level("moves") is not None and rep.level("moves").value == 0  # type: ignore[union-attr]
    assert {c.cadre_id: c.kind for c in rep.changes} == {"K3": "leaves", "K4": "comes"}


def test_unsuitable_cadre_leaves_and_never_returns() -> None:
    """K2 unsuitable at B, not back to A: K4 fills B, K2 stays without a post (a forced move),
    and the new round forbids K2 at A and B."""
    sit, rep = run(
        Events(unsuitable=[Unsuitable(cadre="K2", not_back_to=["A"], reason="人岗不适")])
    )
    posts = {a.cadre_id: a.community_id for a in rep.result.assignments}
    assert posts == {"K1": "A", "K4": "B", "K3": "C"}
    assert rep.forced == 1 and rep.level("moves").value == 1  # type: ignore[union-attr]
    comes = next(c for c in rep.changes if c.cadre_id == "K4")
    assert "吴二" in comes.reason and "K2" not in comes.reason and "人岗不适" in comes.reason
    banned = {(f.cadre, f.community) for f in sit.round.rules.forbidden_pairs}
    assert {("K2", "A"), ("K2", "B")} <= banned


def test_new_cadre_fills_without_moves() -> None:
    """A new 副科 cadre added with K1's recall takes A directly: no sitting cadre moves."""
    added = read_cadres(DATA / "new_cadres.csv")
    _, rep = run(Events(recall=["K1"], add_cadres=added))
    posts = {a.cadre_id: a.community_id for a in rep.result.assignments}
    assert posts["K9"] == "A" and rep.level("moves").value == 0  # type: ignore[union-attr]


def test_closed_community_and_merge() -> None:
    """C closed: K3 loses the post (forced) and nobody else moves; B merged into C: B's post
    moves to C with K2, who keeps it."""
    _, rep = run(Events(close_communities=["C"]))
    assert rep.forced == 1 and {c.cadre_id for c in rep.changes} == {"K3"}
    _, rep = run(Events(merge=[{"community": "B", "into": "C"}]))  # type: ignore[list-item]
    posts = sorted((a.community_id, a.cadre_id) for a in rep.result.assignments)
    assert posts == [("A", "K1"), ("C", "K2"), ("C", "K3")] and rep.level("moves").value == 0  # type: ignore[union-attr]


def test_bad_events_list_every_problem() -> None:
    """Unknown cadre, unknown community and a cadre named twice are all reported together."""
    with pytest.raises(InvalidInput) as exc:
        run(Events(recall=["K1", "NOPE"], promote=["K1"], close_communities=["ZZ"]))
    ids = {p.id for p in exc.value.problems}
    assert ids == {"NOPE", "K1", "ZZ"}


def test_broken_cadres_file_names_row_and_column() -> None:
    """A rank nobody knows in new_cadres_broken.csv is reported with file, row and column."""
    with pytest.raises(InvalidInput) as exc:
        read_cadres(DATA / "new_cadres_broken.csv")
    text = str(exc.value.problems[0])
    assert "new_cadres_broken.csv" in text and "row 2" in text and "职级" in text


def test_adjustment_workbook_rows(tmp_path: object) -> None:
    """The 调整名单 has one row per change with who, from, to, why and the new term."""
    from matcher.model.io.adjustments import adjustment_rows
    from tests.matcher.lifecycle.chain_fixture import chain_round

    _, rep = run(Events(recall=["K1"], reasons={"K1": "调任"}))
    rows = adjustment_rows(chain_round(), rep, date(2026, 12, 1))
    assert rows[0][:4] == ["序号", "干部编号", "姓名", "调整类型"]
    by_id = {r[1]: r for r in rows[1:]}
    assert by_id["K1"][3] == "离岗" and by_id["K1"][2] == "周一"
    assert by_id["K2"][3] == "调整岗位" and by_id["K2"][9:] == ["2026-12-01", "2028-12-01"]


def test_rule_change_forces_out_a_sitter_who_no_longer_qualifies() -> None:
    """The weak community's floor raised to 正县: K1 (副县) must leave A, nobody qualifies, so A
    stays vacant (level 1 says 1) and nobody else moves; without the change, nothing moves."""
    from tests.matcher.lifecycle.chain_fixture import chain_round

    rules = chain_round().rules.model_dump(mode="json")
    rules["rank_floors"][0]["min_rank"] = "正县"
    _, rep = run(Events.model_validate({"rules": rules}))
    assert [lv.value for lv in rep.levels][:2] == [1, 1] and rep.forced == 1
    assert {c.cadre_id: c.kind for c in rep.changes} == {"K1": "released"}
    assert "不再符合" in rep.changes[0].reason
    _, same = run(Events())
    assert [lv.value for lv in same.levels][:2] == [0, 0] and same.changes == ()


def test_added_community_is_filled_by_a_free_cadre() -> None:
    """A new community next to K4 gets K4 (free) without moving anyone."""
    new = {
        "id": "D", "name": "东街社区", "district": {"code": "210702", "name": "古塔区"},
        "location": {"lon": 121.143, "lat": 41.107}, "posts": {"full_time": 1, "part_time": 0},
    }  # fmt: skip
    _, rep = run(Events.model_validate({"add_communities": [new]}))
    posts = {a.cadre_id: a.community_id for a in rep.result.assignments}
    assert posts["K4"] == "D" and rep.level("moves").value == 0  # type: ignore[union-attr]


def test_levels_mip_fallback_agrees_and_voids_the_leavers_lock(monkeypatch: object) -> None:
    """With the augmenting paths made to fail, the levels MIP decides the same three levels on
    the locked chain plan, treating the recalled cadre's lock as void (not infeasible)."""
    import numpy as np

    from matcher.engine.problem import build_problem
    from matcher.lifecycle import replace as replace_module
    from matcher.lifecycle.adjustment import orig_groups
    from matcher.lifecycle.events import plan_posts
    from tests.matcher.engine_fixtures import all_pairs
    from tests.matcher.lifecycle.chain_fixture import approved_plan, chain_round

    rnd = chain_round()
    plan = approved_plan(rnd)
    rules = rnd.rules.model_dump(mode="json")
    rules["locks"] = [{"cadre": "K1", "community": "A"}]
    rules["coverage"] = {"allow_vacancies": True}
    locked = rnd.model_copy(update={"rules": type(rnd.rules).model_validate(rules)})
    p = build_problem(locked, all_pairs(locked))
    orig = orig_groups(p, plan_posts(plan))
    k1 = p.cadre_ids.index("K1")
    fast = replace_module.Prepared(p, orig).decide(leave=[k1])
    monkeypatch.setattr(replace_module, "augment", lambda net, st: False)  # type: ignore[attr-defined]
    slow = replace_module.Prepared(p, orig).decide(leave=[k1])
    assert (fast.method, slow.method) == ("augmenting-paths", "levels-mip")
    values = [lv.value for lv in fast.levels]
    assert values[:2] == [0, 1] and [lv.value for lv in slow.levels] == values
    assert slow.solution is not None and np.array_equal(slow.solution.vacant, fast.solution.vacant)  # type: ignore[union-attr]
