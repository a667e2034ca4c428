"""Roles hold on every path (issue 15): locks only by roles that may lock, whichever
endpoint carries them; erasing a round takes its personal data and is audited; keys expire
and record their last use; failed authentications and solves are limited per key; audit
rows name the key, job, plan and version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from matcher.model.io import write_round_xlsx
from matcher.model.validate import validate_round
from matcher_service.auth import Role, create_key
from matcher_service.jobs import run_job
from matcher_service.store import NotFound, Store, now
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny
from tests.matcher_service.solve_doubles import greedy_run

LOCK = {"cadre": "C01", "community": "GT01"}


def _locked() -> dict:
    raw = tiny()
    raw.setdefault("rules", {})["locks"] = [LOCK]
    return raw


def test_roster_system_cannot_create_a_round_with_locks(api: Api) -> None:
    """POST /rounds with rules.locks is 403 for the roster system, 201 for a planner."""
    r = api.client.post("/rounds", json=_locked(), headers=api.h("roster-system"))
    assert r.status_code == 403 and "locks" in r.json()["detail"]
    assert api.client.post("/rounds", json=_locked(), headers=api.h("planner")).status_code == 201
    assert api.client.post("/rounds", json=tiny(), headers=api.h("roster-system")).status_code == (
        201
    )


def test_roster_system_cannot_change_locks_through_put(api: Api) -> None:
    """PUT /rounds/{id} that adds or drops a lock is 403 for the roster system; a PUT that
    keeps the locks as they are (other fields changed) is allowed."""
    rid = api.create(_locked())["id"]
    h = api.h("roster-system")
    assert api.client.put(f"/rounds/{rid}", json=tiny(), headers=h).status_code == 403
    other = _locked()
    other["rules"]["locks"] = [{"cadre": "C03", "community": "GT02"}]
    assert api.client.put(f"/rounds/{rid}", json=other, headers=h).status_code == 403
    same = _locked()
    same["name"] = "renamed by the roster system"
    r = api.client.put(f"/rounds/{rid}", json=same, headers=h)
    assert r.status_code == 200 and r.json()["version"] == 2


def test_roster_system_cannot_upload_locks(api: Api, tmp_path: Path) -> None:
    """An uploaded workbook carrying locks is 403 for the roster system."""
    path = tmp_path / "locked.xlsx"
    write_round_xlsx(validate_round(_locked()), path)
    files = [("files", ("locked.xlsx", path.read_bytes(), "application/octet-stream"))]
    r = api.client.post("/rounds/upload", files=files, headers=api.h("roster-system"))
    assert r.status_code == 403
    r = api.client.post("/rounds/upload", files=files, headers=api.h("planner"))
    assert r.status_code == 201


def test_delete_round_erases_versions_jobs_and_plans(api: Api) -> None:
    """DELETE /rounds/{id} removes the round, its versions, jobs and plans (also from the
    in-memory cache), answers 204, and the audit log records who erased it."""
    store: Store = api.app.state.store
    rid = api.create()["id"]
    api.client.put(f"/rounds/{rid}", json={**tiny(), "name": "v2"}, headers=api.h("planner"))
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
    assert run_job(store, greedy_run, job["id"]) == "succeeded"
    plan_id = store.get_job(job["id"]).plan_id
    assert api.client.get(f"/plans/{plan_id}", headers=api.h("viewer")).status_code == 200
    assert api.client.delete(f"/rounds/{rid}", headers=api.h("viewer")).status_code == 403
    r = api.client.delete(f"/rounds/{rid}", headers=api.h("planner"))
    assert r.status_code == 204
    for path in (f"/rounds/{rid}", f"/plans/{plan_id}", f"/jobs/{job['id']}"):
        assert api.client.get(path, headers=api.h("viewer")).status_code == 404, path
    for lookup, ident in ((store.get_round, rid), (store.get_plan, plan_id)):
        with pytest.raises(NotFound):
            lookup(ident)
    with pytest.raises(NotFound):
        store.get_job(job["id"])
    assert api.client.delete(f"/rounds/{rid}", headers=api.h("planner")).status_code == 404
    api.app.state.audit.flush()
    log = api.client.get("/audit", params={"round_id": rid}, headers=api.h("admin")).json()
    erased = [e for e in log["items"] if e["action"] == "rounds.delete" and e["status"] == 204]
    assert len(erased) == 1 and erased[0]["who"] == "test planner"


def test_delete_round_waits_for_active_jobs(api: Api) -> None:
    """A round with a queued job cannot be erased (409) until the job is cancelled."""
    rid = api.create()["id"]
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
    r = api.client.delete(f"/rounds/{rid}", headers=api.h("planner"))
    assert r.status_code == 409 and r.json()["type"].endswith("/round-busy")
    api.client.delete(f"/jobs/{job['id']}", headers=api.h("planner"))
    assert api.client.delete(f"/rounds/{rid}", headers=api.h("planner")).status_code == 204


def test_expired_key_is_refused_and_last_use_recorded(api: Api) -> None:
    """A key past its expiry is 401; a valid one records when it was last used."""
    store: Store = api.app.state.store
    old = create_key(store, "expired", Role.VIEWER, now() - timedelta(seconds=1))
    fresh = create_key(store, "fresh", Role.VIEWER, now() + timedelta(days=1))
    assert api.client.get("/rounds", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert api.client.get("/rounds", headers={"Authorization": f"Bearer {fresh}"}).status_code == (
        200
    )
    key = store.get_key(fresh.split("_", 2)[1])
    assert key is not None and key.last_used_at is not None


def test_solves_are_limited_per_key(tmp_path: Path) -> None:
    """With two solves a minute per key, the third is 429; another key may still solve."""
    with running(sqlite_settings(tmp_path, solves_per_minute=2)) as a:
        rid = a.create()["id"]
        codes = [
            a.client.post(f"/rounds/{rid}/solve", headers=a.h("planner")).status_code
            for _ in range(3)
        ]
        assert codes == [202, 202, 429]
        assert a.client.post(f"/rounds/{rid}/solve", headers=a.h("admin")).status_code == 202


def test_audit_rows_name_key_job_plan_and_version(api: Api) -> None:
    """Reading a job or plan, solving and updating record the key id, job, plan and round
    version in the audit row."""
    store: Store = api.app.state.store
    rid = api.create()["id"]
    api.client.put(f"/rounds/{rid}", json={**tiny(), "name": "v2"}, headers=api.h("planner"))
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
    run_job(store, greedy_run, job["id"])
    plan_id = store.get_job(job["id"]).plan_id
    api.client.get(f"/plans/{plan_id}/export/csv", headers=api.h("viewer"))
    rows = api.client.get(f"/audit?round_id={rid}", headers=api.h("admin")).json()["items"]
    by_action = {r["action"]: r for r in rows}
    assert by_action["rounds.update"]["version"] == 2
    assert by_action["jobs.start"]["job_id"] == job["id"]
    assert by_action["jobs.start"]["version"] == 2
    export = by_action["plans.export"]
    assert (export["plan_id"], export["job_id"], export["version"]) == (plan_id, job["id"], 2)
    assert export["key_id"] == api.keys["viewer"].split("_", 2)[1]
