"""The workflow store: each step checks the state (and, where asked, that the round is still
the reviewed version) in the transaction that moves it, and logs who, what and why; approval
checks every gate in its transaction and writes all of it or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from matcher_service.migrate import upgrade
from matcher_service.store import Plan, Store
from matcher_service.store.approval import ApprovalInput, NextRound
from matcher_service.store.archive import NewPosting
from matcher_service.store.gates import Refused
from matcher_service.store.workflow import Actor, ChangedSinceReview, WrongState

PLANNER = Actor("组织科", "planner")


def _store(tmp_path: Path) -> tuple[Store, str]:
    store = Store.connect(f"sqlite:///{tmp_path}/wf.sqlite3")
    upgrade(store.engine)
    rid = store.create_round("r", "{}", (0, 0), "alice").id
    store.open_workflow(rid, PLANNER, "开启")
    return store, rid


def test_a_step_from_the_wrong_state_is_refused_and_not_logged(tmp_path: Path) -> None:
    """Proposing while nominations are open raises WrongState; the log holds only 'open'."""
    store, rid = _store(tmp_path)
    with pytest.raises(WrongState) as err:
        store.move(rid, ("reviewed",), "proposed", PLANNER, "x")
    assert err.value.state == "nominating"
    assert [e.action for e in store.list_events(rid)] == ["open"]
    store.close()


def test_an_edit_after_review_refuses_the_move(tmp_path: Path) -> None:
    """A round version after the reviewed one refuses a move made with ``unchanged``."""
    store, rid = _store(tmp_path)
    store.move(rid, ("nominating",), "vetting", PLANNER, "截止")
    store.move(rid, ("vetting",), "reviewed", PLANNER, "审核", reviewed_version=1)
    store.update_round(rid, "r", "{}", (0, 0), "bob")
    with pytest.raises(ChangedSinceReview) as err:
        store.move(rid, ("reviewed",), "proposed", PLANNER, "拟定", unchanged=True)
    assert (err.value.version, err.value.reviewed) == (2, 1)
    assert store.get_workflow(rid).state == "reviewed"
    events = store.list_events(rid)
    assert [(e.action, e.who, e.reason) for e in events][-1] == ("reviewed", "组织科", "审核")
    store.close()


def _plan_row(store: Store, rid: str, version: int = 1) -> Plan:
    from matcher_service.tables import PlanRow

    t = datetime(2026, 3, 1, tzinfo=UTC)
    with store.session() as s:
        s.add(
            PlanRow(
                id="p_1",
                round_id=rid,
                round_version=version,
                job_id="j",
                status="optimal",
                objective=0,
                result="{}",
                created_at=t,
            )
        )
    return store.get_plan("p_1")


def test_approval_checks_everything_in_its_transaction_and_writes_all_or_nothing(
    tmp_path: Path,
) -> None:
    """Proposed only, then publicity running: refused, nothing written; after the period: the
    approval, its posting, the next round (made from the plan) and the move, together; a second
    approval: refused as approved."""
    store, rid = _store(tmp_path)
    store.move(rid, ("nominating",), "vetting", PLANNER, "截止")
    store.move(rid, ("vetting",), "reviewed", PLANNER, "审核", reviewed_version=1)
    plan = _plan_row(store, rid)
    monday = datetime(2026, 3, 2, 1, tzinfo=UTC)
    store.propose(rid, plan.id, PLANNER, "拟定", monday)
    start = monday.date()
    posting = NewPosting("C1", "张三", "A", "北街社区", "full-time", start, 24, date(2028, 3, 2))
    inp = ApprovalInput(
        plan, start, {"C1": ("A", "full-time")}, {}, {"C1": "张三"}, lambda serving: ([posting], [])
    )
    nxt = NextRound("下一轮", "{}", (0, 0))
    approver = Actor("部务会", "approver")

    def approve(at: datetime) -> object:
        return store.approve(inp, approver, "同意", at, in_workflow=True, next_round=nxt)

    with pytest.raises(Refused) as no:
        approve(monday + timedelta(days=30))
    assert [g.code for g in no.value.gaps] == ["wrong-state"] and no.value.state == "proposed"
    store.start_publicity(rid, None, 5, frozenset(), PLANNER, "公示", monday)
    with pytest.raises(Refused) as no:
        approve(monday + timedelta(days=4))
    assert [g.code for g in no.value.gaps] == ["publicity-running"]
    assert store.get_approval(plan.id) is None and store.postings_of_plan(plan.id) == []
    assert len(store.list_rounds()) == 1
    done = approve(monday + timedelta(days=5))
    wf = store.get_workflow(rid)
    assert wf.state == "approved" and wf.approved_by == "部务会" and wf.next_round_id
    assert store.round_origin(wf.next_round_id) == plan.id
    assert [p.cadre_id for p in store.postings_of_plan(plan.id)] == ["C1"]
    assert done.started == 1  # type: ignore[attr-defined]
    with pytest.raises(Refused) as no:
        approve(monday + timedelta(days=6))
    assert [g.code for g in no.value.gaps] == ["approved"]
    assert len(store.list_rounds()) == 2
    store.close()
