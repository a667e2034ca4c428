"""Fixtures for the service tests: apps on temporary SQLite files, keys for every role, and a
PostgreSQL schema of their own (skipped only when the server cannot be reached)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from matcher_service.auth import Role, create_key
from matcher_service.settings import ServiceSettings
from service import create_app

TINY = Path(__file__).parents[1] / "data" / "rounds" / "tiny.json"
GREEDY = "tests.matcher_service.solve_doubles:greedy_run"
SLOW = "tests.matcher_service.solve_doubles:slow_run"
PG_BASE = "postgresql+psycopg://{user}@127.0.0.1:5432/test"


def tiny() -> dict[str, Any]:
    return json.loads(TINY.read_text(encoding="utf-8"))


@dataclass
class Api:
    """A running app with a test client and one key per role."""

    app: FastAPI
    client: TestClient
    keys: dict[str, str]

    def h(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}

    def create(self, raw: dict[str, Any] | None = None, role: str = "planner") -> dict[str, Any]:
        r = self.client.post("/rounds", json=raw or tiny(), headers=self.h(role))
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


def sqlite_settings(folder: Path, **overrides: Any) -> ServiceSettings:
    base = ServiceSettings(
        database_url=f"sqlite:///{folder}/matcher.sqlite3", runner=GREEDY, workers=0
    )
    return replace(base, **overrides)


@contextmanager
def running(settings: ServiceSettings) -> Iterator[Api]:
    """Start the app (lifespan included) and make a key for every role."""
    app = create_app(settings)
    with TestClient(app) as client:
        keys = {r.value: create_key(app.state.store, f"test {r.value}", r) for r in Role}
        yield Api(app, client, keys)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An app without workers (jobs stay queued): rounds, auth, audit, errors."""
    with running(sqlite_settings(tmp_path_factory.mktemp("api"))) as a:
        yield a


def postgres_url() -> str | None:
    """A reachable PostgreSQL base URL, or None."""
    import psycopg

    for user in ("postgres", "root"):
        try:
            with psycopg.connect(
                f"host=127.0.0.1 port=5432 dbname=test user={user}", connect_timeout=3
            ):
                return PG_BASE.format(user=user)
        except psycopg.OperationalError:
            continue
    return None


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    with pg_schema() as url:
        yield url


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema's URL (skips the test when the server is unreachable)."""
    import psycopg

    base = postgres_url()
    if base is None:
        pytest.skip("PostgreSQL on 127.0.0.1:5432 cannot be reached")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
