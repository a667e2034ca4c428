"""What-if endpoints: why a post went as it did (with alternatives), vacancies and unplaced
cadres explained, plan KPIs (whole and per district), and the diff of two plans.

The stored plan and the round version it was solved from are re-read; candidate pairs and the
engine's problem are rebuilt from them (deterministic), so explanations match the plan. Exact
move costs re-solve the round once per alternative, with a capped time limit.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from matcher.analysis.diff import KpiDelta, PostChange, diff_plans
from matcher.analysis.explain import Alternative, CadreExplanation, Explainer, PostExplanation
from matcher.analysis.kpis import Kpis, district_kpis, plan_kpis
from matcher.analysis.round_changes import round_changes
from matcher.engine.problem import build_problem
from matcher.engine.result import Result
from matcher.model.language import from_accept_language, resolve
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round
from matcher_service import deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.body_cache import Cached
from matcher_service.problems import ApiError
from matcher_service.results import result_from_dict
from matcher_service.routes.openapi_bits import NOT_MODIFIED, errors
from matcher_service.schemas import Out
from matcher_service.store import Plan

router = APIRouter(tags=["what-if"])
Reader = Annotated[Identity, require(Permission.READ)]
EXACT_TIME_LIMIT_S = 30.0  # per re-solve of an exact move cost


class AlternativeOut(Out, mirror=Alternative):
    """A cadre who could have taken the post, and why it did not (see matcher.analysis.explain)."""

    status: Literal["excluded", "locked", "holds", "free"]
    excluded_by: list[str]
    move_cost_kind: Literal["", "estimate", "exact"]


class PostWhy(Out, mirror=PostExplanation):
    """One post: holder (null = vacant), cost terms, and the best alternatives."""

    alternatives: list[AlternativeOut]


class CadreWhy(Out, mirror=CadreExplanation):
    """Why a cadre has no post."""

    best: AlternativeOut | None


class PlanWhy(Out):
    """Every vacancy and every unplaced cadre of a plan, explained."""

    plan_id: str
    vacancies: list[PostWhy]
    unplaced: list[CadreWhy]


class KpisOut(Out, mirror=Kpis):
    """Figures of a plan or one district (see matcher.analysis.kpis; null = does not apply)."""


class DistrictKpisOut(KpisOut):
    """KPIs of the posts in one district."""

    code: str
    name: str


class PlanKpisOut(Out):
    """KPIs of a plan, whole and per district."""

    plan_id: str
    plan: KpisOut
    districts: list[DistrictKpisOut]


class PostChangeOut(Out, mirror=PostChange):
    """A post in both plans: unchanged, moved, new, vacated, added or removed."""


class KpiDeltaOut(Out, mirror=KpiDelta):
    """A KPI in both plans and its change."""


class PlanDiffOut(Out):
    """Plan B compared with plan A: counts per status, changed posts, KPI deltas."""

    plan_a: str
    plan_b: str
    round_changes: list[str]
    counts: dict[str, int]
    changed: list[PostChangeOut]
    dropped: list[str]
    kpis: list[KpiDeltaOut]


async def _load(request: Request, plan_id: str) -> tuple[Plan, str]:
    store = deps.store(request)
    plan: Plan = await deps.fetch_audited(request, "plan", plan_id, store.get_plan)
    info = await deps.fetch(
        "round", plan.round_id, store.get_round, plan.round_id, plan.round_version
    )
    return plan, info.body


def _solved(plan: Plan, round_body: str) -> tuple[Round, Result]:
    rnd = validate_round(json.loads(round_body), Origin(f"round {plan.round_id}"))
    result = result_from_dict(json.loads(plan.result))
    if not result.is_feasible():
        raise ApiError(409, "the plan has no assignment to explain", kind="no-plan")
    return rnd, result


def _lang(request: Request) -> str | None:
    """The language asked for in ``Accept-Language`` (None: the round's own language)."""
    return from_accept_language(request.headers.get("accept-language"))


def _explainer(plan: Plan, round_body: str, lang: str | None) -> Explainer:
    from geodata.pairs import candidate_pairs  # heavy: only when explaining

    rnd, result = _solved(plan, round_body)
    pairs = candidate_pairs(rnd)
    return Explainer(rnd, pairs, build_problem(rnd, pairs), result, lang=resolve(lang, rnd))


def _post(
    plan: Plan,
    body: str,
    com: str,
    ptype: str,
    slot: int,
    k: int,
    exact: bool,
    lang: str | None = None,
) -> Any:
    ex = _explainer(plan, body, lang)
    limit = min(ex.round.settings.time_limit_s, EXACT_TIME_LIMIT_S)
    settings = ex.round.settings.model_copy(update={"time_limit_s": limit})
    try:
        return ex.post(com, ptype, slot, k=k, exact=exact, settings=settings).to_dict()
    except KeyError:
        raise ApiError(404, "the plan has no such post", kind="not-found") from None


@router.get(
    "/plans/{plan_id}/why/{community_id}/{post_type}/{slot}",
    name="what_if.post",
    response_model=PostWhy,
    responses=errors(404, 409),
)
async def explain_post(
    request: Request,
    plan_id: str,
    community_id: str,
    post_type: Literal["full-time", "part-time"],
    slot: int,
    who: Reader,
    k: Annotated[int, Query(ge=1, le=10, description="alternatives to list")] = 3,
    exact: Annotated[bool, Query(description="re-solve once per alternative")] = False,
) -> Any:
    """Why this cadre here, and not that one: cost terms and the best alternative cadres, each
    with the rule that excludes it or the post it took and what moving it would cost
    (``estimate``, or ``exact`` by re-solving with it locked here). ``slot`` counts from 1,
    as in the roster; 0 (the old numbering) is refused with 422. Texts follow
    ``Accept-Language`` (zh or en), else the round's language."""
    deps.post_number(slot)
    plan, body = await _load(request, plan_id)
    return await run_in_threadpool(
        _post, plan, body, community_id, post_type, slot, k, exact, _lang(request)
    )


def _plan_why(plan: Plan, body: str, lang: str | None = None) -> dict[str, Any]:
    ex = _explainer(plan, body, lang)
    vacancies = [ex.post(a.community_id, a.post_type, a.slot) for a in ex.result.vacancies]
    return {
        "plan_id": plan.id,
        "vacancies": [v.to_dict() for v in vacancies],
        "unplaced": [c.to_dict() for c in ex.unplaced()],
    }


@router.get(
    "/plans/{plan_id}/why", name="what_if.plan", response_model=PlanWhy, responses=errors(404, 409)
)
async def explain_plan(request: Request, plan_id: str, who: Reader) -> Any:
    """Why each vacant post is empty and why each unplaced cadre has no post (texts follow
    ``Accept-Language``, else the round's language)."""
    plan, body = await _load(request, plan_id)
    return await run_in_threadpool(_plan_why, plan, body, _lang(request))


def _kpis(plan: Plan, body: str) -> dict[str, Any]:
    rnd, result = _solved(plan, body)
    return {
        "plan_id": plan.id,
        "plan": plan_kpis(rnd, result).to_dict(),
        "districts": [d.to_dict() for d in district_kpis(rnd, result)],
    }


@router.get(
    "/plans/{plan_id}/kpis",
    name="what_if.kpis",
    response_model=PlanKpisOut,
    responses={**NOT_MODIFIED, **errors(404, 409)},
)
async def kpis(request: Request, plan_id: str, who: Reader) -> Response:
    """Travel (mean, p90, max), weak communities meeting the rank floor and skill mix, skill
    fit, first-choice and top-3 shares, vacancies: for the plan and per district. A plan never
    changes, so neither do its figures: computed once, kept, ETag → 304."""
    store = deps.store(request)
    plan: Plan = await deps.fetch_audited(request, "plan", plan_id, store.get_plan)
    key = ("kpis", plan.id)
    item = deps.cache(request).get(key)
    if item is None:
        info = await deps.fetch(
            "round", plan.round_id, store.get_round, plan.round_id, plan.round_version
        )
        data = await run_in_threadpool(_kpis, plan, info.body)
        body = PlanKpisOut.model_validate(data).model_dump_json().encode()
        item = deps.cache(request).put(key, Cached(body, plan.round_id, f'"{plan.id}.kpis"'))
    return deps.send(request, item)


def _diff(a: Plan, body_a: str, b: Plan, body_b: str, lang: str | None = None) -> dict[str, Any]:
    rnd_a, res_a = _solved(a, body_a)
    rnd_b, res_b = _solved(b, body_b)
    changes = round_changes(rnd_a, rnd_b, resolve(lang, rnd_a))
    body = diff_plans(rnd_a, res_a, rnd_b, res_b).to_dict()
    return {"plan_a": a.id, "plan_b": b.id, "round_changes": changes, **body}


@router.get(
    "/plans/{plan_id}/diff/{other_plan_id}",
    name="what_if.diff",
    response_model=PlanDiffOut,
    responses=errors(404, 409),
)
async def diff(request: Request, plan_id: str, other_plan_id: str, who: Reader) -> Any:
    """Compare another plan (B) with this one (A): what differs between their rounds in words
    (weights, rules, people), moved, new and unchanged posts, KPI deltas."""
    a, body_a = await _load(request, plan_id)
    b, body_b = await _load(request, other_plan_id)
    return await run_in_threadpool(_diff, a, body_a, b, body_b, _lang(request))
