"""The HTTP API (FastAPI), assembled from :mod:`api`. Thin: no logic lives here.

``uvicorn --factory service:create_app`` starts it (``make serve``); settings come from the
environment (``DATABASE_URL``, ``MATCHER_*``) when not given. Nothing touches the database or reads
settings at import time: the lifespan migrates the database, marks interrupted the jobs whose lease
ran out (a live lease belongs to another server process), starts the worker pool, and then freezes
everything allocated so far out of the garbage collector's way (a full collection over the imported
libraries took 0.1–0.25 s, often in the middle of a request).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from matcher_service import db_hold, docs_ui, openapi, problems
from matcher_service.audit import AuditMiddleware, AuditWriter
from matcher_service.auth import Authenticator
from matcher_service.auth_failures import FailedAuth
from matcher_service.body_cache import BodyCache
from matcher_service.job_events import JobEvents
from matcher_service.jobs import WorkerPool
from matcher_service.limits import BodyLimitMiddleware
from matcher_service.migrate import upgrade
from matcher_service.parsed_rounds import ParsedRounds
from matcher_service.path_text import PathTextMiddleware
from matcher_service.rate_limits import RateLimiter
from matcher_service.routes import (
    admin,
    jobs,
    lifecycle,
    mappings,
    nomination_sheet,
    plans,
    practices,
    rounds,
    vetting,
    web,
    what_if,
    workflow,
    workflow_desk,
    workflow_documents,
    workflow_return,
    workflow_state,
)
from matcher_service.settings import ServiceSettings
from matcher_service.store import Store
from matcher_service.timing import TimingMiddleware

log = logging.getLogger("service")


def _lifespan(cfg: ServiceSettings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hold = db_hold.serving(cfg.database_url)  # a restore refuses while this is held
        store = Store.connect(cfg.database_url)
        upgrade(store.engine)
        interrupted, queued = store.recover()
        if interrupted:
            log.warning(
                "%d job(s) lost their worker (lease ran out) and are interrupted; re-run them",
                len(interrupted),
            )
        events = JobEvents(asyncio.get_running_loop())
        pool = WorkerPool(cfg, store, events.notify) if cfg.workers > 0 else None
        app.state.store, app.state.pool, app.state.job_events = store, pool, events
        app.state.cache = BodyCache(cfg.body_cache_bytes)
        app.state.parsed_rounds = ParsedRounds()
        app.state.auth = Authenticator(store, cfg.key_cache_s)
        app.state.auth_failures = FailedAuth(
            store, cfg.failed_auth_per_key, cfg.failed_auth_per_client
        )
        app.state.solve_limiter = RateLimiter(cfg.solves_per_minute)
        app.state.audit = AuditWriter(store)
        app.state.audit.start()
        if pool is not None:
            pool.start()
            for job_id in queued:
                pool.submit(job_id)
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if pool is not None:
                pool.stop()
            app.state.audit.stop()
            store.close()
            hold.release()

    return lifespan


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """Build the app; ``settings`` default to the environment's."""
    cfg = settings or ServiceSettings.from_env()
    app = FastAPI(
        title="Cadre matcher API",
        version=admin.API_VERSION + ".0",
        lifespan=_lifespan(cfg),
        docs_url=None,  # served from local assets by matcher_service.docs_ui
        redoc_url=None,
    )
    app.state.settings = cfg
    problems.install(app)
    docs_ui.install(app)
    app.add_middleware(AuditMiddleware)
    app.add_middleware(PathTextMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=cfg.max_body_bytes)
    app.add_middleware(TimingMiddleware)
    for module in (
        rounds,
        jobs,
        plans,
        what_if,
        admin,
        web,
        workflow,
        workflow_state,
        workflow_documents,
        vetting,
        lifecycle,
        practices,
        workflow_desk,
        workflow_return,
        nomination_sheet,
        mappings,
    ):
        app.include_router(module.router)
    app.openapi = lambda: openapi.build(app)  # type: ignore[method-assign]
    return app


_app: FastAPI | None = None


def __getattr__(name: str) -> Any:
    """``service.app``, built on first use (so importing this module stays free)."""
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(name)
