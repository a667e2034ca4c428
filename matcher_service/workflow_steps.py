"""What the selection workflow routes share: the acting key, a store step with its refusals
(wrong state → 409 with the state in words), the round's current body, the workflow response."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from matcher.model.round import Round
from matcher_service import deps
from matcher_service.auth import Identity
from matcher_service.problems import ApiError
from matcher_service.store import NotFound, Store
from matcher_service.store.workflow import Actor, ChangedSinceReview, Workflow, WrongState
from matcher_service.workflow_schemas import EventOut, ObjectionOut, WorkflowOut

STATE_ZH = {
    "nominating": "单位推荐",
    "vetting": "资格联审",
    "reviewed": "组织审核",
    "proposed": "拟定方案",
    "publicity": "公示",
    "approved": "批准",
    "published": "公布",
}


def actor(who: Identity) -> Actor:
    return Actor(who.name, who.role.value)


def wrong_state(exc: WrongState) -> ApiError:
    """404 when there is no workflow, else 409 naming where it is and where it must be."""
    if exc.state is None:
        return ApiError(
            404, "本轮尚未开启选派流程 (no selection workflow for this round)", kind="not-found"
        )
    want = "、".join(STATE_ZH.get(s, s) for s in exc.wanted)
    return ApiError(
        409,
        f"本轮选派处于「{STATE_ZH.get(exc.state, exc.state)}」阶段，此操作需在「{want}」阶段 "
        f"(the workflow is at '{exc.state}'; this step needs {', '.join(exc.wanted)})",
        kind="wrong-state",
    )


def changed(version: int, reviewed: int | None) -> ApiError:
    """409: the round was edited after review."""
    return ApiError(
        409,
        f"审核后名单已改动 (the round changed since review: version {version}, reviewed "
        f"{reviewed}); review again",
        kind="changed-since-review",
    )


async def step(fn: Any, *args: Any, **fields: Any) -> Any:
    """Run a store step; a wrong state is 409, a missing item 404, a repeat 409, a round
    edited since review 409."""
    try:
        return await run_in_threadpool(fn, *args, **fields)
    except WrongState as exc:
        raise wrong_state(exc) from None
    except ChangedSinceReview as exc:
        raise changed(exc.version, exc.reviewed) from None
    except NotFound as exc:
        raise ApiError(404, f"no such item: {exc}", kind="not-found") from None


async def current(request: Request, round_id: str) -> tuple[int, Round]:
    """The round's current version number and body."""
    info, body = await deps.read_round(request, round_id)
    return info.version, await run_in_threadpool(Round.model_validate_json, body)


def workflow_out(store: Store, wf: Workflow, full: bool = True) -> WorkflowOut:
    events = [deps.out(EventOut, e) for e in store.list_events(wf.round_id)] if full else []
    objs = [deps.out(ObjectionOut, o) for o in store.list_objections(wf.round_id)] if full else []
    return deps.out(WorkflowOut, wf, events=events, objections=objs)


async def respond(request: Request, wf: Workflow) -> WorkflowOut:
    return await run_in_threadpool(workflow_out, deps.store(request), wf)
