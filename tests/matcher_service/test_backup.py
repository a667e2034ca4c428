"""Backup and restore of the service's database, on SQLite (online backup API) and on
PostgreSQL (pg_dump / pg_restore): what was there at the backup comes back, nothing later;
backups are private (0600, optionally encrypted) and a restore refuses while a server holds
the database."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from matcher_service import backup, db_hold
from matcher_service.migrate import upgrade
from matcher_service.store import Store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/live.sqlite3"
    return str(request.getfixturevalue("pg_schema_url"))


def test_restore_brings_back_exactly_the_backup(url: str, tmp_path: Path) -> None:
    """A backup taken while the store is open holds round A; after round B is added and the
    backup restored, A is there with its versions and B is gone."""
    store = Store.connect(url)
    upgrade(store.engine)
    a = store.create_round("a", '{"v": 1}', (1, 1), "alice")
    store.update_round(a.id, "a", '{"v": 2}', (1, 1), "alice")
    file = backup.create(url, tmp_path / "out" / "matcher.backup")  # store still open
    b = store.create_round("b", "{}", (0, 0), "bob")
    store.close()
    assert file.is_file() and not file.with_name(file.name + ".part").exists()
    backup.restore(url, file)
    again = Store.connect(url)
    try:
        assert [r.id for r in again.list_rounds()] == [a.id]
        assert again.get_round(a.id, 1).body == '{"v": 1}' and again.get_round(a.id).version == 2
        assert b.id not in {r.id for r in again.list_rounds()}
    finally:
        again.close()


def test_cli_refuses_a_missing_backup_with_exit_2(tmp_path: Path) -> None:
    """Restoring from a file that does not exist is exit code 2, and the database is untouched."""
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    code = backup.main(["restore", str(tmp_path / "nope.backup"), "--database-url", url])
    assert code == 2 and not (tmp_path / "db.sqlite3").exists()


def test_libpq_url_keeps_host_and_names_the_schema() -> None:
    """A SQLAlchemy URL with a search_path option becomes a libpq URL and that schema."""
    dsn, schema = backup.libpq(
        "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dt_1"
    )
    assert (dsn, schema) == ("postgresql://postgres@127.0.0.1:5432/test", "t_1")
    assert backup.libpq("postgresql+psycopg://u@h/db") == ("postgresql://u@h/db", None)


def test_backups_are_private_whatever_the_umask(tmp_path: Path) -> None:
    """Under umask 000 a backup is still 0600 and the folder it creates 0700."""
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    store = Store.connect(url)
    upgrade(store.engine)
    store.close()
    old = os.umask(0)
    try:
        file = backup.create(url, tmp_path / "new" / "nested" / "m.backup")
    finally:
        os.umask(old)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_encrypted_backups_need_their_key(db: str, tmp_path: Path, request: Any) -> None:
    """With a key the backup holds no readable name; restoring needs that very key (no key
    or another key: refused, database untouched) and then is exact."""
    url = (
        f"sqlite:///{tmp_path}/db.sqlite3"
        if db == "sqlite"
        else str(request.getfixturevalue("pg_schema_url"))
    )
    store = Store.connect(url)
    upgrade(store.engine)
    a = store.create_round("加密轮次", '{"name": "秘密的张三"}', (1, 1), "alice")
    key = Fernet.generate_key().decode()
    file = backup.create(url, tmp_path / "sealed.backup", key)
    store.create_round("later", "{}", (0, 0), "bob")
    store.close()
    assert "秘密的张三".encode() not in file.read_bytes() and backup.sealed(file)
    for wrong in (None, Fernet.generate_key().decode()):
        with pytest.raises(backup.BackupKeyError):
            backup.restore(url, file, wrong)
    backup.restore(url, file, key)
    again = Store.connect(url)
    try:
        assert [r.id for r in again.list_rounds()] == [a.id]
        assert again.get_round(a.id).body == '{"name": "秘密的张三"}'
    finally:
        again.close()


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_restore_refuses_while_a_server_holds_the_database(
    db: str, tmp_path: Path, request: Any
) -> None:
    """While any server process holds the database (shared hold), a restore is refused and
    changes nothing; once it lets go, the restore runs."""
    url = (
        f"sqlite:///{tmp_path}/db.sqlite3"
        if db == "sqlite"
        else str(request.getfixturevalue("pg_schema_url"))
    )
    store = Store.connect(url)
    upgrade(store.engine)
    file = backup.create(url, tmp_path / "m.backup")
    b = store.create_round("after the backup", "{}", (0, 0), "bob")
    with db_hold.serving(url), db_hold.serving(url):  # two servers share the hold
        with pytest.raises(db_hold.DatabaseInUse):
            backup.restore(url, file)
        assert backup.main(["restore", str(file), "--database-url", url]) == 2
    assert [r.id for r in store.list_rounds()] == [b.id]
    store.close()
    backup.restore(url, file)
    again = Store.connect(url)
    assert again.list_rounds() == []
    again.close()


def test_a_backup_taken_during_writes_restores_a_consistent_state(tmp_path: Path) -> None:
    """Rounds are written (each with two versions, in two transactions) while a backup is
    taken: the restored database is intact and every round in it is whole up to its head."""
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    store = Store.connect(url)
    upgrade(store.engine)
    stop = threading.Event()

    def write() -> None:
        i = 0
        while not stop.is_set() and i < 2_000:
            r = store.create_round(f"r{i}", '{"v": 1}', (1, 1), "w")
            store.update_round(r.id, f"r{i}", '{"v": 2}', (1, 1), "w")
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        store.create_round("first", "{}", (0, 0), "w")
        file = backup.create(url, tmp_path / "m.backup")
    finally:
        stop.set()
        writer.join()
    store.close()
    restored = tmp_path / "restored.sqlite3"
    backup.restore(f"sqlite:///{restored}", file)
    with closing(sqlite3.connect(restored)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = Store.connect(f"sqlite:///{restored}")
    try:
        rounds = again.list_rounds(limit=500)
        assert rounds
        for r in rounds:
            assert again.get_round(r.id, r.version).version == r.version
    finally:
        again.close()
