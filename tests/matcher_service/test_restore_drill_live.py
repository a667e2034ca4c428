"""The restore drill of docs/operations.md, step by step against a real server: an encrypted
backup taken while it serves, a restore refused while it runs, the server stopped, the restore,
the server started again serving exactly what the backup held."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.matcher_service.conftest import tiny
from tests.matcher_service.live import ROOT, LiveServer
from tests.matcher_service.test_api_jobs_live import make_keys

GREEDY = "tests.matcher_service.solve_doubles:greedy_run"


def _backup(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "matcher_service.backup", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/matcher.sqlite3"
    return str(request.getfixturevalue("pg_schema_url"))


def test_the_restore_drill(url: str, tmp_path: Path) -> None:
    """Steps 1–6 of the drill, each checked, on SQLite and PostgreSQL."""
    keys = make_keys(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MATCHER_BACKUP_KEY": Fernet.generate_key().decode(),
        "PYTHONPATH": str(ROOT),
    }
    file = tmp_path / "backups" / "matcher.backup"
    server = LiveServer(url, GREEDY, MATCHER_WORKERS="0", MATCHER_WARM_UP="0").start()
    try:
        with server.client(keys["planner"]) as c:
            kept = c.post("/rounds", json={**tiny(), "name": "备份前"}).json()["id"]
            made = _backup("create", str(file), env=env)  # 1. back up while serving
            assert made.returncode == 0 and "encrypted" in made.stdout, made.stderr
            assert stat.S_IMODE(file.stat().st_mode) == 0o600
            later = c.post("/rounds", json={**tiny(), "name": "备份后"}).json()["id"]
            refused = _backup("restore", str(file), env=env)  # 2. refused while it serves
            assert refused.returncode == 2 and "stop every server" in refused.stderr
            assert c.get(f"/rounds/{later}").status_code == 200  # nothing was swapped
    finally:
        server.stop()  # 3. stop every server process
    done = _backup("restore", str(file), env=env)  # 4. restore
    assert done.returncode == 0, done.stderr
    again = LiveServer(url, GREEDY, MATCHER_WORKERS="0", MATCHER_WARM_UP="0").start()  # 5.
    try:
        with again.client(keys["planner"]) as c:  # 6. check: exactly the backup
            names = [r["name"] for r in c.get("/rounds").json()["items"]]
            assert names == ["备份前"]
            assert c.get(f"/rounds/{kept}").status_code == 200
            assert c.get(f"/rounds/{later}").status_code == 404
    finally:
        again.stop()
