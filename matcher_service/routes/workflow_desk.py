"""What the page reads around the selection workflow, for every role (read-only).

- ``GET /selections``: the selections a key takes part in. A unit or a vetting department
  cannot list rounds; it sees the rounds under selection (a department: only those that ask
  for its clearance), by name and state.
- ``GET /rounds/{id}/nominations/pool``: a unit's own people in the round's pool (id, name,
  rank title, birth year, nominated or not), so it can put them forward.
- ``GET /rounds/{id}/timeline``: where the round stands and how it got there (who, when, why).
  Roles that act on the round see every event, people named; a viewer the same without the
  reasons given about people; a unit the steps and its own nominees' events; a department
  the steps and its own answers.
- ``GET /plans/{id}/rule-check``: each hard rule checked on a plan, for the 部务会.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from matcher.analysis.rule_check import check_rules
from matcher.model.language import from_accept_language
from matcher.model.round import Round
from matcher.model.vetting import department_key
from matcher_service import deps
from matcher_service.auth import Identity, Permission, Role, require
from matcher_service.problems import ApiError
from matcher_service.results import result_from_dict
from matcher_service.routes.openapi_bits import errors
from matcher_service.store import Store
from matcher_service.store.workflow import STATES, Workflow, WorkflowEvent

router = APIRouter(tags=["selection"])
SignedIn = Annotated[Identity, require(Permission.SIGN_IN)]
Nominator = Annotated[Identity, require(Permission.NOMINATE)]
Reader = Annotated[Identity, require(Permission.READ)]


class SelectionOut(BaseModel):
    round_id: str
    name: str = Field(description="The round's name")
    state: str
    publicity_ends: datetime | None
    updated_at: datetime


class SelectionList(BaseModel):
    items: list[SelectionOut]


class PoolPerson(BaseModel):
    """One of the unit's people in the round's pool (nothing private)."""

    cadre_id: str
    name: str
    rank_title: str
    birth_year: int | None
    nominated: bool


class PoolList(BaseModel):
    round_id: str
    unit: str | None
    items: list[PoolPerson]


class TimelineEvent(BaseModel):
    at: datetime
    who: str = Field(description="The acting key's name (a department or an office)")
    role: str
    action: str
    subject: str = Field(
        description="A person by name; a department key, plan id, 'objection N', 'N days'"
    )
    reason: str


class Timeline(BaseModel):
    round_id: str
    name: str
    state: str
    publicity_ends: datetime | None
    next_round_id: str | None
    events: list[TimelineEvent]


class RuleCheckOut(BaseModel):
    rule: str
    requires: str
    plan: str
    holds: bool | None = Field(description="null when the rule is switched off")


class RuleCheckList(BaseModel):
    plan_id: str
    items: list[RuleCheckOut]


async def scope_of(request: Request, who: Identity) -> str:
    """The unit or department a unit or vetter key speaks for (403 without one)."""
    scope = await run_in_threadpool(deps.store(request).key_scope, who.key_id)
    if not scope:
        raise ApiError(
            403,
            "这个密钥没有指定单位或部门 (this key has no unit or department; "
            "create it with --scope)",
            kind="forbidden",
        )
    return scope


def _required(body: str | bytes) -> list[str]:
    rules = Round.model_validate_json(body).rules.clearances
    return list(rules.required) if rules.enabled else []


def _takes_part(db: Store, wf: Workflow, dept: str | None, unit: str | None) -> bool:
    """A department takes part when the round asks for its clearance; a unit when the pool
    holds some of its people; everyone else always."""
    if dept is not None:
        return dept in _required(db.get_round(wf.round_id).body)
    if unit is not None:
        pool = Round.model_validate_json(db.get_round(wf.round_id, wf.pool_version).body)
        return any(c.unit == unit for c in pool.cadres)
    return True


def _selections(db: Store, dept: str | None, unit: str | None) -> list[SelectionOut]:
    out = []
    for wf in db.list_workflows():
        if not _takes_part(db, wf, dept, unit):
            continue
        info = db.get_round(wf.round_id)
        out.append(
            SelectionOut(
                round_id=wf.round_id,
                name=info.name,
                state=wf.state,
                publicity_ends=wf.publicity_ends,
                updated_at=wf.updated_at,
            )
        )
    return out


@router.get(
    "/selections", name="workflow.selections", response_model=SelectionList, responses=errors()
)
async def selections(request: Request, who: SignedIn) -> SelectionList:
    """The rounds under selection this key takes part in (newest change first): a unit's
    where the pool holds its people, a department's where the round asks for its clearance."""
    dept = unit = None
    if who.role is Role.VETTER:
        dept = department_key(await scope_of(request, who))
    elif who.role is Role.UNIT:
        unit = await scope_of(request, who)
    items = await run_in_threadpool(_selections, deps.store(request), dept, unit)
    return SelectionList(items=items)


async def _pool_round(request: Request, round_id: str, wf: Workflow) -> Round:
    version = wf.pool_version  # after review the round holds the accepted only
    _, body = await deps.read_round(request, round_id, version)
    return await run_in_threadpool(Round.model_validate_json, body)


