"""Nomination by units and joint vetting by departments (组织推荐、资格联审).

A ``unit`` key speaks for one unit (its scope, set when the key is made): it nominates cadres of
its own unit from the round's pool and sees only its own nominees. A ``vetter`` key speaks for
one department: it sees only the nominees' identity (id, name, unit, birth year) and its own
department's answers, and only when the round requires that department's clearance. Answers
come as JSON or as the department's own sheet; all are applied or none.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from matcher.model.io.clearance_sheet import match_sheet, read_sheet
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Cadre, Round
from matcher.model.vetting import Clearance, department_key, department_words
from matcher_service import deps
from matcher_service.auth import Identity, Permission, Role, require
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import errors
from matcher_service.routes.workflow_desk import scope_of
from matcher_service.store.workflow import Duplicate
from matcher_service.workflow_schemas import (
    ClearancesIn,
    NominationIn,
    NominationList,
    NominationOut,
    VettingItem,
    VettingList,
)
from matcher_service.workflow_steps import actor, current, step

router = APIRouter(tags=["selection"])
Nominator = Annotated[Identity, require(Permission.NOMINATE)]
Nominees = Annotated[Identity, require(Permission.NOMINEES)]
Vetter = Annotated[Identity, require(Permission.VET)]


async def _scope(request: Request, who: Identity) -> str | None:
    """The unit or department the key speaks for (None for admin keys)."""
    return None if who.role is Role.ADMIN else await scope_of(request, who)


@router.post(
    "/rounds/{round_id}/nominations",
    name="nominations.add",
    status_code=201,
    response_model=NominationOut,
    responses=errors(404, 409),
)
async def nominate(
    request: Request, round_id: str, body: NominationIn, who: Nominator
) -> NominationOut:
    """Nominate one cadre of the round's pool; a unit nominates only its own cadres."""
    deps.audit_round(request, round_id)
    unit = await _scope(request, who)
    _, rnd = await current(request, round_id)
    cad = next((c for c in rnd.cadres if c.id == body.cadre_id), None)
    if cad is None:
        raise ApiError(
            422,
            f"查无此人: {body.cadre_id!r} is not in this round's pool "
            "(add the person to the round first)",
            kind="unknown-person",
            errors=[{"pointer": "/cadre_id", "detail": "unknown cadre id"}],
        )
    if unit is not None and cad.unit != unit:
        raise ApiError(
            403,
            f"单位只能推荐本单位干部 (a unit nominates only its own cadres; "
            f"this key speaks for {unit})",
            kind="forbidden",
        )
    db = deps.store(request)
    try:
        await step(
            db.nominate, round_id, cad.id, cad.unit, actor(who), body.reason, request=request
        )
    except Duplicate:
        raise ApiError(409, "此人已被推荐 (already nominated)", kind="conflict") from None
    mine = await run_in_threadpool(db.list_nominations, round_id, cad.unit)
    return _nomination(next(n for n in mine if n.cadre_id == cad.id), cad)


def _nomination(n: object, cad: Cadre | None) -> NominationOut:
    return deps.out(NominationOut, n, name=cad.name if cad else "")


@router.get(
    "/rounds/{round_id}/nominations",
    name="nominations.list",
    response_model=NominationList,
    responses=errors(404),
)
async def list_nominations(request: Request, round_id: str, who: Nominees) -> NominationList:
    """The nominees: a unit sees only its own; the organisation department sees all."""
    deps.audit_round(request, round_id)
    unit = await _scope(request, who) if who.role is Role.UNIT else None
    _, rnd = await current(request, round_id)
    by_id = {c.id: c for c in rnd.cadres}
    rows = await run_in_threadpool(deps.store(request).list_nominations, round_id, unit)
    deps.audit_subjects(request, [n.cadre_id for n in rows], round_id)
    return NominationList(
        round_id=round_id, items=[_nomination(n, by_id.get(n.cadre_id)) for n in rows]
    )


async def _department(request: Request, who: Identity, asked: str | None, rnd: Round) -> str:
    scope = await _scope(request, who)
    dept = department_key(scope or asked or "")
    if not dept:
        raise ApiError(422, "name the department: ?department=…", kind="invalid-request")
    if dept not in rnd.rules.clearances.required:
        raise ApiError(
            403,
            f"本轮不需要{department_words(dept)}审查 (this round does not ask "
            f"{dept} for a clearance)",
            kind="forbidden",
        )
    return dept


async def _nominees(request: Request, round_id: str, rnd: Round) -> list[Cadre]:
    noms = await run_in_threadpool(deps.store(request).list_nominations, round_id)
    ids = {n.cadre_id for n in noms if n.decision != "rejected"}
    return [c for c in rnd.cadres if c.id in ids]


