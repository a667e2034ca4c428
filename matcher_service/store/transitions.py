"""The selection's gated transitions: review, propose, publicity and return, each checking
every precondition in the transaction that makes it (approval: :mod:`.approval`).

A refusal names the workflow's state and every gap at once (:class:`.gates.Refused`); a
transition from the wrong state is :class:`.workflow.WrongState`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime

from sqlalchemy import select

from matcher_service.publicity_period import publicity_end
from matcher_service.store import gates
from matcher_service.store.database import Database
from matcher_service.store.records import NotFound, Stale
from matcher_service.store.rounds import _version
from matcher_service.store.workflow import (
    REVIEWABLE,
    Actor,
    ChangedSinceReview,
    ClearanceRecord,
    Nomination,
    Workflow,
    clearances_in,
    event,
    in_state,
    moved,
    nominations_in,
)
from matcher_service.tables import NominationRow, PlanRow, RoundRow

Build = Callable[[list[Nomination], list[ClearanceRecord]], tuple[str, str, tuple[int, int]]]
NO_PUBLICITY = {"publicity_ends": None, "publicity_started": None, "publicity_days": None}


class TooShort(ValueError):
    """A publicity period shorter than the round's minimum (``minimum`` working days)."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        super().__init__(f"at least {minimum} working days")


class TransitionStore(Database):
    """Review, propose, start publicity, return a plan."""

    def review(
        self,
        round_id: str,
        rejected: dict[str, str],
        base_version: int,
        build: Build,
        actor: Actor,
        why: str,
        at: datetime,
    ) -> Workflow:
        """Record the review's decisions and add the reviewed round version ``build`` makes
        from the nominations and clearances (read in this transaction), and move to reviewed.
        :class:`Stale` when the round changed since ``base_version`` was read."""
        with self.writing() as s:
            row = in_state(s, round_id, REVIEWABLE)
            head = s.get(RoundRow, round_id, with_for_update=True)
            if head is None:
                raise NotFound(round_id)
            if head.version != base_version:
                raise Stale(head.version)
            noms = {
                n.cadre_id: n
                for n in s.scalars(select(NominationRow).where(NominationRow.round_id == round_id))
            }
            unknown = sorted(set(rejected) - set(noms))
            if unknown:
                raise NotFound(", ".join(unknown))
            for cid, n in noms.items():
                if cid in rejected:
                    n.decision, n.decision_reason = "rejected", rejected[cid]
                else:
                    n.decision = n.decision or "accepted"
                event(s, round_id, actor, n.decision, cid, n.decision_reason, at)
            s.flush()
            name, body, counts = build(nominations_in(s, round_id), clearances_in(s, round_id))
            pool = row.pool_version or head.version
            head.version += 1
            head.name, head.updated_at = name, at
            s.add(_version(round_id, head.version, body, counts, at, actor.who))
            return moved(
                s,
                row,
                "reviewed",
                actor,
                why,
                f"version {head.version}",
                at,
                reviewed_version=head.version,
                pool_version=pool,
                plan_id=None,
                **NO_PUBLICITY,
            )

    def propose(
        self, round_id: str, plan_id: str, actor: Actor, why: str, at: datetime
    ) -> Workflow:
        """Propose a plan: this round's, feasible, solved on the reviewed version, which is
        still the current one."""
        with self.writing() as s:
            row = in_state(s, round_id, ("reviewed", "proposed"))
            plan = s.get(PlanRow, plan_id)
            if plan is None:
                raise NotFound(plan_id)
            head = s.get(RoundRow, round_id)
            gaps: list[gates.Gap] = []
            if plan.round_id != round_id:
                gaps.append(gates.plan_of_other_round(plan_id))
            if head is None or head.version != row.reviewed_version:
                gaps.append(
                    gates.changed_since_review(head.version if head else 0, row.reviewed_version)
                )
            elif plan.round_version != row.reviewed_version:
                gaps.append(gates.solved_on(plan.round_version, row.reviewed_version))
            if plan.status not in ("optimal", "feasible"):
                gaps.append(gates.no_assignment(plan.status))
            if gaps:
                raise gates.Refused(row.state, gaps)
            return moved(s, row, "proposed", actor, why, plan_id, at, plan_id=plan_id)

    def start_publicity(
        self,
        round_id: str,
        days: int | None,
        floor: int,
        holidays: Collection[date],
        actor: Actor,
        why: str,
        at: datetime,
    ) -> Workflow:
        """Start the publicity of the proposed plan for ``days`` working days (None: the
        round's minimum, which is never below the service's ``floor``); :class:`TooShort`
        below the minimum."""
        with self.writing() as s:
            row = in_state(s, round_id, ("proposed",))
            head = s.get(RoundRow, round_id)
            if head is None or head.version != row.reviewed_version:
                raise ChangedSinceReview(head.version if head else 0, row.reviewed_version)
            minimum = max(floor, row.min_publicity_days or floor)
            n = minimum if days is None else days
            if n < minimum:
                raise TooShort(minimum)
            return moved(
                s,
                row,
                "publicity",
                actor,
                why,
                f"{n} working days",
                at,
                publicity_started=at,
                publicity_days=n,
                publicity_ends=publicity_end(at, n, holidays),
            )

    def return_plan(self, round_id: str, actor: Actor, why: str, at: datetime) -> Workflow:
        """The approver sends the proposed or publicised plan back to review (退回), with
        its reason; the plan must be proposed and publicised again."""
        with self.writing() as s:
            row = in_state(s, round_id, ("proposed", "publicity"))
            plan = row.plan_id or ""
            return moved(
                s, row, "reviewed", actor, why, plan, at, "returned", plan_id=None, **NO_PUBLICITY
            )
