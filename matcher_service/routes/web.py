"""The planner's page: static files at ``/`` and the two reads only the page needs.

The page (``matcher_service/web/``) is a client of the public HTTP API and nothing else: it
calls the same endpoints with the key in the ``X-API-Key`` header. What is served here is
code and map geometry, never personal data, so it needs no key; ``/me`` (any role) and
``/rounds/{id}/districts`` do. Every asset (scripts, styles, Leaflet, fonts) comes from the
service itself, so the page works with no internet, behind a strict Content-Security-Policy.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from matcher.model.vetting import department_key
from matcher_service import deps
from matcher_service.auth import PERMISSIONS, Identity, Permission, Role, require
from matcher_service.body_cache import Cached
from matcher_service.compression import accepts_gzip
from matcher_service.problems import ApiError
from matcher_service.routes.openapi_bits import NOT_MODIFIED, errors

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


class Asset(NamedTuple):
    """A page file as served: its bytes, the same gzip-compressed (None when that does not
    pay), and its ETag (digest of the bytes, so a deploy changes it)."""

    body: bytes
    packed: bytes | None
    etag: str


#: Files smaller than this go out as they are; fonts and images are compressed already or not
#: worth it, except TrueType, which gzip halves.
_PACK_MIN = 1024
_PACKED = {".html", ".js", ".css", ".svg", ".ttf", ".otf"}


def _pack(body: bytes, suffix: str) -> Asset:
    etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
    packed = None
    if suffix in _PACKED and len(body) >= _PACK_MIN:
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        if len(packed) >= len(body):
            packed = None
    return Asset(body, packed, etag)


@lru_cache(maxsize=256)
def _read_asset(path: Path, mtime_ns: int) -> Asset:
    """A file read and compressed once per change of it (the key carries its mtime)."""
    return _pack(path.read_bytes(), path.suffix)


def _send_asset(
    request: Request, asset: Asset, media_type: str, headers: dict[str, str]
) -> Response:
    """The file, or 304 when If-None-Match names its ETag; gzip when the client takes it."""
    headers = {**headers, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if deps.not_modified(request, asset.etag):
        return Response(status_code=304, headers=headers)
    if asset.packed is not None and accepts_gzip(request):
        return Response(
            asset.packed, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"}
        )
    return Response(asset.body, media_type=media_type, headers=headers)


def _asset(request: Request, base: Path, name: str) -> Response:
    path = (base / name).resolve()
    if base.resolve() not in path.parents or not path.is_file() or path.suffix not in _TYPES:
        raise ApiError(404, f"no page asset '{name}'", kind="not-found")
    asset = _read_asset(path, path.stat().st_mtime_ns)
    return _send_asset(request, asset, _TYPES[path.suffix], _HEADERS)


@router.get("/", include_in_schema=False)
async def page(request: Request) -> Response:
    """The planner's page (Chinese first, English switch)."""
    return _asset(request, WEB, "index.html")


@router.get("/static/{name:path}", include_in_schema=False)
async def static(request: Request, name: str) -> Response:
    """The page's scripts, styles and fonts; Leaflet from the copy geodata bundles. Each goes
    out with an ETag (a reload revalidates: 304, no body) and gzip-compressed when it pays."""
    if name.startswith("leaflet/"):
        return _asset(request, LEAFLET, name.removeprefix("leaflet/"))
    if name.startswith("fonts/"):
        return await _font(request, name.removeprefix("fonts/"))
    return _asset(request, WEB / "static", name)


async def _font(request: Request, name: str) -> Response:
    if name != "cjk.ttf" or (asset := await run_in_threadpool(_cjk_asset)) is None:
        raise ApiError(404, f"no font '{name}'", kind="not-found")
    headers = {**_HEADERS, "Cache-Control": "public, max-age=86400"}
    return _send_asset(request, asset, "font/ttf", headers)


@lru_cache(maxsize=1)
def _cjk_asset() -> Asset | None:
    body = cjk_font()
    return None if body is None else _pack(body, ".ttf")


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
    responses={**NOT_MODIFIED, **errors(404)},
    response_class=Response,
)
async def districts(
    request: Request, round_id: str, who: Annotated[Identity, require(Permission.READ)]
) -> Response:
    """The round's district outlines as GeoJSON (WGS-84), from the bundled boundaries.

    Districts of cities without bundled boundaries are left out; the map then shows points only.
    Built once per round version and kept with its ETag (the outlines' digest), so the page
    downloads them once per version: If-None-Match → 304, else gzip-compressed.
    """
    info, body = await deps.read_round(request, round_id)  # a database read: erased is 404
    key = ("districts", round_id, info.version)
    item = deps.cache(request).get(key)
    if item is None:
        outlines = await run_in_threadpool(_round_outlines, body)
        etag = f'"districts.{hashlib.blake2b(outlines, digest_size=12).hexdigest()}"'
        item = deps.cache(request).put(key, Cached(outlines, round_id, etag))
    headers = {"Cache-Control": "no-cache"}
    return deps.send(request, item, media_type="application/geo+json", headers=headers)


def _round_outlines(body: bytes) -> bytes:
    codes = sorted({c["district"]["code"] for c in json.loads(body)["communities"]})
    return _outlines(tuple(codes))


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
