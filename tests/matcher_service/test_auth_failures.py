"""Limits that stop attackers, not users (issue 22, item 3): a valid key always passes, from
any address; failures are counted in the database (shared by every process, bounded rows) and
limited per client + key id and per client; keys are checked cheaply, old scrypt keys upgraded."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from matcher_service.auth import Authenticator, Role, create_key
from matcher_service.auth_failures import FailedAuth, source_of
from matcher_service.migrate import upgrade
from matcher_service.rate_limits import OTHER
from matcher_service.store import Key, Store, now
from tests.matcher_service.conftest import GREEDY, Api, running, sqlite_settings
from tests.matcher_service.live import LiveServer
from tests.matcher_service.test_api_jobs_live import make_keys


def _wrong(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer mk_{key.split('_', 2)[1]}_wrong"}


def test_ten_wrong_secrets_do_not_lock_out_the_holder(tmp_path: Path) -> None:
    """Ten wrong secrets for a key id from one address: the eleventh wrong one is 429, but
    the holder's right secret from that same address passes (not cached before), and the
    failures are one counted row, not ten audit rows."""
    with running(sqlite_settings(tmp_path)) as a:
        key = a.keys["viewer"]
        codes = [a.client.get("/rounds", headers=_wrong(key)).status_code for _ in range(11)]
        assert codes == [401] * 10 + [429]
        assert a.client.get("/rounds", headers=_wrong(key)).headers["retry-after"].isdigit()
        assert a.client.get("/rounds", headers=a.h("viewer")).status_code == 200
        rows = a.client.get("/audit/auth-failures", headers=a.h("admin")).json()["items"]
        mine = [f for f in rows if f["source"].endswith(f"key {key.split('_', 2)[1]}")]
        assert len(mine) == 1 and mine[0]["count"] == 10  # over the limit: no longer written
        audit = a.client.get("/audit?limit=1000", headers=a.h("admin")).json()["items"]
        assert all(e["who"] != "anonymous" for e in audit)


def test_garbage_from_one_address_never_blocks_valid_keys_there(tmp_path: Path) -> None:
    """Sixty garbage keys from one address (everyone behind one proxy): the address gets 429
    for more garbage, and every valid key from that address still passes."""
    with running(sqlite_settings(tmp_path)) as a:
        for i in range(60):
            bad = {"Authorization": f"Bearer mk_{secrets.token_hex(6)}_{i}"}
            assert a.client.get("/rounds", headers=bad).status_code == 401
        assert a.client.get("/rounds", headers={"X-API-Key": "junk"}).status_code == 429
        assert a.client.get("/rounds").status_code == 429  # no key at all: a failure too
        for role in ("viewer", "planner", "admin"):
            assert a.client.get("/rounds", headers=a.h(role)).status_code == 200


def test_failure_counts_are_shared_through_the_database(tmp_path: Path) -> None:
    """Two server apps on one database (separate memory): failures made at the first are
    limited at the second."""
    cfg = sqlite_settings(tmp_path)
    with running(cfg) as first, running(cfg) as second:
        key = first.keys["viewer"]
        for _ in range(10):
            assert first.client.get("/rounds", headers=_wrong(key)).status_code == 401
        assert second.client.get("/rounds", headers=_wrong(key)).status_code == 429
        assert second.client.get("/rounds", headers=first.h("viewer")).status_code == 200


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on SQLite and on a PostgreSQL schema of its own."""
    url = f"sqlite:///{tmp_path}/f.sqlite3"
    if request.param == "postgres":
        url = str(request.getfixturevalue("pg_schema_url"))
    s = Store.connect(url)
    upgrade(s.engine)
    yield s
    s.close()


