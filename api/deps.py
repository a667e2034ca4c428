"""What route handlers share: the app's store, settings and pool; JSON bodies; renderers.

Large bodies (a round, a plan) are stored as canonical JSON text and spliced into responses
as they are, so reading one never re-validates or re-serialises thousands of items.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from api.jobs import WorkerPool
from api.problems import ApiError
from api.schemas import JobOut, JobProgress, PlanSummary, RoundSummary
from api.settings import ServiceSettings
from api.store import Job, NotFound, Plan, RoundInfo, Store
from matcher.round import Round
from matcher.validate import Origin, validate_round


def store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def settings(request: Request) -> ServiceSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def pool(request: Request) -> WorkerPool | None:
    return request.app.state.pool  # type: ignore[no-any-return]


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError(404, f"no {kind} with id {ident!r}", kind="not-found")


async def fetch(kind: str, ident: str, fn: Any, *args: Any) -> Any:
    """Run a store lookup in the thread pool; NotFound becomes 404 problem+json."""
    try:
        return await run_in_threadpool(fn, *args)
    except NotFound:
        raise not_found(kind, ident) from None


async def json_body(request: Request) -> Any:
    """The request body parsed as JSON (422 problem when it is not JSON)."""
    data = await request.body()
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            422,
            "the body is not valid JSON (send Content-Type: application/json)",
            kind="invalid-json",
        ) from None


def check_counts(raw: Any, cfg: ServiceSettings) -> None:
    """Entity-count limits, checked before validation so huge rounds cost nothing (413)."""
    if not isinstance(raw, dict):
        return
    for name, limit in (("communities", cfg.max_communities), ("cadres", cfg.max_cadres)):
        items = raw.get(name)
        if isinstance(items, list) and len(items) > limit:
            raise ApiError(
                413,
                f"{len(items)} {name}; this service takes at most {limit} per round",
                kind="too-many-entities",
            )


def validate(raw: Any, cfg: ServiceSettings, source: str = "request") -> Round:
    """Count limits, then full validation (raises InvalidInput with every problem)."""
    check_counts(raw, cfg)
    return validate_round(raw, Origin(source))


def counts(rnd: Round) -> tuple[int, int]:
    """(communities, cadres) of a round."""
    return len(rnd.communities), len(rnd.cadres)


def round_summary(info: RoundInfo) -> RoundSummary:
    return RoundSummary(
        id=info.id,
        name=info.name,
        version=info.version,
        communities=info.communities,
        cadres=info.cadres,
        created_at=info.created_at,
        updated_at=info.updated_at,
        created_by=info.created_by,
    )


def splice(head: str, key: str, raw_json: str) -> str:
    """Add ``"key": <raw_json>`` to a serialised JSON object without parsing either."""
    return f'{head[:-1]},"{key}":{raw_json}}}'


def round_response(info: RoundInfo, status: int = 200, location: bool = False) -> Response:
    body = splice(round_summary(info).model_dump_json(), "round", info.body)
    headers = (
        {"Location": f"/rounds/{info.id}", "ETag": f'"{info.version}"'}
        if location
        else {"ETag": f'"{info.version}"'}
    )
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        round_id=job.round_id,
        round_version=job.round_version,
        state=job.state,  # type: ignore[arg-type]
        progress=JobProgress(
            phase=job.phase,
            fraction=job.fraction,
            message=job.message,
            objective=job.objective,
            bound=job.bound,
        ),
        cancel_requested=job.cancel_requested,
        time_limit_s=job.time_limit_s,
        error=job.error,
        plan_id=job.plan_id,
        rerun_of=job.rerun_of,
        created_by=job.created_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def plan_summary(plan: Plan) -> PlanSummary:
    return PlanSummary(
        id=plan.id,
        round_id=plan.round_id,
        round_version=plan.round_version,
        job_id=plan.job_id,
        status=plan.status,
        objective=plan.objective,
        created_at=plan.created_at,
    )


def audit_round(request: Request, round_id: str) -> None:
    """Name the round a request touched, for the audit log (jobs and plans carry no round id
    in their path)."""
    request.state.audit_round = round_id
