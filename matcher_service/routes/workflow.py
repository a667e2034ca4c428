"""The selection workflow of a round: open, review, propose, publicity (公示) with objections,
approval and publication (the state is read in :mod:`matcher_service.routes.workflow_state`).

Units nominate and departments vet in :mod:`matcher_service.routes.vetting`. Every step is one
store transaction that checks the state and writes an event (who, when, what, why); the audit
log also has a row per request. See docs/workflow.md for the diagram.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from matcher.model.round import Round
from matcher_service import archive, deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import errors
from matcher_service.selection import next_round, reviewed_round
from matcher_service.store import now
from matcher_service.store.workflow import REVIEWABLE, Duplicate, Workflow, WrongState
from matcher_service.workflow_schemas import (
    ObjectionIn,
    ObjectionOut,
    PlanStepIn,
    PublicityIn,
    ResolutionIn,
    ReviewIn,
    StepIn,
    WorkflowOut,
)
from matcher_service.workflow_steps import actor, current, respond, step, wrong_state

router = APIRouter(tags=["selection"])
Reviewer = Annotated[Identity, require(Permission.REVIEW)]
Approver = Annotated[Identity, require(Permission.APPROVE)]


@router.post(
    "/rounds/{round_id}/workflow",
    name="workflow.open",
    status_code=201,
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def open_workflow(
    request: Request, round_id: str, body: StepIn, who: Reviewer
) -> WorkflowOut:
    """Open the selection of a round: units may now nominate cadres of the round's pool."""
    await deps.known_round(request, round_id)
    try:
        wf = await run_in_threadpool(
            deps.store(request).open_workflow, round_id, actor(who), body.reason
        )
    except Duplicate:
        raise ApiError(
            409, "本轮已开启选派流程 (the workflow is open already)", kind="conflict"
        ) from None
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/vetting",
    name="workflow.vetting",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def start_vetting(
    request: Request, round_id: str, body: StepIn, who: Reviewer
) -> WorkflowOut:
    """Close nominations and send the nominees to the vetting departments (资格联审)."""
    db = deps.store(request)
    deps.audit_round(request, round_id)
    if not await run_in_threadpool(db.list_nominations, round_id):
        raise ApiError(409, "尚无推荐人选 (no cadre has been nominated)", kind="conflict")
    wf = await step(db.move, round_id, ("nominating",), "vetting", actor(who), body.reason)
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/review",
    name="workflow.review",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def review(request: Request, round_id: str, body: ReviewIn, who: Reviewer) -> WorkflowOut:
    """The organisation department's review: rejected nominees leave; the accepted ones, with
    their clearances, become the round's cadres (a new round version, the one to solve)."""
    db = deps.store(request)
    deps.audit_round(request, round_id)
    before = await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    noms = await run_in_threadpool(db.list_nominations, round_id)
    known = {n.cadre_id for n in noms}
    unknown = [r.cadre_id for r in body.rejected if r.cadre_id not in known]
    if unknown:
        raise ApiError(
            422, f"not nominated in this round: {', '.join(unknown)}", kind="unknown-nominee"
        )
    decisions = {n.cadre_id: (n.decision or "accepted", n.decision_reason) for n in noms}
    decisions |= {r.cadre_id: ("rejected", r.reason) for r in body.rejected}
    await step(db.decide, round_id, decisions, actor(who))
    _, rnd = await current(request, round_id)
    noms = await run_in_threadpool(db.list_nominations, round_id)
    clearances = await run_in_threadpool(db.list_clearances, round_id)
    new = await run_in_threadpool(reviewed_round, rnd, noms, clearances)
    info = await run_in_threadpool(
        db.update_round, round_id, new.name, new.model_dump_json(), deps.counts(new), who.name
    )
    wf = await step(
        db.move,
        round_id,
        REVIEWABLE,
        "reviewed",
        actor(who),
        body.reason,
        f"version {info.version}",
        reviewed_version=info.version,
        pool_version=before.pool_version or info.version - 1,
        plan_id=None,
        publicity_ends=None,
    )
    return await respond(request, wf)


async def _check_plan(request: Request, round_id: str, wf: Workflow, plan_id: str) -> None:
    """The plan is this round's, solved on the reviewed version, which is still current."""
    db = deps.store(request)
    plan = await deps.fetch("plan", plan_id, db.get_plan, plan_id)
    head = await deps.known_round(request, round_id)
    if plan.round_id != round_id:
        raise ApiError(422, "the plan belongs to another round", kind="wrong-plan")
    if head.version != wf.reviewed_version:
        raise ApiError(
            409,
            f"审核后名单已改动 (the round changed since review: version "
            f"{head.version}, reviewed {wf.reviewed_version}); review again",
            kind="changed-since-review",
        )
    if plan.round_version != wf.reviewed_version:
        raise ApiError(
            409,
            f"the plan was solved on version {plan.round_version}, not on the "
            f"reviewed version {wf.reviewed_version}",
            kind="changed-since-review",
        )
    if plan.status not in ("optimal", "feasible"):
        raise ApiError(409, f"the plan has no assignment (status {plan.status})", kind="no-plan")


