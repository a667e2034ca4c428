"""The posting lifecycle over HTTP: approve a plan into the archive, replace after events with
proven fewest moves, start the next round, read a person's file and a community's history.

Files and histories hold personal data: only roles with the ``personal`` permission read them,
and every read is in the audit log (the audit middleware records each request by route name).
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool

from matcher.engine.result import Result
from matcher.lifecycle.adjustment import Replacement
from matcher.lifecycle.events import Events, check_events
from matcher.lifecycle.terms import next_round
from matcher.model.io.json_round import round_json
from matcher.model.language import from_accept_language
from matcher.model.round import Round
from matcher_service import approving, archive, deps
from matcher_service.approving import replacement_publicity
from matcher_service.audit import recorded
from matcher_service.auth import Identity, Permission, require
from matcher_service.clock import clock
from matcher_service.filenames import content_disposition, download_name
from matcher_service.job_events import JobEvents, changed
from matcher_service.problems import ApiError
from matcher_service.replace_job import INVALID, KEY_REUSED, NO_PLAN, Order
from matcher_service.results import result_from_dict
from matcher_service.routes.openapi_bits import errors
from matcher_service.schemas import JobOut
from matcher_service.store import TERMINAL, Job, Plan, QueueFull
from matcher_service.store.approval import NextRound
from matcher_service.store.archive import PostingRecord
from matcher_service.store.gates import Refused, not_approved
from matcher_service.store.idempotency import Idem, KeyReused, Replayed
from matcher_service.strict_bodies import StrictBody, refuse_loose
from matcher_service.workflow_steps import idempotency, key_reused, lang, refused, step

router = APIRouter(tags=["lifecycle"])
Planner = Annotated[Identity, require(Permission.LOCK)]
Approver = Annotated[Identity, require(Permission.APPROVE)]
Writer = Annotated[Identity, require(Permission.WRITE)]
Personal = Annotated[Identity, require(Permission.PERSONAL)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WAIT_POLL_S = 0.25  # a fallback: local workers wake the waiting request at once


class _In(StrictBody):
    """A lifecycle request body: numbers, dates and text taken only as written."""


class EventsIn(Events):
    """The events of a replacement, taken only as written (see :class:`StrictBody`)."""

    @model_validator(mode="before")
    @classmethod
    def _as_written(cls, data: Any) -> Any:
        return refuse_loose(cls, data)


class ApproveIn(_In):
    """When the approved postings start."""

    start: date


class ApprovalOut(BaseModel):
    plan_id: str
    round_id: str
    start: date
    replaces: str | None
    approved_by: str
    started: int = Field(description="postings started")
    ended: int = Field(description="serving postings ended (moved, recalled, completed …)")


class NextRoundIn(_In):
    """Rotation: terms ending before ``release_before`` are released; with ``not_back_years``
    a released cadre may not return to a community served in those years."""

    release_before: date
    not_back_years: int | None = Field(default=None, ge=1, le=20)
    continuity_years: int | None = Field(
        default=None, ge=1, le=20, description="released cadres prefer communities served then"
    )
    name: str | None = Field(default=None, min_length=1, max_length=200)


class NextRoundOut(BaseModel):
    round_id: str
    name: str
    sitting: int = Field(description="cadres holding their post as current post")
    released: int = Field(description="cadres released for rotation")


class LevelOut(BaseModel):
    name: str
    value: int
    bound: float
    proven: bool


class ChangeOut(BaseModel):
    cadre: str
    kind: str
    outcome: str
    from_: dict[str, str] | None = Field(alias="from")
    to: dict[str, str] | None
    reason: str
    chain: list[str]


class ReplacementOut(BaseModel):
    plan_id: str
    round_id: str
    source_plan_id: str
    status: str
    method: str
    levels: list[LevelOut]
    vacancies_if_nobody_moves: int | None
    forced_moves: int
    augmenting_paths: int
    changes: list[ChangeOut]
    notes: list[str]
    time_s: float
    workflow: str | None = Field(
        default=None,
        description="The replacement round's workflow state: 'publicity' when the replaced "
        "plan was in the selection workflow (its own 公示 runs before approval)",
    )


class PostingOut(BaseModel):
    cadre_id: str
    cadre_name: str
    community_id: str
    community_name: str
    post_type: str
    start: date
    term_months: int
    term_end: date
    outcome: str
    reason: str
    ended: date | None
    plan_id: str
    round_id: str


class PersonFileOut(BaseModel):
    cadre_id: str
    name: str
    postings: list[PostingOut]


class CommunityHistoryOut(BaseModel):
    community_id: str
    name: str
    postings: list[PostingOut]


def _posting_out(r: PostingRecord) -> PostingOut:
    return PostingOut(**{k: getattr(r, k) for k in PostingOut.model_fields})


async def _plan_and_round(request: Request, plan_id: str) -> tuple[Plan, Round, Result]:
    db = deps.store(request)
    plan: Plan = await deps.fetch("plan", plan_id, db.get_plan, plan_id)
    deps.audit_round(request, plan.round_id)
    rnd = await deps.parsed_round(request, plan.round_id, plan.round_version)
    return plan, rnd, result_from_dict(json.loads(plan.result))


@router.post(
    "/plans/{plan_id}/approve",
    name="lifecycle.approve",
    response_model=ApprovalOut,
    status_code=201,
    responses=errors(404, 409, 422),
)
async def approve_plan(
    request: Request, plan_id: str, body: ApproveIn, who: Approver
) -> ApprovalOut:
    """Approve a plan into the archive (方案入档): its postings start on ``start``; postings it
    ends are closed (moved, recalled, promoted, unsuitable, withdrawn, completed). Only for
    plans outside the selection workflow (rounds that record a decision taken elsewhere, or
    replacements of such plans): a plan whose round is in the workflow — a replacement of a
    publicised or approved plan included — is approved after its publicity through
    ``POST /rounds/{id}/workflow/approve`` (409 here). 409 also when the plan is approved
    already, has no assignment, or places cadres serving under another approved plan it does
    not descend from (named). One transaction; ``Idempotency-Key`` makes a retry safe."""
    plan, rnd, result = await _plan_and_round(request, plan_id)
    if not result.is_feasible():
        raise ApiError(409, "方案不可行，不能入档 (the plan has no assignment)", kind="no-plan")
    outcome, _ = await approving.approve(
        request,
        who,
        plan,
        rnd,
        body.start,
        action="lifecycle.approve",
        in_workflow=False,
        status=201,
    )
    done = await run_in_threadpool(deps.store(request).get_approval, plan_id)
    assert done is not None  # approved in this request or an earlier one with its key
    return ApprovalOut(
        plan_id=done.plan_id,
        round_id=done.round_id,
        start=done.start,
        replaces=done.replaces,
        approved_by=done.approved_by,
        started=int(outcome["started"]),
        ended=int(outcome["ended"]),
    )


def _replacement_out(
    rec_plan: str, rec_round: str, source: str, report: dict[str, Any]
) -> ReplacementOut:
    return ReplacementOut.model_validate(
        {**report, "plan_id": rec_plan, "round_id": rec_round, "source_plan_id": source}
    )


def _reasons(events: Events) -> str | None:
    """The reasons the events give, for the audit log (``cadre: reason; …``)."""
    said = {**events.reasons, **{u.cadre: u.reason for u in events.unsuitable if u.reason}}
    return "; ".join(f"{c}: {r}" for c, r in said.items() if r) or None


Wait = Annotated[
    float,
    Query(
        ge=0,
        le=60,
        description="Wait up to this many seconds for the job: 201 with the replacement if it "
        "finished by then (409/422 as it failed), else 202 with the job",
    ),
]


@router.post(
    "/plans/{plan_id}/replace",
    name="lifecycle.replace",
    response_model=JobOut,
    status_code=202,
    responses={
        201: {
            "model": ReplacementOut,
            "description": "The replacement (a retry with a used Idempotency-Key, or ``wait`` "
            "and it finished in time)",
        },
        **errors(404, 409, 422, 429),
    },
)
async def replace_plan(
    request: Request, plan_id: str, body: EventsIn, who: Planner, wait: Wait = 0
) -> Response:
    """Refill the posts after events (recall, promotion, withdrawal, unsuitable with posts not
    to return to, new cadres, communities added, merged or closed, new rules): the plan that
    keeps every hard rule with the fewest vacancies, then the fewest moves of sitting cadres,
    then the least cost, each level proven. A worker decides it: 202 with the job (``Location:
    /jobs/{id}``; poll or stream it like a solve); once it succeeded its ``plan_id`` is the
    replacement plan, stored as a new round and plan with its report (``GET
    /plans/{plan_id}/replacement``); approve it with ``POST /plans/{id}/approve``. A job that
    finds no plan ends ``failed`` with the reason. Events naming what the round has not are 422
    at once. ``Idempotency-Key``: a retry while the job runs answers that job; after it stored
    the replacement, 201 with it."""
    request.state.audit_reason = _reasons(body)
    plan, rnd, result = await _plan_and_round(request, plan_id)
    db = deps.store(request)
    idem = idempotency(request, who, "lifecycle.replace", plan_id)
    if idem is not None:
        try:
            done = await run_in_threadpool(db.replayed, idem)
        except KeyReused as exc:
            raise key_reused(exc) from None
        if done is not None:
            return _created(await _stored_replacement(request, str(done["plan_id"])))
    if not result.is_feasible():
        raise ApiError(409, "原方案不可行 (the plan has no assignment to adjust)", kind="no-plan")
    check_events(rnd, result, body)  # 422 now, not in the worker
    job = await _replace_job(request, who, plan, rnd, body, idem)
    if wait > 0 and job.state not in TERMINAL:
        job = await _wait_for(request, job, wait)
    if job.state == "succeeded" and job.plan_id is not None:
        return _created(await _stored_replacement(request, job.plan_id))
    if job.state == "failed":
        _refuse(job.error or "")
    headers = {"Location": f"/jobs/{job.id}"}
    return Response(deps.job_out(job).model_dump_json(), 202, headers, "application/json")


def _created(out: ReplacementOut) -> Response:
    headers = {"Location": f"/plans/{out.plan_id}/replacement"}
    return Response(out.model_dump_json(by_alias=True), 201, headers, "application/json")


def _refuse(error: str) -> None:
    """A failed replacement job's answer to a waiting request: what the request thread
    answered before (409 no plan, 422 events the round cannot take)."""
    if error.startswith(NO_PLAN):
        raise ApiError(409, error.removeprefix(NO_PLAN), kind="no-plan")
    if error.startswith(KEY_REUSED):
        raise ApiError(422, error.removeprefix(KEY_REUSED), kind="idempotency-key-reused")
    if error.startswith(INVALID):
        raise ApiError(422, error.removeprefix(INVALID), kind="invalid-request")


async def _replace_job(
    request: Request, who: Identity, plan: Plan, rnd: Round, body: Events, idem: Idem | None
) -> Job:
    """The queued replacement job: a new one, or the one a retry with the same key queued and
    no worker took yet. (A retry of a job already running queues a second one: the first of
    them to store the replacement stores it, the other ends with the same plan — a job whose
    worker died is never waited for.)"""
    cfg, db = deps.settings(request), deps.store(request)
    if idem is not None:
        active = await run_in_threadpool(
            partial(db.list_jobs, states=("queued",), source_plan_id=plan.id)
        )
        same = [j for j in active if Order.from_json(j.payload or "{}").same_key(idem)]
        if same:
            return same[0]
    order = Order(
        body.model_dump_json(),
        who.name,
        f"{rnd.name}（调整）"[:200],
        replacement_publicity(request, who),
        idem,
    )
    try:
        job: Job = await recorded(
            request,
            202,
            partial(
                db.create_job,
                kind="replace",
                source_plan_id=plan.id,
                payload=order.to_json(),
            ),
            plan.round_id,
            who.name,
            cfg.job_time_limit_s,
            cfg.queue_limit,
            None,
            plan.round_version,
        )
    except QueueFull:
        raise deps.queue_full(cfg.queue_limit) from None
    deps.dispatch(request, job)
    return job


async def _wait_for(request: Request, job: Job, seconds: float) -> Job:
    """The job once finished, or as it stands after ``seconds``."""
    hub: JobEvents = request.app.state.job_events
    db = deps.store(request)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    with hub.subscribe(job.id) as wake:
        job = await run_in_threadpool(db.get_job, job.id)
        while job.state not in TERMINAL and (left := end - loop.time()) > 0:
            await changed(wake, min(left, _WAIT_POLL_S))
            job = await run_in_threadpool(db.get_job, job.id)
    return job


async def _stored_replacement(request: Request, plan_id: str) -> ReplacementOut:
    """The stored replacement's answer, with its round's workflow state (``publicity`` when
    it must be publicised before approval)."""
    db = deps.store(request)
    rec = await deps.fetch("replacement", plan_id, db.get_replacement, plan_id)
    wf = await run_in_threadpool(db.find_workflow, rec.round_id)
    out = _replacement_out(rec.plan_id, rec.round_id, rec.source_plan_id, json.loads(rec.report))
    return out.model_copy(update={"workflow": wf.state if wf else None})


@router.get(
    "/plans/{plan_id}/replacement",
    name="lifecycle.replacement",
    response_model=ReplacementOut,
    responses=errors(404),
)
async def get_replacement(request: Request, plan_id: str, who: Personal) -> ReplacementOut:
    """A replacement plan's report: proven levels, who leaves, comes and moves, and why."""
    return await _stored_replacement(request, plan_id)


