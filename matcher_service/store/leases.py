"""Jobs as a worker runs them: claimed under a lease, renewed by a heartbeat, fenced writes.

A claim gives the job an owner (the server instance whose worker runs it) and a fresh lease
token, valid until ``lease_until``. Every later write by the worker — progress, the plan and
final state — carries the token and lands only while the job is still ``running`` under that
token (``UPDATE … WHERE lease_token = …``): once anyone declared the job interrupted (its lease
ran out, its worker died), an orphan's write changes nothing and :class:`LeaseLost` is raised.
Any server instance expires leases that ran out, never a live one, so a restart or a second
instance on the same database never takes over or re-labels a job that is still running.
Claims take the oldest queued job with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) or under
``BEGIN IMMEDIATE`` (SQLite), so workers of several instances share one queue.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matcher_service.store.database import Database, changed
from matcher_service.store.jobs import job_record
from matcher_service.store.records import Job, LeaseLost, new_id, now
from matcher_service.tables import JobRow, PlanRow

INTERRUPTED = "the worker running this job stopped (service restart or crash); re-run it"


def _lease(s: float) -> Any:
    return now() + timedelta(seconds=s)


def _claimed(owner: str, pid: int, lease_s: float) -> dict[str, Any]:
    """The columns a claim sets."""
    return {
        "state": "running",
        "owner": owner[:120],
        "worker_pid": pid,
        "lease_token": uuid4().hex,
        "lease_until": _lease(lease_s),
        "started_at": now(),
        "phase": "starting",
    }


def finish_in(
    s: Session, job_id: str, token: str | None, state: str, plan_id: str | None, error: str | None
) -> JobRow:
    """In session ``s``: the job's final state, if it still runs under lease ``token`` (else
    :class:`LeaseLost`, and the caller's transaction rolls back). A replacement job calls it
    inside the transaction that stores the replacement, so both land or neither does."""
    row = s.scalars(
        select(JobRow)
        .where(JobRow.id == job_id, JobRow.state == "running", JobRow.lease_token == token)
        .with_for_update()
    ).first()
    if row is None:
        raise LeaseLost(job_id)
    row.state, row.plan_id, row.error = state, plan_id, error
    row.finished_at, row.phase, row.lease_until = now(), state, None
    row.payload = None  # a replacement's order (reasons, new cadres) outlives no finished job
    if state == "succeeded":
        row.fraction = 1.0
    return row


class LeaseStore(Database):
    """Claiming, renewing and finishing jobs; expiring the leases nobody renews."""

    def claim_job(
        self, job_id: str, pid: int, owner: str = "", lease_s: float = 30.0
    ) -> str | None:
        """Claim one queued job for worker ``pid``; its lease token, or None if it is no
        longer queued."""
        values = _claimed(owner, pid, lease_s)
        with self.session() as s:
            res = s.execute(
                update(JobRow).where(JobRow.id == job_id, JobRow.state == "queued").values(**values)
            )
            return str(values["lease_token"]) if changed(res) else None

    def claim_next(self, owner: str, pid: int, lease_s: float) -> Job | None:
        """Claim the oldest queued job for worker ``pid`` of instance ``owner`` (None: none
        waits). Concurrent claimers never get the same job."""
        with self.engine.connect() as conn:  # idle workers ask often: a plain read first
            waiting = conn.execute(select(JobRow.id).where(JobRow.state == "queued").limit(1))
            if waiting.first() is None:
                return None
        with self.writing() as s:
            row = s.scalars(
                select(JobRow)
                .where(JobRow.state == "queued")
                .order_by(JobRow.created_at, JobRow.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            for k, v in _claimed(owner, pid, lease_s).items():
                setattr(row, k, v)
            s.flush()
            return job_record(row)

    def _fenced(self, job_id: str, token: str | None, **values: Any) -> bool:
        """Set ``values`` on the job if it still runs under lease ``token``; did it?"""
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "running", JobRow.lease_token == token)
                .values(**values)
            )
            return changed(res)

    def renew_lease(self, job_id: str, token: str, lease_s: float) -> bool:
        """The heartbeat: extend the lease; False when the job is no longer this worker's."""
        return self._fenced(job_id, token, lease_until=_lease(lease_s))

    def report_progress(
        self,
        job_id: str,
        token: str,
        phase: str,
        fraction: float,
        message: str,
        objective: int | None,
        bound: float | None,
    ) -> bool:
        return self._fenced(
            job_id,
            token,
            phase=phase[:64],
            fraction=fraction,
            message=message,
            objective=objective,
            bound=bound,
        )

    def finish_job(
        self,
        job_id: str,
        token: str | None,
        state: str,
        result: dict[str, Any] | None,
        error: str | None = None,
        plan_id: str | None = None,
    ) -> str | None:
        """Write the plan (if any) and the job's final state in one transaction, if the job
        still runs under lease ``token``; else :class:`LeaseLost` and nothing is written.
        ``plan_id`` names a plan stored already (a replacement a retry stored first)."""
        if result is not None:
            plan_id = new_id("p")
        with self.writing() as s:
            row = finish_in(s, job_id, token, state, plan_id, error)
            if result is not None and plan_id is not None:
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
            return plan_id

    def interrupt(self, job_id: str, token: str | None, reason: str) -> bool:
        """A running job whose worker is gone: interrupted (it can be re-run)."""
        return self._fenced(
            job_id,
            token,
            state="interrupted",
            error=reason,
            finished_at=now(),
            phase="interrupted",
            lease_until=None,
        )

    def expire_leases(self, reason: str = INTERRUPTED) -> list[str]:
        """Running jobs whose lease ran out (nobody renewed it) become interrupted; their ids.
        A live lease is never touched."""
        with self.session() as s:
            q = select(JobRow.id, JobRow.lease_token).where(
                JobRow.state == "running", JobRow.lease_until < now()
            )
            expired = s.execute(q).all()
        return [jid for jid, token in expired if self._expire(jid, token, reason)]

    def _expire(self, job_id: str, token: str | None, reason: str) -> bool:
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(
                    JobRow.id == job_id,
                    JobRow.state == "running",
                    JobRow.lease_token == token,
                    JobRow.lease_until < now(),
                )
                .values(
                    state="interrupted",
                    error=reason,
                    finished_at=now(),
                    phase="interrupted",
                    lease_until=None,
                )
            )
            return changed(res)

    def recover(self) -> tuple[list[str], list[str]]:
        """At start: running jobs whose lease ran out become interrupted (live ones belong to
        another instance and are left alone); return (interrupted, still queued)."""
        interrupted = self.expire_leases()
        queued = [j.id for j in self.list_queued()]
        return interrupted, queued

    def list_queued(self) -> list[Job]:
        with self.session() as s:
            q = select(JobRow).where(JobRow.state == "queued")
            return [
                job_record(r) for r in s.scalars(q.order_by(JobRow.created_at, JobRow.id)).all()
            ]
