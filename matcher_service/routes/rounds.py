"""Rounds: create, list, get, update (JSON or uploaded files), validate, and locks."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from matcher.model.io.xlsx_guard import XlsxLimits
from matcher.model.problems import InvalidInput
from matcher.model.round import Round
from matcher_service import deps, round_privacy
from matcher_service.audit import recorded
from matcher_service.auth import PERMISSIONS, Identity, Permission, require
from matcher_service.marked_upload import check_upload
from matcher_service.preconditions import expected_versions, stale
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import IF_MATCH, NOT_MODIFIED, ROUND_BODY, errors
from matcher_service.schemas import (
    LockIn,
    LockOut,
    LockRemove,
    LocksOut,
    RoundList,
    RoundOut,
    UploadCheckOut,
    ValidationOut,
)
from matcher_service.store import NotFound, RoundBusy, RoundInfo, Stale
from matcher_service.upload_mapping import stored_mapping
from matcher_service.uploads import read_upload

router = APIRouter(tags=["rounds"])
Reader = Annotated[Identity, require(Permission.READ)]
Writer = Annotated[Identity, require(Permission.WRITE)]
Locker = Annotated[Identity, require(Permission.LOCK)]
Eraser = Annotated[Identity, require(Permission.ERASE)]
Files = Annotated[list[UploadFile], File(description="Round files (JSON, XLSX, CSV, GeoJSON)")]
MappingField = Annotated[
    str | None, Form(description="column mapping JSON (as matcher map writes it)")
]
TemplateName = Annotated[
    str | None, Query(max_length=80, description="a stored column mapping template")
]
_EDIT_ATTEMPTS = 20  # a lock edit without If-Match re-reads and retries when another won


async def _save(
    request: Request,
    rnd: Round,
    who: Identity,
    round_id: str | None,
    expected: frozenset[int] | None = None,
) -> RoundInfo:
    """Store a new round, or the next version of ``round_id`` (Stale unless its current
    version is in ``expected``); the audit row goes in the same transaction."""
    store = deps.store(request)
    body, counts = rnd.model_dump_json(), deps.counts(rnd)
    if round_id is None:
        info = await recorded(request, 201, store.create_round, rnd.name, body, counts, who.name)
    else:
        deps.audit_round(request, round_id)
        try:
            info = await recorded(
                request,
                200,
                store.update_round,
                round_id,
                rnd.name,
                body,
                counts,
                who.name,
                expected,
            )
        except NotFound:
            raise deps.not_found("round", round_id) from None
    deps.audit_round(request, info.id)
    return info


def _lock_set(locks: list[Any]) -> list[str]:
    return sorted(json.dumps(lk, sort_keys=True, ensure_ascii=False) for lk in locks)


async def _guard_locks(
    request: Request, who: Identity, rnd: Round, round_id: str | None
) -> int | None:
    """A key whose role may not lock cannot set or change locks through a whole-round write
    either (403). For an update, returns the version whose locks were compared, so the write
    happens only if that version is still current."""
    if who.role in PERMISSIONS[Permission.LOCK]:
        return None
    new = _lock_set([lk.model_dump(mode="json") for lk in rnd.rules.locks])
    old: list[str] = []
    version = None
    if round_id is not None:
        store = deps.store(request)
        info = await deps.fetch("round", round_id, store.get_round, round_id)
        old, version = (
            _lock_set(json.loads(info.body).get("rules", {}).get("locks", [])),
            info.version,
        )
    if new != old:
        raise ApiError(
            403,
            f"角色 '{who.role.value}' 不能设置或更改锁定 / role '{who.role.value}' may not set "
            "or change locks (rules.locks): keep them as they are, or ask a planner",
            kind="forbidden",
        )
    return version


async def _replace(request: Request, round_id: str, who: Identity, rnd: Round) -> Response:
    """PUT semantics shared by JSON and uploads: If-Match honoured (412 when stale)."""
    expected = expected_versions(request, deps.settings(request).require_if_match)
    compared = await _guard_locks(request, who, rnd, round_id)
    if compared is not None:  # the locks were checked against this version: write onto it only
        expected = frozenset({compared}) & (expected if expected is not None else {compared})
    try:
        info = await _save(request, rnd, who, round_id, expected)
    except Stale as exc:
        raise stale(exc.current) from None
    return await _reply(request, info)


async def _precheck(request: Request, round_id: str) -> None:
    """404 for an unknown round and 412/428 for a stale or missing If-Match, before the body
    is read and validated."""
    head = await deps.known_round(request, round_id)
    expected = expected_versions(request, deps.settings(request).require_if_match)
    if expected is not None and head.version not in expected:
        raise stale(head.version)


async def _uploaded(
    request: Request,
    files: list[UploadFile],
    mapping: str | None = None,
    template: str | None = None,
) -> Round:
    cfg = deps.settings(request)
    given = await stored_mapping(request, mapping, template)
    contents = [(f.filename or "", await f.read()) for f in files]
    rows = max(cfg.max_cadres, cfg.max_communities) + 1_000  # header, blank rows
    limits = XlsxLimits(max_rows=min(rows, XlsxLimits.max_rows))
    rnd = await run_in_threadpool(read_upload, contents, limits, given)
    deps.check_counts(
        {"communities": rnd.communities, "cadres": rnd.cadres}, cfg
    )  # files were read whole
    return rnd


async def _from_json(request: Request, round_id: str | None = None) -> Round:
    """The body validated; for an update of ``round_id``, cadres that leave their private
    fields out keep the stored ones (:func:`matcher_service.round_privacy.keep_private`)."""
    raw = await deps.json_body(request)
    if round_id is not None and round_privacy.needs_stored(raw):
        info = await deps.fetch("round", round_id, deps.store(request).get_round, round_id)
        raw = await run_in_threadpool(round_privacy.keep_private, raw, info.body)
    return await run_in_threadpool(deps.validate, raw, deps.settings(request))


async def _reply(
    request: Request,
    info: RoundInfo,
    body: bytes | None = None,
    private: bool = False,
    status: int = 200,
    location: bool = False,
) -> Response:
    """:func:`matcher_service.deps.round_response`, with the version's body without private
    fields made first in a thread when it is not in memory yet (once per version: a province
    round takes seconds to parse, which must not hold the event loop)."""
    raw = deps.round_body(request, info) if body is None else body
    cache = deps.cache(request)
    if not round_privacy.prepared(cache, info.id, info.version):  # no thread hop when it is
        await run_in_threadpool(round_privacy.public_round, cache, info.id, info.version, raw)
    return deps.round_response(request, info, raw, status, location, private)


@router.post(
    "/rounds",
    name="rounds.create",
    status_code=201,
    response_model=RoundOut,
    openapi_extra=ROUND_BODY,
    responses=errors(400, 413),
)
async def create_round(request: Request, who: Writer) -> Response:
    """Create a round from a JSON body; 422 lists every problem with its field path."""
    rnd = await _from_json(request)
    await _guard_locks(request, who, rnd, None)
    info = await _save(request, rnd, who, None)
    return await _reply(request, info, status=201, location=True)


@router.post(
    "/rounds/upload",
    name="rounds.upload",
    status_code=201,
    response_model=RoundOut,
    responses=errors(400, 413),
)
async def upload_round(
    request: Request,
    files: Files,
    who: Writer,
    mapping: MappingField = None,
    template: TemplateName = None,
) -> Response:
    """Create a round from files: one .json or .xlsx, CSV files, or .geojson + .json; columns
    read by meaning, with the planner's ``mapping`` (form field) or stored ``template``."""
    rnd = await _uploaded(request, files, mapping, template)
    await _guard_locks(request, who, rnd, None)
    info = await _save(request, rnd, who, None)
    return await _reply(request, info, status=201, location=True)


