"""Solve jobs in the store: queued, claimed by a worker, reporting progress, finished.

A job carries its progress and cancel flag; its plan is written together with its final
state in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, func, select, update

from matcher_service.store.audit import audit_in
from matcher_service.store.database import QUEUE_LOCK, Database, changed
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
from matcher_service.tables import JobRow, PlanRow, RoundRow

# A hot read, built once: building a select costs more than SQLite takes to answer it.
_JOB = select(*JobRow.__table__.columns).where(JobRow.id == bindparam("jid"))


def _job(row: Any) -> Job:
    """A job from its ORM row or a plain result row (both have the columns as attributes)."""
    return Job(
        **columns(
            Job,
            row,
            created_at=utc(row.created_at) or now(),
            started_at=utc(row.started_at),
            finished_at=utc(row.finished_at),
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
    ) -> Job:
        """Queue a solve of ``version`` (default: current); QueueFull when enough wait.

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
            )
            s.add(job)
            s.flush()
            audit_in(s, audit)
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

    def _set(self, job_id: str, when: str, **values: Any) -> bool:
        """Set ``values`` on the job if its state is ``when``; did it?"""
        with self.session() as s:
            res = s.execute(
                update(JobRow).where(JobRow.id == job_id, JobRow.state == when).values(**values)
            )
            return changed(res)

    def claim_job(self, job_id: str, pid: int) -> bool:
        """Move a queued job to running for worker ``pid``; False if it is no longer queued."""
        return self._set(
            job_id, "queued", state="running", worker_pid=pid, started_at=now(), phase="starting"
        )

    def report_progress(
        self,
        job_id: str,
        phase: str,
        fraction: float,
        message: str,
        objective: int | None,
        bound: float | None,
    ) -> None:
        self._set(
            job_id,
            "running",
            phase=phase[:64],
            fraction=fraction,
            message=message,
            objective=objective,
            bound=bound,
        )

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
        return self._set(
            job_id,
            "running",
            state="interrupted",
            error=reason,
            finished_at=now(),
            phase="interrupted",
        )

    def recover(self) -> tuple[list[str], list[str]]:
        """After a restart: running jobs become interrupted; return (interrupted, still queued)."""
        running = [j.id for j in self.list_jobs(states=("running",))]
        for jid in running:
            self.mark_interrupted(jid, "the service stopped while this job ran; re-run it")
        queued = [j.id for j in self.list_jobs(states=("queued",))]
        return running, queued
