"""Health, version and the audit log."""

from __future__ import annotations

from importlib import metadata
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from matcher.model.round import FORMAT_VERSION
from matcher_service import deps
from matcher_service.auth import Identity, Permission, require
from matcher_service.jobs import describe
from matcher_service.routes.openapi_bits import errors
from matcher_service.schemas import (
    AuditList,
    AuditOut,
    AuthFailureList,
    AuthFailureOut,
    Health,
    Version,
)

router = APIRouter(tags=["service"])
API_VERSION = "1"


def package_version() -> str:
    """The installed package's version (the source tree's when not installed)."""
    try:
        return metadata.version("cadre-matcher")
    except metadata.PackageNotFoundError:
        return "0.1.0+source"


@router.get("/health", name="service.health", response_model=Health)
async def health(request: Request) -> Health:
    """Is the database reachable, are the workers alive and how many are busy, how many jobs
    wait? (No key needed; no personal data.)"""

    def look() -> tuple[bool, dict[str, int], dict[str, int]]:
        pool = deps.pool(request)
        try:
            with deps.store(request).engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True, describe(pool), deps.store(request).queue_depth()
        except Exception:
            alive = {"configured": pool.settings.workers, "alive": pool.alive()} if pool else {}
            return False, {"configured": 0, "alive": 0, **alive}, {}

    db_ok, workers, queue = await run_in_threadpool(look)
    ok = db_ok and workers["alive"] == workers["configured"]
    return Health(
        status="ok" if ok else "degraded",
        database="ok" if db_ok else "unreachable",
        workers=workers,
        queue=queue,
    )


@router.get("/version", name="service.version", response_model=Version)
async def version() -> Version:
    """Package, API and round-format versions. (No key needed.)"""
    return Version(version=package_version(), api=API_VERSION, round_format_version=FORMAT_VERSION)


@router.get("/audit", name="audit.list", response_model=AuditList, responses=errors())
async def audit(
    request: Request,
    who: Annotated[Identity, require(Permission.AUDIT)],
    round_id: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    subject: Annotated[
        str | None,
        Query(max_length=200, description="Whose data: 'cadre <id>' or 'community <id>'"),
    ] = None,
) -> AuditList:
    """Who did what, when, to which round, whose file or history was read and the reason
    given — newest first. Admins only."""
    await run_in_threadpool(request.app.state.audit.flush)
    db = deps.store(request)
    rows = await run_in_threadpool(db.list_audit, round_id, limit, offset, subject)
    items = [
        AuditOut(**{k: getattr(r, k) for k in AuditOut.model_fields if hasattr(r, k)}) for r in rows
    ]
    return AuditList(items=items, limit=limit, offset=offset)


@router.get(
    "/audit/auth-failures",
    name="audit.auth_failures",
    response_model=AuthFailureList,
    responses=errors(),
)
async def auth_failures(
    request: Request,
    who: Annotated[Identity, require(Permission.AUDIT)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuthFailureList:
    """Failed authentications per minute and source (client address and presented key id),
    newest first. Admins only."""
    rows = await run_in_threadpool(deps.store(request).list_auth_failures, limit)
    items = [AuthFailureOut(minute=m, source=s, count=c) for m, s, c in rows]
    return AuthFailureList(items=items, limit=limit)