async def _vetting(
    request: Request, round_id: str, dept: str, rnd: Round, applied: int = 0
) -> VettingList:
    people = await _nominees(request, round_id, rnd)
    given = {
        c.cadre_id: c
        for c in await run_in_threadpool(deps.store(request).list_clearances, round_id, dept)
    }
    items = []
    for cad in people:
        c = given.get(cad.id)
        items.append(
            VettingItem(
                cadre_id=cad.id,
                name=cad.name,
                unit=cad.unit,
                birth_year=cad.birth_year,
                status=c.status if c else None,
                date=c.date if c else None,
                note=c.note if c else "",
            )
        )
    deps.audit_subjects(request, [c.id for c in people], round_id)
    return VettingList(
        round_id=round_id,
        department=dept,
        department_name=department_words(dept),
        items=items,
        applied=applied,
    )


Department = Annotated[str | None, Query(max_length=64, description="Admin keys only")]


@router.get(
    "/rounds/{round_id}/vetting",
    name="vetting.list",
    response_model=VettingList,
    responses=errors(404),
)
async def vetting_list(
    request: Request, round_id: str, who: Vetter, department: Department = None
) -> VettingList:
    """What the calling department must check: the nominees and its own answers."""
    deps.audit_round(request, round_id)
    _, rnd = await current(request, round_id)
    dept = await _department(request, who, department, rnd)
    return await _vetting(request, round_id, dept, rnd)


async def _apply(
    request: Request,
    round_id: str,
    who: Identity,
    dept: str,
    rnd: Round,
    answers: list[tuple[str, Clearance]],
    reason: str,
) -> VettingList:
    items = [
        (cid, c.status.value, c.date.isoformat() if c.date else None, c.note) for cid, c in answers
    ]
    await step(
        deps.store(request).set_clearances,
        round_id,
        dept,
        items,
        actor(who),
        reason,
        request=request,
    )
    return await _vetting(request, round_id, dept, rnd, applied=len(items))


@router.post(
    "/rounds/{round_id}/clearances",
    name="vetting.answer",
    response_model=VettingList,
    responses=errors(404, 409),
)
async def answer(
    request: Request, round_id: str, body: ClearancesIn, who: Vetter, department: Department = None
) -> VettingList:
    """The department's answers on nominees; a person twice with different answers, or
    someone who is not a nominee, refuses the whole request (422, every problem listed)."""
    deps.audit_round(request, round_id)
    _, rnd = await current(request, round_id)
    dept = await _department(request, who, department, rnd)
    nominees = {c.id for c in await _nominees(request, round_id, rnd)}
    problems: list[InputProblem] = []
    seen: dict[str, str] = {}
    answers: list[tuple[str, Clearance]] = []
    for i, item in enumerate(body.items):
        where = f"items[{i}]"
        if item.cadre_id not in nominees:
            problems.append(
                InputProblem(
                    "request",
                    where,
                    "not a nominee of this round",
                    id=item.cadre_id,
                    field="cadre_id",
                )
            )
            continue
        if item.cadre_id in seen:
            if seen[item.cadre_id] != item.status.value:
                msg = (
                    f"conflicting clearances: {seen[item.cadre_id]} and "
                    f"{item.status.value} for one person"
                )
                problems.append(
                    InputProblem("request", where, msg, id=item.cadre_id, field="status")
                )
            continue
        seen[item.cadre_id] = item.status.value
        answers.append(
            (
                item.cadre_id,
                Clearance(department=dept, status=item.status, date=item.date, note=item.note),
            )
        )
    if problems:
        raise InvalidInput(problems)
    return await _apply(request, round_id, who, dept, rnd, answers, body.reason)


@router.post(
    "/rounds/{round_id}/clearances/upload",
    name="vetting.upload",
    response_model=VettingList,
    responses=errors(404, 409, 413),
)
async def upload(
    request: Request,
    round_id: str,
    who: Vetter,
    file: Annotated[UploadFile, File(description="The department's sheet")],
    department: Department = None,
) -> VettingList:
    """The department's own sheet (CSV or XLSX): rows matched by id, or by name + unit + birth
    year; every row that matches nobody, several people, or contradicts another is reported."""
    deps.audit_round(request, round_id)
    _, rnd = await current(request, round_id)
    dept = await _department(request, who, department, rnd)
    nominees = await _nominees(request, round_id, rnd)
    data = await file.read()
    name = file.filename or "sheet.csv"
    table = await run_in_threadpool(read_sheet, name, data)
    answers = await run_in_threadpool(match_sheet, table, dept, nominees)
    return await _apply(request, round_id, who, dept, rnd, answers, f"sheet {name}")