@router.post(
    "/rounds/{round_id}/workflow/propose",
    name="workflow.propose",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def propose(request: Request, round_id: str, body: PlanStepIn, who: Reviewer) -> WorkflowOut:
    """Propose a plan solved on the reviewed round (拟定方案)."""
    wf = await deps.fetch("workflow", round_id, deps.store(request).get_workflow, round_id)
    await _check_plan(request, round_id, wf, body.plan_id)
    wf = await step(
        deps.store(request).move,
        round_id,
        ("reviewed", "proposed"),
        "proposed",
        actor(who),
        body.reason,
        body.plan_id,
        unchanged=True,
        plan_id=body.plan_id,
    )
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/publicity",
    name="workflow.publicity",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def publicity(
    request: Request, round_id: str, body: PublicityIn, who: Reviewer
) -> WorkflowOut:
    """Publish the proposed plan for the publicity period (公示); objections may be recorded."""
    deps.audit_round(request, round_id)
    ends = now() + timedelta(days=body.days)
    wf = await step(
        deps.store(request).move,
        round_id,
        ("proposed",),
        "publicity",
        actor(who),
        body.reason,
        f"{body.days} days",
        publicity_ends=ends,
    )
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/objections",
    name="workflow.object",
    status_code=201,
    response_model=ObjectionOut,
    responses=errors(404, 409),
)
async def add_objection(
    request: Request, round_id: str, body: ObjectionIn, who: Reviewer
) -> ObjectionOut:
    """Record an objection received during publicity."""
    deps.audit_round(request, round_id)
    obj = await step(
        deps.store(request).add_objection, round_id, body.cadre_id, body.text, actor(who)
    )
    return deps.out(ObjectionOut, obj)


@router.post(
    "/rounds/{round_id}/objections/{objection_id}/resolve",
    name="workflow.resolve",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def resolve_objection(
    request: Request, round_id: str, objection_id: int, body: ResolutionIn, who: Reviewer
) -> WorkflowOut:
    """Record how an objection was looked into and settled (核查结果)."""
    deps.audit_round(request, round_id)
    db = deps.store(request)
    await step(db.resolve_objection, round_id, objection_id, body.resolution, actor(who))
    return await respond(request, await run_in_threadpool(db.get_workflow, round_id))


@router.post(
    "/rounds/{round_id}/workflow/approve",
    name="workflow.approve",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def approve(request: Request, round_id: str, body: PlanStepIn, who: Approver) -> WorkflowOut:
    """Approve the publicised plan: it is frozen and the next round starts from it (placed
    cadres hold their posts there). Refused when the plan or the round changed since review,
    the publicity period is not over, or an objection is unresolved."""
    db = deps.store(request)
    wf = await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    if wf.state != "publicity":
        raise wrong_state(WrongState(wf.state, ("publicity",)))
    if body.plan_id != wf.plan_id:
        raise ApiError(
            409,
            f"审核后方案已更换 (this is not the plan under publicity: {wf.plan_id})",
            kind="changed-since-review",
        )
    await _check_plan(request, round_id, wf, body.plan_id)
    if wf.publicity_ends is not None and now() < wf.publicity_ends:
        raise ApiError(
            409,
            f"公示期未满 (publicity runs until {wf.publicity_ends:%Y-%m-%d %H:%M} UTC)",
            kind="publicity-running",
        )
    open_ = [
        o.id for o in await run_in_threadpool(db.list_objections, round_id) if not o.resolution
    ]
    if open_:
        raise ApiError(
            409,
            f"有未办结的公示反映 (objections not resolved: {', '.join(map(str, open_))})",
            kind="open-objections",
        )
    # The state and the round's version are checked again in the approving transaction.
    why, plan_id = body.reason, body.plan_id
    await step(db.move, round_id, ("publicity",), "approved", actor(who), why, plan_id, True)
    plan = await run_in_threadpool(db.get_plan, body.plan_id)
    reviewed = await run_in_threadpool(db.get_round, round_id, wf.reviewed_version)
    rnd = await run_in_threadpool(Round.model_validate_json, reviewed.body)
    nxt = await run_in_threadpool(next_round, rnd, plan.result, now().date())
    info = await run_in_threadpool(
        db.create_round, nxt.name, nxt.model_dump_json(), deps.counts(nxt), who.name
    )
    wf = await step(db.link_next_round, round_id, info.id)
    # the approved postings enter the archive (一人一档); a no-op if already recorded
    await run_in_threadpool(archive.record_approval, db, plan, rnd, now().date(), who.name)
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/publish",
    name="workflow.publish",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def publish(request: Request, round_id: str, body: StepIn, who: Approver) -> WorkflowOut:
    """Publish the approved plan (公布)."""
    deps.audit_round(request, round_id)
    wf = await step(
        deps.store(request).move, round_id, ("approved",), "published", actor(who), body.reason
    )
    return await respond(request, wf)
