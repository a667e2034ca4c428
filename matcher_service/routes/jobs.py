"""Jobs: start a solve (202), status, progress as server-sent events, cancel, re-run (a solve or
a replacement, :mod:`matcher_service.routes.lifecycle`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from matcher_service import deps
from matcher_service.audit import recorded
from matcher_service.auth import Identity, Permission, require
from matcher_service.job_events import JobEvents, changed
from matcher_service.problems import ApiError
from matcher_service.rate_limits import RateLimiter
from matcher_service.routes.openapi_bits import NOT_MODIFIED, errors, sse_event
from matcher_service.schemas import JobList, JobOut
from matcher_service.store import ACTIVE, TERMINAL, Job, NotFound, QueueFull

router = APIRouter(tags=["jobs"])
Reader = Annotated[Identity, require(Permission.READ)]
Writer = Annotated[Identity, require(Permission.WRITE)]
TimeLimit = Annotated[
    float | None, Query(gt=0, le=86_400, description="Stop the job after this many seconds")
]
_EVENT_POLL_S = (
    0.25  # a fallback: local workers wake the stream at once (matcher_service.job_events)
)
_KEEPALIVE_S = 15.0  # a comment line now and then keeps proxies from closing the stream


async def _start(
    request: Request,
    round_id: str,
    who: Identity,
    rerun_of: Job | None,
    time_limit_s: float | None,
) -> Response:
    cfg, store = deps.settings(request), deps.store(request)
    solves: RateLimiter = request.app.state.solve_limiter
    wait = solves.retry_after(who.key_id)
    if wait is not None:
        raise ApiError(
            429,
            f"此密钥每分钟最多发起 {cfg.solves_per_minute} 次求解 / this key may start at most "
            f"{cfg.solves_per_minute} solves a minute; retry in {wait} s",
            kind="too-many-solves",
            headers={"Retry-After": str(wait)},
        )
    solves.hit(who.key_id)
    version = rerun_of.round_version if rerun_of else None
    limit = min(cfg.job_time_limit_s, time_limit_s or cfg.job_time_limit_s)
    try:
        write = store.create_job
        if rerun_of is not None and rerun_of.kind != "solve" and rerun_of.payload is None:
            raise ApiError(
                409,
                "已结束的调整任务不保留调整事项，请重新提交调整 / a finished replacement job "
                "keeps no events (they may name people): post the replacement again",
                kind="job-finished",
            )
        if rerun_of is not None and rerun_of.kind != "solve":
            # a replacement is re-run as it was ordered (its events, key and publicity)
            write = partial(
                store.create_job,
                kind=rerun_of.kind,
                source_plan_id=rerun_of.source_plan_id,
                payload=rerun_of.payload,
            )
        job = await recorded(
            request,
            202,
            write,
            round_id,
            who.name,
            limit,
            cfg.queue_limit,
            rerun_of.id if rerun_of else None,
            version,
        )
    except NotFound:
        raise deps.not_found("round", round_id) from None
    except QueueFull:
        raise deps.queue_full(cfg.queue_limit) from None
    deps.dispatch(request, job)
    body = deps.job_out(job).model_dump_json()
    headers = {"Location": f"/jobs/{job.id}"}
    return Response(body, status_code=202, media_type="application/json", headers=headers)


@router.post(
    "/rounds/{round_id}/solve",
    name="jobs.start",
    status_code=202,
    response_model=JobOut,
    responses=errors(404, 429),
)
async def solve_round(
    request: Request, round_id: str, who: Writer, time_limit_s: TimeLimit = None
) -> Response:
    """Queue a solve of the round's current version; 202 with the job (poll or stream it).

    The job stops at ``time_limit_s`` (capped by the service's limit) and keeps the best plan
    found by then; the engine's own limit is the round's ``settings.time_limit_s``."""
    deps.audit_round(request, round_id)
    return await _start(request, round_id, who, None, time_limit_s)


@router.get(
    "/rounds/{round_id}/jobs", name="jobs.list", response_model=JobList, responses=errors(404)
)
async def list_jobs(request: Request, round_id: str, who: Reader) -> JobList:
    """The round's jobs, oldest first."""
    await deps.known_round(request, round_id)
    jobs = await run_in_threadpool(deps.store(request).list_jobs, round_id)
    return JobList(items=[deps.job_out(j) for j in jobs])


async def _job(request: Request, job_id: str) -> Job:
    job: Job = await deps.fetch_audited(request, "job", job_id, deps.store(request).get_job)
    return job


@router.get(
    "/jobs/{job_id}",
    name="jobs.get",
    response_model=JobOut,
    responses={**NOT_MODIFIED, **errors(404)},
)
async def get_job(request: Request, job_id: str, who: Reader) -> Response:
    """A job's state and progress; ``plan_id`` once a plan was written. ETag changes with
    every change of the job (If-None-Match → 304)."""
    item = await deps.read_job(request, job_id)
    deps.audit_round(request, item.round_id)
    return deps.send(request, item)


@router.get(
    "/jobs/{job_id}/events",
    name="jobs.events",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-sent events: `job` with each change (data: the job as "
            "JSON), then `end` once the job is finished",
            "content": {"text/event-stream": {"schema": sse_event("JobOut")}},
        },
        **errors(404),
    },
)
async def job_events(request: Request, job_id: str, who: Reader) -> StreamingResponse:
    """Stream the job's progress until it finishes."""
    first = await _job(request, job_id)
    store = deps.store(request)
    hub: JobEvents = request.app.state.job_events

    async def stream() -> AsyncIterator[str]:
        job, last, quiet = first, "", 0.0
        with hub.subscribe(job_id) as wake:
            if job.state not in TERMINAL:  # it may have changed before we subscribed
                job = await run_in_threadpool(store.get_job, job_id)
            while True:
                data = deps.job_out(job).model_dump_json()
                if data != last:
                    last, quiet = data, 0.0
                    yield f"event: job\ndata: {data}\n\n"
                elif quiet >= _KEEPALIVE_S:
                    quiet = 0.0
                    yield ": keep-alive\n\n"
                if job.state in TERMINAL:
                    yield f"event: end\ndata: {data}\n\n"
                    return
                if await request.is_disconnected():
                    return
                started = asyncio.get_running_loop().time()
                await changed(wake, _EVENT_POLL_S)
                quiet += asyncio.get_running_loop().time() - started
                job = await run_in_threadpool(store.get_job, job_id)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


