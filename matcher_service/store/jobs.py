"""Solve jobs in the store: queued (within the queue bound), read, listed, cancelled.

What a worker does with a job it runs — claim it under a lease, renew the lease, report
progress, write the plan with the final state — is in :mod:`matcher_service.store.leases`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, func, select

from matcher_service.store.audit import audit_in
from matcher_service.store.database import QUEUE_LOCK, Database
from matcher_service.store.records import (
    ACTIVE,
    AuditEntry,
    Job,
    NotFound,
    QueueFull,
    columns,
    new_id,
    now,
    utc,
)
from matcher_service.tables import JobRow, RoundRow

# A hot read, built once: building a select costs more than SQLite takes to answer it.
_JOB = select(*JobRow.__table__.columns).where(JobRow.id == bindparam("jid"))


def job_record(row: Any) -> Job:
    """A job from its ORM row or a plain result row (both have the columns as attributes)."""
    return Job(
        **columns(
            Job,
            row,
            created_at=utc(row.created_at) or now(),
            started_at=utc(row.started_at),
            finished_at=utc(row.finished_at),
            lease_until=utc(row.lease_until),
        )
    )


class JobStore(Database):
    """Solve jobs and the plans they write."""

    def create_job(
        self,
        round_id: str,
        who: str,
        time_limit_s: float,
        queue_limit: int,
        rerun_of: str | None = None,
        version: int | None = None,
        audit: AuditEntry | None = None,
        kind: str = "solve",
        source_plan_id: str | None = None,
        payload: str | None = None,
    ) -> Job:
        """Queue a solve of ``version`` (default: current) — or, with ``kind="replace"``, a
        replacement of plan ``source_plan_id`` (``payload``: its order, see
        :mod:`matcher_service.replace_job`); QueueFull when enough wait.

        Counting and adding happen under one write lock, so parallel requests can never
        queue more than ``queue_limit`` jobs between them."""
        with self.writing(QUEUE_LOCK) as s:
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
                kind=kind,
                source_plan_id=source_plan_id,
                payload=payload,
            )
            s.add(job)
            s.flush()
            audit_in(s, audit and replace(audit, job_id=job.id, version=job.round_version))
            return job_record(job)

    def get_job(self, job_id: str) -> Job:
        with self.engine.connect() as conn:  # a plain row: pollers call this often
            row = conn.execute(_JOB, {"jid": job_id}).first()
        if row is None:
            raise NotFound(job_id)
        return job_record(row)

    def list_jobs(
        self,
        round_id: str | None = None,
        states: tuple[str, ...] = (),
        source_plan_id: str | None = None,
    ) -> list[Job]:
        with self.session() as s:
            q = select(JobRow).order_by(JobRow.created_at, JobRow.id)
            if round_id is not None:
                q = q.where(JobRow.round_id == round_id)
            if source_plan_id is not None:
                q = q.where(JobRow.source_plan_id == source_plan_id)
            if states:
                q = q.where(JobRow.state.in_(states))
            return [job_record(r) for r in s.scalars(q).all()]

    def queue_depth(self) -> dict[str, int]:
        """How many jobs are queued and running (all server instances)."""
        with self.engine.connect() as conn:
            q = (
                select(JobRow.state, func.count())
                .where(JobRow.state.in_(ACTIVE))
                .group_by(JobRow.state)
            )
            counts = {state: int(n) for state, n in conn.execute(q).all()}
        return {state: counts.get(state, 0) for state in ACTIVE}

    def cancel_requested(self, job_id: str) -> bool:
        with self.session() as s:
            return bool(s.scalar(select(JobRow.cancel_requested).where(JobRow.id == job_id)))

    def request_cancel(self, job_id: str, audit: AuditEntry | None = None) -> Job:
        """Flag a running job to stop; a queued job is cancelled at once."""
        with self.writing() as s:
            row = s.get(JobRow, job_id, with_for_update=True)
            if row is None:
                raise NotFound(job_id)
            if row.state == "queued":
                row.state, row.finished_at, row.phase = "cancelled", now(), "cancelled"
            if row.state in ACTIVE:
                row.cancel_requested = True
            s.flush()
            audit_in(s, audit and replace(audit, status=202 if row.state in ACTIVE else 200))
            return job_record(row)
