"""API keys and roles (401 / 403), hashed storage, the keys CLI, and the audit log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from matcher_service import keys
from matcher_service.auth import Authenticator, Role, create_key
from matcher_service.store import Store
from tests.matcher_service.conftest import Api, tiny


def test_no_key_or_a_wrong_key_is_401(api: Api) -> None:
    """Without a key, or with an unknown or malformed one, every data route answers 401."""
    assert api.client.get("/rounds").status_code == 401
    for bad in ("nonsense", "mk_000000000000_wrong", api.keys["viewer"] + "x"):
        r = api.client.get("/rounds", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert api.client.get("/health").status_code == 200  # health and version stay open
    assert api.client.get("/version").json()["api"] == "1"


def test_x_api_key_header_works_too(api: Api) -> None:
    """The key may also come as X-API-Key (what roster systems often send)."""
    assert api.client.get("/rounds", headers={"X-API-Key": api.keys["viewer"]}).status_code == 200


@pytest.mark.parametrize(
    ("role", "create", "lock", "audit"),
    [
        ("admin", 201, 200, 200),
        ("planner", 201, 200, 403),
        ("roster-system", 201, 403, 403),
        ("viewer", 403, 403, 403),
    ],
)
def test_roles(api: Api, role: str, create: int, lock: int, audit: int) -> None:
    """Each role may do exactly its share: create+solve, lock, read the audit."""
    h = api.h(role)
    assert api.client.get("/rounds", headers=h).status_code == 200
    assert api.client.post("/rounds", json=tiny(), headers=h).status_code == create
    rid = api.create()["id"]
    assert api.client.post(f"/rounds/{rid}/solve", headers=h).status_code == (
        202 if create == 201 else 403
    )
    lk = {"cadre": "C03", "community": "GT02"}
    assert api.client.put(f"/rounds/{rid}/locks", json=lk, headers=h).status_code == lock
    r = api.client.get("/audit", headers=h)
    assert r.status_code == audit
    if audit == 403:
        assert r.headers["content-type"] == "application/problem+json"


def test_keys_are_stored_hashed_and_revocable(tmp_path: Path) -> None:
    """The database holds a salted hash, never the key; a revoked key stops working."""
    store = Store.connect(f"sqlite:///{tmp_path}/k.sqlite3")
    from matcher_service.migrate import upgrade

    upgrade(store.engine)
    key = create_key(store, "Ops", Role.PLANNER)
    (row,) = store.list_keys()
    secret = key.split("_", 2)[2]
    assert secret not in row.hash and row.salt and len(row.hash) == 64
    auth = Authenticator(store, cache_s=0.0)
    ident = auth.verify(key)
    assert ident is not None and ident.role is Role.PLANNER and ident.name == "Ops"
    assert store.revoke_key(row.id)
    assert auth.verify(key) is None
    store.close()


def test_keys_cli_prints_the_key_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m matcher_service.keys create` prints a working key; `list` hides the secret."""
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert keys.main(["--database-url", url, "create", "--role", "viewer", "--name", "Li"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("mk_")
    assert keys.main(["--database-url", url, "list"]) == 0
    listed = capsys.readouterr().out
    assert "viewer" in listed and "Li" in listed and key.split("_", 2)[2] not in listed
    store = Store.connect(url)
    assert Authenticator(store).verify(key) is not None
    store.close()


def test_audit_records_who_what_when_which_round(api: Api) -> None:
    """Reads, writes and refusals are audited with key name, action and round; no cadre ids."""
    rid = api.create()["id"]
    api.client.get(f"/rounds/{rid}", headers=api.h("viewer"))
    api.client.post(f"/rounds/{rid}/locks/remove", json={"cadre": "C01"}, headers=api.h("planner"))
    api.client.post("/rounds", json=tiny(), headers=api.h("viewer"))
    api.client.get("/rounds")
    rows = api.client.get(f"/audit?round_id={rid}", headers=api.h("admin")).json()["items"]
    seen = {(r["who"], r["action"], r["status"]) for r in rows}
    assert ("test viewer", "rounds.get", 200) in seen
    assert ("test planner", "rounds.create", 201) in seen
    assert ("test planner", "locks.remove", 404) in seen
    latest = api.client.get("/audit?limit=5", headers=api.h("admin")).json()["items"]
    assert "test viewer" in {r["who"] for r in latest}  # the anonymous GET is counted instead:
    failures = api.client.get("/audit/auth-failures", headers=api.h("admin")).json()["items"]
    assert any(f["source"].endswith("key -") and f["count"] >= 1 for f in failures)
    assert all(r["at"] for r in rows)
    everything = str(api.client.get("/audit?limit=1000", headers=api.h("admin")).json())
    assert "C01" not in everything


def test_logs_carry_no_cadre_names_or_ids(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    """Creating, reading and failing to validate a round logs no cadre name or id."""
    caplog.set_level(logging.DEBUG)
    raw = tiny()
    api.client.post("/rounds", json=raw, headers=api.h("planner"))
    raw["cadres"][0]["rank"] = "bad"
    api.client.post("/rounds", json=raw, headers=api.h("planner"))
    text = caplog.text
    assert all(c["id"] not in text and c["name"] not in text for c in tiny()["cadres"])
