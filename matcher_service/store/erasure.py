"""Erasing a round means gone: the round and everything derived from it.

Derived are the rounds made from it (a next round, a replacement round — ``rounds.made_from``,
a replacement's source plan, a workflow's next round), recursively, and for each of them every
version, job, plan, workflow row, nomination, clearance, objection, replacement report, plan
approval and archived posting. Postings of other rounds that a derived plan had ended keep their
outcome but no longer name the erased plan. Audit rows stay (they name keys and ids, never a
person) but the reasons given with actions on the erased rounds are blanked, since a reason may
name someone; the erasure itself is one more audit row, written in the same transaction.

Then the bytes go too (:meth:`ErasureStore.scrub`): SQLite runs with ``secure_delete`` (deleted
content is overwritten with zeros) and the WAL is checkpointed and truncated, so neither the
database file nor its ``-wal`` holds the erased text; PostgreSQL's tables are vacuumed so the
dead rows' space is reclaimed for reuse. Caches of other server processes hold no erased body
past the next request: a cached body is served only while its round exists
(:func:`matcher_service.deps.read_plan`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from matcher_service.store.audit import audit_in
from matcher_service.store.database import Database
from matcher_service.store.records import ACTIVE, AuditEntry, NotFound, Stale
from matcher_service.tables import (
    AuditRow,
    Base,
    JobRow,
    PlanApprovalRow,
    PlanRow,
    PostingRow,
    ReplacementRow,
    RoundRow,
    WorkflowRow,
)

log = logging.getLogger(__name__)


def _made_from_rounds() -> list[Table]:
    """Every table whose rows belong to a round (a foreign key to ``rounds.id``), dependents
    first: versions, jobs, plans, and whatever later features add (nominations, clearances,
    objections …) — so erasure never misses one and never trips a foreign key."""
    rounds = RoundRow.__table__
    owned = [
        t
        for t in Base.metadata.sorted_tables
        if "round_id" in t.c and any(fk.column.table is rounds for fk in t.c.round_id.foreign_keys)
    ]
    return list(reversed(owned))


def derived_rounds(s: Session, round_id: str) -> list[str]:
    """``round_id`` and every round made from it, directly or through others."""
    found: list[str] = []
    todo = [round_id]
    while todo:
        batch = [r for r in dict.fromkeys(todo) if r not in found]
        found += batch
        if not batch:
            break
        plans = select(PlanRow.id).where(PlanRow.round_id.in_(batch))
        todo = [
            *s.scalars(select(RoundRow.id).where(RoundRow.made_from.in_(batch))),
            *s.scalars(
                select(ReplacementRow.round_id).where(ReplacementRow.source_plan_id.in_(plans))
            ),
            *s.scalars(
                select(WorkflowRow.next_round_id).where(
                    WorkflowRow.round_id.in_(batch), WorkflowRow.next_round_id.is_not(None)
                )
            ),
        ]
    return [r for r in found if s.get(RoundRow, r) is not None]


class RoundBusy(RuntimeError):
    """A job of the round (or of a round made from it) is queued or running: cancel it
    before erasing the round."""

    def __init__(self, active: int) -> None:
        super().__init__(f"{active} job(s) of the round are queued or running")
        self.active = active


class ErasureStore(Database):
    """Deleting a round and everything made from it."""

    def delete_round(
        self,
        round_id: str,
        expected: Collection[int] | None = None,
        audit: AuditEntry | None = None,
    ) -> list[str]:
        """Erase the round and every round derived from it; return their ids (the round's
        first). :class:`NotFound` for an unknown round, :class:`RoundBusy` while a job of one
        of them is queued or running, :class:`Stale` when ``expected`` (an If-Match) does not
        hold the current version."""
        with self.writing() as s:
            row = s.get(RoundRow, round_id, with_for_update=True)
            if row is None:
                raise NotFound(round_id)
            if expected is not None and row.version not in expected:
                raise Stale(row.version)
            gone = derived_rounds(s, round_id)
            active = s.scalar(
                select(func.count())
                .select_from(JobRow)
                .where(JobRow.round_id.in_(gone), JobRow.state.in_(ACTIVE))
            )
            if active:
                raise RoundBusy(int(active))
            plans = list(s.scalars(select(PlanRow.id).where(PlanRow.round_id.in_(gone))))
            s.execute(delete(ReplacementRow).where(ReplacementRow.round_id.in_(gone)))
            s.execute(delete(ReplacementRow).where(ReplacementRow.source_plan_id.in_(plans)))
            s.execute(delete(PlanApprovalRow).where(PlanApprovalRow.round_id.in_(gone)))
            s.execute(delete(PostingRow).where(PostingRow.round_id.in_(gone)))
            s.execute(
                update(PostingRow)
                .where(PostingRow.ended_by_plan.in_(plans))
                .values(ended_by_plan=None)
            )
            for table in _made_from_rounds():
                s.execute(delete(table).where(table.c.round_id.in_(gone)))
            s.execute(update(RoundRow).where(RoundRow.made_from.in_(gone)).values(made_from=None))
            s.execute(
                update(WorkflowRow)
                .where(WorkflowRow.next_round_id.in_(gone))
                .values(next_round_id=None)
            )
            s.execute(delete(RoundRow).where(RoundRow.id.in_(gone)))
            s.execute(update(AuditRow).where(AuditRow.round_id.in_(gone)).values(reason=None))
            audit_in(s, audit)
        self.scrub()
        return gone

    def scrub(self) -> None:
        """Leave no erased bytes behind: on SQLite checkpoint the WAL into the database
        (whose deleted content ``secure_delete`` zeroed) and truncate it; on PostgreSQL
        vacuum the tables that held the round. Best effort: a reader holding the WAL open
        leaves it for the next erasure or checkpoint (logged)."""
        if self.local:
            with self.engine.connect() as conn:
                busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
                conn.commit()
            if busy is not None and busy[0]:
                log.warning("the WAL could not be truncated after an erasure (a reader is open)")
            return
        if self.engine.dialect.name == "postgresql":
            tables = [t.name for t in _made_from_rounds()]
            tables += ["rounds", "replacements", "plan_approvals", "postings", "audit"]
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for name in tables:
                    conn.execute(text(f'VACUUM "{name}"'))
