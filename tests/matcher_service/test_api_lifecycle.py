"""A whole life in the service: round, solve, approval into the archive, recall, replacement
with proven fewest moves, its approval, the next round — the archive checked at each step."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl

from matcher_service.jobs import load_runner, run_job
from tests.matcher_service.conftest import Api, running, sqlite_settings
from tests.matcher_service.replacing import replaced

CHAIN = Path(__file__).resolve().parents[1] / "data" / "lifecycle" / "chain.json"


def _solved_plan(api: Api) -> tuple[str, dict[str, str]]:
    raw = json.loads(CHAIN.read_text(encoding="utf-8"))
    rid = api.create(raw)["id"]
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
    assert (
        run_job(api.app.state.store, load_runner("geodata.pipeline:run_round"), job["id"])
        == "succeeded"
    )
    plan_id = api.client.get(f"/jobs/{job['id']}", headers=api.h("viewer")).json()["plan_id"]
    plan = api.client.get(f"/plans/{plan_id}", headers=api.h("viewer")).json()
    posts = {a["community"]: a["cadre"] for a in plan["result"]["assignments"]}
    return plan_id, posts


def _file(api: Api, cadre: str) -> list[dict[str, Any]]:
    r = api.client.get(f"/cadres/{cadre}/file", headers=api.h("planner"))
    assert r.status_code == 200, r.text
    return r.json()["postings"]  # type: ignore[no-any-return]


def test_whole_life_round_approval_recall_replacement_next_round(api: Api) -> None:
    """Each step leaves the archive right: postings start at approval, the recall ends one
    (recalled, with its reason), the replacement's moves end and start postings, the next
    round keeps sitting cadres and releases ending terms, never back where they served."""
    p1, posts = _solved_plan(api)
    holder_a = posts["A"]
    assert api.client.get(f"/cadres/{holder_a}/file", headers=api.h("planner")).status_code == 404

    r = api.client.post(
        f"/plans/{p1}/approve", json={"start": "2025-01-01"}, headers=api.h("approver")
    )
    assert r.status_code == 201, r.text
    assert r.json()["started"] == 3 and r.json()["ended"] == 0
    again = api.client.post(
        f"/plans/{p1}/approve", json={"start": "2025-01-01"}, headers=api.h("approver")
    )
    assert again.status_code == 409
    first = _file(api, holder_a)
    assert [(p["community_id"], p["outcome"], p["term_end"]) for p in first] == [
        ("A", "serving", "2027-01-01")
    ]

    events = {
        "recall": [holder_a],
        "reasons": {holder_a: "调任市直部门"},
        "effective": "2025-07-01",
    }
    r = replaced(api, p1, events)
    assert r.status_code == 201, r.text
    rep = r.json()
    assert rep["status"] == "optimal" and all(lv["proven"] for lv in rep["levels"])
    assert rep["levels"][0]["value"] == 0
    p2 = rep["plan_id"]
    kinds = {c["cadre"]: c["kind"] for c in rep["changes"]}
    assert kinds[holder_a] == "leaves"
    assert api.client.get(f"/plans/{p2}/replacement", headers=api.h("planner")).json() == rep

    xlsx = api.client.get(f"/plans/{p2}/adjustments.xlsx", headers=api.h("planner"))
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["调整名单"]
    listed = {row[1]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert listed[holder_a] == "离岗"

    r = api.client.post(
        f"/plans/{p2}/approve", json={"start": "2025-07-01"}, headers=api.h("approver")
    )
    assert r.status_code == 201, r.text
    assert r.json()["replaces"] == p1
    gone = _file(api, holder_a)
    assert [(p["outcome"], p["ended"]) for p in gone] == [("recalled", "2025-07-01")]
    assert gone[0]["reason"].startswith("调任市直部门")
    for cadre, kind in kinds.items():
        if kind == "moves":
            assert [p["outcome"] for p in _file(api, cadre)] == ["moved", "serving"]
    line = api.client.get("/communities/A/history", headers=api.h("planner")).json()["postings"]
    assert next(p["cadre_id"] for p in line) == holder_a and len(line) == 2

    body = {"release_before": "2027-03-01", "not_back_years": 3}
    r = api.client.post(f"/plans/{p2}/next-round", json=body, headers=api.h("planner"))
    assert r.status_code == 201, r.text
    nxt = api.client.get(f"/rounds/{r.json()['round_id']}", headers=api.h("planner")).json()
    rnd = nxt.get("round", nxt)
    sitting = {c["id"] for c in rnd["cadres"] if c.get("current_post")}
    moved_or_new = {c for c, k in kinds.items() if k in ("moves", "comes")}
    assert sitting == moved_or_new  # their terms started 2025-07-01, the rest end 2027-01-01
    banned = {(f["cadre"], f["community"]) for f in rnd["rules"]["forbidden_pairs"]}
    released = {posts[c] for c in posts if posts[c] not in moved_or_new and posts[c] != holder_a}
    assert all(any(b[0] == cadre for b in banned) for cadre in released)


def test_personal_files_need_the_personal_role_and_are_audited(api: Api) -> None:
    """A viewer may not read a file (403); a planner's read is in the audit log."""
    p1, posts = _solved_plan(api)
    api.client.post(f"/plans/{p1}/approve", json={"start": "2024-01-01"}, headers=api.h("approver"))
    cadre = posts["B"]
    assert api.client.get(f"/cadres/{cadre}/file", headers=api.h("viewer")).status_code == 403
    assert api.client.get("/communities/B/history", headers=api.h("viewer")).status_code == 403
    got = api.client.get(f"/cadres/{cadre}/file.xlsx", headers=api.h("planner"))
    assert got.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    assert book["任职记录"].cell(2, 2).value == "B"
    api.app.state.audit.flush()
    log = api.client.get("/audit", headers=api.h("admin")).json()
    actions = [(e["action"], e["status"]) for e in log["items"]]
    assert ("lifecycle.person_file_xlsx", 200) in actions
    assert ("lifecycle.person_file", 403) in actions


def test_replace_bad_events_are_422_with_every_problem(api: Api) -> None:
    """Unknown cadre and community ids in the events come back together as problem+json."""
    p1, _ = _solved_plan(api)
    events = {"recall": ["NOPE"], "close_communities": ["ZZ"]}
    r = api.client.post(f"/plans/{p1}/replace", json=events, headers=api.h("planner"))
    assert r.status_code == 422
    assert {e["id"] for e in r.json()["errors"]} == {"NOPE", "ZZ"}


def test_erasing_a_round_erases_the_postings_its_plans_started(tmp_path: Path) -> None:
    """DELETE /rounds/{id} takes the archive entries made by its plans with it."""
    with running(sqlite_settings(tmp_path)) as api:
        p1, posts = _solved_plan(api)
        rid = api.client.get(f"/plans/{p1}", headers=api.h("viewer")).json()["round_id"]
        approve = {"start": "2023-01-01"}
        assert (
            api.client.post(f"/plans/{p1}/approve", json=approve, headers=api.h("approver")).json()[
                "started"
            ]
            == 3
        )
        assert [p["plan_id"] for p in _file(api, posts["C"])] == [p1]
        assert api.client.delete(f"/rounds/{rid}", headers=api.h("planner")).status_code == 204
        assert (
            api.client.get(f"/cadres/{posts['C']}/file", headers=api.h("planner")).status_code
            == 404
        )
