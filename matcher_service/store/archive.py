"""The posting archive (一人一档): every cadre's postings across rounds, each community's line
of secretaries, plan approvals and replacement plans.

An approval writes in one transaction: the plan's approval row, the end of every posting it
closes (outcome, reason, date) and a serving posting for every post it fills anew. A
replacement stores its round, its plan and its report together, so none exists without the
others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.publicity_period import publicity_end
from matcher_service.store.database import Database
from matcher_service.store.idempotency import Idem, remember, replay
from matcher_service.store.records import NotFound, Plan, columns, new_id, now, utc
from matcher_service.store.workflow import Actor, event
from matcher_service.tables import (
    PlanApprovalRow,
    PlanRow,
    PostingRow,
    ReplacementRow,
    RoundOriginRow,
    RoundRow,
    RoundVersionRow,
    WorkflowRow,
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


def write_approval(
    s: Session,
    plan: Plan,
    start: date,
    who: str,
    postings: list[NewPosting],
    endings: list[Ending],
    replaces: str | None,
    at: datetime,
) -> Approval:
    """In session ``s``: the approval row, the end of every serving posting of ``endings``'
    cadres, and the new ``postings``. :class:`AlreadyApproved` when the plan is in already."""
    if s.get(PlanApprovalRow, plan.id) is not None:
        raise AlreadyApproved(plan.id)
    s.add(
        PlanApprovalRow(
            plan_id=plan.id,
            round_id=plan.round_id,
            start=start,
            replaces=replaces,
            approved_by=who,
            approved_at=at,
        )
    )
    by_cadre = {e.cadre_id: e for e in endings}
    if by_cadre:
        q = select(PostingRow).where(PostingRow.outcome == "serving")
        for p in s.scalars(q).all():
            e = by_cadre.get(p.cadre_id)
            if e is not None:
                p.outcome, p.reason, p.ended, p.ended_by_plan = e.outcome, e.reason, start, plan.id
    for n in postings:
        s.add(
            PostingRow(
                **n.__dict__,
                round_id=plan.round_id,
                plan_id=plan.id,
                outcome="serving",
                reason="",
                recorded_by=who,
                recorded_at=at,
            )
        )
    s.flush()
    return Approval(plan.id, plan.round_id, start, replaces, who, at)


def serving_in(s: Session) -> list[PostingRecord]:
    """Every posting still serving, read in session ``s``."""
    q = select(PostingRow).where(PostingRow.outcome == "serving").order_by(PostingRow.id)
    return [_posting(r) for r in s.scalars(q).all()]


@dataclass(frozen=True)
class ReplacementPublicity:
    """Who replaces, when, and the service's publicity rules (floor, holidays)."""

    actor: Actor
    at: datetime
    floor: int
    holidays: frozenset[date]


def _own_publicity(
    s: Session,
    round_id: str,
    plan_id: str,
    source: str,
    min_days: int | None,
    p: ReplacementPublicity,
) -> None:
    """The replacement round's workflow: reviewed as made, proposed, and under publicity from
    now for the source round's minimum (never below the service's floor)."""
    days = max(p.floor, min_days or p.floor)
    s.add(
        WorkflowRow(
            round_id=round_id,
            state="publicity",
            pool_version=1,
            reviewed_version=1,
            plan_id=plan_id,
            min_publicity_days=min_days,
            publicity_started=p.at,
            publicity_days=days,
            publicity_ends=publicity_end(p.at, days, p.holidays),
            updated_at=p.at,
        )
    )
    s.flush()
    why = f"调整方案（替换 {source}）须经公示 (a replacement of {source} is publicised)"
    event(s, round_id, p.actor, "proposed", plan_id, why, p.at)
    event(s, round_id, p.actor, "publicity", f"{days} working days", why, p.at)


class ArchiveStore(Database):
    """Postings, approvals and replacements."""

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
            return serving_in(s)

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
        *,
        publicity: ReplacementPublicity | None = None,
        idem: Idem | None = None,
        checkpoint: Callable[[str], None] = lambda _: None,
        job: tuple[str, str] | None = None,
    ) -> ReplacementRecord:
        """Store the replacement's round (version 1, made from ``source``), its plan and its
        report together. When ``source``'s round is in the selection workflow (its plan under
        publicity or approved), the new round gets a workflow of its own whose publicity starts
        now (``publicity`` says who, when and the service's rules), so it is approved only
        after its own 公示. :class:`~.idempotency.Replayed` when ``idem`` was used already.
        ``job`` (id, lease token): the replacement job that decided it ends ``succeeded`` with
        this plan in the same transaction (:class:`~.records.LeaseLost`: nothing is stored)."""
        from matcher_service.store.approval import APPROVALS

        rid, pid = new_id("r"), new_id("p")
        t = publicity.at if publicity else now()
        with self.writing(lock=APPROVALS) as s:
            replay(s, idem)
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
            s.add(RoundOriginRow(round_id=rid, plan_id=source.id))
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
            gated = s.get(WorkflowRow, source.round_id)
            if gated is not None and publicity is not None:
                _own_publicity(s, rid, pid, source.id, gated.min_publicity_days, publicity)
            remember(s, idem, {"plan_id": pid, "round_id": rid}, source.round_id, t)
            if job is not None:
                from matcher_service.store.leases import finish_in

                finish_in(s, job[0], job[1], "succeeded", pid, None)
            checkpoint("replace")
        return ReplacementRecord(pid, source.id, rid, events, report, who, t)

    def get_replacement(self, plan_id: str) -> ReplacementRecord:
        with self.session() as s:
            row = s.get(ReplacementRow, plan_id)
            if row is None:
                raise NotFound(plan_id)
            return ReplacementRecord(
                **columns(ReplacementRecord, row, created_at=utc(row.created_at))
            )