@router.get(
    "/plans/{plan_id}/adjustments.xlsx",
    name="lifecycle.adjustments",
    response_class=Response,
    responses=errors(404),
)
async def adjustments_xlsx(request: Request, plan_id: str, who: Personal) -> Response:
    """The 调整名单 workbook of a replacement plan, for approval: who, from, to, why, term."""
    db = deps.store(request)
    rec = await deps.fetch("replacement", plan_id, db.get_replacement, plan_id)
    new_plan, new_round, _ = await _plan_and_round(request, plan_id)
    _, old_round, _ = await _plan_and_round(request, rec.source_plan_id)
    data = await run_in_threadpool(_adjustments, old_round, new_round, rec.report, rec.events)
    lang = from_accept_language(request.headers.get("accept-language"))
    name = download_name(new_round.name, new_plan.round_version, "adjustments", ".xlsx", lang)
    headers = {"Content-Disposition": content_disposition(name)}
    return Response(data, media_type=XLSX, headers=headers)


def _adjustments(old: Round, new: Round, report: str, events: str) -> bytes:
    import tempfile
    from pathlib import Path

    from matcher.model.io.adjustments import write_adjustments_xlsx

    rep = Replacement.from_report(json.loads(report), new)
    effective = Events.model_validate_json(events).effective or date.today()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "adjustments.xlsx"
        write_adjustments_xlsx(old, rep, path, effective)
        return path.read_bytes()


