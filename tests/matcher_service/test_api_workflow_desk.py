"""What the page reads and does around the selection, through the API: /me for every role with
its unit or department, the selections a key takes part in, a unit's own pool, a unit's sheet
(all rows or none), a timeline each role sees only its part of, a plan's rule check, and the
部务会 returning a plan with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from matcher_service.auth import Role, create_key
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny

SCOPED = {
    "finance": (Role.UNIT, "市财政局"),
    "org": (Role.UNIT, "市委组织部"),
    "nowhere": (Role.UNIT, ""),
    "no people": (Role.UNIT, "市审计局"),
    "discipline": (Role.VETTER, "纪委监委"),
    "audit": (Role.VETTER, "审计局"),
}


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An app (greedy solver double) with scoped unit and vetter keys."""
    with running(sqlite_settings(tmp_path_factory.mktemp("desk"), workers=1)) as api:
        store = api.app.state.store
        for who, (role, scope) in SCOPED.items():
            api.keys[who] = key = create_key(store, f"{scope or '无'}办公室", role)
            if scope:
                store.set_key_scope(key.split("_", 2)[1], scope)
        yield api


def _round(api: Api) -> str:
    raw = tiny()
    raw["rules"]["clearances"] = {"required": ["纪检监察", "信访"]}
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"] = 1980 + i
    rid = str(api.create(raw)["id"])
    r = api.client.post(f"/rounds/{rid}/workflow", json={}, headers=api.h("planner"))
    assert r.status_code == 201, r.text
    return rid


def _sheet(text: str, name: str = "推荐名单.csv") -> dict[str, Any]:
    return {"file": (name, text.encode("utf-8"), "text/csv")}


def test_me_answers_every_role_with_its_unit_or_department(desk: Api) -> None:
    """Unit and vetter keys sign in (no 403): /me names the role, the unit or department."""
    unit = desk.client.get("/me", headers=desk.h("finance")).json()
    assert (unit["role"], unit["scope"], unit["department"]) == ("unit", "市财政局", None)
    vet = desk.client.get("/me", headers=desk.h("discipline")).json()
    assert (vet["role"], vet["department"]) == ("vetter", "discipline")
    assert "read" not in vet["permissions"]
    for role in Role:
        assert desk.client.get("/me", headers=desk.h(role.value)).status_code == 200


def test_selections_list_only_the_rounds_a_key_takes_part_in(desk: Api) -> None:
    """A department not asked by any round sees none; one asked sees the round; a unit sees
    the rounds whose pool holds its people; a unit key without a unit is refused in words."""
    rid = _round(desk)
    names = {
        s["round_id"]
        for s in desk.client.get("/selections", headers=desk.h("discipline")).json()["items"]
    }
    assert rid in names
    assert desk.client.get("/selections", headers=desk.h("audit")).json()["items"] == []
    assert rid in {
        s["round_id"]
        for s in desk.client.get("/selections", headers=desk.h("finance")).json()["items"]
    }
    assert desk.client.get("/selections", headers=desk.h("no people")).json()["items"] == []
    r = desk.client.get("/selections", headers=desk.h("nowhere"))
    assert r.status_code == 403 and "没有指定单位" in r.json()["detail"]


def test_a_unit_sees_its_own_people_and_nominates_from_its_sheet(desk: Api) -> None:
    """The pool shows only the unit's people; a sheet with a title row and its own headers
    nominates; a sheet with one bad row among good ones nominates nobody; another unit's person
    and a repeat are refused, named."""
    rid = _round(desk)
    base = f"/rounds/{rid}/nominations"
    pool = desk.client.get(f"{base}/pool", headers=desk.h("finance")).json()
    assert [(p["cadre_id"], p["name"], p["nominated"]) for p in pool["items"]] == [
        ("C02", "李二", False)
    ]
    assert desk.client.get(f"{base}/pool", headers=desk.h("discipline")).status_code == 403

    mixed = "推荐人选名单\n序号,姓名,出生年月,推荐理由\n1,王一,1980.05,党建\n2,王壹,1980,写错了\n"
    r = desk.client.post(f"{base}/upload", files=_sheet(mixed), headers=desk.h("org"))
    assert r.status_code == 422
    [problem] = r.json()["errors"]
    assert problem["where"] == "row 4" and "查无此人" in problem["message_zh"]
    assert (
        desk.client.get(base, headers=desk.h("planner")).json()["items"] == []
    )  # nothing half-done

    other = "姓名,出生年份\n李二,1981\n"
    r = desk.client.post(f"{base}/upload", files=_sheet(other), headers=desk.h("org"))
    assert r.status_code == 422 and "只能推荐本单位干部" in r.json()["errors"][0]["message_zh"]

    good = "推荐人选名单\n序号,姓名,出生年月,推荐理由\n1,王一,1980.05,党建\n"
    r = desk.client.post(f"{base}/upload", files=_sheet(good), headers=desk.h("org"))
    assert r.status_code == 201, r.text
    assert [(n["cadre_id"], n["reason"]) for n in r.json()["items"]] == [("C01", "党建")]
    r = desk.client.post(f"{base}/upload", files=_sheet(good), headers=desk.h("org"))
    assert r.status_code == 409 and "王一" in r.json()["detail"]
    assert desk.client.get(f"{base}/pool", headers=desk.h("org")).json()["items"][0]["nominated"]


