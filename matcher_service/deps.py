"""What route handlers share: the app's store, settings and pool; JSON bodies; renderers.

Large bodies (a round, a plan) are stored as canonical JSON text and spliced into responses as they
are, so reading one never re-validates or re-serialises thousands of items; bodies that can never
change are also kept in memory (:mod:`matcher_service.body_cache`) and carry an ETag, so a repeated
read costs no database query and a client holding the ETag gets 304 Not Modified.
"""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from matcher.engine.result import check_slot
from matcher.model.io.json_round import parse_json
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round
from matcher.model.validate import Origin, field_path, validate_round
from matcher_service import round_privacy
from matcher_service.body_cache import BodyCache, Cached
from matcher_service.compression import encoded
from matcher_service.jobs import WorkerPool
from matcher_service.parsed_rounds import ParsedRounds
from matcher_service.problems import ApiError, problem_item
from matcher_service.schemas import JobOut, JobProgress, PlanSummary, RoundSummary
from matcher_service.settings import ServiceSettings
from matcher_service.store import TERMINAL, Job, NotFound, Plan, RoundHead, RoundInfo, Store
from matcher_service.strict_bodies import in_chinese, loose_fields

M = TypeVar("M", bound=BaseModel)


def store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def settings(request: Request) -> ServiceSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def pool(request: Request) -> WorkerPool | None:
    return request.app.state.pool  # type: ignore[no-any-return]


def queue_full(limit: int) -> ApiError:
    """The 429 of a job order the queue has no room for (solves and replacements alike)."""
    return ApiError(
        429,
        f"{limit} jobs are already waiting; retry later",
        kind="queue-full",
        headers={"Retry-After": "10"},
    )


def dispatch(request: Request, job: Job) -> None:
    """Hand a queued job to this process's workers, when it has any (others poll the queue)."""
    workers = pool(request)
    if workers is not None:
        workers.submit(job.id)


def cache(request: Request) -> BodyCache:
    return request.app.state.cache  # type: ignore[no-any-return]


def parsed_rounds(request: Request) -> ParsedRounds:
    return request.app.state.parsed_rounds  # type: ignore[no-any-return]


async def parsed_round(request: Request, round_id: str, version: int) -> Round:
    """A round version validated, from memory when parsed before; the head is read from the
    database first on every call, so an erased round is a 404, never a stale hit."""
    db = store(request)
    head = await round_head_now(db, "round", round_id, round_id, version)
    kept = parsed_rounds(request)
    hit = kept.get(round_id, head.version)
    if hit is not None:
        return hit
    info: RoundInfo = await fetch("round", round_id, db.get_round, round_id, head.version)
    rnd = await run_in_threadpool(Round.model_validate_json, info.body)
    return kept.put(round_id, head.version, rnd)


def not_modified(request: Request, etag: str) -> bool:
    """Does the request's If-None-Match already name ``etag``?"""
    given = request.headers.get("if-none-match")
    if not given:
        return False
    tags = {t.strip().removeprefix("W/") for t in given.split(",")}
    return etag in tags or "*" in tags


