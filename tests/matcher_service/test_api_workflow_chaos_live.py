"""Approval and replacement against a real uvicorn, on SQLite and PostgreSQL: kill -9 while
the transition is inside its transaction, or right after it committed, and a retry finishes it
with nothing lost or doubled; parallel approvals of one plan give exactly one success.

The server is paused at a named point by the test hooks (``MATCHER_TEST_HOOKS``,
``MATCHER_TEST_PAUSE``), which it logs; the test waits for that line and kills it there. Its
clock is fixed a week after the publicity started (``MATCHER_TEST_NOW``)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from matcher_service.settings import ServiceSettings
from matcher_service.store import Store
from matcher_service.tables import PlanApprovalRow, PostingRow, ReplacementRow, RoundOriginRow
from tests.matcher_service.conftest import GREEDY, running
from tests.matcher_service.live import LiveServer
from tests.matcher_service.test_api_parallel_live import database
from tests.matcher_service.workflow_flow import MONDAY, Clock, placed, to_publicity

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
LATER = (MONDAY + timedelta(days=7)).isoformat()
HOOKS = {"MATCHER_WORKERS": "0", "MATCHER_WARM_UP": "0", "MATCHER_TEST_HOOKS": "1"}


def prepare(url: str, rounds: int = 1) -> tuple[dict[str, str], list[tuple[str, str, list[str]]]]:
    """Keys, and ``rounds`` rounds each with its plan under publicity since MONDAY: (round,
    plan, the cadres it places)."""
    cfg = ServiceSettings(database_url=url, runner=GREEDY, workers=0, warm_up=False)
    with running(cfg) as api:
        api.app.state.clock = Clock()
        made = []
        for _ in range(rounds):
            rid, plan = to_publicity(api)
            made.append((rid, plan, placed(api, plan)))
        return dict(api.keys), made


@contextmanager
def server(url: str, pause: str = "", workers: int = 0) -> Iterator[LiveServer]:
    """A live server with the test hooks; ``workers`` worker processes (replacements run
    in one, and pause there)."""
    hooks = HOOKS | {"MATCHER_WORKERS": str(workers)}
    live = LiveServer(url, GREEDY, **hooks, MATCHER_TEST_NOW=LATER, MATCHER_TEST_PAUSE=pause)
    live.start()
    try:
        yield live
    finally:
        live.crash()


def counts(url: str, plan: str) -> dict[str, int]:
    """What the database holds for ``plan``: approvals, postings started, rounds made from it,
    replacements of it."""
    store = Store.connect(url)
    try:
        with store.session() as s:

            def n(table: Any, column: Any) -> int:
                return int(s.scalar(select(func.count()).select_from(table).where(column == plan)))

            return {
                "approvals": n(PlanApprovalRow, PlanApprovalRow.plan_id),
                "postings": n(PostingRow, PostingRow.plan_id),
                "next_rounds": n(RoundOriginRow, RoundOriginRow.plan_id),
                "replacements": n(ReplacementRow, ReplacementRow.source_plan_id),
            }
    finally:
        store.close()


def killed_at(
    url: str, point: str, key: str, call: str, body: dict[str, Any], workers: int = 0
) -> None:
    """Send ``call`` to a server paused at ``point``, kill -9 it there (its workers die
    with it)."""
    with server(url, pause=point, workers=workers) as live:
        headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "retry-1"}

        def send() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server dies mid-request
                httpx.post(live.url + call, json=body, headers=headers, timeout=120)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        assert live.wait_for_log(f"paused at {point}"), "".join(live.log)
        live.crash()
        sender.join(30)


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("point", ["approve", "approve:committed"])
def test_a_killed_approval_is_finished_by_a_retry(kind: str, point: str, tmp_path: Path) -> None:
    """Killed inside the approving transaction (nothing of it stays) or right after it
    committed (all of it stays): the retry with the same key answers approved, and the
    database holds one approval, each posting once and one next round."""
    with database(kind, tmp_path) as url:
        keys, [(rid, plan, people)] = prepare(url)
        call = f"/rounds/{rid}/workflow/approve"
        killed_at(url, point, keys["approver"], call, {"plan_id": plan})
        before = counts(url, plan)
        expected = {"approvals": 1, "postings": len(people), "next_rounds": 1, "replacements": 0}
        if point == "approve":
            assert before == {"approvals": 0, "postings": 0, "next_rounds": 0, "replacements": 0}
        else:
            assert before == expected
        with server(url) as live, live.client(keys["approver"]) as client:
            again = client.post(
                call, json={"plan_id": plan}, headers={"Idempotency-Key": "retry-1"}
            )
            assert again.status_code == 200, again.text
            assert again.json()["state"] == "approved" and again.json()["next_round_id"]
            third = client.post(call, json={"plan_id": plan})
            assert third.status_code == 409 and third.json()["errors"][0]["id"] == "approved"
        assert counts(url, plan) == expected


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("point", ["replace", "replace:committed"])
def test_a_killed_replacement_is_finished_by_a_retry(kind: str, point: str, tmp_path: Path) -> None:
    """A replacement job of a publicised plan, its worker and server killed inside the
    storing transaction or after it: the retry with the same key (waiting for its job)
    answers one replacement (under its own publicity), stored once."""
    with database(kind, tmp_path) as url:
        keys, [(_, plan, people)] = prepare(url)
        call = f"/plans/{plan}/replace"
        events = {"recall": [people[0]]}
        killed_at(url, point, keys["planner"], call, events, workers=1)
        assert counts(url, plan)["replacements"] == (0 if point == "replace" else 1)
        with server(url, workers=1) as live, live.client(keys["planner"]) as client:
            key = {"Idempotency-Key": "retry-1"}
            first = client.post(call, json=events, headers=key, params={"wait": 50})
            assert first.status_code == 201, first.text
            assert first.json()["workflow"] == "publicity"
            assert client.post(call, json=events, headers=key).json() == first.json()
        assert counts(url, plan)["replacements"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_parallel_approvals_give_exactly_one_success(kind: str, tmp_path: Path) -> None:
    """8 parallel approvals of one publicised plan (half with their own keys): one 200, seven
    409 problem+json (no 500); 8 parallel lifecycle approvals of a plan outside the workflow:
    one 201, seven 409."""
    with database(kind, tmp_path) as url:
        keys, [(rid, plan, people)] = prepare(url)
        with server(url) as live:

            def approve(i: int) -> httpx.Response:
                with live.client(keys["approver"]) as c:
                    extra = {"Idempotency-Key": f"k{i}"} if i % 2 else {}
                    return c.post(
                        f"/rounds/{rid}/workflow/approve", json={"plan_id": plan}, headers=extra
                    )

            with ThreadPoolExecutor(8) as ex:
                answers = list(ex.map(approve, range(8)))
            codes = sorted(r.status_code for r in answers)
            assert codes == [200] + [409] * 7, [r.text for r in answers if r.status_code >= 500]
            assert all(
                r.headers["content-type"] == "application/problem+json"
                for r in answers
                if r.status_code == 409
            )
            with live.client(keys["planner"]) as c:
                other = c.post("/rounds", json=_plain_round()).json()["id"]
        assert counts(url, plan)["postings"] == len(people)
        lone = _solved(url, other)
        with server(url) as live:

            def direct(i: int) -> int:
                with live.client(keys["approver"]) as c:
                    return c.post(
                        f"/plans/{lone}/approve", json={"start": "2026-04-01"}
                    ).status_code

            with ThreadPoolExecutor(8) as ex:
                assert sorted(ex.map(direct, range(8))) == [201] + [409] * 7
        assert counts(url, lone)["approvals"] == 1


def _plain_round() -> dict[str, Any]:
    """A round of other cadres (ids K…), so its plan rivals nobody."""
    from tests.matcher_service.conftest import tiny

    raw = tiny()
    for cad in raw["cadres"]:
        cad["id"] = "K" + cad["id"][1:]
    return raw


def _solved(url: str, rid: str) -> str:
    """Solve round ``rid`` in this process (greedy double)."""
    cfg = ServiceSettings(database_url=url, runner=GREEDY, workers=0, warm_up=False)
    from tests.matcher_service.workflow_flow import solve

    with running(cfg) as api:
        return solve(api, rid)
