"""The selection workflow of a round: open, review, propose, publicity (公示) with objections,
return, approval and publication (the state is read in
:mod:`matcher_service.routes.workflow_state`).

Units nominate and departments vet in :mod:`matcher_service.routes.vetting`. Every step is one
store transaction that checks the state and every precondition and writes an event (who, when,
what, why); a refusal is 409 naming the state and each gap. Time comes from the app's clock
(:mod:`matcher_service.clock`). See docs/workflow.md for the state machine.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from matcher.model.round import Round
from matcher_service import approving, deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.clock import clock
from matcher_service.problems import ApiError
from matcher_service.publicity_period import local_day
from matcher_service.routes.openapi_bits import errors
from matcher_service.selection import next_round, reviewed_round
from matcher_service.store import Stale
from matcher_service.store.approval import NextRound
from matcher_service.store.transitions import TooShort
from matcher_service.store.workflow import ClearanceRecord, Duplicate, Nomination
from matcher_service.workflow_schemas import (
    ApproveIn,
    ObjectionIn,
    ObjectionOut,
    OpenIn,
    PlanStepIn,
    PublicityIn,
    ResolutionIn,
    ReviewIn,
    StepIn,
    WorkflowOut,
)
from matcher_service.workflow_steps import actor, current, lang, respond, step

router = APIRouter(tags=["selection"])
Reviewer = Annotated[Identity, require(Permission.REVIEW)]
Approver = Annotated[Identity, require(Permission.APPROVE)]
STEP_ERRORS = errors(404, 409, 422)


def _too_short(minimum: int, request: Request) -> ApiError:
    if lang(request) == "en":
        text = f"a publicity period lasts at least {minimum} working days"
    else:
        text = f"公示期不得少于 {minimum} 个工作日"
    return ApiError(422, text, kind="publicity-too-short")


@router.post(
    "/rounds/{round_id}/workflow",
    name="workflow.open",
    status_code=201,
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def open_workflow(
    request: Request, round_id: str, body: OpenIn, who: Reviewer
) -> WorkflowOut:
    """Open the selection of a round: units may now nominate cadres of the round's pool.
    ``min_publicity_days`` sets this round's shortest publicity (working days, never below
    the service's minimum: 422)."""
    await deps.known_round(request, round_id)
    floor = deps.settings(request).publicity_min_days
    if body.min_publicity_days is not None and body.min_publicity_days < floor:
        raise _too_short(floor, request)
    try:
        wf = await run_in_threadpool(
            deps.store(request).open_workflow,
            round_id,
            actor(who),
            body.reason,
            clock(request)(),
            body.min_publicity_days,
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
    responses=STEP_ERRORS,
)
async def start_vetting(
    request: Request, round_id: str, body: StepIn, who: Reviewer
) -> WorkflowOut:
    """Close nominations and send the nominees to the vetting departments (资格联审)."""
    db = deps.store(request)
    deps.audit_round(request, round_id)
    if not await run_in_threadpool(db.list_nominations, round_id):
        raise ApiError(409, "尚无推荐人选 (no cadre has been nominated)", kind="conflict")
    wf = await step(
        db.move,
        round_id,
        ("nominating",),
        "vetting",
        actor(who),
        body.reason,
        request=request,
        at=clock(request)(),
    )
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/review",
    name="workflow.review",
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def review(request: Request, round_id: str, body: ReviewIn, who: Reviewer) -> WorkflowOut:
    """The organisation department's review: rejected nominees leave; the accepted ones, with
    their clearances, become the round's cadres (a new round version, the one to solve). The
    decisions, the new version and the move are one transaction."""
    db = deps.store(request)
    deps.audit_round(request, round_id)
    noms = await run_in_threadpool(db.list_nominations, round_id)
    known = {n.cadre_id for n in noms}
    unknown = [r.cadre_id for r in body.rejected if r.cadre_id not in known]
    if unknown:
        raise ApiError(
            422, f"not nominated in this round: {', '.join(unknown)}", kind="unknown-nominee"
        )
    version, rnd = await current(request, round_id)

    def build(
        nominations: list[Nomination], clearances: list[ClearanceRecord]
    ) -> tuple[str, str, tuple[int, int]]:
        new = reviewed_round(rnd, nominations, clearances)
        return new.name, new.model_dump_json(), deps.counts(new)

    rejected = {r.cadre_id: r.reason for r in body.rejected}
    try:
        wf = await step(
            db.review,
            round_id,
            rejected,
            version,
            build,
            actor(who),
            body.reason,
            clock(request)(),
            request=request,
        )
    except Stale as exc:
        raise ApiError(
            409,
            f"轮次刚被修改（当前第 {exc.current} 版），请重试 (the round changed meanwhile; retry)",
            kind="stale-version",
        ) from None
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/propose",
    name="workflow.propose",
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def propose(request: Request, round_id: str, body: PlanStepIn, who: Reviewer) -> WorkflowOut:
    """Propose a plan solved on the reviewed round (拟定方案): this round's, feasible, solved on
    the reviewed version, which must still be current (409 naming what is missing)."""
    deps.audit_round(request, round_id)
    db = deps.store(request)
    at = clock(request)()
    wf = await step(
        db.propose, round_id, body.plan_id, actor(who), body.reason, at, request=request
    )
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/workflow/publicity",
    name="workflow.publicity",
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def publicity(
    request: Request, round_id: str, body: PublicityIn, who: Reviewer
) -> WorkflowOut:
    """Publish the proposed plan for the publicity period (公示) of ``days`` working days
    (default and minimum: the round's minimum, service default 5; shorter is 422); it ends at
    24:00 Beijing time of its last working day. Objections may be recorded meanwhile."""
    deps.audit_round(request, round_id)
    cfg = deps.settings(request)
    try:
        wf = await step(
            deps.store(request).start_publicity,
            round_id,
            body.days,
            cfg.publicity_min_days,
            cfg.holidays,
            actor(who),
            body.reason,
            clock(request)(),
            request=request,
        )
    except TooShort as exc:
        raise _too_short(exc.minimum, request) from None
    return await respond(request, wf)


