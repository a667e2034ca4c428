"""The workflow's gates through the API: approval only after a full publicity in working days
with every objection answered, never of a merely proposed plan; a replacement of a publicised
plan gets its own publicity; rival approved plans are refused by name; idempotent retries;
return with a reason; refusals are 409 naming the state and every gap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from matcher_service.auth import Role, create_key
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny
from tests.matcher_service.replacing import replaced
from tests.matcher_service.workflow_flow import Clock, placed, post, solve, to_publicity


@pytest.fixture
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running(sqlite_settings(tmp_path_factory.mktemp("gates"))) as a:
        a.app.state.clock = Clock()
        yield a


def gaps(answer: dict[str, object]) -> list[str]:
    return [e["id"] for e in answer["errors"]]  # type: ignore[index, union-attr]


def test_a_proposed_plan_is_not_approved(api: Api) -> None:
    """Approve on a proposed plan: 409 naming the state (拟定方案) and that publicity is needed."""
    rid = api.create()["id"]
    base = f"/rounds/{rid}"
    post(api, "planner", f"{base}/workflow", {}, 201)
    post(api, "admin", f"{base}/nominations", {"cadre_id": "C01"}, 201)
    post(api, "planner", f"{base}/workflow/vetting")
    post(api, "planner", f"{base}/workflow/review")
    plan = solve(api, rid)
    post(api, "planner", f"{base}/workflow/propose", {"plan_id": plan})
    api.app.state.clock.advance(days=30)
    no = post(api, "approver", f"{base}/workflow/approve", {"plan_id": plan}, 409)
    assert gaps(no) == ["wrong-state"] and "「拟定方案」" in no["detail"]
    assert api.client.get("/cadres/C01/file", headers=api.h("planner")).status_code == 404
    lifecycle = post(api, "approver", f"/plans/{plan}/approve", {"start": "2026-04-01"}, 409)
    assert gaps(lifecycle) == ["in-workflow"]


@pytest.mark.parametrize("bad", [0, -3, True, "5", 2.5])
def test_publicity_days_must_be_a_whole_number_of_at_least_the_minimum(
    api: Api, bad: object
) -> None:
    """0, negatives, booleans, strings, fractions are 422; below the minimum (5) is 422 in
    words (after the approver returned the plan and it was proposed again)."""
    rid, _ = to_publicity(api)
    body = {"days": bad}
    post(api, "planner", f"/rounds/{rid}/workflow/return", {"reason": "x"}, 403)
    post(api, "approver", f"/rounds/{rid}/workflow/return", {"reason": "重新公示"})
    plan = api.client.get(f"/rounds/{rid}/plans", headers=api.h("viewer")).json()["items"][0]["id"]
    post(api, "planner", f"/rounds/{rid}/workflow/propose", {"plan_id": plan})
    post(api, "planner", f"/rounds/{rid}/workflow/publicity", body, 422)
    short = post(api, "planner", f"/rounds/{rid}/workflow/publicity", {"days": 4}, 422)
    assert "不得少于 5 个工作日" in short["detail"]


def test_a_round_may_ask_for_a_longer_publicity_never_a_shorter_one(api: Api) -> None:
    """min_publicity_days 7 makes the default 7 working days; 3 at opening is 422."""
    post(api, "planner", f"/rounds/{api.create()['id']}/workflow", {"min_publicity_days": 3}, 422)
    post(api, "planner", f"/rounds/{api.create()['id']}/workflow", {"min_publicity_days": 0}, 422)
    rid, plan = to_publicity(api, min_publicity_days=7)
    wf = api.client.get(f"/rounds/{rid}/workflow", headers=api.h("viewer")).json()
    assert wf["publicity_days"] == 7
    # Monday 2 March + 7 working days: Tuesday 10 March is the last; over at 24:00 Beijing
    assert wf["publicity_ends"].startswith("2026-03-10T16:00")
    api.app.state.clock.advance(days=8, hours=14)  # Tuesday 23:00 Beijing
    assert gaps(
        post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan}, 409)
    ) == ["publicity-running"]
    api.app.state.clock.advance(hours=1)
    post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan})


def test_every_gap_at_once_in_the_language_asked(api: Api) -> None:
    """Another plan of the round, before the period ends, with an open objection: three gaps,
    in Chinese by default and in English with Accept-Language: en."""
    rid, _ = to_publicity(api)
    other = solve(api, rid)
    post(api, "planner", f"/rounds/{rid}/objections", {"text": "来信反映"}, 201)
    zh = post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": other}, 409)
    assert gaps(zh) == ["not-the-plan", "publicity-running", "open-objections"]
    assert "公示期未满" in zh["detail"] and "未办结" in zh["detail"]
    en = post(
        api,
        "approver",
        f"/rounds/{rid}/workflow/approve",
        {"plan_id": other},
        409,
        **{"Accept-Language": "en"},
    )
    assert en["detail"].startswith("the workflow is at 'publicity'; missing:")
    wf = api.client.get(f"/rounds/{rid}/workflow", headers=api.h("viewer")).json()
    assert wf["state"] == "publicity"
    assert [g["code"] for g in wf["approval_gaps"]] == ["publicity-running", "open-objections"]
    api.app.state.clock.advance(days=7)
    post(api, "planner", f"/rounds/{rid}/objections/1/resolve", {"resolution": "已核实"})
    wf = api.client.get(f"/rounds/{rid}/workflow", headers=api.h("viewer")).json()
    assert wf["approval_gaps"] == []


def test_approval_is_idempotent_with_a_key(api: Api) -> None:
    """The same Idempotency-Key answers with the first outcome (no second next round); the key
    used for another plan is 422; without a key, a second approval is 409 approved."""
    rid, plan = to_publicity(api)
    api.app.state.clock.advance(days=7)
    key = {"Idempotency-Key": "approve-2026-03"}
    first = post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan}, **key)
    again = post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan}, **key)
    assert again["next_round_id"] == first["next_round_id"] and first["state"] == "approved"
    plain = post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan}, 409)
    assert gaps(plain) == ["approved"]
    rid2, plan2 = to_publicity(api)
    api.app.state.clock.advance(days=7)
    post(api, "approver", f"/rounds/{rid2}/workflow/approve", {"plan_id": plan2}, 422, **key)
    for cadre in placed(api, plan):
        file = api.client.get(f"/cadres/{cadre}/file", headers=api.h("planner")).json()
        assert [p["plan_id"] for p in file["postings"]] == [plan]


def test_a_plan_whose_cadres_serve_elsewhere_is_refused_naming_them(api: Api) -> None:
    """Two plans of one round outside the workflow: the first is approved; the second, whose
    cadres serve under the first and which does not descend from it, is 409 naming them (no
    more 201 with nothing started)."""
    rid = api.create()["id"]
    p1, p2 = solve(api, rid), solve(api, rid)
    ok = post(api, "approver", f"/plans/{p1}/approve", {"start": "2026-01-01"}, 201)
    assert ok["started"] > 0
    no = post(api, "approver", f"/plans/{p2}/approve", {"start": "2026-01-01"}, 409)
    assert gaps(no) == ["serving-elsewhere"]
    assert (
        placed(api, p1)[0] in no["detail"]
        and p1 in no["detail"]
        and "已在另一已批准方案中任职" in no["detail"]
    )
    # the rotation round made from p1 descends from it: its plan is approved
    body = {"release_before": "2026-02-01"}
    key = {"Idempotency-Key": "rotation-1"}
    nxt = post(api, "planner", f"/plans/{p1}/next-round", body, 201, **key)
    assert post(api, "planner", f"/plans/{p1}/next-round", body, 201, **key) == nxt
    assert gaps(post(api, "planner", f"/plans/{p2}/next-round", body, 409)) == ["not-approved"]
    p3 = solve(api, nxt["round_id"])
    assert post(api, "approver", f"/plans/{p3}/approve", {"start": "2026-02-01"}, 201)


def test_a_replacement_of_a_publicised_plan_has_its_own_publicity(api: Api) -> None:
    """Replace the plan under publicity: the new round is under publicity from now; neither
    route approves it before that ends; after it, the workflow approves it and the archive
    records it as replacing the first plan once that is approved."""
    rid, plan = to_publicity(api)
    gone = placed(api, plan)[0]
    events = {"recall": [gone], "reasons": {gone: "调任"}}
    r = replaced(api, plan, events)
    assert r.status_code == 201, r.text
    rep = r.json()
    assert rep["workflow"] == "publicity"
    new_rid, new_plan = rep["round_id"], rep["plan_id"]
    assert gaps(
        post(api, "approver", f"/plans/{new_plan}/approve", {"start": "2026-04-01"}, 409)
    ) == ["in-workflow"]
    early = post(api, "approver", f"/rounds/{new_rid}/workflow/approve", {"plan_id": new_plan}, 409)
    assert gaps(early) == ["publicity-running"]
    api.app.state.clock.advance(days=7)
    post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan})
    done = post(api, "approver", f"/rounds/{new_rid}/workflow/approve", {"plan_id": new_plan})
    assert done["state"] == "approved"
    file = api.client.get(f"/cadres/{gone}/file", headers=api.h("planner")).json()["postings"]
    assert [(p["plan_id"], p["outcome"]) for p in file] == [(plan, "recalled")]


def test_replace_with_an_idempotency_key_stores_one_replacement(api: Api) -> None:
    """The same key twice: one replacement round and plan, the same answer."""
    rid = api.create()["id"]
    p1 = solve(api, rid)
    post(api, "approver", f"/plans/{p1}/approve", {"start": "2026-01-01"}, 201)
    key = {"Idempotency-Key": "recall-1"}
    events = {"recall": [placed(api, p1)[0]]}
    first = replaced(api, p1, events, **key)
    assert first.status_code == 201, first.text
    a = first.json()
    b = post(api, "planner", f"/plans/{p1}/replace", events, 201, **key)  # a replay: no job
    assert a == b and a["workflow"] is None
    jobs = api.app.state.store.list_jobs(source_plan_id=p1)
    assert [(j.kind, j.state, j.plan_id) for j in jobs] == [("replace", "succeeded", a["plan_id"])]
    rounds = api.client.get("/rounds?limit=100", headers=api.h("viewer")).json()["items"]
    assert sum(1 for r in rounds if r["id"] == a["round_id"]) == 1
    assert len(rounds) == 2


def test_the_approver_returns_a_plan_with_a_reason(api: Api) -> None:
    """Return (退回) needs a reason, is the approver's, sends the round back to review."""
    rid, plan = to_publicity(api)
    post(api, "approver", f"/rounds/{rid}/workflow/return", {}, 422)
    wf = post(api, "approver", f"/rounds/{rid}/workflow/return", {"reason": "人选需再研究"})
    assert wf["state"] == "reviewed" and wf["plan_id"] is None
    last = wf["events"][-1]
    assert (last["action"], last["label"], last["role"], last["reason"]) == (
        "returned",
        "退回",
        "approver",
        "人选需再研究",
    )
    api.app.state.clock.advance(days=30)
    assert (
        gaps(post(api, "approver", f"/rounds/{rid}/workflow/approve", {"plan_id": plan}, 409))[0]
        == "wrong-state"
    )


