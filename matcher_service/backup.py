"""Back up and restore the service's database, as an operator does from the shell.

``python -m matcher_service.backup create FILE`` copies the database named by ``DATABASE_URL``
(or ``--database-url``) while the service keeps running: SQLite through its online backup
API (a consistent snapshot, writers wait only for the page copy), PostgreSQL through
``pg_dump --format=custom``. The copy is written to a temporary file beside ``FILE`` and
renamed when complete, so a failed backup never leaves a half-written file.

``python -m matcher_service.backup restore FILE`` puts a backup back: stop the service first
(its workers hold leases and its caches would be stale). SQLite's file is replaced page by
page through the same API; PostgreSQL runs ``pg_restore --clean --if-exists``. The next start
migrates the restored database if it is older than the code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from matcher_service.settings import ServiceSettings


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (None for other databases)."""
    return ServiceSettings(database_url=url).sqlite_path()


def libpq(url: str) -> tuple[str, str | None]:
    """A SQLAlchemy PostgreSQL URL as a libpq connection URL pg_dump understands, and the
    schema its ``options=-csearch_path=…`` names (only that schema is dumped then)."""
    parts = urlsplit(url)
    scheme = "postgresql"
    query = parse_qs(parts.query)
    schema = None
    for opt in query.get("options", []):
        for word in unquote(opt).split():
            if word.startswith("-csearch_path="):
                schema = word.split("=", 1)[1].split(",")[0]
    return urlunsplit((scheme, parts.netloc, parts.path, "", "")), schema


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent snapshot of ``source`` written into ``target``."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def create(url: str, out: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``out``; returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    db = sqlite_file(url)
    if db is not None:
        if not db.exists():
            raise FileNotFoundError(f"no database file at {db}")
        _sqlite_copy(db, part)
    elif url.startswith("postgresql"):
        dsn, schema = libpq(url)
        cmd = ["pg_dump", "--format=custom", "--no-owner", f"--file={part}"]
        cmd += [f"--schema={schema}"] if schema else []
        subprocess.run([*cmd, dsn], check=True)
    else:
        raise ValueError(f"cannot back up {urlsplit(url).scheme} databases")
    os.replace(part, out)
    return out


def restore(url: str, backup: Path) -> None:
    """Replace the database at ``url`` with the contents of ``backup`` (service stopped)."""
    if not backup.is_file():
        raise FileNotFoundError(f"no backup file at {backup}")
    db = sqlite_file(url)
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(backup, db)
    elif url.startswith("postgresql"):
        dsn, _ = libpq(url)
        cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        subprocess.run([*cmd, f"--dbname={dsn}", str(backup)], check=True)
    else:
        raise ValueError(f"cannot restore {urlsplit(url).scheme} databases")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matcher_service.backup",
        description="备份 / 恢复服务数据库 — back up or restore the service's database",
    )
    parser.add_argument("action", choices=["create", "restore"])
    parser.add_argument("file", type=Path, help="the backup file to write or read")
    parser.add_argument(
        "--database-url", default=None, help="default: DATABASE_URL, else the SQLite default"
    )
    args = parser.parse_args(argv)
    url = args.database_url or ServiceSettings.from_env().database_url
    if shutil.which("pg_dump") is None and url.startswith("postgresql"):
        print("pg_dump/pg_restore not found: install postgresql-client", file=sys.stderr)
        return 2
    try:
        if args.action == "create":
            create(url, args.file)
            print(f"已备份 / backed up to {args.file}")
        else:
            restore(url, args.file)
            print(f"已恢复 / restored from {args.file}")
    except (OSError, ValueError, subprocess.CalledProcessError, sqlite3.Error) as exc:
        print(f"备份失败 / failed: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
