"""If-Match on every change to a round: honoured (412 on a stale version, nothing stored),
optional by default, required (428) when the service is configured so."""

from __future__ import annotations

from pathlib import Path

from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny


def test_put_with_current_if_match_writes_and_stale_is_412(api: Api) -> None:
    """If-Match naming the current version writes; naming an old one is 412 with the current
    ETag and stores nothing; `*` and no header write whatever is current."""
    rid, h = api.create()["id"], api.h("planner")
    url = f"/rounds/{rid}"
    ok = api.client.put(url, json=tiny(), headers={**h, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    stale = api.client.put(url, json={**tiny(), "name": "x"}, headers={**h, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.headers["etag"] == '"2"'
    assert stale.json()["type"].endswith("stale-version") and "version 2" in stale.json()["detail"]
    weak = api.client.put(url, json=tiny(), headers={**h, "If-Match": 'W/"2"'})
    assert weak.status_code == 412  # If-Match compares strongly
    assert (
        api.client.put(url, json=tiny(), headers={**h, "If-Match": '"9", "2"'}).status_code == 200
    )
    assert api.client.put(url, json=tiny(), headers={**h, "If-Match": "*"}).status_code == 200
    assert api.client.put(url, json=tiny(), headers=h).json()["version"] == 5
    assert api.client.get(url, headers=h).json()["name"] == tiny()["name"]


def test_lock_edits_honour_if_match(api: Api) -> None:
    """A lock edit on a stale version is 412 and adds no lock; on the current one it lands."""
    rid, h = api.create()["id"], api.h("planner")
    url = f"/rounds/{rid}/locks"
    api.client.put(f"/rounds/{rid}", json=tiny(), headers=h)  # now version 2
    lock = {"cadre": "C03", "community": "GT02"}
    assert api.client.put(url, json=lock, headers={**h, "If-Match": '"1"'}).status_code == 412
    assert api.client.get(url, headers=h).json()["locks"] == []
    assert api.client.get(url, headers=h).headers["etag"] == '"2"'
    done = api.client.put(url, json=lock, headers={**h, "If-Match": '"2"'})
    assert done.status_code == 200 and done.json()["version"] == 3
    assert done.headers["etag"] == '"3"'  # the next edit's If-Match
    gone = api.client.post(f"{url}/remove", json={"cadre": "C03"}, headers={**h, "If-Match": '"2"'})
    assert gone.status_code == 412


def test_required_if_match_is_428_when_missing(tmp_path: Path) -> None:
    """With require_if_match a change without If-Match is 428; with it, it writes; creating a
    round needs none."""
    with running(sqlite_settings(tmp_path, require_if_match=True)) as api:
        rid, h = api.create()["id"], api.h("planner")
        missing = api.client.put(f"/rounds/{rid}", json=tiny(), headers=h)
        assert missing.status_code == 428 and missing.json()["type"].endswith("if-match-required")
        lock = {"cadre": "C03", "community": "GT02"}
        assert api.client.put(f"/rounds/{rid}/locks", json=lock, headers=h).status_code == 428
        given = {**h, "If-Match": '"1"'}
        assert api.client.put(f"/rounds/{rid}", json=tiny(), headers=given).status_code == 200


def test_audit_row_of_a_change_is_written_once(api: Api) -> None:
    """A create, an update and a refused (412) update give one audit row each, with status."""
    rid, h = api.create()["id"], api.h("planner")
    api.client.put(f"/rounds/{rid}", json=tiny(), headers=h)
    api.client.put(f"/rounds/{rid}", json=tiny(), headers={**h, "If-Match": '"1"'})
    rows = api.client.get("/audit", params={"round_id": rid}, headers=api.h("admin")).json()
    seen = [(r["action"], r["status"]) for r in rows["items"]]
    assert seen == [("rounds.update", 412), ("rounds.update", 200), ("rounds.create", 201)]


def test_delete_honours_if_match(api: Api) -> None:
    """Erasing with a stale If-Match is 412 and erases nothing; with the current one, 204."""
    rid, h = api.create()["id"], api.h("planner")
    api.client.put(f"/rounds/{rid}", json=tiny(), headers=h)  # now version 2
    refused = api.client.delete(f"/rounds/{rid}", headers={**h, "If-Match": '"1"'})
    assert refused.status_code == 412 and refused.headers["etag"] == '"2"'
    assert api.client.get(f"/rounds/{rid}", headers=h).status_code == 200
    assert api.client.delete(f"/rounds/{rid}", headers={**h, "If-Match": '"2"'}).status_code == 204