@router.post(
    "/plans/{plan_id}/next-round",
    name="lifecycle.next_round",
    response_model=NextRoundOut,
    status_code=201,
    responses=errors(404, 409),
)
async def start_next_round(
    request: Request, plan_id: str, body: NextRoundIn, who: Writer
) -> NextRoundOut:
    """Start the rotation round from an approved plan: sitting cadres hold their posts as
    current posts, terms ending before ``release_before`` are released, and with
    ``not_back_years`` a released cadre may not go back to a community served in those years."""
    db = deps.store(request)
    _, rnd, _ = await _plan_and_round(request, plan_id)
    idem = idempotency(request, who, "lifecycle.next_round", plan_id)
    if await run_in_threadpool(db.get_approval, plan_id) is None:  # checked again when stored
        raise refused(Refused(None, [not_approved(plan_id)]), lang(request))
    serving = await run_in_threadpool(db.serving)
    mine = [p for p in serving if p.cadre_id in {c.id for c in rnd.cadres}]
    not_back = continuity = None
    if body.not_back_years or body.continuity_years:
        history = [r for c in rnd.cadres for r in await run_in_threadpool(db.person_file, c.id)]
        end = body.release_before
        if body.not_back_years:
            not_back = archive.served_recently(history, end, body.not_back_years)
        if body.continuity_years:
            continuity = archive.served_recently(history, end, body.continuity_years)
    nxt = next_round(
        rnd,
        archive.as_postings(mine),
        body.release_before,
        name=body.name,
        not_back=not_back,
        continuity=continuity,
    )
    made = NextRound(nxt.name, round_json(nxt), deps.counts(nxt))
    try:
        rid = await step(
            db.start_round_from, plan_id, made, who.name, clock(request)(), idem, request=request
        )
    except Replayed as again:
        rid = str(again.outcome["round_id"])
    except KeyReused as exc:
        raise key_reused(exc) from None
    sitting = sum(1 for c in nxt.cadres if c.current_post is not None)
    return NextRoundOut(round_id=rid, name=nxt.name, sitting=sitting, released=len(mine) - sitting)


