"""The verified-key cache: no re-hashing while fresh, and a revocation made elsewhere (the
keys CLI, another process) is noticed at the next revocation check, not after the cache TTL."""

from __future__ import annotations

from pathlib import Path

from matcher_service.auth import Authenticator, Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.store import Store


def _store(tmp_path: Path) -> Store:
    store = Store.connect(f"sqlite:///{tmp_path}/keys.sqlite3")
    upgrade(store.engine)
    return store


def test_revocation_elsewhere_ends_a_cached_key_at_the_next_check(tmp_path: Path) -> None:
    """With the check due, a key revoked behind the cache's back is refused and forgotten."""
    store = _store(tmp_path)
    key = create_key(store, "Ops", Role.VIEWER)
    auth = Authenticator(store, cache_s=3600.0, recheck_s=0.0)
    assert auth.verify(key) is not None
    (row,) = store.list_keys()
    assert store.revoke_key(row.id)
    assert auth.cached(key) is None and auth.verify(key) is None
    assert auth.verify(key) is None  # forgotten: the full check refuses it too
    store.close()


def test_a_fresh_cached_key_needs_no_database(tmp_path: Path) -> None:
    """Before its check is due a verified key is answered from memory, even with the store
    closed (no hashing, no query)."""
    store = _store(tmp_path)
    key = create_key(store, "Ops", Role.PLANNER)
    auth = Authenticator(store, cache_s=3600.0, recheck_s=3600.0)
    ident = auth.verify(key)
    assert ident is not None
    store.close()
    auth.store = None  # type: ignore[assignment]
    assert auth.cached(key) == ident and auth.verify(key) == ident
    assert auth.cached(key + "x") is None
