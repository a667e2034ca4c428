"""Plans: the result as JSON, exports (plan JSON, GeoJSON, CSV, XLSX), per-post explanations."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from matcher.model.language import from_accept_language
from matcher.model.round import Round
from matcher_service import deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.body_cache import Cached
from matcher_service.exports import FORMATS, export_bytes
from matcher_service.filenames import content_disposition, download_name
from matcher_service.problems import ApiError
from matcher_service.results import result_from_dict
from matcher_service.routes.openapi_bits import EXPORT_SCHEMAS, NOT_MODIFIED, errors
from matcher_service.schemas import Explanation, ExportFormat, PlanList, PlanOut
from matcher_service.store import Plan

router = APIRouter(tags=["plans"])
Reader = Annotated[Identity, require(Permission.READ)]


async def _plan(request: Request, plan_id: str) -> Plan:
    plan: Plan = await deps.fetch_audited(request, "plan", plan_id, deps.store(request).get_plan)
    return plan


@router.get(
    "/rounds/{round_id}/plans", name="plans.list", response_model=PlanList, responses=errors(404)
)
async def list_plans(request: Request, round_id: str, who: Reader) -> PlanList:
    """The round's plans, oldest first (every solve that produced one, cancelled ones too)."""
    await deps.known_round(request, round_id)
    plans = await run_in_threadpool(deps.store(request).list_plans, round_id)
    return PlanList(items=[deps.plan_summary(p) for p in plans])


@router.get(
    "/plans/{plan_id}",
    name="plans.get",
    response_model=PlanOut,
    responses={**NOT_MODIFIED, **errors(404)},
)
async def get_plan(request: Request, plan_id: str, who: Reader) -> Response:
    """A plan: status, objective and its terms, bound, gap, every post with its cost terms.
    Plans never change: the ETag is the plan id (If-None-Match → 304)."""
    item = await deps.read_plan(request, plan_id)
    deps.audit_round(request, item.round_id)
    return deps.send(request, item)


def _export(plan: Plan, round_body: str, fmt: str, lang: str | None) -> bytes:
    rnd = Round.model_validate_json(round_body)  # validated in full when it was stored
    return export_bytes(fmt, rnd, result_from_dict(json.loads(plan.result)), plan.id, lang)


@router.get(
    "/plans/{plan_id}/export/{fmt}",
    name="plans.export",
    response_class=Response,
    responses={
        200: {
            "description": "The plan as a file",
            "content": {
                f.media_type.split(";")[0]: {"schema": EXPORT_SCHEMAS[f.media_type.split(";")[0]]}
                for f in FORMATS.values()
            },
        },
        **errors(404),
    },
)
async def export_plan(request: Request, plan_id: str, fmt: ExportFormat, who: Reader) -> Response:
    """Download the plan: ``json`` (plan file), ``geojson``, or the roster as ``csv``, ``xlsx``
    (the approval workbook) or ``pdf`` (for signing). The roster's language follows
    ``Accept-Language`` (zh or en), else the round's own language."""
    plan = await _plan(request, plan_id)  # a database read per request: erased is 404
    lang = from_accept_language(request.headers.get("accept-language"))
    spec = FORMATS[fmt]
    # a plan never changes: one export per (plan, format, language), an ETag, 304, gzip
    words = (lang or "round") if spec.lang else ""
    key = ("export", plan.id, fmt, words)
    named = ("export-round-name", plan.id)  # the download's name, kept with the export
    item, title = deps.cache(request).get(key), deps.cache(request).get(named)
    if item is None or title is None:
        info = await deps.fetch(
            "round", plan.round_id, deps.store(request).get_round, plan.round_id, plan.round_version
        )
        round_name = str(json.loads(info.body).get("name") or plan.round_id)
        title = deps.cache(request).put(
            named, Cached(round_name.encode("utf-8"), plan.round_id, "")
        )
        if item is None:
            data = await run_in_threadpool(_export, plan, info.body, fmt, lang)
            etag = f'"{plan.id}.{fmt}{"." + words if words else ""}"'
            item = deps.cache(request).put(key, Cached(data, plan.round_id, etag))
    name = download_name(title.body.decode("utf-8"), plan.round_version, fmt, spec.suffix, lang)
    headers = {"Content-Disposition": content_disposition(name), "Vary": "Accept-Language"}
    if spec.lang and lang:
        headers["Content-Language"] = lang
    return deps.send(request, item, media_type=spec.media_type, headers=headers)


@router.get(
    "/plans/{plan_id}/posts/{community_id}/{post_type}/{slot}",
    name="plans.explain",
    response_model=Explanation,
    responses=errors(404),
)
async def explain_post(
    request: Request, plan_id: str, community_id: str, post_type: str, slot: int, who: Reader
) -> Explanation:
    """Why this post went to this cadre (or stayed vacant): its cost split into terms.
    ``slot`` counts from 1, as in the roster; 0 (the old numbering) is refused with 422."""
    deps.post_number(slot)
    plan = await _plan(request, plan_id)
    found: dict[str, Any] | None = next(
        (
            a
            for a in json.loads(plan.result).get("assignments", [])
            if a["community"] == community_id and a["post_type"] == post_type and a["slot"] == slot
        ),
        None,
    )
    if found is None:
        raise ApiError(404, "the plan has no such post", kind="not-found")
    return Explanation(
        plan_id=plan.id,
        community=found["community"],
        post_type=found["post_type"],
        slot=found["slot"],
        cadre=found.get("cadre"),
        vacant=found.get("cadre") is None,
        distance_m=found.get("distance_m"),
        cost=found.get("cost", 0),
        terms=found.get("terms", {}),
        reason=found.get("reason", ""),
        locked=found.get("locked", False),
    )
