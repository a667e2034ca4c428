"""The documents of the selection workflow: the publicity list (公示名单) while and after the
plan is publicised, and the approval record (审批记录) once it is approved — as JSON for the
page, XLSX and PDF (:mod:`matcher.model.io.publicity`).

The publicity list is public (any reading role); it names people by name, unit, rank title and
post, never by id or private data. The approval record (objections and their answers) is for
the planner, the approver and admins. Every read names the listed cadres in the audit log.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from matcher.engine.result import Result
from matcher.model.io import publicity as docs
from matcher.model.round import Round
from matcher_service import deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.problems import ApiError
from matcher_service.publicity_period import local_day
from matcher_service.results import result_from_dict
from matcher_service.routes.openapi_bits import errors
from matcher_service.store.workflow import Workflow
from matcher_service.workflow_steps import lang

router = APIRouter(tags=["selection"])
Reader = Annotated[Identity, require(Permission.READ)]
Recorder = Annotated[Identity, require(Permission.RECORD)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = ("publicity", "approved", "published")


class PublicityItem(BaseModel):
    name: str = Field(description="姓名")
    unit: str = Field(description="工作单位")
    title: str = Field(description="职务职级 as written")
    post: str = Field(description="拟任职务, e.g. 担任古塔区北街社区第一书记")


class PublicityList(BaseModel):
    """The 公示 list of the round's publicised plan (no ids, no private data)."""

    round_id: str
    plan_id: str
    title: str
    period: str = Field(description="公示时间 in words")
    items: list[PublicityItem]


class RecordOut(BaseModel):
    """The approval record (审批记录) as (item, content) rows, objections last."""

    round_id: str
    plan_id: str
    title: str
    rows: list[list[str]]


async def _plan(
    request: Request, round_id: str, states: tuple[str, ...]
) -> tuple[Workflow, Round, Result]:
    """The workflow, the round version its plan was solved on, and the plan's result; 409 when
    the workflow is not (yet) at one of ``states``."""
    db = deps.store(request)
    deps.audit_round(request, round_id)
    wf: Workflow = await deps.fetch("workflow", round_id, db.get_workflow, round_id)
    if wf.state not in states or wf.plan_id is None:
        raise ApiError(
            409,
            f"本轮选派处于「{wf.state}」阶段，尚无此文书 (the workflow is at '{wf.state}'; "
            f"this document exists from {states[0]} on)",
            kind="wrong-state",
        )
    plan = await deps.fetch("plan", wf.plan_id, db.get_plan, wf.plan_id)
    info = await deps.fetch("round", round_id, db.get_round, round_id, plan.round_version)
    rnd = await run_in_threadpool(Round.model_validate_json, info.body)
    result = result_from_dict(json.loads(plan.result))
    deps.audit_subjects(request, [a.cadre_id for a in result.assignments if a.cadre_id], round_id)
    return wf, rnd, result


def _period(wf: Workflow) -> docs.Period | None:
    if wf.publicity_started is None or wf.publicity_ends is None or not wf.publicity_days:
        return None
    last = local_day(wf.publicity_ends - timedelta(seconds=1))
    return docs.Period(local_day(wf.publicity_started), last, wf.publicity_days)