def test_the_timeline_shows_each_role_its_part(desk: Api) -> None:
    """Readers see every event with people by name; a unit the steps and its own nominee;
    a department the steps and its own answers; a department not asked is refused."""
    rid = _round(desk)
    for who, cid in (("finance", "C02"), ("org", "C01")):
        r = desk.client.post(
            f"/rounds/{rid}/nominations",
            json={"cadre_id": cid, "reason": "推荐"},
            headers=desk.h(who),
        )
        assert r.status_code == 201, r.text
    desk.client.post(f"/rounds/{rid}/workflow/vetting", json={}, headers=desk.h("planner"))
    answers = {"items": [{"cadre_id": "C01", "status": "refused", "note": "x"}]}
    r = desk.client.post(f"/rounds/{rid}/clearances", json=answers, headers=desk.h("discipline"))
    assert r.status_code == 200, r.text

    def seen(who: str) -> list[tuple[str, str]]:
        body = desk.client.get(f"/rounds/{rid}/timeline", headers=desk.h(who)).json()
        assert body["state"] == "vetting"
        return [(e["action"], e["subject"]) for e in body["events"]]

    everything = seen("planner")
    assert ("nominate", "李二") in everything and ("nominate", "王一") in everything
    assert ("clear", "discipline") in everything
    assert seen("viewer") == everything
    assert seen("finance") == [("open", ""), ("nominate", "李二"), ("vetting", "")]
    assert seen("discipline") == [("open", ""), ("vetting", ""), ("clear", "discipline")]
    assert desk.client.get(f"/rounds/{rid}/timeline", headers=desk.h("audit")).status_code == 403


def _to_publicity(api: Api) -> tuple[str, str]:
    """A round without required clearances, nominated, reviewed, solved, proposed, publicised."""
    rid = str(api.create(tiny())["id"])
    post = lambda path, body, who="planner": api.client.post(path, json=body, headers=api.h(who))  # noqa: E731
    post(f"/rounds/{rid}/workflow", {})
    post(f"/rounds/{rid}/nominations", {"cadre_id": "C02"}, "finance")
    post(f"/rounds/{rid}/workflow/vetting", {})
    assert post(f"/rounds/{rid}/workflow/review", {}).status_code == 200
    job = post(f"/rounds/{rid}/solve", {}).json()
    with api.client.stream("GET", f"/jobs/{job['id']}/events", headers=api.h("planner")) as r:
        for _ in r.iter_lines():
            pass
    plan = api.client.get(f"/jobs/{job['id']}", headers=api.h("planner")).json()["plan_id"]
    assert post(f"/rounds/{rid}/workflow/propose", {"plan_id": plan}).status_code == 200
    assert post(f"/rounds/{rid}/workflow/publicity", {"days": 5}).status_code == 200
    return rid, plan


def test_rule_check_and_the_approver_returning_a_plan(desk: Api) -> None:
    """The rule check lists each rule with ✓/✗ facts; only the 部务会 returns a plan, only with a
    reason; the round goes back to review with the plan dropped and the reason logged."""
    rid, plan = _to_publicity(desk)
    checks = desk.client.get(f"/plans/{plan}/rule-check", headers=desk.h("approver")).json()[
        "items"
    ]
    assert checks and {"rule", "requires", "plan", "holds"} <= set(checks[0])
    assert (
        desk.client.get(f"/plans/{plan}/rule-check", headers=desk.h("finance")).status_code == 403
    )
    back = f"/rounds/{rid}/workflow/return"
    assert (
        desk.client.post(back, json={"reason": "x"}, headers=desk.h("planner")).status_code == 403
    )
    assert (
        desk.client.post(back, json={"reason": ""}, headers=desk.h("approver")).status_code == 422
    )
    r = desk.client.post(back, json={"reason": "请补充社区意见"}, headers=desk.h("approver"))
    assert r.status_code == 200, r.text
    wf = r.json()
    assert (wf["state"], wf["plan_id"]) == ("reviewed", None)
    last = wf["events"][-1]  # who and why; the action or its subject names the return
    assert (last["role"], last["reason"]) == ("approver", "请补充社区意见")
    assert "returned" in (last["action"], last["subject"])
    assert (
        desk.client.post(back, json={"reason": "再退"}, headers=desk.h("approver")).status_code
        == 409
    )
