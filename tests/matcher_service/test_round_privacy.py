"""A round body's personal data (id_number, private columns) goes only to planner and admin
keys that ask for it (``?include=private``), audited with whose data was read; the two read
classes carry different ETags, a body read without them and written back keeps them, and no
stale body is served after a change or an erasure, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from matcher_service.round_privacy import keep_private, public_body
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny

ID = "110101199003077571"  # a valid GB 11643 number
PHONE = "13800000000"
READERS = ("admin", "planner", "viewer", "roster-system", "approver")


def _private_round() -> dict[str, Any]:
    raw = tiny()
    raw["cadres"][0]["id_number"] = ID
    raw["cadres"][1]["private"] = {"联系电话": PHONE, "家庭住址": "锦州市某路1号"}
    return raw


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    settings = sqlite_settings(tmp_path)
    if request.param == "postgres":
        settings = replace(settings, database_url=request.getfixturevalue("pg_schema_url"))
    with running(settings) as a:
        yield a


def _audit(api: Api, **params: str) -> list[dict[str, Any]]:
    api.app.state.audit.flush()
    r = api.client.get("/audit", params={"limit": "1000", **params}, headers=api.h("admin"))
    return r.json()["items"]  # type: ignore[no-any-return]


def _cadres(r: Any) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in r.json()["round"]["cadres"]}


def test_no_reader_gets_private_fields_unasked(app: Api) -> None:
    """Every reading role gets the body without id_number and private, ETag the version."""
    rid = app.create(_private_round())["id"]
    for role in READERS:
        r = app.client.get(f"/rounds/{rid}", headers=app.h(role))
        assert r.status_code == 200 and r.headers["etag"] == '"1"', role
        assert ID not in r.text and PHONE not in r.text, role
        assert all("id_number" not in c and "private" not in c for c in _cadres(r).values())
        assert _cadres(r)["C01"]["name"] == "王一"  # the rest of the cadre is there


def test_only_personal_roles_get_them_when_asking(app: Api) -> None:
    """Planner and admin get both fields with include=private (their own ETag); viewer,
    roster system and approver are refused (403) and get nothing."""
    rid = app.create(_private_round())["id"]
    for role in ("admin", "planner"):
        r = app.client.get(f"/rounds/{rid}?include=private", headers=app.h(role))
        assert r.status_code == 200 and r.headers["etag"] == '"1-private"', role
        assert _cadres(r)["C01"]["id_number"] == ID
        assert _cadres(r)["C02"]["private"]["联系电话"] == PHONE
    for role in ("viewer", "roster-system", "approver"):
        r = app.client.get(f"/rounds/{rid}?include=private", headers=app.h(role))
        assert r.status_code == 403 and ID not in r.text, role


def test_private_read_is_audited_with_whose_data(app: Api) -> None:
    """The audit row of a private read names the cadres whose data went out and the reason;
    a plain read's row names no one."""
    rid = app.create(_private_round())["id"]
    app.client.get(f"/rounds/{rid}", headers=app.h("planner"))
    q = {"include": "private", "reason": "核对身份"}
    app.client.get(f"/rounds/{rid}", params=q, headers=app.h("planner"))
    reads = [e for e in _audit(app, round_id=rid) if e["action"] == "rounds.get"]
    plain, private = reads[-1], reads[0]  # newest first
    assert plain["subject"] is None and plain["reason"] is None
    assert private["subject"] == "cadres C01,C02" and private["reason"] == "核对身份"


