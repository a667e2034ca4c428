"""A unit nominates from its own sheet (CSV or XLSX), read with the round import's tolerance
(:mod:`matcher.model.io.nomination_sheet`): every row found in the round's pool, of the unit's
own people, none named twice, none nominated already — or nothing is nominated (422 with every
row's problem, 409 naming the people already put forward)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from matcher.model.io.nomination_sheet import match_nominations, read_nomination_sheet
from matcher_service import deps
from matcher_service.auth import Identity, Permission, Role, require
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import errors
from matcher_service.routes.workflow_desk import scope_of
from matcher_service.store.nominations import nominate_all
from matcher_service.store.workflow import Duplicate
from matcher_service.workflow_schemas import NominationList, NominationOut
from matcher_service.workflow_steps import actor, current, step

router = APIRouter(tags=["selection"])
Nominator = Annotated[Identity, require(Permission.NOMINATE)]


@router.post(
    "/rounds/{round_id}/nominations/upload",
    name="nominations.upload",
    status_code=201,
    response_model=NominationList,
    responses=errors(404, 409, 413),
)
async def upload(
    request: Request,
    round_id: str,
    who: Nominator,
    file: Annotated[UploadFile, File(description="The unit's own list of nominees")],
) -> NominationList:
    """Nominate every person of the unit's sheet; the unit's nominees come back."""
    deps.audit_round(request, round_id)
    unit = None if who.role is Role.ADMIN else await scope_of(request, who)
    _, rnd = await current(request, round_id)
    name = file.filename or "sheet.csv"
    table = await run_in_threadpool(read_nomination_sheet, name, await file.read())
    chosen = await run_in_threadpool(match_nominations, table, rnd.cadres, unit)
    units = {c.id: c.unit for c in rnd.cadres}
    people = [(cid, units[cid], why or f"sheet {name}") for cid, why in chosen]
    db = deps.store(request)
    try:
        await step(nominate_all, db, round_id, people, actor(who))
    except Duplicate as exc:
        named = {c.id: c.name for c in rnd.cadres}
        who_ = "、".join(named.get(i, i) for i in str(exc).split(", "))
        raise ApiError(
            409, f"已被推荐：{who_} (already nominated: {exc})", kind="conflict"
        ) from None
    rows = await run_in_threadpool(db.list_nominations, round_id, unit)
    by_id = {c.id: c for c in rnd.cadres}
    return NominationList(
        round_id=round_id,
        items=[
            deps.out(NominationOut, n, name=by_id[n.cadre_id].name if n.cadre_id in by_id else "")
            for n in rows
        ],
    )
