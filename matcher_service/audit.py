"""The audit log: who did what, when, to which round — one row per authenticated request
(and per refused one). Rows name the route template, never the concrete path, so cadre ids in
URLs (lock removal) stay out; the log itself is readable by admins only (``GET /audit``).

A change (a round created or updated, a job queued or cancelled) has its row written by the
store in the change's own transaction (:func:`change_entry`), so a crash right after the answer
loses neither. Every other row is written by a background thread in batches, off the request
path, so reads stay fast
under load: after the first row of a batch it lingers a moment (``linger_s``) and then writes
everything queued in one INSERT, instead of waking — and taking the interpreter lock — for every
request. Reading the log and stopping the service flush what is pending first."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher_service.auth import Identity
from matcher_service.store import AuditEntry, Store, now

log = logging.getLogger(__name__)
T = TypeVar("T")


_REASON_FIELDS = ("reason", "text", "resolution", "note")  # the words of a body saying why
_REASON_BODY_BYTES = 64 * 1024  # a step's body is small; a round body never holds a reason


def reason_in(body: bytes) -> str | None:
    """The reason a small JSON body gives (its top-level ``reason``, objection ``text``,
    ``resolution`` or ``note``), or None."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(raw, dict):
        return None
    said = [str(raw[f]) for f in _REASON_FIELDS if isinstance(raw.get(f), str) and raw[f]]
    return "; ".join(said) or None


class AuditMiddleware:
    """ASGI middleware writing an audit row after each request that presented or needed a key.
    A small JSON body's reason (see :func:`reason_in`) goes into the row, unless the route
    named one itself (``request.state.audit_reason``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        chunks: list[bytes] = []
        held = 0
        headers = dict(scope.get("headers") or [])
        tap = b"json" in headers.get(b"content-type", b"")

        async def tapped() -> Message:
            nonlocal held, tap
            message = await receive()
            if tap and message["type"] == "http.request":
                body = message.get("body", b"")
                held += len(body)
                if held > _REASON_BODY_BYTES:
                    tap, chunks[:] = False, []
                else:
                    chunks.append(body)
                if tap and not message.get("more_body"):  # whole: before any change's row
                    state = scope.setdefault("state", {})
                    state.setdefault("audit_reason", reason_in(b"".join(chunks)))
            return message

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, tapped, capture)
        finally:
            entry = None if _written(scope) else _entry(scope, status)
            if entry is not None:
                writer: AuditWriter = scope["app"].state.audit
                writer.put(entry)


class AuditWriter:
    """Writes queued audit rows in batches from one background thread."""

    def __init__(self, store: Store, batch: int = 500, linger_s: float = 0.1) -> None:
        self.store, self.batch, self.linger_s = store, batch, linger_s
        self._queue: queue.Queue[AuditEntry | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="matcher-audit", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, entry: AuditEntry) -> None:
        self._queue.put(entry)

    def flush(self) -> None:
        """Block until every row queued so far is written."""
        self._queue.join()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(10)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            items = [first]
            if first is not None:
                time.sleep(self.linger_s)
            while len(items) < self.batch and items[-1] is not None and not self._queue.empty():
                items.append(self._queue.get_nowait())
            rows = [e for e in items if e is not None]
            try:
                if rows:
                    self.store.add_audit(*rows)
            except Exception as exc:  # the responses are already out; say so loudly
                log.error("%d audit row(s) not written: %s", len(rows), type(exc).__name__)
            finally:
                for _ in items:
                    self._queue.task_done()
            if None in items:
                return


async def recorded(request: Request, status: int, write: Callable[..., T], *args: Any) -> T:
    """Run the store call ``write(*args, audit=row)`` in the thread pool, ``row`` being this
    request's audit row with ``status``: the store writes it in the change's transaction, and
    the middleware writes no second row. If the write fails, nothing is recorded by the store
    and the middleware records the refusal as usual."""
    entry = _entry(request.scope, status)
    result = await run_in_threadpool(partial(write, *args, audit=entry))
    request.state.audit_written = True
    return result


def pending_entry(request: Request, status: int) -> AuditEntry | None:
    """This request's audit row with ``status``, for a store change to write in its own
    transaction (set ``request.state.audit_written`` once it did)."""
    return _entry(request.scope, status)


def _written(scope: Scope) -> bool:
    state: dict[str, Any] = scope.get("state") or {}
    return bool(state.get("audit_written"))


def _entry(scope: Scope, status: int) -> AuditEntry | None:
    state: dict[str, Any] = scope.get("state") or {}
    ident: Identity | None = state.get("identity")
    if ident is None:  # failed authentications are counted, not logged one by one
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
        job_id=_short(state.get("audit_job") or params.get("job_id")),
        plan_id=_short(state.get("audit_plan") or params.get("plan_id")),
        version=state.get("audit_version"),
        subject=_short(state.get("audit_subject") or _whose(route, params), 200),
        reason=_short(state.get("audit_reason"), 2000),
    )


def _whose(route: Any, params: dict[str, Any]) -> str | None:
    """Whose data a path names: a refused read of a person's file or a community's history
    is recorded with its subject too."""
    if params.get("cadre_id"):
        return f"cadre {params['cadre_id']}"
    if params.get("community_id") and str(getattr(route, "path", "")).startswith("/communities/"):
        return f"community {params['community_id']}"
    return None


def _short(value: object, limit: int = 40) -> str | None:
    return str(value)[:limit] if value else None