def test_etags_differ_and_revalidate_per_class(app: Api) -> None:
    """A client holding one class's ETag gets the other class in full (never a 304 across);
    each class revalidates to 304 with its own tag."""
    rid = app.create(_private_round())["id"]
    h = app.h("planner")
    url = f"/rounds/{rid}"
    plain = app.client.get(url, headers=h).headers["etag"]
    full = app.client.get(url + "?include=private", headers=h).headers["etag"]
    assert plain != full
    r = app.client.get(url + "?include=private", headers={**h, "If-None-Match": plain})
    assert r.status_code == 200 and ID in r.text
    r = app.client.get(url, headers={**h, "If-None-Match": full})
    assert r.status_code == 200 and ID not in r.text
    assert app.client.get(url, headers={**h, "If-None-Match": plain}).status_code == 304
    r = app.client.get(url + "?include=private", headers={**h, "If-None-Match": full})
    assert r.status_code == 304


def test_a_public_body_written_back_keeps_the_private_fields(app: Api) -> None:
    """PUT of a body read without the private fields keeps the stored ones (the page's rule
    editor does this); a field sent as null erases it; the private ETag works as If-Match."""
    rid = app.create(_private_round())["id"]
    h = app.h("planner")
    got = app.client.get(f"/rounds/{rid}", headers=h)
    body = got.json()["round"]
    body["name"] = "改了名字"
    r = app.client.put(f"/rounds/{rid}", json=body, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["version"] == 2 and ID not in r.text, r.text
    full = app.client.get(f"/rounds/{rid}?include=private", headers=h)
    assert _cadres(full)["C01"]["id_number"] == ID
    assert _cadres(full)["C02"]["private"]["联系电话"] == PHONE
    body = full.json()["round"]
    body["cadres"][0]["id_number"] = None
    r = app.client.put(f"/rounds/{rid}", json=body, headers={**h, "If-Match": '"2-private"'})
    assert r.status_code == 200, r.text
    again = app.client.get(f"/rounds/{rid}?include=private", headers=h)
    assert again.headers["etag"] == '"3-private"'
    assert _cadres(again)["C01"].get("id_number") is None
    stale = app.client.put(f"/rounds/{rid}", json=body, headers={**h, "If-Match": '"2-private"'})
    assert stale.status_code == 412


def test_no_stale_body_after_a_change_or_an_erasure(app: Api) -> None:
    """Both read classes, cached, follow an update at once and are 404 after erasure."""
    rid = app.create(_private_round())["id"]
    h = app.h("admin")
    urls = (f"/rounds/{rid}", f"/rounds/{rid}?include=private")
    assert [app.client.get(u, headers=h).status_code for u in urls] == [200, 200]
    raw = _private_round()
    raw["cadres"][0]["id_number"] = None
    raw["cadres"][0]["name"] = "王新"
    assert app.client.put(f"/rounds/{rid}", json=raw, headers=h).status_code == 200
    for u in urls:
        r = app.client.get(u, headers=h)
        assert r.json()["version"] == 2 and _cadres(r)["C01"]["name"] == "王新"
        assert ID not in r.text
    assert app.client.delete(f"/rounds/{rid}", headers=h).status_code == 204
    assert [app.client.get(u, headers=h).status_code for u in urls] == [404, 404]


def test_public_body_and_keep_private_by_hand() -> None:
    """Hand-checked: the fields go, the holders are named; kept only where left out."""
    body, holders = public_body(
        b'{"cadres":[{"id":"A","id_number":"x","private":{}},{"id":"B","private":{"p":"1"}},'
        b'{"id":"C"}],"name":"\xe8\xbd\xae"}'
    )
    assert body == '{"cadres":[{"id":"A"},{"id":"B"},{"id":"C"}],"name":"轮"}'.encode()
    assert holders == ["A", "B"]
    stored = '{"cadres":[{"id":"A","id_number":"x","private":{"p":"2"}},{"id":"B"}]}'
    raw = {"cadres": [{"id": "A"}, {"id": "B"}, {"id": "N"}, {"id": "A", "id_number": None}]}
    assert keep_private(raw, stored)["cadres"] == [
        {"id": "A", "id_number": "x", "private": {"p": "2"}},
        {"id": "B"},
        {"id": "N"},
        {"id": "A", "id_number": None, "private": {"p": "2"}},
    ]
