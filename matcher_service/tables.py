"""Database tables (SQLAlchemy 2) and the engine factory. Alembic migrations mirror these."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

_POOL = 40  # as many as the thread pool that runs database calls has threads


class Base(DeclarativeBase):
    pass


class KeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    salt: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RoundRow(Base):
    __tablename__ = "rounds"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    # the round this one was made from (next round, replacement): erasing that one erases this
    made_from: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)


class RoundVersionRow(Base):
    __tablename__ = "round_versions"
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    communities: Mapped[int] = mapped_column(Integer)
    cadres: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class JobRow(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    round_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    phase: Mapped[str] = mapped_column(String(64), default="")
    fraction: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    time_limit_s: Mapped[float] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker_pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    owner: Mapped[str | None] = mapped_column(String(120), nullable=True)
    lease_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    plan_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    rerun_of: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="solve", server_default="solve")
    source_plan_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    round_version: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    who: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    round_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    status: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    plan_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject: Mapped[str | None] = mapped_column(String(200), nullable=True)  # whose data was read
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # the reason given with it


class AuthFailureRow(Base):
    """Failed authentications per minute and source (at most a bounded number of sources a
    minute, the rest counted as "other"), so an attacker cannot grow the table at will."""

    __tablename__ = "auth_failures"
    minute: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    source: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class KeyScopeRow(Base):
    """The unit a nominating key speaks for, or the department a vetting key speaks for."""

    __tablename__ = "key_scopes"
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(200))


class WorkflowRow(Base):
    """A round's selection workflow: nominating → vetting → reviewed → proposed → publicity →
    approved → published."""

    __tablename__ = "workflows"
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    pool_version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # before review
    reviewed_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    plan_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    publicity_ends: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    next_round_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    min_publicity_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    publicity_started: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    publicity_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    signatory: Mapped[str | None] = mapped_column(String(200), nullable=True)  # 落款
    decision: Mapped[str | None] = mapped_column(Text, nullable=True)


class NominationRow(Base):
    __tablename__ = "nominations"
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    cadre_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    nominated_by: Mapped[str] = mapped_column(String(200))
    nominated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str] = mapped_column(String(16), default="")  # "", accepted, rejected
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class ClearanceRow(Base):
    __tablename__ = "clearances"
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    cadre_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    department: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    given_by: Mapped[str] = mapped_column(String(200))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ObjectionRow(Base):
    __tablename__ = "objections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    cadre_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(200), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WorkflowEventRow(Base):
    """One transition of a workflow: who, when, what and why."""

    __tablename__ = "workflow_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class PostingRow(Base):
    """One cadre in one post for one term (the archive, 一人一档): matcher_service.store.archive."""

    __tablename__ = "postings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cadre_id: Mapped[str] = mapped_column(String(64), index=True)
    cadre_name: Mapped[str] = mapped_column(Text)
    community_id: Mapped[str] = mapped_column(String(64), index=True)
    community_name: Mapped[str] = mapped_column(Text)
    post_type: Mapped[str] = mapped_column(String(16))
    round_id: Mapped[str] = mapped_column(String(40))
    plan_id: Mapped[str] = mapped_column(String(40), index=True)
    start: Mapped[date] = mapped_column(Date)
    term_months: Mapped[int] = mapped_column(Integer)
    term_end: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    ended: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_by_plan: Mapped[str | None] = mapped_column(String(40), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlanApprovalRow(Base):
    """A plan approved into the archive (its postings start on ``start``)."""

    __tablename__ = "plan_approvals"
    plan_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    round_id: Mapped[str] = mapped_column(String(40), index=True)
    start: Mapped[date] = mapped_column(Date)
    replaces: Mapped[str | None] = mapped_column(String(40), nullable=True)
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReplacementRow(Base):
    """A replacement plan: the plan it adjusts, the events and the report (levels, changes)."""

    __tablename__ = "replacements"
    plan_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    source_plan_id: Mapped[str] = mapped_column(String(40), index=True)
    round_id: Mapped[str] = mapped_column(String(40))
    events: Mapped[str] = mapped_column(Text)
    report: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MappingTemplateRow(Base):
    """A column mapping saved by name (列的识别模板), reused for next year's workbook."""

    __tablename__ = "mapping_templates"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RoundOriginRow(Base):
    """The approved plan a round was made from (next round, rotation, replacement): the
    lineage an approval follows to tell a successor plan from a rival one."""

    __tablename__ = "round_origins"
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(40), index=True)


class IdempotencyRow(Base):
    """A change made under an ``Idempotency-Key``: a retry with the same key gets its outcome
    instead of doing it twice (written in the change's own transaction)."""

    __tablename__ = "idempotency_keys"
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the API key's id
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(Text)  # JSON the route renders its answer from
    round_id: Mapped[str | None] = mapped_column(ForeignKey("rounds.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1].split("?")[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept, not churned: a new one costs a connect and the pragmas below,
        # and the default pool (5 + 10 overflow, overflow closed on return) did that under load.
        engine = create_engine(
            url,
            connect_args={"timeout": 30},
            pool_size=_POOL,
            max_overflow=_POOL,
            hide_parameters=True,  # errors and logs never quote stored values (personal data)
        )

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            # deleted rows are overwritten with zeros, not left in free pages (erasure)
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        return engine
    # PostgreSQL: the same kept pool as SQLite (10 + 20 overflow closed a server connection
    # after each request beyond the tenth of 50 concurrent readers). It did not close the gap
    # in one loaded run: GET /rounds/{id} server p95 416 ms vs SQLite's 65 ms (issue 23).
    return create_engine(
        url, pool_pre_ping=True, pool_size=_POOL, max_overflow=_POOL, hide_parameters=True
    )
