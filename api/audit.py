"""The audit log: who did what, when, to which round — one row per authenticated request
(and per refused one). Rows name the route template, never the concrete path, so cadre ids in
URLs (lock removal) stay out; the log itself is readable by admins only (``GET /audit``)."""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import Identity
from api.store import AuditEntry, Store, now

log = logging.getLogger(__name__)


class AuditMiddleware:
    """ASGI middleware writing an audit row after each request that presented or needed a key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            entry = _entry(scope, status)
            if entry is not None:
                store: Store = scope["app"].state.store
                try:
                    await run_in_threadpool(store.add_audit, entry)
                except Exception as exc:  # the response is already out; say so loudly
                    log.error("audit row not written: %s", type(exc).__name__)


def _entry(scope: Scope, status: int) -> AuditEntry | None:
    state: dict[str, Any] = scope.get("state") or {}
    ident: Identity | None = state.get("identity")
    if ident is None and status not in (401, 403):
        return None
    route = scope.get("route")
    params: dict[str, Any] = scope.get("path_params") or {}
    round_id = state.get("audit_round") or params.get("round_id")
    return AuditEntry(
        id=0,
        at=now(),
        who=ident.name if ident else "anonymous",
        key_id=ident.key_id if ident else None,
        role=ident.role.value if ident else None,
        action=getattr(route, "name", None) or "unknown",
        method=str(scope.get("method", ""))[:8],
        path=str(getattr(route, "path", "") or "unmatched")[:500],
        round_id=str(round_id)[:40] if round_id else None,
        status=status,
    )