def _file(data: bytes, media: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept-Language"}
    return Response(data, media_type=media, headers=headers)


@router.get(
    "/rounds/{round_id}/workflow/publicity-list",
    name="workflow.publicity_list",
    response_model=PublicityList,
    responses=errors(404, 409),
)
async def publicity_list(request: Request, round_id: str, who: Reader) -> PublicityList:
    """The 公示 list of the publicised plan: 姓名, 工作单位, 职务职级, 拟任职务 (e.g.
    担任古塔区北街社区第一书记) and the period; from publicity on (409 before). Public: any
    reading role. ``Accept-Language: en`` for English."""
    wf, rnd, result = await _plan(request, round_id, SHOWN)
    language = lang(request)
    _, rows = docs.publicity_table(rnd, result, language)
    return PublicityList(
        round_id=round_id,
        plan_id=wf.plan_id or "",
        title=f"{rnd.name}拟选派人选公示名单"
        if language == "zh"
        else f"{rnd.name}: publicity list",
        period=docs.period_words(_period(wf), language),
        items=[PublicityItem(name=r[1], unit=r[2], title=r[3], post=r[4]) for r in rows],
    )


@router.get(
    "/rounds/{round_id}/workflow/publicity-list.{fmt}",
    name="workflow.publicity_list_file",
    response_class=Response,
    responses=errors(404, 409),
)
async def publicity_file(request: Request, round_id: str, fmt: str, who: Reader) -> Response:
    """The 公示 list as ``xlsx`` (print-ready) or ``pdf``."""
    if fmt not in ("xlsx", "pdf"):
        raise deps.not_found("document format", fmt)
    wf, rnd, result = await _plan(request, round_id, SHOWN)
    write = docs.publicity_xlsx if fmt == "xlsx" else docs.publicity_pdf
    data = await run_in_threadpool(write, rnd, result, _period(wf), lang(request))
    media = XLSX if fmt == "xlsx" else "application/pdf"
    return _file(data, media, f"publicity-{round_id}.{fmt}")


async def _decision(
    request: Request, round_id: str
) -> tuple[Workflow, Round, Result, docs.Decision]:
    wf, rnd, result = await _plan(request, round_id, ("approved", "published"))
    names = {c.id: c.name for c in rnd.cadres}
    objections = await run_in_threadpool(deps.store(request).list_objections, round_id)
    decision = docs.Decision(
        day=local_day(wf.approved_at or wf.updated_at),
        approver=wf.approved_by or "",
        signatory=wf.signatory or "",
        decision=wf.decision or "",
        objections=[
            docs.Objection(
                about=names.get(o.cadre_id, "") if o.cadre_id else "",
                text=o.text,
                recorded=local_day(o.recorded_at),
                answer=o.resolution,
                answered_by=o.resolved_by,
                answered=local_day(o.resolved_at) if o.resolved_at else None,
            )
            for o in objections
        ],
    )
    return wf, rnd, result, decision


def _placed(result: Result) -> int:
    return sum(1 for a in result.assignments if a.cadre_id)


@router.get(
    "/rounds/{round_id}/workflow/approval-record",
    name="workflow.approval_record",
    response_model=RecordOut,
    responses=errors(403, 404, 409),
)
async def approval_record(request: Request, round_id: str, who: Recorder) -> RecordOut:
    """The approval record (审批记录): round, plan, number proposed, publicity period, decision,
    approver, date, 落款, and every objection with its answer. From approval on (409 before);
    planner, approver and admin only."""
    wf, rnd, result, decision = await _decision(request, round_id)
    language = lang(request)
    rows = docs.record_rows(rnd, wf.plan_id or "", _period(wf), decision, _placed(result), language)
    title = f"{rnd.name}选派方案审批记录" if language == "zh" else f"{rnd.name}: approval record"
    return RecordOut(
        round_id=round_id,
        plan_id=wf.plan_id or "",
        title=title,
        rows=[[str(c) for c in r] for r in rows],
    )


@router.get(
    "/rounds/{round_id}/workflow/approval-record.{fmt}",
    name="workflow.approval_record_file",
    response_class=Response,
    responses=errors(403, 404, 409),
)
async def approval_record_file(
    request: Request, round_id: str, fmt: str, who: Recorder
) -> Response:
    """The approval record as ``xlsx`` (record and objections sheets) or ``pdf`` (closing with
    the 落款 and date)."""
    if fmt not in ("xlsx", "pdf"):
        raise deps.not_found("document format", fmt)
    wf, rnd, result, decision = await _decision(request, round_id)
    write = docs.record_xlsx if fmt == "xlsx" else docs.record_pdf
    data = await run_in_threadpool(
        write, rnd, wf.plan_id or "", _period(wf), decision, _placed(result), lang(request)
    )
    media = XLSX if fmt == "xlsx" else "application/pdf"
    return _file(data, media, f"approval-record-{round_id}.{fmt}")