def test_vetting_results_follow_need_and_reads_are_audited(api: Api) -> None:
    """/workflow/cadres: viewer and unit 403; a vetting department sees only its own answers;
    the planner sees all; the audit row names the cadres read."""
    raw = tiny()
    raw["rules"]["clearances"] = {"required": ["纪检监察", "信访"]}
    rid = api.create(raw)["id"]
    base = f"/rounds/{rid}"
    post(api, "planner", f"{base}/workflow", {}, 201)
    for cid in ("C01", "C02"):
        post(api, "admin", f"{base}/nominations", {"cadre_id": cid}, 201)
    post(api, "planner", f"{base}/workflow/vetting")
    store = api.app.state.store
    keys = {}
    for dept in ("纪检监察", "信访"):
        keys[dept] = key = create_key(store, f"{dept}室", Role.VETTER)
        store.set_key_scope(key.split("_", 2)[1], dept)
    api.keys |= keys
    post(
        api, "纪检监察", f"{base}/clearances", {"items": [{"cadre_id": "C01", "status": "cleared"}]}
    )
    post(api, "信访", f"{base}/clearances", {"items": [{"cadre_id": "C01", "status": "refused"}]})
    for role in ("viewer", "unit", "roster-system"):
        assert api.client.get(f"{base}/workflow/cadres", headers=api.h(role)).status_code == 403
    for role in ("unit", "纪检监察"):  # where the round stands, without anyone's data
        seen = api.client.get(f"{base}/workflow", headers=api.h(role)).json()
        assert seen["state"] == "vetting" and seen["objections"] == []
        assert [(e["action"], e["subject"]) for e in seen["events"]] == [
            ("open", ""),
            ("vetting", ""),
        ]
    planner_view = api.client.get(f"{base}/workflow", headers=api.h("planner")).json()
    assert {e["action"] for e in planner_view["events"]} >= {"nominate", "clear"}
    mine = api.client.get(f"{base}/workflow/cadres", headers=api.h("纪检监察")).json()["items"]
    assert [(c["cadre_id"], c["clearances"]) for c in mine] == [
        ("C01", {"discipline": "cleared"}),
        ("C02", {}),
    ]
    full = api.client.get(f"{base}/workflow/cadres", headers=api.h("approver")).json()["items"]
    assert len(full) == 6 and full[0]["clearances"] == {
        "discipline": "cleared",
        "petitions": "refused",
    }
    api.app.state.audit.flush()
    rows = [r for r in store.list_audit(rid) if r.action == "workflow.cadres" and r.status == 200]
    assert {r.subject for r in rows} == {"cadres C01,C02", "cadres C01,C02,C03,C04,C05,C06"}
