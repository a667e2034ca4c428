"""The posting archive (一人一档): every cadre's postings across rounds, each community's line
of secretaries, plan approvals and replacement plans.

An approval writes in one transaction: the plan's approval row, the end of every posting it
closes (outcome, reason, date) and a serving posting for every post it fills anew. A
replacement stores its round, its plan and its report together, so none exists without the
others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from matcher_service.store.database import Database
from matcher_service.store.records import NotFound, Plan, columns, new_id, now, utc
from matcher_service.tables import (
    PlanApprovalRow,
    PlanRow,
    PostingRow,
    ReplacementRow,
    RoundRow,
    RoundVersionRow,
)


@dataclass(frozen=True)
class PostingRecord:
    """One posting as stored."""

    id: int
    cadre_id: str
    cadre_name: str
    community_id: str
    community_name: str
    post_type: str
    round_id: str
    plan_id: str
    start: date
    term_months: int
    term_end: date
    outcome: str
    reason: str
    ended: date | None
    ended_by_plan: str | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class NewPosting:
    """A posting an approval starts."""

    cadre_id: str
    cadre_name: str
    community_id: str
    community_name: str
    post_type: str
    start: date
    term_months: int
    term_end: date


@dataclass(frozen=True)
class Ending:
    """A serving posting an approval closes: the cadre, how and why."""

    cadre_id: str
    outcome: str
    reason: str


@dataclass(frozen=True)
class Approval:
    """A plan approved into the archive."""

    plan_id: str
    round_id: str
    start: date
    replaces: str | None
    approved_by: str
    approved_at: datetime


@dataclass(frozen=True)
class ReplacementRecord:
    """A stored replacement: its plan, the plan it adjusts, events and report (JSON)."""

    plan_id: str
    source_plan_id: str
    round_id: str
    events: str
    report: str
    created_by: str
    created_at: datetime


class AlreadyApproved(RuntimeError):
    """The plan is in the archive already."""


def _posting(row: PostingRow) -> PostingRecord:
    return PostingRecord(**columns(PostingRecord, row, recorded_at=utc(row.recorded_at)))


class ArchiveStore(Database):
    """Postings, approvals and replacements."""

    def approve_plan(
        self,
        plan: Plan,
        start: date,
        who: str,
        postings: list[NewPosting],
        endings: list[Ending],
        replaces: str | None = None,
    ) -> Approval:
        """Record the approval, close ``endings`` (serving postings of those cadres) and start
        ``postings``, all in one transaction."""
        t = now()
        with self.writing() as s:
            if s.get(PlanApprovalRow, plan.id) is not None:
                raise AlreadyApproved(plan.id)
            row = PlanApprovalRow(
                plan_id=plan.id,
                round_id=plan.round_id,
                start=start,
                replaces=replaces,
                approved_by=who,
                approved_at=t,
            )
            s.add(row)
            by_cadre = {e.cadre_id: e for e in endings}
            if by_cadre:
                q = select(PostingRow).where(
                    PostingRow.cadre_id.in_(list(by_cadre)), PostingRow.outcome == "serving"
                )
                for p in s.scalars(q).all():
                    e = by_cadre[p.cadre_id]
                    p.outcome, p.reason, p.ended, p.ended_by_plan = (
                        e.outcome,
                        e.reason,
                        start,
                        plan.id,
                    )
            for n in postings:
                s.add(
                    PostingRow(
                        **n.__dict__,
                        round_id=plan.round_id,
                        plan_id=plan.id,
                        outcome="serving",
                        reason="",
                        recorded_by=who,
                        recorded_at=t,
                    )
                )
        return Approval(plan.id, plan.round_id, start, replaces, who, t)

    def get_approval(self, plan_id: str) -> Approval | None:
        with self.session() as s:
            row = s.get(PlanApprovalRow, plan_id)
            if row is None:
                return None
            return Approval(**columns(Approval, row, approved_at=utc(row.approved_at)))

    def person_file(self, cadre_id: str) -> list[PostingRecord]:
        """Every posting of a cadre, oldest first (empty when the archive knows none)."""
        with self.session() as s:
            q = select(PostingRow).where(PostingRow.cadre_id == cadre_id)
            rows = s.scalars(q.order_by(PostingRow.start, PostingRow.id)).all()
            return [_posting(r) for r in rows]

    def community_history(self, community_id: str) -> list[PostingRecord]:
        """The community's line of cadres (first secretaries and helpers), oldest first."""
        with self.session() as s:
            q = select(PostingRow).where(PostingRow.community_id == community_id)
            rows = s.scalars(q.order_by(PostingRow.start, PostingRow.id)).all()
            return [_posting(r) for r in rows]

    def postings_of_plan(self, plan_id: str) -> list[PostingRecord]:
        """Postings an approved plan started."""
        with self.session() as s:
            q = select(PostingRow).where(PostingRow.plan_id == plan_id).order_by(PostingRow.id)
            return [_posting(r) for r in s.scalars(q).all()]

    def serving(self) -> list[PostingRecord]:
        """Every posting still serving."""
        with self.session() as s:
            q = select(PostingRow).where(PostingRow.outcome == "serving").order_by(PostingRow.id)
            return [_posting(r) for r in s.scalars(q).all()]

    def add_replacement(
        self,
        source: Plan,
        round_name: str,
        round_body: str,
        counts: tuple[int, int],
        result: str,
        status: str,
        objective: int | None,
        events: str,
        report: str,
        who: str,
    ) -> ReplacementRecord:
        """Store the replacement's round (version 1), its plan and its report together."""
        rid, pid, t = new_id("r"), new_id("p"), now()
        with self.session() as s:
            s.add(
                RoundRow(
                    id=rid,
                    name=round_name,
                    version=1,
                    created_at=t,
                    updated_at=t,
                    created_by=who,
                    made_from=source.round_id,
                )
            )
            s.flush()
            s.add(
                RoundVersionRow(
                    round_id=rid,
                    version=1,
                    body=round_body,
                    communities=counts[0],
                    cadres=counts[1],
                    created_at=t,
                    created_by=who,
                )
            )
            s.add(
                PlanRow(
                    id=pid,
                    round_id=rid,
                    round_version=1,
                    job_id=f"replaces {source.id}"[:40],
                    status=status,
                    objective=objective,
                    result=result,
                    created_at=t,
                )
            )
            s.flush()
            s.add(
                ReplacementRow(
                    plan_id=pid,
                    source_plan_id=source.id,
                    round_id=rid,
                    events=events,
                    report=report,
                    created_by=who,
                    created_at=t,
                )
            )
        return ReplacementRecord(pid, source.id, rid, events, report, who, t)

    def get_replacement(self, plan_id: str) -> ReplacementRecord:
        with self.session() as s:
            row = s.get(ReplacementRow, plan_id)
            if row is None:
                raise NotFound(plan_id)
            return ReplacementRecord(
                **columns(ReplacementRecord, row, created_at=utc(row.created_at))
            )