async def _person_file(request: Request, cadre_id: str) -> list[PostingRecord]:
    """A cadre's postings across rounds, oldest first; 404 when the archive has none."""
    request.state.audit_subject = f"cadre {cadre_id}"
    records = await run_in_threadpool(deps.store(request).person_file, cadre_id)
    if not records:
        raise deps.not_found("cadre file", cadre_id)
    return records


@router.get(
    "/cadres/{cadre_id}/file",
    name="lifecycle.person_file",
    response_model=PersonFileOut,
    responses=errors(404),
)
async def person_file(request: Request, cadre_id: str, who: Personal) -> PersonFileOut:
    """A cadre's file (一人一档): every posting across rounds with term, outcome and reason."""
    records = await _person_file(request, cadre_id)
    return PersonFileOut(
        cadre_id=cadre_id, name=records[-1].cadre_name, postings=[_posting_out(r) for r in records]
    )


@router.get(
    "/cadres/{cadre_id}/file.xlsx",
    name="lifecycle.person_file_xlsx",
    response_class=Response,
    responses=errors(404),
)
async def person_file_xlsx(request: Request, cadre_id: str, who: Personal) -> Response:
    """The cadre's file as an XLSX workbook."""
    records = await _person_file(request, cadre_id)
    data = await run_in_threadpool(archive.file_xlsx, cadre_id, records)
    headers = {"Content-Disposition": 'attachment; filename="file.xlsx"'}
    return Response(data, media_type=XLSX, headers=headers)


@router.get(
    "/communities/{community_id}/history",
    name="lifecycle.community_history",
    response_model=CommunityHistoryOut,
    responses=errors(404),
)
async def community_history(
    request: Request, community_id: str, who: Personal
) -> CommunityHistoryOut:
    """A community's line of secretaries and helpers, oldest first."""
    request.state.audit_subject = f"community {community_id}"
    records = await run_in_threadpool(deps.store(request).community_history, community_id)
    if not records:
        raise deps.not_found("community history", community_id)
    return CommunityHistoryOut(
        community_id=community_id,
        name=records[-1].community_name,
        postings=[_posting_out(r) for r in records],
    )
