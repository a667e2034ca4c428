"""The workflow's documents through the API: the 公示 list (public, no ids) from publicity on,
the approval record (planner, approver) once approved, each as JSON, XLSX and PDF; reads are
audited naming the cadres listed."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from pypdf import PdfReader

from tests.matcher_service.conftest import Api, running, sqlite_settings
from tests.matcher_service.workflow_flow import Clock, placed, post, to_publicity


@pytest.fixture
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running(sqlite_settings(tmp_path_factory.mktemp("docs"))) as a:
        a.app.state.clock = Clock()
        yield a


def test_publicity_list_and_approval_record(api: Api) -> None:
    """List: any reader, names and posts as written, no ids; record: 落款, approver, objection
    and answer; 409 before their stage; viewer 403 on the record."""
    rid = api.create()["id"]
    base = f"/rounds/{rid}/workflow"
    post(api, "planner", f"/rounds/{rid}/workflow", {}, 201)
    assert api.client.get(f"{base}/publicity-list", headers=api.h("viewer")).status_code == 409
    rid, plan = to_publicity(api)
    base = f"/rounds/{rid}/workflow"
    people = placed(api, plan)
    listed = api.client.get(f"{base}/publicity-list", headers=api.h("viewer")).json()
    assert listed["period"] == "公示时间：2026年3月2日至2026年3月6日（5个工作日）"
    assert len(listed["items"]) == len(people)
    assert all(i["post"].startswith("担任") for i in listed["items"])
    assert all(p not in str(listed["items"]) for p in people)
    assert api.client.get(f"{base}/publicity-list", headers=api.h("unit")).status_code == 403
    for fmt in ("xlsx", "pdf"):
        r = api.client.get(f"{base}/publicity-list.{fmt}", headers=api.h("viewer"))
        assert r.status_code == 200 and len(r.content) > 1000
    book = openpyxl.load_workbook(
        io.BytesIO(api.client.get(f"{base}/publicity-list.xlsx", headers=api.h("viewer")).content)
    )
    cells = [v for row in book.active.iter_rows(values_only=True) for v in row if v]
    assert not set(people) & set(cells)
    assert api.client.get(f"{base}/publicity-list.doc", headers=api.h("viewer")).status_code == 404
    assert api.client.get(f"{base}/approval-record", headers=api.h("approver")).status_code == 409

    obj = post(
        api,
        "planner",
        f"/rounds/{rid}/objections",
        {"cadre_id": people[0], "text": "来电反映"},
        201,
    )
    post(
        api,
        "planner",
        f"/rounds/{rid}/objections/{obj['id']}/resolve",
        {"resolution": "经核查不属实"},
    )
    api.app.state.clock.advance(days=7)
    approval = {"plan_id": plan, "reason": "同意", "signatory": "中共锦州市委组织部"}
    post(api, "approver", f"{base}/approve", approval)
    assert api.client.get(f"{base}/approval-record", headers=api.h("viewer")).status_code == 403
    record = api.client.get(f"{base}/approval-record", headers=api.h("planner")).json()
    rows = {r[0]: r[1] for r in record["rows"]}
    assert rows["落款"] == "中共锦州市委组织部" and rows["审批人"] == "test approver"
    assert rows["审批日期"] == "2026年3月9日" and "经核查不属实" in rows["反映（第1件）"]
    pdf = api.client.get(f"{base}/approval-record.pdf", headers=api.h("approver"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "中共锦州市委组织部" in text.replace("\n", "")
    xlsx = api.client.get(f"{base}/approval-record.xlsx", headers=api.h("approver"))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["审批记录", "公示反映"]
    en = api.client.get(
        f"{base}/approval-record", headers={**api.h("approver"), "Accept-Language": "en"}
    )
    assert {r[0] for r in en.json()["rows"]} >= {"Signed for", "Approved by"}
    api.app.state.audit.flush()
    reads = [
        r for r in api.app.state.store.list_audit(rid) if r.action == "workflow.publicity_list"
    ]
    assert reads and all(
        r.subject == "cadres " + ",".join(people) for r in reads if r.status == 200
    )
