"""The state of the selection: every round's workflow, one workflow with its log and
objections, and where each cadre of the pool stands (see docs/workflow.md)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from matcher.model.round import Round
from matcher.model.standing import catalogue
from matcher.model.vetting import (
    Clearance,
    ClearanceStatus,
    department_key,
    missing,
    missing_words,
)
from matcher_service import deps
from matcher_service.auth import Identity, Permission, Role, require
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import errors
from matcher_service.store import Store
from matcher_service.store.workflow import Workflow
from matcher_service.workflow_schemas import CadreState, CadreStates, WorkflowList, WorkflowOut
from matcher_service.workflow_steps import current, respond, workflow_out

router = APIRouter(tags=["selection"])
Reader = Annotated[Identity, require(Permission.READ)]
Results = Annotated[Identity, require(Permission.RESULTS)]
Anyone = Annotated[Identity, require(Permission.PROGRESS)]
STAGES = frozenset(
    {"open", "vetting", "reviewed", "proposed", "publicity", "returned", "approved", "published"}
)


@router.get("/workflows", name="workflow.list", response_model=WorkflowList, responses=errors())
async def list_workflows(request: Request, who: Reader) -> WorkflowList:
    """Every round's selection state (without event logs)."""
    db = deps.store(request)
    rows = await run_in_threadpool(db.list_workflows)
    return WorkflowList(items=[workflow_out(db, wf, full=False) for wf in rows])


@router.get(
    "/rounds/{round_id}/workflow",
    name="workflow.get",
    response_model=WorkflowOut,
    responses=errors(404),
)
async def get_workflow(request: Request, round_id: str, who: Anyone) -> WorkflowOut:
    """The workflow's state, every transition (who, when, why) and the objections. Units and
    vetting departments see where the round stands — its state, the publicity dates and the
    stage changes (open, vetting, reviewed, proposed, publicity, returned, approved,
    published) — without nominations, answers, objections or anyone's id."""
    deps.audit_round(request, round_id)
    wf = await deps.fetch("workflow", round_id, deps.store(request).get_workflow, round_id)
    out = await respond(request, wf)
    if who.role in (Role.UNIT, Role.VETTER):
        stages = [e for e in out.events if e.action in STAGES]
        out = out.model_copy(
            update={
                "events": [e.model_copy(update={"subject": ""}) for e in stages],
                "objections": [],
                "approval_gaps": [],
            }
        )
    return out


def _cadre_states(
    db: Store, round_id: str, rnd: Round, wf: Workflow, department: str | None = None
) -> CadreStates:
    """Every cadre of the pool with its stage, clearances, gaps and post; for a vetting
    ``department``, only the nominees with that department's answers and nothing else."""
    noms = {n.cadre_id: n for n in db.list_nominations(round_id)}
    given: dict[str, dict[str, str]] = {}
    for c in db.list_clearances(round_id, department):
        given.setdefault(c.cadre_id, {})[c.department] = c.status
    if department is not None:
        return CadreStates(
            round_id=round_id,
            state=wf.state,
            items=[
                CadreState(
                    cadre_id=cad.id,
                    name=cad.name,
                    unit=cad.unit,
                    stage=noms[cad.id].decision or "nominated",
                    nominated_by=None,
                    clearances=given.get(cad.id, {}),
                    missing="",
                    disqualifications=[],
                    post=None,
                )
                for cad in rnd.cadres
                if cad.id in noms
            ],
        )
    posts: dict[str, str] = {}
    if wf.plan_id:
        for a in json.loads(db.get_plan(wf.plan_id).result).get("assignments", []):
            if a.get("cadre"):
                posts[a["cadre"]] = f"{a['community']}/{a['post_type']}"
    placed = "approved" if wf.state in ("approved", "published") else "proposed"
    required = rnd.rules.clearances.required if rnd.rules.clearances.enabled else []
    cat = catalogue(rnd)
    items = []
    for cad in rnd.cadres:
        n = noms.get(cad.id)
        stage = "pool" if n is None else n.decision or "nominated"
        if cad.id in posts:
            stage = placed
        mine = {c.department: c.status.value for c in cad.clearances} | given.get(cad.id, {})
        answers = [Clearance(department=d, status=ClearanceStatus(s)) for d, s in mine.items()]
        gaps = missing(answers, required)
        items.append(
            CadreState(
                cadre_id=cad.id,
                name=cad.name,
                unit=cad.unit,
                stage=stage,
                nominated_by=None if n is None else n.unit,
                clearances=mine,
                missing=missing_words(gaps) if gaps else "",
                disqualifications=[cat.words(d.code, d.reason) for d in cad.disqualifications],
                post=posts.get(cad.id),
            )
        )
    return CadreStates(round_id=round_id, state=wf.state, items=items)


@router.get(
    "/rounds/{round_id}/workflow/cadres",
    name="workflow.cadres",
    response_model=CadreStates,
    responses=errors(403, 404),
)
async def cadre_states(request: Request, round_id: str, who: Results) -> CadreStates:
    """Where every cadre of the round stands: nominated, vetted, accepted, placed, with the
    vetting results. For the planner, the approver and admins; a vetting department (vetter
    key) sees only the nominees and its own department's answers; others get 403. The audit
    row names every cadre listed."""
    db = deps.store(request)
    department = None
    if who.role is Role.VETTER:
        scope = await run_in_threadpool(db.key_scope, who.key_id)
        department = department_key(scope or "")
        if not department:
            raise ApiError(
                403, "这个密钥没有指定部门 (this key has no department)", kind="forbidden"
            )
    wf = await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    if wf.pool_version:  # the pool as it was before review
        info = await deps.fetch("round", round_id, db.get_round, round_id, wf.pool_version)
        rnd = await run_in_threadpool(Round.model_validate_json, info.body)
    else:
        _, rnd = await current(request, round_id)
    out = await run_in_threadpool(_cadre_states, db, round_id, rnd, wf, department)
    deps.audit_subjects(request, [c.cadre_id for c in out.items], round_id)
    return out
