"""Approval as one transaction: every precondition checked, then the workflow's state, the
archive's postings, the next round and the idempotency record written together — or nothing.

Approvals are serialised (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so
parallel approvals of one plan give one success and clean refusals, never a constraint error.
A killed server leaves either the whole approval or none of it; a retry finishes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher_service.publicity_period import BEIJING
from matcher_service.store import gates
from matcher_service.store.archive import (
    AlreadyApproved,
    Approval,
    Ending,
    NewPosting,
    PostingRecord,
    serving_in,
    write_approval,
)
from matcher_service.store.audit import audit_in
from matcher_service.store.database import Database
from matcher_service.store.idempotency import Idem, remember, replay
from matcher_service.store.records import AuditEntry, NotFound, Plan, new_id
from matcher_service.store.rounds import _version
from matcher_service.store.workflow import Actor, Workflow, moved
from matcher_service.tables import (
    ObjectionRow,
    PlanApprovalRow,
    PlanRow,
    PostingRow,
    ReplacementRow,
    RoundOriginRow,
    RoundRow,
    WorkflowRow,
)

APPROVALS = 0x6D61_7463_6872  # advisory lock: one approval or replacement write at a time
Changes = Callable[[list[PostingRecord]], tuple[list[NewPosting], list[Ending]]]


@dataclass(frozen=True)
class ApprovalInput:
    """What an approval writes, prepared outside the transaction from the plan and round.

    ``placed``: cadre → (community, post type) in the plan; ``sitting``: cadre → the post
    its round says it holds now (``current_post``); ``changes``: the postings to start and
    end given the serving ones (:func:`matcher_service.archive.approval_changes`).
    """

    plan: Plan
    start: date
    placed: dict[str, tuple[str, str]]
    sitting: dict[str, tuple[str, str]]
    names: dict[str, str]
    changes: Changes
    replaces: str | None = None


@dataclass(frozen=True)
class NextRound:
    """The round the approval starts (name, canonical JSON body, (communities, cadres))."""

    name: str
    body: str
    counts: tuple[int, int]


@dataclass(frozen=True)
class Approved:
    """An approval's outcome: the archive record, postings started and ended, the workflow."""

    approval: Approval
    started: int
    ended: int
    workflow: Workflow | None


def lineage(s: Session, plan_id: str) -> set[str]:
    """The plan and every approved plan it descends from (a replacement's source, the plan a
    round was started from), in session ``s``."""
    seen, todo = {plan_id}, [plan_id]
    while todo:
        pid = todo.pop()
        parents = []
        rep = s.get(ReplacementRow, pid)
        if rep is not None:
            parents.append(rep.source_plan_id)
        plan = s.get(PlanRow, pid)
        origin = s.get(RoundOriginRow, plan.round_id) if plan is not None else None
        if origin is not None:
            parents.append(origin.plan_id)
        for p in parents:
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def rivals(
    inp: ApprovalInput, serving: list[PostingRecord], ancestors: set[str]
) -> list[tuple[str, str, str]]:
    """Cadres the plan places who serve under an approved plan it does not descend from, in a
    post its round does not say they hold: (cadre id, name, that plan)."""
    out = []
    for p in serving:
        if p.cadre_id not in inp.placed or p.plan_id in ancestors:
            continue
        if inp.sitting.get(p.cadre_id) == (p.community_id, p.post_type):
            continue
        out.append((p.cadre_id, inp.names.get(p.cadre_id, p.cadre_id), p.plan_id))
    return sorted(set(out))


def _workflow_gaps(s: Session, wf: WorkflowRow, plan: Plan, at: datetime) -> list[gates.Gap]:
    """What the workflow still needs before ``plan`` may be approved at ``at``."""
    gaps: list[gates.Gap] = []
    if wf.state != "publicity":
        gaps.append(gates.needs_state(wf.state, ("publicity",)))
        if wf.state in ("approved", "published") and wf.plan_id == plan.id:
            return [gates.already_approved(plan.id)]
    if wf.plan_id != plan.id:
        gaps.append(gates.not_the_plan(plan.id, wf.plan_id))
    head = s.get(RoundRow, wf.round_id)
    version = head.version if head else 0
    if version != wf.reviewed_version:
        gaps.append(gates.changed_since_review(version, wf.reviewed_version))
    elif plan.round_version != wf.reviewed_version:
        gaps.append(gates.solved_on(plan.round_version, wf.reviewed_version))
    ends = wf.publicity_ends
    if wf.state == "publicity" and ends is not None:
        ends = ends if ends.tzinfo else ends.replace(tzinfo=at.tzinfo)
        if at < ends:
            gaps.append(gates.publicity_running(f"{ends.astimezone(BEIJING):%Y-%m-%d %H:%M}"))
    open_ = s.scalars(
        select(ObjectionRow.id)
        .where(ObjectionRow.round_id == wf.round_id, ObjectionRow.resolution == "")
        .order_by(ObjectionRow.id)
    ).all()
    if open_:
        gaps.append(gates.open_objections(list(open_)))
    return gaps