def send(
    request: Request,
    item: Cached,
    status: int = 200,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    """The body with its ETag, or 304 when the client has it already; large text bodies
    gzip-compressed when the client accepts it (:mod:`matcher_service.compression`)."""
    headers = {"ETag": item.etag, **(headers or {})}
    if status == 200 and not_modified(request, item.etag):
        return Response(status_code=304, headers=headers)
    body, coding = item.body, dict[str, str]()
    if "json" in media_type or media_type.startswith("text/"):
        body, coding = encoded(request, cache(request), item)
    return Response(body, status_code=status, media_type=media_type, headers={**headers, **coding})


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError(404, f"no {kind} with id {ident!r}", kind="not-found")


def post_number(slot: int) -> None:
    """A post number in a path counts from 1; 0 (the old numbering) is a 422, never a
    different post."""
    try:
        check_slot(slot)
    except ValueError as exc:
        raise ApiError(422, str(exc), kind="post-number") from None


async def fetch(kind: str, ident: str, fn: Any, *args: Any) -> Any:
    """Run a store lookup in the thread pool; NotFound becomes 404 problem+json."""
    try:
        return await run_in_threadpool(fn, *args)
    except NotFound:
        raise not_found(kind, ident) from None


async def fetch_audited(request: Request, kind: str, ident: str, fn: Any) -> Any:
    """``fn(ident)`` as :func:`fetch` does, naming the item's round for the audit log (jobs
    and plans carry no round id in their path)."""
    item = await fetch(kind, ident, fn, ident)
    audit_round(request, item.round_id)
    request.state.audit_version = getattr(item, "round_version", None)
    if kind == "plan":
        request.state.audit_plan, request.state.audit_job = item.id, item.job_id
    elif kind == "job":
        request.state.audit_job, request.state.audit_plan = item.id, item.plan_id
    return item


async def quick(kind: str, ident: str, db: Store, fn: Any, *args: Any) -> Any:
    """A keyed read: on the event loop for a local SQLite file (cheaper than a thread hop),
    in the thread pool otherwise; NotFound becomes 404."""
    if not db.local:
        return await fetch(kind, ident, fn, *args)
    try:
        return fn(*args)
    except NotFound:
        raise not_found(kind, ident) from None


async def round_head_now(
    db: Store, kind: str, ident: str, round_id: str, version: int | None = None
) -> RoundHead:
    """The round's head as of now (:meth:`~matcher_service.store.rounds.RoundStore.head_now`:
    on the event loop, batched with concurrent requests on PostgreSQL); NotFound becomes a 404
    naming ``kind`` and ``ident``."""
    try:
        return await db.head_now(round_id, version)
    except NotFound:
        raise not_found(kind, ident) from None


async def json_body(request: Request) -> Any:
    """The request body parsed as JSON; 422 problem naming the line and column when it is not
    JSON, nested too deep or holds a number too long to convert."""
    data = await request.body()
    try:
        return parse_json(data, "request")
    except InvalidInput as exc:
        p = exc.problems[0]
        at = f" at {p.where}" if p.where else ""
        raise ApiError(
            422,
            f"the body is not valid JSON{at}: {p.message.removeprefix('invalid JSON: ')}",
            kind="invalid-json",
            errors=[problem_item(p)],
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
    """Count limits, then full validation (raises InvalidInput with every problem). A JSON
    body is taken as written: text or booleans where numbers belong and dates outside
    1900–2199 are problems too (files keep the readers' lax reading of cells)."""
    check_counts(raw, cfg)
    loose = [_loose(raw, source, path, why) for path, why in loose_fields(raw, Round, False)]
    if loose:
        raise InvalidInput(loose)
    return validate_round(raw, Origin(source))


def _loose(raw: Any, source: str, path: list[str | int], why: str) -> InputProblem:
    """A value taken too loosely, as a problem naming its field and, in an item, the item's id."""
    where = field_path(path)
    item = raw[path[0]][path[1]] if len(path) > 1 and isinstance(path[1], int) else None
    rid = item.get("id") if isinstance(item, dict) else None
    return InputProblem(
        source,
        where,
        why,
        id=str(rid) if rid is not None else None,
        field=where,
        zh=in_chinese(why),
    )


def counts(rnd: Round) -> tuple[int, int]:
    """(communities, cadres) of a round."""
    return len(rnd.communities), len(rnd.cadres)


def out(model: type[M], record: Any, **given: Any) -> M:
    """The response ``model`` with its fields read from a store record (``given`` ones win)."""
    return model.model_validate(
        {f: given[f] if f in given else getattr(record, f) for f in model.model_fields}
    )


def round_summary(info: RoundInfo) -> RoundSummary:
    return out(RoundSummary, info)


def splice(head: str, key: str, raw_json: bytes) -> bytes:
    """Add ``"key": <raw_json>`` to a serialised JSON object without parsing either."""
    return b"".join((head[:-1].encode(), b',"', key.encode(), b'":', raw_json, b"}"))


def round_body(request: Request, info: RoundInfo) -> bytes:
    """A round version's canonical JSON (``info`` with its body), remembered for readers."""
    key = ("round", info.id, info.version)
    hit = cache(request).get(key)
    if hit is None:
        item = Cached(info.body.encode(), info.id, "", (info.communities, info.cadres))
        hit = cache(request).put(key, item)
    return hit.body


async def read_round(
    request: Request, round_id: str, version: int | None = None
) -> tuple[RoundInfo, bytes]:
    """A round version's summary and body: one small query when the body is in memory."""
    db = store(request)
    head = await round_head_now(db, "round", round_id, round_id, version)
    request.state.audit_version = head.version
    hit = cache(request).get(("round", round_id, head.version))
    if hit is not None:
        h = head
        info = RoundInfo(
            h.id, h.name, h.version, *hit.counts, h.created_at, h.updated_at, h.created_by, ""
        )
        return info, hit.body
    full: RoundInfo = await fetch("round", round_id, db.get_round, round_id, head.version)
    return full, round_body(request, full)


def round_response(
    request: Request,
    info: RoundInfo,
    body: bytes | None = None,
    status: int = 200,
    location: bool = False,
    private: bool = False,
) -> Response:
    """A round's summary with its body (``info.body`` unless ``body`` is given), without the
    cadres' private fields unless ``private`` (:mod:`matcher_service.round_privacy`: then the
    audit row names whose data went out); ETag: the version and the read class."""
    etag = round_privacy.etag(info.version, private)
    extra = {"Location": f"/rounds/{info.id}"} if location else {}
    if private:  # named in the audit row whether the body is sent or the client has it
        full = round_body(request, info) if body is None else body
        _, holders = round_privacy.public_round(cache(request), info.id, info.version, full)
        audit_subjects(request, holders, info.id)
    if status == 200 and not_modified(request, etag):  # before any splicing of megabytes
        return Response(status_code=304, headers={"ETag": etag, **extra})
    raw = round_body(request, info) if body is None else body
    if not private:
        raw, _ = round_privacy.public_round(cache(request), info.id, info.version, raw)
    head = round_summary(info).model_dump_json()
    item = Cached(splice(head, "round", raw), info.id, etag)
    return send(request, item, status, headers=extra)


def job_out(job: Job) -> JobOut:
    return out(JobOut, job, progress=out(JobProgress, job))


def job_body(job: Job) -> Cached:
    """The job as JSON, remembered once it is finished (a finished job never changes)."""
    body = job_out(job).model_dump_json().encode()
    return Cached(body, job.round_id, f'"{hashlib.blake2b(body, digest_size=8).hexdigest()}"')


def plan_body(plan: Plan) -> Cached:
    """The plan response: its summary with the stored result spliced in."""
    body = splice(plan_summary(plan).model_dump_json(), "result", plan.result.encode())
    return Cached(body, plan.round_id, f'"{plan.id}"')


async def _still_stored(request: Request, kind: str, ident: str, hit: Cached) -> Cached:
    """A body from memory, served only while its round exists: one keyed read, so a round
    erased through another server process is 404 here at once (404 naming ``kind``)."""
    try:
        await store(request).exists_now(hit.round_id)
    except NotFound:
        cache(request).drop_round(hit.round_id)
        raise not_found(kind, ident) from None
    return hit


async def read_job(request: Request, job_id: str) -> Cached:
    """A job's response body; a finished job's comes from memory (while its round exists)."""
    key = ("job", job_id)
    hit = cache(request).get(key)
    if hit is not None:
        return await _still_stored(request, "job", job_id, hit)
    job: Job = await quick("job", job_id, store(request), store(request).get_job, job_id)
    item = job_body(job)
    return cache(request).put(key, item) if job.state in TERMINAL else item


async def read_plan(request: Request, plan_id: str) -> Cached:
    """A plan's response body (plans never change, so from memory after the first read,
    while its round exists)."""
    key = ("plan", plan_id)
    hit = cache(request).get(key)
    if hit is not None:
        return await _still_stored(request, "plan", plan_id, hit)
    plan: Plan = await fetch("plan", plan_id, store(request).get_plan, plan_id)
    return cache(request).put(key, plan_body(plan))


def plan_summary(plan: Plan) -> PlanSummary:
    return out(PlanSummary, plan)


async def known_round(request: Request, round_id: str) -> RoundHead:
    """The round's head, or 404 when there is no such round; the round is named for the audit
    log either way."""
    audit_round(request, round_id)
    db = store(request)
    head: RoundHead = await fetch("round", round_id, db.round_head, round_id)
    return head


def audit_round(request: Request, round_id: str) -> None:
    """Name the round a request touched, for the audit log (jobs and plans carry no round id
    in their path)."""
    request.state.audit_round = round_id


SUBJECT_MAX = 200  # characters of an audit row's subject


def audit_subjects(request: Request, cadre_ids: list[str], round_id: str | None = None) -> None:
    """Name whose personal data a read hands out, for the audit log's ``subject``: the cadre
    ids (``cadres C01,C02``), or, when more than fit, how many cadres of which round."""
    if round_id is not None:
        audit_round(request, round_id)
    if not cadre_ids:
        return
    text = "cadres " + ",".join(cadre_ids)
    if len(text) > SUBJECT_MAX:
        text = f"{len(cadre_ids)} cadres of round {round_id}"
    request.state.audit_subject = text
