"""What-if endpoints on plans the real engine made: post explanations, vacancies, diffs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geodata.pipeline import run_round
from matcher_service.jobs import run_job
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny


def solved_plan(api: Api, raw: dict[str, Any]) -> str:
    """Create a round, queue a solve and run it with the real pipeline; return the plan id."""
    rid = api.create(raw)["id"]
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner"))
    assert job.status_code == 202, job.text
    assert run_job(api.app.state.store, run_round, job.json()["id"]) == "succeeded"
    plans = api.client.get(f"/rounds/{rid}/plans", headers=api.h("viewer")).json()["items"]
    return str(plans[-1]["id"])


@pytest.fixture(scope="module")
def engine_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An app on a temporary SQLite file (no workers: jobs are run by the test)."""
    folder: Path = tmp_path_factory.mktemp("what_if")
    with running(sqlite_settings(folder)) as a:
        yield a


def test_post_explanation_with_exact_move_cost(engine_api: Api) -> None:
    """GT01's first secretary: C03 holds it; moving C01 there costs exactly +92 points."""
    pid = solved_plan(engine_api, tiny())
    r = engine_api.client.get(
        f"/plans/{pid}/why/GT01/full-time/1", params={"exact": True}, headers=engine_api.h("viewer")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cadre_id"] == "C03" and sum(body["terms"].values()) == body["cost"]
    c01 = next(a for a in body["alternatives"] if a["cadre_id"] == "C01")
    assert (c01["status"], c01["move_cost"], c01["move_cost_kind"]) == ("holds", 92, "exact")


def test_unknown_post_is_404_and_needs_auth(engine_api: Api) -> None:
    """A post the plan lacks is 404 problem+json; no key is 401."""
    pid = solved_plan(engine_api, tiny())
    r = engine_api.client.get(f"/plans/{pid}/why/LH01/part-time/1", headers=engine_api.h("viewer"))
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert engine_api.client.get(f"/plans/{pid}/why").status_code == 401


def test_old_zero_based_post_number_is_refused(engine_api: Api) -> None:
    """Post 0 (the old numbering) is a 422 that says posts count from 1, on both routes."""
    pid = solved_plan(engine_api, tiny())
    for url in (f"/plans/{pid}/why/GT01/full-time/0", f"/plans/{pid}/posts/GT01/full-time/0"):
        r = engine_api.client.get(url, headers=engine_api.h("viewer"))
        assert r.status_code == 422, url
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "numbered from 1" in r.json()["detail"] and "从1开始" in r.json()["detail"]


def test_plan_explanation_lists_unplaced_cadres(engine_api: Api) -> None:
    """The disqualified C06 is the one unplaced cadre, with the rule that bars it."""
    pid = solved_plan(engine_api, tiny())
    body = engine_api.client.get(f"/plans/{pid}/why", headers=engine_api.h("viewer")).json()
    assert body["vacancies"] == []
    [c06] = body["unplaced"]
    assert (c06["cadre_id"], c06["name"]) == ("C06", "孙六") and "有不得当选情形" in c06["why"]
    english = {**engine_api.h("viewer"), "Accept-Language": "en-GB,en;q=0.9"}
    [c06] = engine_api.client.get(f"/plans/{pid}/why", headers=english).json()["unplaced"]
    assert "disqualified" in c06["why"]


def test_diff_of_two_plans(engine_api: Api) -> None:
    """Without weak priority C01 takes GT01: the diff shows the moves and the KPI delta."""
    a = solved_plan(engine_api, tiny())
    raw = tiny()
    raw["weights"] = {"weak_priority": 0}
    b = solved_plan(engine_api, raw)
    r = engine_api.client.get(f"/plans/{a}/diff/{b}", headers=engine_api.h("viewer"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["plan_a"], body["plan_b"]) == (a, b)
    assert body["counts"]["moved"] == 4 and body["counts"]["unchanged"] == 1
    assert body["round_changes"] == ["权重“软弱涣散社区配强”：100 → 0"]
    rank = next(k for k in body["kpis"] if k["name"] == "weak_mean_rank")
    assert (rank["before"], rank["after"]) == (2.0, 1.0)
    missing = engine_api.client.get(f"/plans/{a}/diff/nope", headers=engine_api.h("viewer"))
    assert missing.status_code == 404


def test_kpis_of_a_plan_per_district(engine_api: Api) -> None:
    """The plan's KPIs and one row per district; district posts add up to the plan's."""
    pid = solved_plan(engine_api, tiny())
    r = engine_api.client.get(f"/plans/{pid}/kpis", headers=engine_api.h("viewer"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["plan"]["posts"] == 5 and body["plan"]["weak_rank_floor_met"] == 1
    assert [d["name"] for d in body["districts"]] == ["古塔区", "凌河区"]
    assert sum(d["posts"] for d in body["districts"]) == 5


def test_kpis_are_computed_once_per_plan_with_an_etag(engine_api: Api) -> None:
    """A plan's figures never change: the second read is the same body from memory (the
    cache does not grow), the ETag names the plan and answers 304; an unknown plan is a 404
    whatever ETag is sent."""
    pid = solved_plan(engine_api, tiny())
    url, h = f"/plans/{pid}/kpis", engine_api.h("viewer")
    first = engine_api.client.get(url, headers=h)
    assert first.status_code == 200 and first.headers["etag"] == f'"{pid}.kpis"'
    held = len(engine_api.app.state.cache)
    again = engine_api.client.get(url, headers=h)
    assert again.json() == first.json() and len(engine_api.app.state.cache) == held
    same = engine_api.client.get(url, headers={**h, "If-None-Match": first.headers["etag"]})
    assert same.status_code == 304 and same.content == b""
    other = engine_api.client.get("/plans/p_nothing/kpis", headers={**h, "If-None-Match": "*"})
    assert other.status_code == 404