@router.get(
    "/rounds/{round_id}/nominations/pool",
    name="nominations.pool",
    response_model=PoolList,
    responses=errors(404),
)
async def pool(request: Request, round_id: str, who: Nominator) -> PoolList:
    """The calling unit's people in the round's pool, and whether each is nominated."""
    deps.audit_round(request, round_id)
    db = deps.store(request)
    unit = None if who.role is Role.ADMIN else await scope_of(request, who)
    wf = await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    rnd = await _pool_round(request, round_id, wf)
    taken = {n.cadre_id for n in await run_in_threadpool(db.list_nominations, round_id)}
    items = [
        PoolPerson(
            cadre_id=c.id,
            name=c.name,
            rank_title=c.rank_title or c.rank.label,
            birth_year=c.birth_year,
            nominated=c.id in taken,
        )
        for c in rnd.cadres
        if unit is None or c.unit == unit
    ]
    return PoolList(round_id=round_id, unit=unit, items=items)


PRIVATE_REASONS = frozenset({"accepted", "rejected", "objection", "resolve"})
"""Events whose reason speaks about a person (why rejected, what was objected): kept from the
roles that only follow the round (viewer, roster system)."""


def _visible(
    events: list[WorkflowEvent], who: Identity, scope: str | None, own: set[str]
) -> list[WorkflowEvent]:
    """What a role may see of the log: everything for those who act on it; the events without
    reasons about people for those who follow it; the steps and its own part for a unit (its
    nominees) or a department (its answers)."""
    if who.role in (Role.VIEWER, Role.ROSTER_SYSTEM):
        return [replace(e, reason="") if e.action in PRIVATE_REASONS else e for e in events]
    if who.role not in (Role.UNIT, Role.VETTER):
        return events
    dept = department_key(scope or "")
    step = [e for e in events if e.action in STATES or e.action == "open"]
    if who.role is Role.UNIT:
        mine = [e for e in events if e.subject in own and e.action not in STATES]
    else:
        mine = [e for e in events if e.action == "clear" and e.subject == dept]
    return sorted(step + mine, key=lambda e: e.id)


def _subject(e: WorkflowEvent, names: dict[str, str]) -> str:
    """A person by name; anything else (a department key, a plan, an objection) as logged."""
    return e.subject if e.action == "clear" else names.get(e.subject, e.subject)


@router.get(
    "/rounds/{round_id}/timeline",
    name="workflow.timeline",
    response_model=Timeline,
    responses=errors(404),
)
async def timeline(request: Request, round_id: str, who: SignedIn) -> Timeline:
    """Where the round's selection stands and every step so far: who, when, what, why."""
    db = deps.store(request)
    head = await deps.known_round(request, round_id)
    wf = await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    scope = None
    own: set[str] = set()
    if who.role in (Role.UNIT, Role.VETTER):
        scope = await scope_of(request, who)
        if who.role is Role.VETTER and department_key(scope) not in _required(
            (await deps.read_round(request, round_id))[1]
        ):
            raise ApiError(
                403, "本轮不需要本部门审查 (not asked of this department)", kind="forbidden"
            )
        if who.role is Role.UNIT:
            noms = await run_in_threadpool(db.list_nominations, round_id, scope)
            own = {n.cadre_id for n in noms}
    events = _visible(await run_in_threadpool(db.list_events, round_id), who, scope, own)
    rnd = await _pool_round(request, round_id, wf)
    names = {c.id: c.name for c in rnd.cadres}
    return Timeline(
        round_id=round_id,
        name=head.name,
        state=wf.state,
        publicity_ends=wf.publicity_ends,
        next_round_id=wf.next_round_id,
        events=[
            TimelineEvent(
                at=e.at,
                who=e.who,
                role=e.role,
                action=e.action,
                subject=_subject(e, names),
                reason=e.reason,
            )
            for e in events
        ],
    )


@router.get(
    "/plans/{plan_id}/rule-check",
    name="plans.rule_check",
    response_model=RuleCheckList,
    responses=errors(404),
)
async def rule_check(request: Request, plan_id: str, who: Reader) -> RuleCheckList:
    """Each hard rule of the plan's round: what it requires, what the plan shows, whether it
    holds (counted from the posts, independently of the engine)."""
    db = deps.store(request)
    plan = await deps.fetch("plan", plan_id, db.get_plan, plan_id)
    deps.audit_round(request, plan.round_id)
    _, body = await deps.read_round(request, plan.round_id, plan.round_version)
    lang = from_accept_language(request.headers.get("accept-language")) or "zh"
    rnd = await run_in_threadpool(Round.model_validate_json, body)
    result = result_from_dict(json.loads(plan.result))
    checks = await run_in_threadpool(check_rules, rnd, result, lang)
    return RuleCheckList(
        plan_id=plan_id,
        items=[
            RuleCheckOut(rule=c.rule, requires=c.requires, plan=c.plan, holds=c.holds)
            for c in checks
        ],
    )