def test_sources_a_minute_are_bounded_across_processes(store: Store) -> None:
    """Past the per-minute bound (counted in the database), new sources are counted under
    "other", whichever FailedAuth (process) counts them; old minutes are pruned."""
    a = FailedAuth(store, per_key=1000, per_client=1000, sources_per_minute=3)
    b = FailedAuth(store, per_key=1000, per_client=1000, sources_per_minute=3)
    for i in range(10):
        (a if i % 2 else b).failed(f"k{i}", f"10.0.0.{i}")
    sources = {s for _, s, _ in store.list_auth_failures()}
    assert len(sources) == 4 and OTHER in sources
    store.prune_auth_failures(now().replace(year=now().year + 1))
    assert store.list_auth_failures() == []


def test_the_window_and_retry_after(store: Store) -> None:
    """Failures of the previous minute still count; Retry-After runs to the minute boundary
    at which the limit is no longer reached."""
    lim = FailedAuth(store, per_key=2, per_client=100)
    t = datetime(2026, 12, 7, 10, 0, 30, tzinfo=UTC)
    src = source_of("k", "1.2.3.4")
    store.count_auth_failure(t.replace(minute=0, second=0), src)
    store.count_auth_failure(t.replace(minute=1, second=0), src)
    at = t.replace(minute=1, second=40)
    assert lim.retry_after("k", "1.2.3.4", at) == 20  # the 10:00 failure leaves at 10:02
    assert lim.retry_after("other", "1.2.3.4", at) is None  # another key id from there
    assert lim.retry_after("k", "1.2.3.4", at.replace(minute=3)) is None


def test_keys_are_checked_with_one_cheap_hash_and_old_ones_upgraded(store: Store) -> None:
    """New keys are stored as HMAC-SHA256 (salt ``hmac:…``); a key stored with scrypt is
    accepted and re-stored in the cheap form on its first good use."""
    new = create_key(store, "new", Role.VIEWER)
    assert store.get_key(new.split("_", 2)[1]).salt.startswith("hmac:")  # type: ignore[union-attr]
    secret, salt = secrets.token_urlsafe(32), secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
    store.add_key(Key("old1", "old", "viewer", salt.hex(), digest, now(), None))
    auth = Authenticator(store, cache_s=0.0)
    assert auth.verify(f"mk_old1_{secret}") is not None
    row = store.get_key("old1")
    assert row is not None and row.salt.startswith("hmac:") and row.hash != digest
    assert auth.verify(f"mk_old1_{secret}") is not None
    assert auth.verify("mk_old1_wrong") is None


def test_a_wrong_key_is_401_and_the_right_one_200(api: Api) -> None:
    """Below the limits a wrong key is 401 with WWW-Authenticate; the right one is 200."""
    r = api.client.get("/rounds", headers=_wrong(api.keys["planner"]))
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert api.client.get("/rounds", headers=api.h("planner")).status_code == 200


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_live_servers_share_the_counts(db: str, tmp_path: Path, request: Any) -> None:
    """Two real server processes on one database: ten wrong secrets at the first, and the
    second refuses the eleventh with 429 while the holder's right secret passes at both."""
    url = (
        f"sqlite:///{tmp_path}/live.sqlite3"
        if db == "sqlite"
        else str(request.getfixturevalue("pg_schema_url"))
    )
    keys = make_keys(url)
    env = {"MATCHER_WORKERS": "0", "MATCHER_WARM_UP": "0"}
    a = LiveServer(url, GREEDY, **env).start()
    try:
        b = LiveServer(url, GREEDY, **env).start()
        try:
            wrong = _wrong(keys["viewer"])
            with httpx.Client(base_url=a.url) as ca, httpx.Client(base_url=b.url) as cb:
                assert [ca.get("/rounds", headers=wrong).status_code for _ in range(10)] == (
                    [401] * 10
                )
                assert cb.get("/rounds", headers=wrong).status_code == 429
                right = {"Authorization": f"Bearer {keys['viewer']}"}
                assert cb.get("/rounds", headers=right).status_code == 200
                assert ca.get("/rounds", headers=right).status_code == 200
        finally:
            b.stop()
    finally:
        a.stop()
