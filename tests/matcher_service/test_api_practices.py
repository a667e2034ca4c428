"""POST /practices/{kind}: the outcome or the workbook; roles; bad bodies are 422."""

from __future__ import annotations

from geodata.scenarios.practices import five_precision
from tests.matcher_service.conftest import Api


def test_committees_over_http(api: Api) -> None:
    """A planner gets the proven partition as JSON, and the workbook with ?format=xlsx."""
    _, committees = five_precision()
    body = committees.model_dump(mode="json")
    r = api.client.post("/practices/committees", json=body, headers=api.h("planner"))
    assert r.status_code == 200 and r.json()["status"] == "optimal"
    assert len(r.json()["groups"]) == 4
    x = api.client.post("/practices/committees?format=xlsx", json=body, headers=api.h("planner"))
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_viewer_may_not_and_bad_body_is_named(api: Api) -> None:
    """A viewer is refused (403); a body without mentors is 422 naming the field."""
    mentoring, _ = five_precision()
    body = mentoring.model_dump(mode="json")
    assert (
        api.client.post("/practices/mentors", json=body, headers=api.h("viewer")).status_code == 403
    )
    r = api.client.post("/practices/mentors", json={"mentees": []}, headers=api.h("planner"))
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert any("mentors" in str(e) for e in r.json()["errors"])
