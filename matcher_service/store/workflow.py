"""The selection workflow in the store: each round's state, nominations, clearances, objections
and the event log of every transition (who, when, what, why).

Every change checks the workflow's state and writes its event in the same write transaction
(:meth:`Database.writing`), so two people acting at once cannot both move a round on, and no
change exists without its event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.store.database import Database
from matcher_service.store.records import NotFound, columns, now, utc
from matcher_service.tables import (
    ClearanceRow,
    KeyScopeRow,
    NominationRow,
    RoundRow,
    WorkflowEventRow,
    WorkflowRow,
)

STATES = ("nominating", "vetting", "reviewed", "proposed", "publicity", "approved", "published")
REVIEWABLE = ("vetting", "reviewed", "proposed", "publicity")
"""States a review may start from: a change after review (a new round version, an objection
upheld) sends the round back to review, and the plan must be solved and publicised again."""


class WrongState(RuntimeError):
    """The workflow is not in a state that allows this (``state`` is where it is)."""

    def __init__(self, state: str | None, wanted: Iterable[str]) -> None:
        self.state, self.wanted = state, tuple(wanted)
        super().__init__(f"{state} not in {self.wanted}")


class Duplicate(RuntimeError):
    """The item exists already."""


class ChangedSinceReview(RuntimeError):
    """The round has a version after the reviewed one (``version`` > ``reviewed``)."""

    def __init__(self, version: int, reviewed: int | None) -> None:
        self.version, self.reviewed = version, reviewed
        super().__init__(f"version {version}, reviewed {reviewed}")


@dataclass(frozen=True)
class Actor:
    """Who acts: the key's name and role (written into every event)."""

    who: str
    role: str


@dataclass(frozen=True)
class Workflow:
    round_id: str
    state: str
    pool_version: int | None
    reviewed_version: int | None
    plan_id: str | None
    publicity_ends: datetime | None
    next_round_id: str | None
    updated_at: datetime
    min_publicity_days: int | None = None
    publicity_started: datetime | None = None
    publicity_days: int | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    signatory: str | None = None
    decision: str | None = None


@dataclass(frozen=True)
class Nomination:
    round_id: str
    cadre_id: str
    unit: str
    reason: str
    nominated_by: str
    nominated_at: datetime
    decision: str
    decision_reason: str


@dataclass(frozen=True)
class ClearanceRecord:
    round_id: str
    cadre_id: str
    department: str
    status: str
    date: str | None
    note: str
    given_by: str
    given_at: datetime


@dataclass(frozen=True)
class WorkflowEvent:
    id: int
    round_id: str
    at: datetime
    who: str
    role: str
    action: str
    subject: str
    reason: str


def workflow_of(row: WorkflowRow) -> Workflow:
    return Workflow(
        **columns(
            Workflow,
            row,
            publicity_ends=utc(row.publicity_ends),
            publicity_started=utc(row.publicity_started),
            approved_at=utc(row.approved_at),
            updated_at=utc(row.updated_at) or now(),
        )
    )


def event(
    s: Session,
    round_id: str,
    actor: Actor,
    action: str,
    subject: str,
    why: str,
    at: datetime | None = None,
) -> None:
    """Log one transition (who, when, what, why) in the transaction of session ``s``."""
    s.add(
        WorkflowEventRow(
            round_id=round_id,
            at=at or now(),
            who=actor.who,
            role=actor.role,
            action=action,
            subject=subject[:200],
            reason=why,
        )
    )


