"""What the selection workflow routes share: the acting key, a store step with its refusals
(wrong state or missing preconditions → 409 naming the state and every gap, in the language of
``Accept-Language``, Chinese by default), idempotency keys, the workflow response."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from matcher.model.language import from_accept_language
from matcher.model.round import Round
from matcher_service import deps
from matcher_service.auth import Identity
from matcher_service.clock import clock
from matcher_service.problems import ApiError
from matcher_service.store import NotFound, Store
from matcher_service.store.gates import (
    STATE_EN,
    STATE_ZH,
    Refused,
    changed_since_review,
    needs_state,
)
from matcher_service.store.idempotency import Idem, KeyReused
from matcher_service.store.workflow import Actor, ChangedSinceReview, Workflow, WrongState
from matcher_service.workflow_schemas import EventOut, GapOut, ObjectionOut, WorkflowOut

IDEMPOTENCY_HEADER = "Idempotency-Key"
ACTIONS = {
    "open": ("开启选派", "selection opened"),
    "nominate": ("单位推荐", "nominated"),
    "vetting": ("推荐截止，进入资格联审", "nominations closed, vetting"),
    "clear": ("填报资格联审意见", "clearances given"),
    "accepted": ("审核通过", "accepted in review"),
    "rejected": ("审核未通过", "rejected in review"),
    "reviewed": ("组织审核", "reviewed"),
    "proposed": ("拟定方案", "plan proposed"),
    "publicity": ("开始公示", "publicity started"),
    "objection": ("收到公示反映", "objection recorded"),
    "resolve": ("办结公示反映", "objection answered"),
    "returned": ("退回", "returned"),
    "approved": ("批准", "approved"),
    "published": ("公布", "published"),
}


def actor(who: Identity) -> Actor:
    return Actor(who.name, who.role.value)


def lang(request: Request | None) -> str:
    """zh unless the request's Accept-Language prefers English."""
    if request is None:
        return "zh"
    return from_accept_language(request.headers.get("accept-language")) or "zh"


def refused(exc: Refused, language: str = "zh") -> ApiError:
    """409 naming the workflow's state and every gap (404 when there is no workflow and the
    gap is only that)."""
    en = language == "en"
    state = exc.state
    if en:
        where = f"the workflow is at '{STATE_EN.get(state or '', state or 'none')}'"
        detail = f"{where}; missing: " + "; ".join(g.en for g in exc.gaps)
    else:
        where = f"本轮选派处于「{STATE_ZH.get(state or '', state or '未开启')}」阶段"
        detail = f"{where}，尚缺：" + "；".join(g.zh for g in exc.gaps)
    errors = [
        {
            "source": "workflow",
            "where": state or "",
            "pointer": None,
            "id": g.code,
            "field": None,
            "message": g.en if en else g.zh,
        }
        for g in exc.gaps
    ]
    return ApiError(409, detail, kind=exc.gaps[0].code if exc.gaps else "conflict", errors=errors)


def wrong_state(exc: WrongState, language: str = "zh") -> ApiError:
    """404 when there is no workflow, else 409 naming where it is and where it must be."""
    if exc.state is None:
        return ApiError(
            404,
            "no selection workflow for this round"
            if language == "en"
            else "本轮尚未开启选派流程 (no selection workflow for this round)",
            kind="not-found",
        )
    return refused(Refused(exc.state, [needs_state(exc.state, exc.wanted)]), language)


async def step(fn: Any, *args: Any, request: Request | None = None, **fields: Any) -> Any:
    """Run a store step; a wrong state or a missing precondition is 409 (state and gaps), a
    missing item 404, a round edited since review 409."""
    language = lang(request)
    try:
        return await run_in_threadpool(fn, *args, **fields)
    except WrongState as exc:
        raise wrong_state(exc, language) from None
    except Refused as exc:
        raise refused(exc, language) from None
    except ChangedSinceReview as exc:
        gap = changed_since_review(exc.version, exc.reviewed)
        raise refused(Refused(None, [gap]), language) from None
    except NotFound as exc:
        raise ApiError(404, f"no such item: {exc}", kind="not-found") from None


def idempotency(request: Request, who: Identity, action: str, target: str) -> Idem | None:
    """The request's ``Idempotency-Key`` for this change (None without one); 422 when it is
    empty or longer than 200 characters."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200:
        raise ApiError(
            422,
            "Idempotency-Key 须为 1–200 个字符 (an Idempotency-Key has 1 to 200 characters)",
            kind="invalid-request",
        )
    return Idem(who.key_id, key, action, target)


def key_reused(exc: KeyReused) -> ApiError:
    return ApiError(
        422,
        f"此 Idempotency-Key 已用于另一操作（{exc.action} {exc.target}）"
        f" (this Idempotency-Key was used for {exc.action} on {exc.target})",
        kind="idempotency-key-reused",
    )


async def current(request: Request, round_id: str) -> tuple[int, Round]:
    """The round's current version number and body."""
    info, body = await deps.read_round(request, round_id)
    return info.version, await run_in_threadpool(Round.model_validate_json, body)


def workflow_out(
    store: Store,
    wf: Workflow,
    full: bool = True,
    at: datetime | None = None,
    language: str = "zh",
) -> WorkflowOut:
    """The workflow with (``full``) its log, objections and, at ``at``, what approval needs."""
    en = language == "en"
    events = (
        [
            deps.out(EventOut, e, label=ACTIONS.get(e.action, (e.action, e.action))[1 if en else 0])
            for e in store.list_events(wf.round_id)
        ]
        if full
        else []
    )
    objs = [deps.out(ObjectionOut, o) for o in store.list_objections(wf.round_id)] if full else []
    gaps = [
        GapOut(code=g.code, message=g.en if language == "en" else g.zh)
        for g in (store.approval_gaps(wf.round_id, at) if full and at else [])
    ]
    return deps.out(WorkflowOut, wf, events=events, objections=objs, approval_gaps=gaps)


async def respond(request: Request, wf: Workflow) -> WorkflowOut:
    at = clock(request)()
    return await run_in_threadpool(workflow_out, deps.store(request), wf, True, at, lang(request))
