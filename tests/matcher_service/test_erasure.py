"""Erasure follows what was made from a round, and only that (issue 22, item 1): erasing a
replacement round takes its next round with it but leaves the round it was made from, whose
archive entries stay and no longer name the erased plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matcher_service.conftest import running, sqlite_settings
from tests.matcher_service.replacing import replaced
from tests.matcher_service.test_api_lifecycle import _file, _solved_plan


def test_erasing_a_derived_round_leaves_its_source(tmp_path: Path) -> None:
    """Erase the replacement round: it, its plan, report and next round are 404; the first
    round and plan stay, and the recalled cadre's ended posting no longer names the erased
    plan."""
    with running(sqlite_settings(tmp_path)) as api:
        h = api.h("admin")
        p1, posts = _solved_plan(api)
        r1 = api.client.get(f"/plans/{p1}", headers=h).json()["round_id"]
        api.client.post(f"/plans/{p1}/approve", json={"start": "2025-01-01"}, headers=h)
        events = {"recall": [posts["A"]], "effective": "2025-07-01"}
        rep = replaced(api, p1, events, "admin").json()
        p2, r2 = rep["plan_id"], rep["round_id"]
        api.client.post(f"/plans/{p2}/approve", json={"start": "2025-07-01"}, headers=h)
        body = {"release_before": "2027-03-01"}
        r3 = api.client.post(f"/plans/{p2}/next-round", json=body, headers=h).json()["round_id"]
        assert [p.ended_by_plan for p in api.app.state.store.person_file(posts["A"])] == [p2]

        assert api.client.delete(f"/rounds/{r2}", headers=h).status_code == 204
        gone = [f"/rounds/{r2}", f"/rounds/{r3}", f"/plans/{p2}", f"/plans/{p2}/replacement"]
        assert [api.client.get(p, headers=h).status_code for p in gone] == [404] * 4
        kept = [f"/rounds/{r1}", f"/plans/{p1}"]
        assert [api.client.get(p, headers=h).status_code for p in kept] == [200] * 2
        (posting,) = _file(api, posts["A"])
        assert posting["plan_id"] == p1 and posting["outcome"] == "recalled"
        assert api.app.state.store.person_file(posts["A"])[0].ended_by_plan is None


def test_erasure_follows_a_workflows_next_round_and_made_from(tmp_path: Path) -> None:
    """In the store: a round named as a workflow's next round, and a round made from that
    one, go with the first; an unrelated round stays; the erased ids come back, first first."""
    from matcher_service.migrate import upgrade
    from matcher_service.store import NotFound, Store
    from matcher_service.store.workflow import Actor
    from matcher_service.tables import WorkflowRow

    store = Store.connect(f"sqlite:///{tmp_path}/e.sqlite3")
    upgrade(store.engine)
    first = store.create_round("first", "{}", (0, 0), "a").id
    nxt = store.create_round("next", "{}", (0, 0), "a").id
    made = store.create_round("made", "{}", (0, 0), "a", made_from=nxt).id
    other = store.create_round("other", "{}", (0, 0), "a").id
    store.open_workflow(first, Actor("a", "planner"), "开启")
    with store.session() as s:
        row = s.get(WorkflowRow, first)
        assert row is not None
        row.next_round_id = nxt
    assert store.delete_round(first) == [first, nxt, made]
    for rid in (first, nxt, made):
        with pytest.raises(NotFound):
            store.round_exists(rid)
    store.round_exists(other)
    store.close()