class WorkflowStore(Database):
    """Workflows, nominations, clearances, events, key scopes (objections: :mod:`.objections`)."""

    def set_key_scope(self, key_id: str, scope: str) -> None:
        with self.session() as s:
            s.merge(KeyScopeRow(key_id=key_id, scope=scope))

    def key_scope(self, key_id: str) -> str | None:
        with self.session() as s:
            row = s.get(KeyScopeRow, key_id)
            return None if row is None else row.scope

    def get_workflow(self, round_id: str) -> Workflow:
        with self.session() as s:
            row = s.get(WorkflowRow, round_id)
            if row is None:
                raise NotFound(round_id)
            return workflow_of(row)

    def find_workflow(self, round_id: str) -> Workflow | None:
        """The round's workflow, or None when the round has none."""
        with self.session() as s:
            row = s.get(WorkflowRow, round_id)
            return None if row is None else workflow_of(row)

    def list_workflows(self) -> list[Workflow]:
        with self.session() as s:
            rows = s.scalars(select(WorkflowRow).order_by(WorkflowRow.updated_at.desc()))
            return [workflow_of(r) for r in rows]

    def open_workflow(
        self,
        round_id: str,
        actor: Actor,
        why: str,
        at: datetime | None = None,
        min_publicity_days: int | None = None,
    ) -> Workflow:
        """Open the round's selection (nominating); ``min_publicity_days`` is the round's own
        shortest publicity (the caller checked it against the service's floor)."""
        t = at or now()
        with self.writing() as s:
            if s.get(WorkflowRow, round_id) is not None:
                raise Duplicate(round_id)
            row = WorkflowRow(
                round_id=round_id,
                state="nominating",
                updated_at=t,
                min_publicity_days=min_publicity_days,
            )
            s.add(row)
            event(s, round_id, actor, "open", "", why, t)
            s.flush()
            return workflow_of(row)

    def move(
        self,
        round_id: str,
        from_states: Iterable[str],
        to_state: str,
        actor: Actor,
        why: str,
        subject: str = "",
        unchanged: bool = False,
        at: datetime | None = None,
        **fields: Any,
    ) -> Workflow:
        """Move the workflow from one of ``from_states`` to ``to_state``, setting ``fields``;
        with ``unchanged``, only while the round's current version is the reviewed one (checked
        in the same transaction, so an edit cannot slip in between)."""
        with self.writing() as s:
            row = in_state(s, round_id, from_states)
            if unchanged:
                head = s.get(RoundRow, round_id)
                if head is None or head.version != row.reviewed_version:
                    raise ChangedSinceReview(head.version if head else 0, row.reviewed_version)
            return moved(s, row, to_state, actor, why, subject, at or now(), **fields)

    def nominate(
        self,
        round_id: str,
        cadre_id: str,
        unit: str,
        actor: Actor,
        why: str,
        at: datetime | None = None,
    ) -> None:
        t = at or now()
        with self.writing() as s:
            in_state(s, round_id, ("nominating",))
            old = s.get(NominationRow, (round_id, cadre_id))
            if old is not None:
                raise Duplicate(old.unit)
            add_nomination(s, round_id, cadre_id, unit, actor, why, t)

    def list_nominations(self, round_id: str, unit: str | None = None) -> list[Nomination]:
        with self.session() as s:
            return nominations_in(s, round_id, unit)

    def set_clearances(
        self,
        round_id: str,
        department: str,
        items: list[tuple[str, str, str | None, str]],
        actor: Actor,
        why: str,
        at: datetime | None = None,
    ) -> None:
        """Write a department's answers: (cadre id, status, date, note) each, in one go."""
        t = at or now()
        with self.writing() as s:
            in_state(s, round_id, ("vetting",))
            for cadre_id, status, date, note in items:
                s.merge(
                    ClearanceRow(
                        round_id=round_id,
                        cadre_id=cadre_id,
                        department=department,
                        status=status,
                        date=date,
                        note=note,
                        given_by=actor.who,
                        given_at=t,
                    )
                )
            counts = {st: sum(1 for i in items if i[1] == st) for st in ("cleared", "refused")}
            tally = (
                f"{len(items)} answers: {counts['cleared']} cleared, {counts['refused']} refused"
            )
            event(s, round_id, actor, "clear", department, f"{tally}. {why}".strip(), t)

    def list_clearances(
        self, round_id: str, department: str | None = None
    ) -> list[ClearanceRecord]:
        with self.session() as s:
            return clearances_in(s, round_id, department)

    def list_events(self, round_id: str) -> list[WorkflowEvent]:
        with self.session() as s:
            q = select(WorkflowEventRow).where(WorkflowEventRow.round_id == round_id)
            return [
                WorkflowEvent(**columns(WorkflowEvent, r, at=utc(r.at)))
                for r in s.scalars(q.order_by(WorkflowEventRow.id))
            ]


def add_nomination(
    s: Session, round_id: str, cadre_id: str, unit: str, actor: Actor, why: str, at: datetime
) -> None:
    """Record one nomination, undecided, and its event, in session ``s`` (the caller has
    locked the workflow row and checked the person is not nominated yet)."""
    s.add(
        NominationRow(
            round_id=round_id,
            cadre_id=cadre_id,
            unit=unit,
            reason=why,
            nominated_by=actor.who,
            nominated_at=at,
            decision="",
            decision_reason="",
        )
    )
    event(s, round_id, actor, "nominate", cadre_id, why, at)


def in_state(s: Session, round_id: str, states: Iterable[str]) -> WorkflowRow:
    """The workflow's row, locked for this transaction, if it is in one of ``states``."""
    row = s.get(WorkflowRow, round_id, with_for_update=True)
    wanted = tuple(states)
    if row is None or row.state not in wanted:
        raise WrongState(None if row is None else row.state, wanted)
    return row


def moved(
    s: Session,
    row: WorkflowRow,
    to_state: str,
    actor: Actor,
    why: str,
    subject: str,
    at: datetime,
    action: str | None = None,
    **fields: object,
) -> Workflow:
    """Set the row's state and ``fields`` and log the event (``action``, by default the new
    state's name), in session ``s``."""
    row.state, row.updated_at = to_state, at
    for k, v in fields.items():
        setattr(row, k, v)
    event(s, row.round_id, actor, action or to_state, subject, why, at)
    s.flush()
    return workflow_of(row)


def nominations_in(s: Session, round_id: str, unit: str | None = None) -> list[Nomination]:
    q = select(NominationRow).where(NominationRow.round_id == round_id)
    if unit is not None:
        q = q.where(NominationRow.unit == unit)
    rows = s.scalars(q.order_by(NominationRow.nominated_at, NominationRow.cadre_id))
    return [Nomination(**columns(Nomination, r, nominated_at=utc(r.nominated_at))) for r in rows]


def clearances_in(
    s: Session, round_id: str, department: str | None = None
) -> list[ClearanceRecord]:
    q = select(ClearanceRow).where(ClearanceRow.round_id == round_id)
    if department is not None:
        q = q.where(ClearanceRow.department == department)
    rows = s.scalars(q.order_by(ClearanceRow.cadre_id, ClearanceRow.department))
    return [ClearanceRecord(**columns(ClearanceRecord, r, given_at=utc(r.given_at))) for r in rows]
