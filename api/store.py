"""Persistence: SQLAlchemy 2 tables and the repository functions the service and workers use.

Rounds keep every version (an update adds one; nothing is overwritten), jobs carry their
progress and cancel flag, and a plan is written together with its job's final state in one
transaction. Rows leave this module as frozen dataclasses, never as ORM objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import (
    Engine,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from api.tables import AuditRow, JobRow, KeyRow, PlanRow, RoundRow, RoundVersionRow, make_engine

ACTIVE = ("queued", "running")
TERMINAL = ("succeeded", "failed", "cancelled", "timed_out", "interrupted")


def now() -> datetime:
    """Current UTC time (the service may read the clock; data generation never does)."""
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A fresh opaque id such as ``r_4f0c…``."""
    return f"{prefix}_{uuid4().hex[:16]}"


@dataclass(frozen=True)
class Key:
    id: str
    name: str
    role: str
    salt: str
    hash: str
    created_at: datetime
    revoked_at: datetime | None


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
    plan_id: str | None
    rerun_of: str | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


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


# Hot reads, built once: building a select costs more than SQLite takes to answer it.
_ROUND_HEAD = select(
    RoundRow.name, RoundRow.version, RoundRow.created_at, RoundRow.updated_at, RoundRow.created_by
).where(RoundRow.id == bindparam("rid"))
_VERSION_EXISTS = select(RoundVersionRow.version).where(
    RoundVersionRow.round_id == bindparam("rid"), RoundVersionRow.version == bindparam("v")
)
_JOB = select(*JobRow.__table__.columns).where(JobRow.id == bindparam("jid"))


class NotFound(LookupError):
    """The id names nothing of that kind."""


class QueueFull(RuntimeError):
    """As many jobs are queued as the service allows."""


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _job(row: Any) -> Job:
    """A job from its ORM row or a plain result row (both have the columns as attributes)."""
    return Job(
        **{k: getattr(row, k) for k in Job.__dataclass_fields__ if not k.endswith("_at")},
        created_at=_utc(row.created_at) or now(),
        started_at=_utc(row.started_at),
        finished_at=_utc(row.finished_at),
    )


