"""Backup and restore of the service's database, on SQLite (online backup API) and on
PostgreSQL (pg_dump / pg_restore): what was there at the backup comes back, nothing later."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher_service import backup
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
