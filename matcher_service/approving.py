"""Approving a plan, for the workflow's ``approve`` and the lifecycle's alike: the archive's
changes and the facts the rival-plan check needs are prepared from the plan and its round,
then one store transaction checks every precondition and writes everything
(:meth:`matcher_service.store.approval.ApprovalStore.approve`).

With an ``Idempotency-Key`` a retry (after a lost answer or a crash) gets the first outcome;
without one, a retry after a completed approval is a clean 409 and after an interrupted one
simply does the approval — a crash never leaves half of it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from matcher.model.round import Round
from matcher_service import deps
from matcher_service.archive import approval_changes, report_of
from matcher_service.audit import pending_entry
from matcher_service.auth import Identity
from matcher_service.clock import checkpoint, clock
from matcher_service.results import result_from_dict
from matcher_service.store import Plan, Store
from matcher_service.store.approval import ApprovalInput, NextRound
from matcher_service.store.archive import ReplacementPublicity
from matcher_service.store.idempotency import KeyReused, Replayed
from matcher_service.workflow_steps import actor, idempotency, key_reused, step


def approval_input(store: Store, plan: Plan, rnd: Round, start: date) -> ApprovalInput:
    """What approving ``plan`` (solved on ``rnd``) with postings from ``start`` writes."""
    result = result_from_dict(json.loads(plan.result))
    try:
        rep = store.get_replacement(plan.id)
    except LookupError:
        rep = None
    report = report_of(rep.report if rep else None)
    placed = {
        a.cadre_id: (a.community_id, str(a.post_type))
        for a in result.assignments
        if a.cadre_id is not None
    }
    sitting = {
        c.id: (c.current_post.community, str(c.current_post.post_type))
        for c in rnd.cadres
        if c.current_post is not None
    }
    return ApprovalInput(
        plan=plan,
        start=start,
        placed=placed,
        sitting=sitting,
        names={c.id: c.name for c in rnd.cadres},
        changes=lambda serving: approval_changes(rnd, result, start, serving, report),
        replaces=rep.source_plan_id if rep else None,
    )


async def approve(
    request: Request,
    who: Identity,
    plan: Plan,
    rnd: Round,
    start: date,
    *,
    action: str,
    in_workflow: bool,
    why: str = "",
    signatory: str = "",
    next_round: NextRound | None = None,
    status: int = 200,
) -> tuple[dict[str, Any], bool]:
    """Approve ``plan`` in one transaction; (outcome, replayed). 409 problem+json naming the
    state and every gap when refused; the outcome of the first call when the request's
    ``Idempotency-Key`` was used for this approval already."""
    db = deps.store(request)
    idem = idempotency(request, who, action, plan.id)
    try:
        if idem is not None:
            done = await run_in_threadpool(db.replayed, idem)
            if done is not None:
                return done, True
        inp = await run_in_threadpool(approval_input, db, plan, rnd, start)
        got = await step(
            db.approve,
            inp,
            actor(who),
            why,
            clock(request)(),
            request=request,
            in_workflow=in_workflow,
            signatory=signatory,
            next_round=next_round,
            idem=idem,
            audit=pending_entry(request, status),
            checkpoint=checkpoint(request),
        )
    except Replayed as again:
        return again.outcome, True
    except KeyReused as exc:
        raise key_reused(exc) from None
    request.state.audit_written = True
    checkpoint(request)("approve:committed")
    outcome = {
        "plan_id": plan.id,
        "round_id": plan.round_id,
        "started": got.started,
        "ended": got.ended,
        "next_round_id": got.workflow.next_round_id if got.workflow else None,
    }
    return outcome, False


def replacement_publicity(request: Request, who: Identity) -> ReplacementPublicity:
    """Who replaces, when, and the service's publicity rules: what
    :meth:`~matcher_service.store.archive.ArchiveStore.add_replacement` needs to start the
    replacement's own publicity when the replaced plan is in the selection workflow (the
    store decides that in the transaction that stores the replacement)."""
    cfg = deps.settings(request)
    return ReplacementPublicity(actor(who), clock(request)(), cfg.publicity_min_days, cfg.holidays)