class Store:
    """Repository over one database. Safe to use from threads; each process makes its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # A local SQLite file answers a keyed read in tens of microseconds, less than a hop to
        # a thread costs; callers may run such reads on the event loop (see api.deps.quick).
        self.local = engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str) -> Store:
        return cls(make_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    # -- keys ------------------------------------------------------------------------------
    def add_key(self, key: Key) -> None:
        with self.session() as s:
            s.add(KeyRow(**key.__dict__))

    def get_key(self, key_id: str) -> Key | None:
        with self.session() as s:
            row = s.get(KeyRow, key_id)
            return (
                None
                if row is None
                else Key(**{k: getattr(row, k) for k in Key.__dataclass_fields__})
            )

    def list_keys(self) -> list[Key]:
        with self.session() as s:
            rows = s.scalars(select(KeyRow).order_by(KeyRow.created_at)).all()
            return [Key(**{k: getattr(r, k) for k in Key.__dataclass_fields__}) for r in rows]

    def revoke_key(self, key_id: str) -> bool:
        with self.session() as s:
            res = s.execute(
                update(KeyRow)
                .where(KeyRow.id == key_id, KeyRow.revoked_at.is_(None))
                .values(revoked_at=now())
            )
            return _changed(res)

    # -- rounds ----------------------------------------------------------------------------
    def create_round(self, name: str, body: str, counts: tuple[int, int], who: str) -> RoundInfo:
        rid, t = new_id("r"), now()
        with self.session() as s:
            s.add(
                RoundRow(id=rid, name=name, version=1, created_at=t, updated_at=t, created_by=who)
            )
            s.flush()
            s.add(_version(rid, 1, body, counts, t, who))
        return RoundInfo(rid, name, 1, *counts, t, t, who, body)

    def update_round(
        self, round_id: str, name: str, body: str, counts: tuple[int, int], who: str
    ) -> RoundInfo:
        t = now()
        with self.session() as s:
            row = s.get(RoundRow, round_id, with_for_update=True)
            if row is None:
                raise NotFound(round_id)
            row.version += 1
            row.name, row.updated_at = name, t
            s.add(_version(round_id, row.version, body, counts, t, who))
            created = _utc(row.created_at) or t
            return RoundInfo(round_id, name, row.version, *counts, created, t, row.created_by, body)

    def get_round(self, round_id: str, version: int | None = None) -> RoundInfo:
        with self.session() as s:
            row = s.get(RoundRow, round_id)
            if row is None:
                raise NotFound(round_id)
            ver = s.get(RoundVersionRow, (round_id, version or row.version))
            if ver is None:
                raise NotFound(f"{round_id} v{version}")
            return RoundInfo(
                row.id,
                row.name,
                ver.version,
                ver.communities,
                ver.cadres,
                _utc(row.created_at) or now(),
                _utc(row.updated_at) or now(),
                row.created_by,
                ver.body,
            )

    def round_head(self, round_id: str, version: int | None = None) -> RoundHead:
        """A round's row and the version asked for (default: current), without reading the
        version's body — whose overflow pages SQLite would walk to reach any later column."""
        with self.engine.connect() as conn:
            row = conn.execute(_ROUND_HEAD, {"rid": round_id}).first()
            if row is None:
                raise NotFound(round_id)
            name, current, created, updated, who = row
            asked = {"rid": round_id, "v": version}
            missing = version not in (None, current)
            if missing and conn.execute(_VERSION_EXISTS, asked).first() is None:
                raise NotFound(f"{round_id} v{version}")
        return RoundHead(
            round_id, name, version or current, _utc(created) or now(), _utc(updated) or now(), who
        )

    def list_rounds(self, limit: int = 100, offset: int = 0) -> list[RoundInfo]:
        with self.session() as s:
            q = (
                select(RoundRow, RoundVersionRow)
                .join(
                    RoundVersionRow,
                    (RoundVersionRow.round_id == RoundRow.id)
                    & (RoundVersionRow.version == RoundRow.version),
                )
                .order_by(RoundRow.created_at.desc(), RoundRow.id)
                .limit(limit)
                .offset(offset)
            )
            return [
                RoundInfo(
                    r.id,
                    r.name,
                    v.version,
                    v.communities,
                    v.cadres,
                    _utc(r.created_at) or now(),
                    _utc(r.updated_at) or now(),
                    r.created_by,
                    "",
                )
                for r, v in s.execute(q).all()
            ]

    # -- jobs ------------------------------------------------------------------------------
    def create_job(
        self,
        round_id: str,
        who: str,
        time_limit_s: float,
        queue_limit: int,
        rerun_of: str | None = None,
        version: int | None = None,
    ) -> Job:
        """Queue a solve of ``version`` (default: current); QueueFull when enough wait."""
        with self.session() as s:
            row = s.get(RoundRow, round_id)
            if row is None:
                raise NotFound(round_id)
            queued = s.scalar(
                select(func.count()).select_from(JobRow).where(JobRow.state == "queued")
            )
            if (queued or 0) >= queue_limit:
                raise QueueFull(f"{queued} jobs are waiting")
            job = JobRow(
                id=new_id("j"),
                round_id=round_id,
                round_version=version or row.version,
                state="queued",
                phase="queued",
                fraction=0.0,
                message="",
                cancel_requested=False,
                time_limit_s=time_limit_s,
                created_by=who,
                created_at=now(),
                rerun_of=rerun_of,
            )
            s.add(job)
            s.flush()
            return _job(job)

    def get_job(self, job_id: str) -> Job:
        with self.engine.connect() as conn:  # a plain row: pollers call this often
            row = conn.execute(_JOB, {"jid": job_id}).first()
        if row is None:
            raise NotFound(job_id)
        return _job(row)

    def list_jobs(self, round_id: str | None = None, states: tuple[str, ...] = ()) -> list[Job]:
        with self.session() as s:
            q = select(JobRow).order_by(JobRow.created_at, JobRow.id)
            if round_id is not None:
                q = q.where(JobRow.round_id == round_id)
            if states:
                q = q.where(JobRow.state.in_(states))
            return [_job(r) for r in s.scalars(q).all()]

    def claim_job(self, job_id: str, pid: int) -> bool:
        """Move a queued job to running for worker ``pid``; False if it is no longer queued."""
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "queued")
                .values(state="running", worker_pid=pid, started_at=now(), phase="starting")
            )
            return _changed(res)

    def report_progress(
        self,
        job_id: str,
        phase: str,
        fraction: float,
        message: str,
        objective: int | None,
        bound: float | None,
    ) -> None:
        with self.session() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "running")
                .values(
                    phase=phase[:64],
                    fraction=fraction,
                    message=message,
                    objective=objective,
                    bound=bound,
                )
            )

    def cancel_requested(self, job_id: str) -> bool:
        with self.session() as s:
            return bool(s.scalar(select(JobRow.cancel_requested).where(JobRow.id == job_id)))

    def request_cancel(self, job_id: str) -> Job:
        """Flag a running job to stop; a queued job is cancelled at once."""
        with self.session() as s:
            row = s.get(JobRow, job_id, with_for_update=True)
            if row is None:
                raise NotFound(job_id)
            if row.state == "queued":
                row.state, row.finished_at, row.phase = "cancelled", now(), "cancelled"
            if row.state in ACTIVE:
                row.cancel_requested = True
            s.flush()
            return _job(row)

    def finish_job(
        self, job_id: str, state: str, result: dict[str, Any] | None, error: str | None = None
    ) -> str | None:
        """Write the plan (if any) and the job's final state in one transaction."""
        with self.session() as s:
            row = s.get(JobRow, job_id, with_for_update=True)
            if row is None:
                raise NotFound(job_id)
            plan_id = None
            if result is not None:
                plan_id = new_id("p")
                s.add(
                    PlanRow(
                        id=plan_id,
                        round_id=row.round_id,
                        round_version=row.round_version,
                        job_id=job_id,
                        status=str(result.get("status", "unknown")),
                        objective=result.get("objective"),
                        result=json.dumps(result, ensure_ascii=False),
                        created_at=now(),
                    )
                )
            row.state, row.plan_id, row.error = state, plan_id, error
            row.finished_at, row.phase = now(), state
            if state == "succeeded":
                row.fraction = 1.0
            return plan_id

    def mark_interrupted(self, job_id: str, reason: str) -> bool:
        """A running job whose worker is gone: interrupted (it can be re-run)."""
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "running")
                .values(state="interrupted", error=reason, finished_at=now(), phase="interrupted")
            )
            return _changed(res)

    def recover(self) -> tuple[list[str], list[str]]:
        """After a restart: running jobs become interrupted; return (interrupted, still queued)."""
        running = [j.id for j in self.list_jobs(states=("running",))]
        for jid in running:
            self.mark_interrupted(jid, "the service stopped while this job ran; re-run it")
        queued = [j.id for j in self.list_jobs(states=("queued",))]
        return running, queued

    # -- plans -----------------------------------------------------------------------------
    def get_plan(self, plan_id: str) -> Plan:
        with self.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None:
                raise NotFound(plan_id)
            return _plan(row)

    def list_plans(self, round_id: str) -> list[Plan]:
        with self.session() as s:
            q = (
                select(PlanRow)
                .where(PlanRow.round_id == round_id)
                .order_by(PlanRow.created_at, PlanRow.id)
            )
            return [_plan(r) for r in s.scalars(q).all()]

    # -- audit -----------------------------------------------------------------------------
    def add_audit(self, *entries: AuditEntry) -> None:
        """Write audit rows (one transaction, one multi-row INSERT for a batch)."""
        rows = [{k: v for k, v in e.__dict__.items() if k != "id"} for e in entries]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(AuditRow), rows)

    def list_audit(
        self, round_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[AuditEntry]:
        with self.session() as s:
            q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit).offset(offset)
            if round_id is not None:
                q = q.where(AuditRow.round_id == round_id)
            return [
                AuditEntry(
                    **{
                        **{k: getattr(r, k) for k in AuditEntry.__dataclass_fields__},
                        "at": _utc(r.at),
                    }
                )
                for r in s.scalars(q).all()
            ]


def _version(
    rid: str, version: int, body: str, counts: tuple[int, int], t: datetime, who: str
) -> RoundVersionRow:
    return RoundVersionRow(
        round_id=rid,
        version=version,
        body=body,
        communities=counts[0],
        cadres=counts[1],
        created_at=t,
        created_by=who,
    )


def _plan(row: PlanRow) -> Plan:
    return Plan(
        row.id,
        row.round_id,
        row.round_version,
        row.job_id,
        row.status,
        row.objective,
        row.result,
        _utc(row.created_at) or now(),
    )


def _changed(res: Any) -> bool:
    """Did an UPDATE touch a row? (``execute`` is typed as returning a plain Result.)"""
    return bool(res.rowcount)