@router.post(
    "/rounds/{round_id}/objections",
    name="workflow.object",
    status_code=201,
    response_model=ObjectionOut,
    responses=STEP_ERRORS,
)
async def add_objection(
    request: Request, round_id: str, body: ObjectionIn, who: Reviewer
) -> ObjectionOut:
    """Record an objection received during publicity (群众反映)."""
    deps.audit_round(request, round_id)
    obj = await step(
        deps.store(request).add_objection,
        round_id,
        body.cadre_id,
        body.text,
        actor(who),
        clock(request)(),
        request=request,
    )
    return deps.out(ObjectionOut, obj)


@router.post(
    "/rounds/{round_id}/objections/{objection_id}/resolve",
    name="workflow.resolve",
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def resolve_objection(
    request: Request, round_id: str, objection_id: int, body: ResolutionIn, who: Reviewer
) -> WorkflowOut:
    """Record how an objection was looked into and settled (核查结果); once per objection."""
    deps.audit_round(request, round_id)
    db = deps.store(request)
    try:
        await step(
            db.resolve_objection,
            round_id,
            objection_id,
            body.resolution,
            actor(who),
            clock(request)(),
            request=request,
        )
    except Duplicate:
        raise ApiError(
            409, "该反映已办结 (the objection is answered already)", kind="conflict"
        ) from None
    return await respond(request, await run_in_threadpool(db.get_workflow, round_id))


@router.post(
    "/rounds/{round_id}/workflow/approve",
    name="workflow.approve",
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def approve(request: Request, round_id: str, body: ApproveIn, who: Approver) -> WorkflowOut:
    """Approve the publicised plan (审批). In one transaction: every precondition is checked
    (the plan is the one under publicity, the round unchanged since review, the publicity
    period over, every objection resolved, none of its cadres serving under another approved
    plan — 409 naming the state and each gap), the plan's postings enter the archive, the next
    round is created from it and the workflow moves to ``approved`` with the approver, the
    decision (``reason``) and the 落款 (``signatory``). Send ``Idempotency-Key`` to make a
    retry safe: the same key answers with the first outcome."""
    db = deps.store(request)
    deps.audit_round(request, round_id)
    await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    plan = await deps.fetch("plan", body.plan_id, db.get_plan, body.plan_id)
    if plan.round_id != round_id:
        raise ApiError(422, "the plan belongs to another round", kind="wrong-plan")
    info = await deps.fetch("round", round_id, db.get_round, round_id, plan.round_version)
    rnd = await run_in_threadpool(Round.model_validate_json, info.body)
    day = local_day(clock(request)())
    nxt = await run_in_threadpool(next_round, rnd, plan.result, day)
    cfg = deps.settings(request)
    await approving.approve(
        request,
        who,
        plan,
        rnd,
        day,
        action="workflow.approve",
        in_workflow=True,
        why=body.reason,
        signatory=body.signatory or cfg.organisation or who.name,
        next_round=NextRound(nxt.name, nxt.model_dump_json(), deps.counts(nxt)),
    )
    return await respond(request, await run_in_threadpool(db.get_workflow, round_id))


@router.post(
    "/rounds/{round_id}/workflow/publish",
    name="workflow.publish",
    response_model=WorkflowOut,
    responses=STEP_ERRORS,
)
async def publish(request: Request, round_id: str, body: StepIn, who: Approver) -> WorkflowOut:
    """Publish the approved plan (公布)."""
    deps.audit_round(request, round_id)
    wf = await step(
        deps.store(request).move,
        round_id,
        ("approved",),
        "published",
        actor(who),
        body.reason,
        request=request,
        at=clock(request)(),
    )
    return await respond(request, wf)
