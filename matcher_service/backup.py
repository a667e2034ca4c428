"""Back up and restore the service's database, as an operator does from the shell.

``python -m matcher_service.backup create FILE`` copies the database named by ``DATABASE_URL``
(or ``--database-url``) while the service keeps running: SQLite through its online backup
API (a consistent snapshot, writers wait only for the page copy), PostgreSQL through
``pg_dump --format=custom``. A backup holds every cadre's personal data, so it is created
readable by its owner only (mode 0600, whatever the umask; a folder it creates is 0700) and,
when ``MATCHER_BACKUP_KEY`` holds a key (``python -m matcher_service.backup key`` prints a new
one), encrypted with it (Fernet: AES-128-CBC with HMAC-SHA256, from ``cryptography``). The
copy is written to a temporary file beside ``FILE`` and renamed when complete, so a failed
backup never leaves a half-written file.

``python -m matcher_service.backup restore FILE`` puts a backup back. It refuses while any
server holds the database (:mod:`matcher_service.db_hold`) and holds it itself while it
writes, so a server started meanwhile waits for the restore to finish. SQLite's file is
replaced page by page through the backup API; PostgreSQL runs ``pg_restore --clean
--if-exists``. An encrypted backup needs the same key. The next start migrates the restored
database if it is older than the code. The restore drill is in ``docs/operations.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from cryptography.fernet import Fernet, InvalidToken

from matcher_service.db_hold import DatabaseInUse, offline
from matcher_service.settings import ServiceSettings

KEY_VARIABLE = "MATCHER_BACKUP_KEY"
_SEALED = b"MATCHER-BACKUP-FERNET-1\n"  # the first line of an encrypted backup


class BackupKeyError(ValueError):
    """The backup is encrypted and no key, or another key, was given."""


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


def _private_file(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only (mode 0600 whatever
    the umask: the mode is set after creation too)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _private_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) if missing; a folder made here is 0700."""
    if not folder.exists():
        folder.mkdir(parents=True)
        os.chmod(folder, 0o700)


def seal(path: Path, key: str) -> None:
    """Encrypt the file at ``path`` in place with ``key`` (a Fernet key)."""
    token = Fernet(key.encode()).encrypt(path.read_bytes())
    path.write_bytes(_SEALED + token)


def sealed(path: Path) -> bool:
    """Is the backup at ``path`` encrypted?"""
    with path.open("rb") as f:
        return f.read(len(_SEALED)) == _SEALED


def create(url: str, out: Path, key: str | None = None) -> Path:
    """Write a consistent copy of the database at ``url`` to ``out`` (0600; encrypted with
    ``key`` when given); returns ``out``."""
    _private_folder(out.parent)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    _private_file(part)
    try:
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
        if key:
            seal(part, key)
        os.chmod(part, 0o600)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return out


@contextmanager
def _opened(backup: Path, key: str | None) -> Iterator[Path]:
    """The backup as a plain file: itself, or decrypted into a private temporary folder."""
    if not sealed(backup):
        yield backup
        return
    if not key:
        raise BackupKeyError(f"the backup is encrypted: set {KEY_VARIABLE} to its key")
    try:
        plain = Fernet(key.encode()).decrypt(backup.read_bytes()[len(_SEALED) :])
    except (InvalidToken, ValueError):
        raise BackupKeyError(f"{KEY_VARIABLE} is not the key this backup was made with") from None
    with tempfile.TemporaryDirectory(prefix="matcher-restore-") as tmp:  # 0700
        path = Path(tmp) / "backup"
        _private_file(path)
        path.write_bytes(plain)
        yield path


def restore(url: str, backup: Path, key: str | None = None) -> None:
    """Replace the database at ``url`` with the contents of ``backup``. :class:`DatabaseInUse`
    while a server holds the database; the restore holds it while it writes."""
    if not backup.is_file():
        raise FileNotFoundError(f"no backup file at {backup}")
    with offline(url), _opened(backup, key) as plain:
        db = sqlite_file(url)
        if db is not None:
            _private_folder(db.parent)
            _sqlite_copy(plain, db)
        elif url.startswith("postgresql"):
            dsn, _ = libpq(url)
            cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
            subprocess.run([*cmd, f"--dbname={dsn}", str(plain)], check=True)
        else:
            raise ValueError(f"cannot restore {urlsplit(url).scheme} databases")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matcher_service.backup",
        description="备份 / 恢复服务数据库 — back up or restore the service's database",
    )
    parser.add_argument("action", choices=["create", "restore", "key"])
    parser.add_argument(
        "file", type=Path, nargs="?", help="the backup file to write or read (not for 'key')"
    )
    parser.add_argument(
        "--database-url", default=None, help="default: DATABASE_URL, else the SQLite default"
    )
    args = parser.parse_args(argv)
    if args.action == "key":
        print(Fernet.generate_key().decode())
        print(
            f"把它存入 {KEY_VARIABLE}，另行保管 / keep it in {KEY_VARIABLE}, apart from the "
            "backups",
            file=sys.stderr,
        )
        return 0
    if args.file is None:
        parser.error("name the backup file")
    url = args.database_url or ServiceSettings.from_env().database_url
    key = os.environ.get(KEY_VARIABLE) or None
    if shutil.which("pg_dump") is None and url.startswith("postgresql"):
        print("pg_dump/pg_restore not found: install postgresql-client", file=sys.stderr)
        return 2
    try:
        if args.action == "create":
            create(url, args.file, key)
            how = "（已加密 / encrypted）" if key else "（未加密 / not encrypted）"
            print(f"已备份 / backed up to {args.file} {how}")
        else:
            restore(url, args.file, key)
            print(f"已恢复 / restored from {args.file}")
    except DatabaseInUse:
        print(
            "服务正在使用该数据库，请先停止所有服务进程再恢复 / a server holds the database: "
            "stop every server process, then restore",
            file=sys.stderr,
        )
        return 2
    except (OSError, ValueError, subprocess.CalledProcessError, sqlite3.Error) as exc:
        print(f"备份失败 / failed: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
