"""The workflow store: each step checks the state (and, where asked, that the round is still
the reviewed version) in the transaction that moves it, and logs who, what and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher_service.migrate import upgrade
from matcher_service.store import Store
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
