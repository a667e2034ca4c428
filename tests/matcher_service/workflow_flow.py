"""Driving a round through the selection workflow in tests: a settable clock, a solve run in
the test's thread, and a round brought to any state with one call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from matcher_service.jobs import load_runner, run_job
from tests.matcher_service.conftest import GREEDY, Api, tiny

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 Beijing time


class Clock:
    """A clock a test sets (the app's ``state.clock``): no sleeping through a publicity."""

    def __init__(self, at: datetime = MONDAY) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def post(api: Api, role: str, path: str, body: Any = None, code: int = 200, **headers: str) -> Any:
    r = api.client.post(path, json=body if body is not None else {}, headers=api.h(role) | headers)
    assert r.status_code == code, r.text
    return r.json()


def solve(api: Api, rid: str) -> str:
    """A plan of the round's current version (greedy double, run here)."""
    job = post(api, "planner", f"/rounds/{rid}/solve", code=202)
    assert run_job(api.app.state.store, load_runner(GREEDY), job["id"]) == "succeeded"
    plan = api.client.get(f"/jobs/{job['id']}", headers=api.h("viewer")).json()["plan_id"]
    return str(plan)


def to_publicity(api: Api, raw: dict[str, Any] | None = None, **open_body: Any) -> tuple[str, str]:
    """A round whose solved plan is under publicity from the app's clock's now: (round, plan)."""
    rid = api.create(raw or tiny())["id"]
    base = f"/rounds/{rid}"
    post(api, "planner", f"{base}/workflow", open_body, 201)
    for cad in (raw or tiny())["cadres"]:
        post(api, "admin", f"{base}/nominations", {"cadre_id": cad["id"]}, 201)
    post(api, "planner", f"{base}/workflow/vetting")
    post(api, "planner", f"{base}/workflow/review")
    plan = solve(api, rid)
    post(api, "planner", f"{base}/workflow/propose", {"plan_id": plan})
    post(api, "planner", f"{base}/workflow/publicity")
    return rid, plan


def placed(api: Api, plan: str) -> list[str]:
    """The cadres a plan places."""
    result = api.client.get(f"/plans/{plan}", headers=api.h("viewer")).json()["result"]
    return [a["cadre"] for a in result["assignments"] if a["cadre"]]
