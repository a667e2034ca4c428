"""The planner's page: static files at ``/`` and the two reads only the page needs.

The page (``matcher_service/web/``) is a client of the public HTTP API and nothing else: it
calls the same endpoints with the key in the ``X-API-Key`` header. What is served here is
code and map geometry, never personal data, so it needs no key; ``/me`` (any role) and
``/rounds/{id}/districts`` do. Every asset (scripts, styles, Leaflet, fonts) comes from the
service itself, so the page works with no internet, behind a strict Content-Security-Policy.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from matcher.model.vetting import department_key
from matcher_service import deps
from matcher_service.auth import PERMISSIONS, Identity, Permission, Role, require
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import errors

router = APIRouter(tags=["page"])


class Me(BaseModel):
    """The calling key: its id, name, role, the permissions that role has, and for a unit or a
    vetting department the unit or department it speaks for."""

    key_id: str
    name: str
    role: str
    permissions: list[str]
    scope: str | None = Field(default=None, description="The unit or department (as given)")
    department: str | None = Field(default=None, description="A vetter's department key")


WEB = Path(str(resources.files("matcher_service") / "web"))
LEAFLET = Path(str(resources.files("geodata") / "data" / "leaflet"))

#: The page runs only its own files: no inline script, no other origin, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
}


def _asset(base: Path, name: str) -> FileResponse:
    path = (base / name).resolve()
    if base.resolve() not in path.parents or not path.is_file() or path.suffix not in _TYPES:
        raise ApiError(404, f"no page asset '{name}'", kind="not-found")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers=_HEADERS)


@router.get("/", include_in_schema=False)
async def page() -> FileResponse:
    """The planner's page (Chinese first, English switch)."""
    return _asset(WEB, "index.html")


@router.get("/static/{name:path}", include_in_schema=False)
async def static(name: str) -> Response:
    """The page's scripts, styles and fonts; Leaflet from the copy geodata bundles."""
    if name.startswith("leaflet/"):
        return _asset(LEAFLET, name.removeprefix("leaflet/"))
    if name.startswith("fonts/"):
        return _font(name.removeprefix("fonts/"))
    return _asset(WEB / "static", name)


def _font(name: str) -> Response:
    if name != "cjk.ttf" or (body := cjk_font()) is None:
        raise ApiError(404, f"no font '{name}'", kind="not-found")
    headers = {**_HEADERS, "Cache-Control": "public, max-age=86400"}
    return Response(body, media_type="font/ttf", headers=headers)


@router.get("/me", name="page.me", response_model=Me, responses=errors())
async def me(request: Request, ident: Annotated[Identity, require(Permission.SIGN_IN)]) -> Me:
    """Who the key belongs to and what its role may do (the page hides what it may not); every
    role may ask, so a unit or a vetting department signs in to its own view."""
    allowed = sorted(p.value for p, roles in PERMISSIONS.items() if ident.role in roles)
    scope = await run_in_threadpool(deps.store(request).key_scope, ident.key_id)
    dept = department_key(scope) if scope and ident.role is Role.VETTER else None
    return Me(
        key_id=ident.key_id,
        name=ident.name,
        role=ident.role.value,
        permissions=allowed,
        scope=scope,
        department=dept,
    )


@router.get(
    "/rounds/{round_id}/districts",
    name="page.districts",
    responses=errors(404),
    response_class=Response,
)
async def districts(
    request: Request, round_id: str, who: Annotated[Identity, require(Permission.READ)]
) -> Response:
    """The round's district outlines as GeoJSON (WGS-84), from the bundled boundaries.

    Districts of cities without bundled boundaries are left out; the map then shows points only.
    """
    _, body = await deps.read_round(request, round_id)
    codes = sorted({c["district"]["code"] for c in json.loads(body)["communities"]})
    outlines = await run_in_threadpool(_outlines, tuple(codes))
    headers = {"Cache-Control": "no-cache"}
    return Response(outlines, media_type="application/geo+json", headers=headers)


@lru_cache(maxsize=32)
def _outlines(codes: tuple[str, ...]) -> bytes:
    from geodata.boundaries import UnknownCityError, load_districts

    features: list[dict[str, Any]] = []
    for city in sorted({c[:4] + "00" for c in codes}):
        try:
            frame = load_districts(city)
        except (UnknownCityError, OSError, ValueError):
            continue
        for row in frame[frame["code"].isin(codes)].itertuples():
            geometry = json.loads(json.dumps(row.geometry.__geo_interface__))
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": row.code, "name": row.name},
                    "geometry": geometry,
                }
            )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


@lru_cache(maxsize=1)
def cjk_font() -> bytes | None:
    """The bundled Chinese font (:mod:`matcher.model.io.fonts`) as one TrueType face: browsers
    refuse font collections (.ttc), so face 0 is taken out with fontTools once. Served so
    Chinese renders on any client, even one without Chinese fonts; None when not installed."""
    from fontTools.ttLib import TTFont

    from matcher.model.io.fonts import FontMissing, cjk_font_path

    try:
        path = cjk_font_path()
    except FontMissing:
        return None
    out = io.BytesIO()
    TTFont(str(path), fontNumber=0).save(out)
    return out.getvalue()