class ApprovalStore(Database):
    """Approvals in one transaction, inside the selection workflow or outside it."""

    def approve(
        self,
        inp: ApprovalInput,
        actor: Actor,
        why: str,
        at: datetime,
        *,
        in_workflow: bool,
        signatory: str = "",
        next_round: NextRound | None = None,
        idem: Idem | None = None,
        audit: AuditEntry | None = None,
        checkpoint: Callable[[str], None] = lambda _: None,
    ) -> Approved:
        """Approve ``inp.plan``: :class:`gates.Refused` with every gap, or the approval, its
        postings, (``in_workflow``) the workflow's move, the next round and its link, the
        idempotency record and the audit row — all in one transaction.
        :class:`~.idempotency.Replayed` when ``idem`` was used for this approval already."""
        plan = inp.plan
        with self.writing(lock=APPROVALS) as s:
            wf = s.get(WorkflowRow, plan.round_id, with_for_update=True)
            replay(s, idem)
            if s.get(PlanRow, plan.id) is None:
                raise NotFound(plan.id)
            gaps: list[gates.Gap] = []
            if in_workflow:
                if wf is None:
                    raise NotFound(plan.round_id)
                gaps += _workflow_gaps(s, wf, plan, at)
            elif wf is not None:
                gaps.append(gates.in_workflow(plan.round_id, wf.state))
            if any(g.code == "approved" for g in gaps):
                raise gates.Refused(wf.state if wf else None, gaps)
            if s.get(PlanApprovalRow, plan.id) is not None:
                gaps.append(gates.already_approved(plan.id))
            serving = serving_in(s)
            clash = rivals(inp, serving, lineage(s, plan.id))
            if clash:
                gaps.append(gates.serving_elsewhere(clash))
            if gaps:
                raise gates.Refused(wf.state if wf else None, gaps)
            postings, endings = inp.changes(serving)
            try:
                done = write_approval(
                    s, plan, inp.start, actor.who, postings, endings, inp.replaces, at
                )
            except AlreadyApproved:  # checked above under the lock; kept for safety
                raise gates.Refused(None, [gates.already_approved(plan.id)]) from None
            moved_wf = None
            outcome: dict[str, object] = {"plan_id": plan.id, "round_id": plan.round_id}
            if in_workflow and wf is not None:
                nxt_id = None
                if next_round is not None:
                    nxt_id = _add_round(s, next_round, plan, actor.who, at)
                moved_wf = moved(
                    s,
                    wf,
                    "approved",
                    actor,
                    why,
                    plan.id,
                    at,
                    next_round_id=nxt_id,
                    approved_by=actor.who,
                    approved_at=at,
                    signatory=signatory,
                    decision=why,
                )
                outcome["next_round_id"] = nxt_id
            outcome |= {"started": len(postings), "ended": len(endings)}
            remember(s, idem, outcome, plan.round_id, at)
            audit_in(s, audit)
            checkpoint("approve")
            return Approved(done, len(postings), len(endings), moved_wf)

    def approval_counts(self, plan_id: str) -> tuple[int, int]:
        """(postings the plan started, postings it ended) as the archive holds them now."""
        with self.session() as s:
            started = s.scalar(
                select(func.count()).select_from(PostingRow).where(PostingRow.plan_id == plan_id)
            )
            ended = s.scalar(
                select(func.count())
                .select_from(PostingRow)
                .where(PostingRow.ended_by_plan == plan_id)
            )
            return int(started or 0), int(ended or 0)

    def start_round_from(
        self,
        plan_id: str,
        nxt: NextRound,
        who: str,
        at: datetime,
        idem: Idem | None = None,
    ) -> str:
        """The next (rotation) round of an approved plan, remembered as made from it; in one
        transaction with the check that the plan is approved (:class:`gates.Refused`)."""
        with self.writing(lock=APPROVALS) as s:
            replay(s, idem)
            plan = s.get(PlanRow, plan_id)
            if plan is None:
                raise NotFound(plan_id)
            if s.get(PlanApprovalRow, plan_id) is None:
                wf = s.get(WorkflowRow, plan.round_id)
                raise gates.Refused(wf.state if wf else None, [gates.not_approved(plan_id)])
            rid = _add_round(s, nxt, _plan(plan), who, at)
            remember(s, idem, {"round_id": rid}, plan.round_id, at)
            return rid

    def approval_gaps(self, round_id: str, at: datetime) -> list[gates.Gap]:
        """What approving the workflow's plan at ``at`` still needs (a read: the approving
        transaction checks again, with the rival-plan check besides)."""
        with self.session() as s:
            wf = s.get(WorkflowRow, round_id)
            if wf is None or wf.plan_id is None or wf.state not in ("proposed", "publicity"):
                return []
            row = s.get(PlanRow, wf.plan_id)
            if row is None:
                return []
            return _workflow_gaps(s, wf, _plan(row), at)

    def round_origin(self, round_id: str) -> str | None:
        """The approved plan a round was started from, if any."""
        with self.session() as s:
            row = s.get(RoundOriginRow, round_id)
            return None if row is None else row.plan_id


def _plan(row: PlanRow) -> Plan:
    return Plan(
        row.id,
        row.round_id,
        row.round_version,
        row.job_id,
        row.status,
        row.objective,
        "",
        row.created_at,
    )


def _add_round(s: Session, nxt: NextRound, origin: Plan, who: str, at: datetime) -> str:
    """Version 1 of a new round made from the approved plan ``origin`` (its round is the new
    one's ``made_from``, so erasing it erases this too), in session ``s``."""
    rid = new_id("r")
    s.add(
        RoundRow(
            id=rid,
            name=nxt.name,
            version=1,
            created_at=at,
            updated_at=at,
            created_by=who,
            made_from=origin.round_id,
        )
    )
    s.flush()
    s.add(_version(rid, 1, nxt.body, nxt.counts, at, who))
    s.add(RoundOriginRow(round_id=rid, plan_id=origin.id))
    return rid


__all__ = ["APPROVALS", "ApprovalInput", "ApprovalStore", "Approved", "NextRound"]
