"""The 部务会 returns a publicised plan with its reason (退回): the round goes back to review,
the plan is no longer the one under publicity, and the planner must review, solve, propose
and publicise again. The event names the approver, the time and the reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from matcher_service import deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.clock import clock
from matcher_service.routes.openapi_bits import errors
from matcher_service.workflow_schemas import WorkflowOut
from matcher_service.workflow_steps import actor, respond, step

router = APIRouter(tags=["selection"])
Approver = Annotated[Identity, require(Permission.APPROVE)]


class ReturnIn(BaseModel):
    """Why the plan goes back (required: the department must know what to change)."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/rounds/{round_id}/workflow/return",
    name="workflow.return",
    response_model=WorkflowOut,
    responses=errors(404, 409),
)
async def return_plan(
    request: Request, round_id: str, body: ReturnIn, who: Approver
) -> WorkflowOut:
    """Send the proposed or publicised plan back to the organisation department, with the
    reason (one store transition: :meth:`~matcher_service.store.transitions.TransitionStore.
    return_plan`; the event's action is ``returned``)."""
    deps.audit_round(request, round_id)
    wf = await step(
        deps.store(request).return_plan,
        round_id,
        actor(who),
        body.reason,
        clock(request)(),
        request=request,
    )
    return await respond(request, wf)
