"""The selection workflow through the API, one key per role: nominations by units, joint vetting
by departments (JSON and their own sheets), review, a real solve, publicity with an objection,
approval and publication — with the refusals on the way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from matcher_service import keys
from matcher_service.auth import Role, create_key
from matcher_service.store import Store
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny

UNITS = {
    "C01": "市委组织部",
    "C02": "市财政局",
    "C03": "古塔区民政局",
    "C04": "凌河区住建局",
    "C05": "市交通局",
    "C06": "市信访局",
}
SHEETS = Path(__file__).parents[1] / "data" / "vetting"
MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 Beijing time


class Clock:
    """A clock a test sets (the app's ``state.clock``): no sleeping through a publicity."""

    def __init__(self, at: datetime = MONDAY) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An app with one worker running the real engine, and scoped unit and vetter keys."""
    cfg = sqlite_settings(
        tmp_path_factory.mktemp("flow"),
        workers=1,
        runner="geodata.pipeline:run_round",
        warm_up=False,
    )
    with running(cfg) as api:
        api.app.state.clock = Clock()
        store = api.app.state.store
        for cid, unit in UNITS.items():
            api.keys[f"unit {cid}"] = key = create_key(store, f"{unit} 组织科", Role.UNIT)
            store.set_key_scope(key.split("_", 2)[1], unit)
        for dept in ("纪检监察", "信访", "审计"):
            api.keys[dept] = key = create_key(store, f"{dept}部门", Role.VETTER)
            store.set_key_scope(key.split("_", 2)[1], dept)
        yield api


def _round() -> dict[str, Any]:
    raw = tiny()
    raw["rules"]["clearances"] = {"required": ["纪检监察", "信访"]}
    raw["rules"]["coverage"] = {"allow_vacancies": True}
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"] = 1980 + i
    return raw


def _post(api: Api, role: str, path: str, body: Any = None, code: int = 200) -> Any:
    r = api.client.post(path, json=body if body is not None else {}, headers=api.h(role))
    assert r.status_code == code, r.text
    return r.json()


def _solve(api: Api, rid: str) -> str:
    job = _post(api, "planner", f"/rounds/{rid}/solve", code=202)
    with api.client.stream("GET", f"/jobs/{job['id']}/events", headers=api.h("planner")) as r:
        last: dict[str, Any] = {}
        for line in r.iter_lines():
            if line.startswith("data: "):
                last = json.loads(line[len("data: ") :])
    assert last["state"] == "succeeded", last
    return str(last["plan_id"])


def _sheet(name: str) -> dict[str, Any]:
    return {"file": (name, (SHEETS / name).read_bytes(), "text/csv")}


def test_a_round_goes_from_nominations_to_publication(flow: Api) -> None:
    """Nominate, vet, review, solve, publicise, object, approve, publish; each refusal is a 4xx
    with its reason, and every step is in the workflow's log."""
    api = flow
    rid = api.create(_round())["id"]
    base = f"/rounds/{rid}"
    # Nothing before the workflow is opened; units and vetters never read rounds.
    _post(api, "unit C02", f"{base}/nominations", {"cadre_id": "C02"}, 404)
    assert api.client.get(base, headers=api.h("unit C02")).status_code == 403
    assert api.client.get(base, headers=api.h("纪检监察")).status_code == 403
    _post(api, "viewer", f"{base}/workflow", {"reason": "x"}, 403)
    _post(api, "planner", f"{base}/workflow", {"reason": "2024年第一批选派"}, 201)
    _post(api, "planner", f"{base}/workflow", {}, 409)

    # Units nominate their own cadres only, known ones only, once.
    for cid in UNITS:
        _post(
            api, f"unit {cid}", f"{base}/nominations", {"cadre_id": cid, "reason": "组织推荐"}, 201
        )
    assert (
        "本单位"
        in _post(api, "unit C02", f"{base}/nominations", {"cadre_id": "C01"}, 403)["detail"]
    )
    assert (
        "C99" in _post(api, "unit C02", f"{base}/nominations", {"cadre_id": "C99"}, 422)["detail"]
    )
    _post(api, "unit C02", f"{base}/nominations", {"cadre_id": "C02"}, 409)
    mine = api.client.get(f"{base}/nominations", headers=api.h("unit C02")).json()["items"]
    assert [n["cadre_id"] for n in mine] == ["C02"]
    assert len(api.client.get(f"{base}/nominations", headers=api.h("planner")).json()["items"]) == 6

    # Joint vetting: only in the vetting stage, only required departments, only their own check.
    ok = {"items": [{"cadre_id": c, "status": "cleared"} for c in UNITS]}
    _post(api, "纪检监察", f"{base}/clearances", ok, 409)
    _post(api, "planner", f"{base}/workflow/vetting", {"reason": "推荐截止"})
    _post(api, "unit C01", f"{base}/nominations", {"cadre_id": "C01"}, 409)
    seen = api.client.get(f"{base}/vetting", headers=api.h("纪检监察")).json()
    assert set(seen["items"][0]) == {
        "cadre_id",
        "name",
        "unit",
        "birth_year",
        "status",
        "date",
        "note",
    }
    assert api.client.get(f"{base}/vetting", headers=api.h("审计")).status_code == 403
    clash = {
        "items": [
            {"cadre_id": "C01", "status": "cleared"},
            {"cadre_id": "C01", "status": "refused"},
        ]
    }
    assert "conflicting clearances" in json.dumps(
        _post(api, "纪检监察", f"{base}/clearances", clash, 422), ensure_ascii=False
    )
    _post(
        api,
        "纪检监察",
        f"{base}/clearances",
        {"items": [{"cadre_id": "C99", "status": "cleared"}]},
        422,
    )
    assert _post(api, "纪检监察", f"{base}/clearances", ok)["applied"] == 6
    # 信访 sends its own sheet: a row that matches nobody refuses the sheet, row named.
    r = api.client.post(
        f"{base}/clearances/upload", files=_sheet("petitions_mismatch.csv"), headers=api.h("信访")
    )
    assert r.status_code == 422 and "row 3" in r.text and "names no nominee" in r.text
    r = api.client.post(
        f"{base}/clearances/upload", files=_sheet("petitions.csv"), headers=api.h("信访")
    )
    assert r.status_code == 200 and r.json()["applied"] == 6, r.text

    # Review: C06 rejected (disqualified); an unknown nominee is refused.
    _post(
        api,
        "planner",
        f"{base}/workflow/review",
        {"rejected": [{"cadre_id": "C99", "reason": "x"}]},
        422,
    )
    wf = _post(
        api,
        "planner",
        f"{base}/workflow/review",
        {"rejected": [{"cadre_id": "C06", "reason": "正在接受纪律审查"}], "reason": "部务会审核"},
    )
    assert wf["state"] == "reviewed"
    reviewed = api.client.get(base, headers=api.h("viewer")).json()["round"]
    assert [c["id"] for c in reviewed["cadres"]] == ["C01", "C02", "C03", "C04", "C05"]

    # Solve the reviewed round; C05 was refused by 信访 and is explained by the missing clearance.
    plan = _solve(api, rid)
    why = api.client.get(f"/plans/{plan}/why", headers=api.h("planner")).text
    assert "信访（不通过）" in why
    _post(api, "planner", f"{base}/workflow/propose", {"plan_id": plan, "reason": "拟定方案"})
    _post(api, "approver", f"{base}/workflow/approve", {"plan_id": plan}, 409)  # not publicised
    for bad in (0, -1, True, "5", 4):
        _post(api, "planner", f"{base}/workflow/publicity", {"days": bad}, 422)
    api.app.state.clock = clock = Clock()
    _post(api, "planner", f"{base}/workflow/publicity", {"reason": "公示"})
    obj = _post(
        api, "planner", f"{base}/objections", {"cadre_id": "C01", "text": "群众来电反映"}, 201
    )
    _post(
        api, "planner", f"{base}/workflow/approve", {"plan_id": plan}, 403
    )  # planners don't approve
    early = _post(api, "approver", f"{base}/workflow/approve", {"plan_id": plan}, 409)
    assert {e["id"] for e in early["errors"]} == {"publicity-running", "open-objections"}
    assert early["detail"].startswith("本轮选派处于「公示」阶段")
    clock.advance(days=4, hours=14)  # Friday 23:00 Beijing: the fifth working day still runs
    assert [
        e["id"]
        for e in _post(api, "approver", f"{base}/workflow/approve", {"plan_id": plan}, 409)[
            "errors"
        ]
    ] == ["publicity-running", "open-objections"]
    clock.advance(hours=1)  # Saturday 00:00 Beijing: over
    r = api.client.post(
        f"{base}/workflow/approve",
        json={"plan_id": plan},
        headers={**api.h("approver"), "Accept-Language": "en"},
    )
    assert r.status_code == 409 and "objections not resolved: 1" in r.json()["detail"]
    _post(api, "planner", f"{base}/objections/{obj['id']}/resolve", {"resolution": "经核查不属实"})
    _post(api, "planner", f"{base}/objections/{obj['id']}/resolve", {"resolution": "再答"}, 409)
    _post(api, "approver", f"{base}/workflow/approve", {"plan_id": "p_other"}, 404)

    # A change after review refuses approval until the round is reviewed and solved again.
    changed = dict(reviewed, description="改动")
    assert api.client.put(base, json=changed, headers=api.h("planner")).status_code == 200
    refused = _post(api, "approver", f"{base}/workflow/approve", {"plan_id": plan}, 409)
    assert "changed-since-review" in {e["id"] for e in refused["errors"]}
    _post(api, "planner", f"{base}/workflow/review", {"reason": "改动后重新审核"})
    plan = _solve(api, rid)
    _post(api, "planner", f"{base}/workflow/propose", {"plan_id": plan})
    _post(api, "planner", f"{base}/workflow/publicity", {})
    clock.advance(days=7)
    approval = {"plan_id": plan, "reason": "常委会批准", "signatory": "中共锦州市委组织部"}
    wf = _post(api, "approver", f"{base}/workflow/approve", approval)
    assert wf["signatory"] == "中共锦州市委组织部" and wf["approved_by"] == "test approver"
    assert wf["state"] == "approved" and wf["next_round_id"]
    _post(api, "planner", f"{base}/workflow/publish", {}, 403)
    wf = _post(api, "approver", f"{base}/workflow/publish", {"reason": "正式公布"})

    # The approved plan is the next round's current posts; the log has who, when and why.
    nxt = api.client.get(f"/rounds/{wf['next_round_id']}", headers=api.h("viewer")).json()["round"]
    held = {c["id"]: c["current_post"] for c in nxt["cadres"]}
    posts = api.client.get(f"/plans/{plan}", headers=api.h("viewer")).json()["result"][
        "assignments"
    ]
    for a in posts:
        if a["cadre"]:
            assert held[a["cadre"]] == {"community": a["community"], "post_type": a["post_type"]}
    assert held["C05"] is None
    # ... and its postings are in the archive (一人一档), serving from the approval
    placed = next(a for a in posts if a["cadre"])
    file = api.client.get(f"/cadres/{placed['cadre']}/file", headers=api.h("planner")).json()
    assert any(
        p["plan_id"] == plan
        and p["outcome"] == "serving"
        and p["community_id"] == placed["community"]
        for p in file["postings"]
    )
    actions = [(e["action"], e["role"]) for e in wf["events"]]
    assert ("approved", "approver") in actions and ("published", "approver") in actions
    assert ("rejected", "planner") in actions and ("clear", "vetter") in actions
    assert next(e for e in wf["events"] if e["action"] == "approved")["reason"] == "常委会批准"

    # Every cadre's state, with conditions and missing clearances in words (not for viewers).
    assert api.client.get(f"{base}/workflow/cadres", headers=api.h("viewer")).status_code == 403
    states = {
        c["cadre_id"]: c
        for c in api.client.get(f"{base}/workflow/cadres", headers=api.h("planner")).json()["items"]
    }
    assert states["C06"]["stage"] == "rejected"
    assert "正在接受纪律审查" in states["C06"]["disqualifications"][0]
    assert states["C05"]["missing"] == "信访（不通过）" and states["C05"]["stage"] == "accepted"
    assert states["C01"]["stage"] == "approved" and states["C01"]["post"]
    listed = api.client.get("/workflows", headers=api.h("approver")).json()["items"]
    assert {"round_id": rid, "state": "published"}.items() <= listed[0].items()

    # Erasing the round erases its selection too (nominations, clearances, objections, log).
    assert api.client.delete(base, headers=api.h("planner")).status_code in (200, 204)
    assert api.client.get(f"{base}/workflow", headers=api.h("viewer")).status_code == 404
    assert api.app.state.store.list_clearances(rid) == []


def test_keys_cli_makes_scoped_unit_and_vetter_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`keys create --role unit --scope 市财政局` stores the scope; a unit key without one is
    refused with a usage error."""
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    args = ["--database-url", url, "create", "--role", "unit", "--name", "财政局组织科"]
    assert keys.main([*args, "--scope", "市财政局"]) == 0
    key = capsys.readouterr().out.strip()
    store = Store.connect(url)
    assert store.key_scope(key.split("_", 2)[1]) == "市财政局"
    store.close()
    with pytest.raises(SystemExit) as stop:
        keys.main(args)
    assert stop.value.code == 2 and "needs --scope" in capsys.readouterr().err
