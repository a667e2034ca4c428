"""Replacements in the tests' apps, which have no worker processes: the request waits
(``?wait=``) while a thread of the test plays the worker and runs the queued replacement job
in this process, so the answer is what a waiting client gets from a real server."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from matcher_service.jobs import load_runner, run_job
from matcher_service.replace_job import PlanCache
from tests.matcher_service.conftest import GREEDY, Api


def replaced(
    api: Api, plan_id: str, events: Any, role: str = "planner", **headers: str
) -> httpx.Response:
    """``POST /plans/{plan_id}/replace?wait=60`` with the job run here: 201 with the
    replacement, or the refusal (409, 422 …) as the service answers it."""
    store = api.app.state.store
    if not hasattr(api, "plans"):  # one cache per app, as one worker process keeps one
        api.plans = PlanCache()  # type: ignore[attr-defined]
    done = threading.Event()

    def work() -> None:
        while not done.is_set():
            queued = store.list_jobs(states=("queued",), source_plan_id=plan_id)
            if queued:
                run_job(store, load_runner(GREEDY), queued[0].id, plans=api.plans)  # type: ignore[attr-defined]
                return
            done.wait(0.02)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        return api.client.post(
            f"/plans/{plan_id}/replace",
            params={"wait": 60},
            json=events,
            headers=api.h(role) | headers,
        )
    finally:
        done.set()
        worker.join(120)