@router.post(
    "/rounds/validate",
    name="rounds.validate",
    response_model=ValidationOut,
    openapi_extra=ROUND_BODY,
    responses=errors(400, 413),
)
async def validate_round(request: Request, who: Writer) -> ValidationOut:
    """Validate a round without storing it."""
    rnd = await _from_json(request)
    return ValidationOut(
        valid=True, name=rnd.name, communities=len(rnd.communities), cadres=len(rnd.cadres)
    )


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post(
    "/rounds/upload/validate",
    name="rounds.upload_validate",
    response_model=UploadCheckOut,
    responses={
        200: {"content": {_XLSX: {"schema": {"type": "string", "format": "binary"}}}},
        **errors(400, 413),
    },
)
async def validate_upload(
    request: Request,
    files: Files,
    who: Writer,
    mark: Annotated[
        Literal["xlsx"] | None, Query(description="xlsx: the workbook back, marked")
    ] = None,
    lang: Annotated[Literal["zh", "en"] | None, Query(description="default: the headers'")] = None,
    mapping: MappingField = None,
    template: TemplateName = None,
) -> Response:
    """Check an uploaded workbook (or CSV files, or a JSON round) without storing it.

    Without ``mark``: the round's size and its warnings, or 422 listing every problem. With
    ``mark=xlsx``: the clerk's workbook back, each problem cell filled and commented, plus a
    sheet listing every problem (also when there are errors); ``X-Matcher-Problems`` and
    ``X-Matcher-Warnings`` count them."""
    cfg = deps.settings(request)
    contents = [(f.filename or "", await f.read()) for f in files]
    rows = max(cfg.max_cadres, cfg.max_communities) + 1_000
    limits = XlsxLimits(max_rows=min(rows, XlsxLimits.max_rows))
    given = await stored_mapping(request, mapping, template)
    found = await run_in_threadpool(check_upload, contents, limits, lang, mark == "xlsx", given)
    if found.marked is not None:
        counts = {
            "X-Matcher-Problems": str(len(found.errors)),
            "X-Matcher-Warnings": str(len(found.warnings)),
            "Content-Disposition": 'attachment; filename="marked.xlsx"',
        }
        return Response(found.marked, media_type=_XLSX, headers=counts)
    if found.errors or found.round is None:
        raise InvalidInput(found.errors, found.warnings)
    rnd = found.round
    body = UploadCheckOut(
        valid=True,
        name=rnd.name,
        communities=len(rnd.communities),
        cadres=len(rnd.cadres),
        lang=found.lang,
        warnings=[p.to_dict() for p in found.warnings],
    )
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/rounds", name="rounds.list", response_model=RoundList, responses=errors())
async def list_rounds(
    request: Request,
    who: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> RoundList:
    """Rounds, newest first, without their bodies."""
    rows = await run_in_threadpool(deps.store(request).list_rounds, limit, offset)
    return RoundList(items=[deps.round_summary(r) for r in rows], limit=limit, offset=offset)


@router.get(
    "/rounds/{round_id}",
    name="rounds.get",
    response_model=RoundOut,
    responses={**NOT_MODIFIED, **errors(404)},
)
async def get_round(
    request: Request,
    round_id: str,
    who: Reader,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    include: Annotated[
        Literal["private"] | None,
        Query(
            description="private: with the cadres' id_number and private columns (planner "
            "and admin keys only; the audit log names whose data was read)"
        ),
    ] = None,
    reason: Annotated[
        str | None,
        Query(max_length=500, description="Why the private fields are read (audit log)"),
    ] = None,
) -> Response:
    """A round with its body (the current version, or an older one by ``version``). The
    cadres' ``id_number`` and ``private`` columns (phones, addresses: 不得外传) are left out
    unless a planner or admin asks with ``include=private``; the two forms carry different
    ETags (``"3"``, ``"3-private"``), either accepted as If-Match."""
    deps.audit_round(request, round_id)
    if reason:
        request.state.audit_reason = reason
    private = round_privacy.asked(request, who, include)
    info, body = await deps.read_round(request, round_id, version)
    return await _reply(request, info, body, private)


@router.put(
    "/rounds/{round_id}",
    name="rounds.update",
    response_model=RoundOut,
    openapi_extra={**ROUND_BODY, **IF_MATCH},
    responses=errors(400, 404, 412, 413, 428),
)
async def update_round(request: Request, round_id: str, who: Writer) -> Response:
    """Replace a round's body; the old version is kept. Send the ETag you read as
    ``If-Match`` so a change made meanwhile is not overwritten (412 if there was one)."""
    await _precheck(request, round_id)
    return await _replace(request, round_id, who, await _from_json(request, round_id))


@router.put(
    "/rounds/{round_id}/upload",
    name="rounds.update_upload",
    response_model=RoundOut,
    openapi_extra=IF_MATCH,
    responses=errors(400, 404, 412, 413, 428),
)
async def update_round_upload(
    request: Request,
    round_id: str,
    files: Files,
    who: Writer,
    mapping: MappingField = None,
    template: TemplateName = None,
) -> Response:
    """Replace a round's body from uploaded files; the old version is kept (If-Match as for
    ``PUT /rounds/{round_id}``). ``mapping``/``template`` as for ``POST /rounds/upload``."""
    await _precheck(request, round_id)
    rnd = await _uploaded(request, files, mapping, template)
    return await _replace(request, round_id, who, rnd)


@router.delete(
    "/rounds/{round_id}",
    name="rounds.delete",
    status_code=204,
    response_class=Response,
    openapi_extra=IF_MATCH,
    responses={204: {"description": "Erased"}, **errors(404, 409, 412, 428)},
)
async def delete_round(
    request: Request,
    round_id: str,
    who: Eraser,
    reason: Annotated[
        str | None,
        Query(max_length=500, description="Why (kept in the audit log; name no person here)"),
    ] = None,
) -> Response:
    """Erase a round and everything derived from it: every version, job, plan, workflow,
    replacement report, archived posting, and the rounds made from it (next rounds,
    replacement rounds), on every server process at once; the deleted bytes are overwritten
    (see ``docs/operations.md``). The audit log keeps a row saying who erased it and why. 409
    while a job of one of those rounds is queued or running; with If-Match, 412 if the round
    changed since it was read."""
    deps.audit_round(request, round_id)
    request.state.audit_reason = reason
    expected = expected_versions(request, deps.settings(request).require_if_match)
    try:
        gone = await recorded(request, 204, deps.store(request).delete_round, round_id, expected)
    except NotFound:
        raise deps.not_found("round", round_id) from None
    except Stale as exc:
        raise stale(exc.current) from None
    except RoundBusy as exc:
        raise ApiError(
            409, f"{exc}; cancel them first", kind="round-busy", headers={"Retry-After": "5"}
        ) from None
    for rid in gone:
        deps.cache(request).drop_round(rid)
        deps.parsed_rounds(request).drop_round(rid)
    return Response(status_code=204)


def _locks(info: RoundInfo) -> LocksOut:
    raw = json.loads(info.body)
    locks = raw.get("rules", {}).get("locks", [])
    return LocksOut(
        round_id=info.id,
        version=info.version,
        locks=[LockOut(**{k: lk.get(k) for k in LockOut.model_fields}) for lk in locks],
    )


@router.get(
    "/rounds/{round_id}/locks", name="locks.list", response_model=LocksOut, responses=errors(404)
)
async def list_locks(request: Request, response: Response, round_id: str, who: Reader) -> LocksOut:
    """The round's locks: cadres fixed to communities in every solve. The ETag is the round's
    version: send it as If-Match with a lock edit."""
    deps.audit_round(request, round_id)
    info = await deps.fetch("round", round_id, deps.store(request).get_round, round_id)
    return _tagged(response, _locks(info))


def _tagged(response: Response, locks: LocksOut) -> LocksOut:
    """The locks, with the round version they belong to as the response's ETag."""
    response.headers["ETag"] = f'"{locks.version}"'
    return locks


async def _edit_locks(request: Request, round_id: str, who: Identity, edit: Any) -> LocksOut:
    """Read, edit the locks, write the next version only if no one wrote in between.

    With If-Match the client's version must be current (412 otherwise). Without it, a lost
    race re-reads and re-applies the edit, so parallel lock edits all land."""
    deps.audit_round(request, round_id)
    asked = expected_versions(request, deps.settings(request).require_if_match)
    store = deps.store(request)
    for _ in range(_EDIT_ATTEMPTS):
        info = await deps.fetch("round", round_id, store.get_round, round_id)
        if asked is not None and info.version not in asked:
            raise stale(info.version)
        raw = json.loads(info.body)
        rules = raw.setdefault("rules", {})
        rules["locks"] = edit(list(rules.get("locks", [])))
        rnd = await run_in_threadpool(deps.validate, raw, deps.settings(request))
        try:
            return _locks(await _save(request, rnd, who, round_id, frozenset({info.version})))
        except Stale as exc:
            if asked is not None:
                raise stale(exc.current) from None
    raise ApiError(
        409,
        "此轮次正被频繁修改，请稍后重试 / the round is being changed by many writers; retry",
        kind="busy",
        headers={"Retry-After": "1"},
    )


@router.put(
    "/rounds/{round_id}/locks",
    name="locks.set",
    response_model=LocksOut,
    openapi_extra=IF_MATCH,
    responses=errors(404, 412, 428),
)
async def set_lock(
    request: Request, response: Response, round_id: str, lock: LockIn, who: Locker
) -> LocksOut:
    """Lock a cadre to a community (replacing that cadre's earlier lock); adds a version."""

    def edit(locks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = [lk for lk in locks if lk.get("cadre") != lock.cadre]
        return [*kept, lock.model_dump()]

    return _tagged(response, await _edit_locks(request, round_id, who, edit))


@router.post(
    "/rounds/{round_id}/locks/remove",
    name="locks.remove",
    response_model=LocksOut,
    openapi_extra=IF_MATCH,
    responses=errors(404, 412, 428),
)
async def remove_lock(
    request: Request, response: Response, round_id: str, body: LockRemove, who: Locker
) -> LocksOut:
    """Remove a cadre's lock; adds a version. (The cadre id travels in the body, not the URL,
    so access logs never carry it.)"""

    def edit(locks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = [lk for lk in locks if lk.get("cadre") != body.cadre]
        if len(kept) == len(locks):
            raise ApiError(404, "that cadre has no lock in this round", kind="not-found")
        return kept

    return _tagged(response, await _edit_locks(request, round_id, who, edit))
