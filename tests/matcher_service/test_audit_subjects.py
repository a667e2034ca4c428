"""An audit log that names whose data was read and why (issue 22, item 5): reads of a person's
file or a community's history record that cadre or community (refused reads too), and actions
that give a reason — a workflow step, a lock, a replacement, an erasure — record it."""

from __future__ import annotations

from typing import Any

from tests.matcher_service.conftest import Api
from tests.matcher_service.replacing import replaced
from tests.matcher_service.test_api_lifecycle import _solved_plan


def _audit(api: Api, **params: str) -> list[dict[str, Any]]:
    api.app.state.audit.flush()
    r = api.client.get("/audit", params={"limit": "1000", **params}, headers=api.h("admin"))
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def test_reads_of_files_and_histories_name_whose(api: Api) -> None:
    """Each read of a file (JSON, XLSX, refused) and of a history names its subject, and the
    log can be filtered by it; other rows name none."""
    p1, posts = _solved_plan(api)
    api.client.post(f"/plans/{p1}/approve", json={"start": "2024-01-01"}, headers=api.h("approver"))
    cadre = posts["A"]
    assert api.client.get(f"/cadres/{cadre}/file", headers=api.h("planner")).status_code == 200
    assert api.client.get(f"/cadres/{cadre}/file.xlsx", headers=api.h("admin")).status_code == 200
    assert api.client.get(f"/cadres/{cadre}/file", headers=api.h("viewer")).status_code == 403
    assert api.client.get("/communities/B/history", headers=api.h("planner")).status_code == 200
    assert api.client.get("/communities/B/history", headers=api.h("viewer")).status_code == 403
    mine = _audit(api, subject=f"cadre {cadre}")
    assert sorted((e["action"], e["status"]) for e in mine) == [
        ("lifecycle.person_file", 200),
        ("lifecycle.person_file", 403),
        ("lifecycle.person_file_xlsx", 200),
    ]
    history = _audit(api, subject="community B")
    assert sorted((e["action"], e["status"], e["who"]) for e in history) == [
        ("lifecycle.community_history", 200, "test planner"),
        ("lifecycle.community_history", 403, "test viewer"),
    ]
    plan_reads = [e for e in _audit(api) if e["action"] == "plans.get"]
    assert all(e["subject"] is None for e in plan_reads)


def test_actions_with_a_reason_record_it(api: Api) -> None:
    """A workflow step's reason, a lock's reason, a replacement's reasons and an erasure's
    reason are in the audit row of that action."""
    p1, posts = _solved_plan(api)
    rid = api.client.get(f"/plans/{p1}", headers=api.h("viewer")).json()["round_id"]
    r = api.client.post(
        f"/rounds/{rid}/workflow", json={"reason": "2024年第一批选派"}, headers=api.h("planner")
    )
    assert r.status_code == 201, r.text
    lock = {"cadre": posts["B"], "community": "B", "reason": "组织决定留任"}
    assert (
        api.client.put(f"/rounds/{rid}/locks", json=lock, headers=api.h("planner")).status_code
        == 200
    )
    events = {"recall": [posts["A"]], "reasons": {posts["A"]: "调任市直部门"}}
    assert replaced(api, p1, events).status_code == 201
    by_action = {e["action"]: e for e in _audit(api, round_id=rid)}
    assert by_action["workflow.open"]["reason"] == "2024年第一批选派"
    assert by_action["locks.set"]["reason"] == "组织决定留任"
    assert by_action["lifecycle.replace"]["reason"] == f"{posts['A']}: 调任市直部门"

    other = api.create()["id"]
    r = api.client.delete(
        f"/rounds/{other}", params={"reason": "重复导入"}, headers=api.h("planner")
    )
    assert r.status_code == 204
    (erased,) = [e for e in _audit(api, round_id=other) if e["action"] == "rounds.delete"]
    assert erased["reason"] == "重复导入" and erased["status"] == 204
