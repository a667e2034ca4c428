"""What the store hands out: frozen records (never ORM objects), ids, the clock, and errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

ACTIVE = ("queued", "running")
TERMINAL = ("succeeded", "failed", "cancelled", "timed_out", "interrupted")


def now() -> datetime:
    """Current UTC time (the service may read the clock; data generation never does)."""
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A fresh opaque id such as ``r_4f0c…``."""
    return f"{prefix}_{uuid4().hex[:16]}"


def utc(value: datetime | None) -> datetime | None:
    """A stored time as UTC: SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def columns(record: type[Any], row: Any, **given: Any) -> dict[str, Any]:
    """The ``record`` dataclass's fields read from a row's attributes (``given`` ones win)."""
    return {k: given[k] if k in given else getattr(row, k) for k in record.__dataclass_fields__}


class NotFound(LookupError):
    """The id names nothing of that kind."""


class QueueFull(RuntimeError):
    """As many jobs are queued as the service allows."""


class LeaseLost(RuntimeError):
    """A worker's write came after its job stopped being its own (interrupted, re-leased):
    the write is refused, so an orphan can never overwrite the job's true state."""


class Stale(RuntimeError):
    """The writer's version (If-Match) is not the current one: someone wrote in between."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the current version is {current}")
        self.current = current


@dataclass(frozen=True)
class Key:
    id: str
    name: str
    role: str
    salt: str
    hash: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True)
class RoundInfo:
    """A round's current version; ``body`` is the canonical JSON of the validated Round."""

    id: str
    name: str
    version: int
    communities: int
    cadres: int
    created_at: datetime
    updated_at: datetime
    created_by: str
    body: str


@dataclass(frozen=True)
class RoundHead:
    """A round's row with one version number (no body, no counts): what a cached read needs."""

    id: str
    name: str
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str


@dataclass(frozen=True)
class Job:
    id: str
    round_id: str
    round_version: int
    state: str
    phase: str
    fraction: float
    message: str
    objective: int | None
    bound: float | None
    cancel_requested: bool
    time_limit_s: float
    error: str | None
    worker_pid: int | None
    owner: str | None
    lease_token: str | None
    lease_until: datetime | None
    plan_id: str | None
    rerun_of: str | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    kind: str = "solve"  # or "replace": a replacement of ``source_plan_id`` (see replace_job)
    source_plan_id: str | None = None
    payload: str | None = None  # a replacement's order as JSON (never shown: it holds the key)


@dataclass(frozen=True)
class Plan:
    id: str
    round_id: str
    round_version: int
    job_id: str
    status: str
    objective: int | None
    result: str
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    key_id: str | None
    role: str | None
    action: str
    method: str
    path: str
    round_id: str | None
    status: int
    job_id: str | None = None
    plan_id: str | None = None
    version: int | None = None
    subject: str | None = None  # whose data was read: "cadre <id>" or "community <id>"
    reason: str | None = None  # the reason given with the action
