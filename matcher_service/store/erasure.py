"""Erasing a round: every version, job and plan goes (they hold the cadres' personal data);
the audit rows stay, since they name keys and ids, never a person, and the erasure itself is
one of them, written in the same transaction."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Table, delete, func, select

from matcher_service.store.audit import audit_in
from matcher_service.store.database import Database
from matcher_service.store.records import ACTIVE, AuditEntry, NotFound, Stale
from matcher_service.tables import (
    Base,
    JobRow,
    PlanApprovalRow,
    PostingRow,
    ReplacementRow,
    RoundRow,
)


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


class RoundBusy(RuntimeError):
    """A job of the round is queued or running: cancel it before erasing the round."""

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
    ) -> int:
        """Erase the round; return how many versions it had. :class:`NotFound` for an
        unknown round, :class:`RoundBusy` while one of its jobs is queued or running,
        :class:`Stale` when ``expected`` (an If-Match) does not hold the current version."""
        with self.writing() as s:
            row = s.get(RoundRow, round_id, with_for_update=True)
            if row is None:
                raise NotFound(round_id)
            if expected is not None and row.version not in expected:
                raise Stale(row.version)
            active = s.scalar(
                select(func.count())
                .select_from(JobRow)
                .where(JobRow.round_id == round_id, JobRow.state.in_(ACTIVE))
            )
            if active:
                raise RoundBusy(int(active))
            versions = row.version
            for table in _made_from_rounds():
                s.execute(delete(table).where(table.c.round_id == round_id))
            for archived in (PostingRow, PlanApprovalRow, ReplacementRow):  # made by its plans
                s.execute(delete(archived).where(archived.round_id == round_id))
            s.execute(delete(RoundRow).where(RoundRow.id == round_id))
            audit_in(s, audit)
            return versions