@router.delete(
    "/jobs/{job_id}",
    name="jobs.cancel",
    response_model=JobOut,
    status_code=202,
    responses={200: {"description": "A queued job, cancelled at once"}, **errors(404, 409)},
)
async def cancel_job(request: Request, job_id: str, who: Writer) -> Response:
    """Cancel a job. A running one stops soon and keeps the best plan it found (202)."""
    job = await _job(request, job_id)
    if job.state not in ACTIVE:
        raise ApiError(409, f"the job is already {job.state}", kind="job-finished")
    job = await recorded(request, 202, deps.store(request).request_cancel, job_id)
    status = 202 if job.state in ACTIVE else 200
    return Response(
        deps.job_out(job).model_dump_json(), status_code=status, media_type="application/json"
    )


@router.post(
    "/jobs/{job_id}/rerun",
    name="jobs.rerun",
    status_code=202,
    response_model=JobOut,
    responses=errors(404, 409, 429),
)
async def rerun_job(
    request: Request, job_id: str, who: Writer, time_limit_s: TimeLimit = None
) -> Response:
    """Run a finished (e.g. interrupted) job again on the same round version; 202. A
    replacement job is re-run as it was ordered while it keeps its order (an interrupted one);
    one that succeeded or failed dropped its events (409: post the replacement again)."""
    job = await _job(request, job_id)
    if job.state not in TERMINAL:
        raise ApiError(409, f"the job is still {job.state}", kind="job-active")
    return await _start(request, job.round_id, who, job, time_limit_s)
