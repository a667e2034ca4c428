"""No 500 from any input (issue 22, item 4): wrong types at any level of a round, strings or
booleans as numbers in every body, dates out of range, NUL in paths, queries and texts (on
SQLite and PostgreSQL), damaged workbooks asked to be marked, CSV bombs counted before parsing."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks import upload_bombs as bombs
from matcher_service.strict_bodies import StrictBody
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny

PROBLEM = "application/problem+json"
WRONG = ["abc", 5, 1.5, True, None, {"a": 1}, [1], -1, ""]


def _refused(r: Any, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    return r.json()  # type: ignore[no-any-return]


def test_the_issues_round_body_is_422(api: Api) -> None:
    """``{"communities": "abc", "cadres": 5}`` is a 422 naming both fields, not a TypeError."""
    body = _refused(
        api.client.post(
            "/rounds", json={"communities": "abc", "cadres": 5}, headers=api.h("planner")
        )
    )
    where = {e["source"] + ":" + e["where"] for e in body["errors"]}
    assert any("communities" in w for w in where) and any("cadres" in w for w in where)


@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_any_type_at_any_top_level_field_is_4xx(api: Api, value: Any) -> None:
    """Every top-level field of a round, and every field of its first community and cadre,
    given each wrong type, is answered 4xx (never 500)."""
    base = tiny()
    bodies = [{**base, f: value} for f in [*base, "rules", "weights", "settings"]]
    for kind in ("communities", "cadres"):
        for sub in base[kind][0]:
            item = {**base[kind][0], sub: value}
            bodies.append({**base, kind: [item, *base[kind][1:]]})
    for b in bodies:
        r = api.client.post("/rounds/validate", json=b, headers=api.h("planner"))
        assert r.status_code < 500, (b, r.text)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("weights", "skill_fit"), "5"),
        (("weights", "skill_fit"), True),
        (("settings", "seed"), "7"),
        (("settings", "time_limit_s"), "1.5"),
        (("cadres", 0, "birth_year"), "1980"),
        (("communities", 0, "posts", "full_time"), "1"),
        (("cadres", 0, "clearances"), [{"department": "纪检", "status": "passed", "date": 5}]),
    ],
    ids=str,
)
def test_round_bodies_take_numbers_only_as_numbers(api: Api, path: tuple, value: Any) -> None:
    """A JSON round body with a string or boolean where a number belongs is a 422 naming the
    field (a workbook cell may still be text: files are read leniently)."""
    raw = copy.deepcopy(tiny())
    at: Any = raw
    for step in path[:-1]:
        at = at.setdefault(step, {}) if isinstance(at, dict) else at[step]
    at[path[-1]] = value
    body = _refused(api.client.post("/rounds/validate", json=raw, headers=api.h("planner")))
    assert any(str(path[-1]) in e["where"] for e in body["errors"]), body


@pytest.fixture(scope="module")
def plan_id(api: Api) -> str:
    """A real plan id (its round solved by the greedy double)."""
    from matcher_service.jobs import run_job
    from tests.matcher_service.solve_doubles import greedy_run

    rid = api.create()["id"]
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
    store = api.app.state.store
    run_job(store, greedy_run, job["id"])
    pid = store.get_job(job["id"]).plan_id
    assert pid
    return str(pid)


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("next-round", {"release_before": "0001-01-01"}),
        ("next-round", {"release_before": "9999-12-31"}),
        ("next-round", {"release_before": 20240101}),
        ("next-round", {"release_before": "2025-01-01", "not_back_years": "5"}),
        ("next-round", {"release_before": "2025-01-01", "not_back_years": True}),
        ("approve", {"start": "0001-01-01"}),
        ("approve", {"start": 0}),
        ("replace", {"effective": "0001-01-01"}),
        ("replace", {"recall": ["C1"], "reasons": {"C1": "因病\x00"}}),
        ("replace", {"unsuitable": [{"cadre": "C1", "reason": "x\x00"}]}),
        ("replace", {"add_cadres": [{"id": "N1", "name": "新", "birth_year": "1980"}]}),
    ],
    ids=str,
)
def test_lifecycle_bodies_are_strict(api: Api, plan_id: str, route: str, body: dict) -> None:
    """Dates outside 1900–2199 or not written YYYY-MM-DD, strings or booleans as numbers and
    NUL in a reason are 422 for every lifecycle body (the issue's 0001-01-01 underflowed)."""
    r = api.client.post(f"/plans/{plan_id}/{route}", json=body, headers=api.h("admin"))
    _refused(r)


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("workflow/publicity", {"days": True}),
        ("workflow/publicity", {"days": "5"}),
        ("workflow/publicity", {"days": 5, "reason": "a\x00b"}),
        ("workflow/vetting", {"reason": "\x00"}),
        ("locks", {"cadre": "C1", "community": "A1", "reason": "\x07"}),
    ],
    ids=str,
)
def test_workflow_and_lock_bodies_are_strict(api: Api, route: str, body: dict) -> None:
    """Workflow and lock bodies refuse booleans and strings as numbers and control characters
    in every text, whatever state the round is in."""
    rid = api.create()["id"]
    method = api.client.put if route == "locks" else api.client.post
    r = method(f"/rounds/{rid}/{route}", json=body, headers=api.h("admin"))
    _refused(r)


def test_every_json_body_model_is_strict(api: Api) -> None:
    """Every route taking a JSON body model validates it through StrictBody (so a new body
    cannot forget the checks above)."""
    from fastapi.routing import APIRoute

    loose = []
    for route in api.app.routes:
        if isinstance(route, APIRoute) and route.body_field is not None:
            model = route.body_field.type_
            if isinstance(model, type) and not hasattr(model, "_as_written"):
                loose.append((route.path, model))
    assert loose == []
    assert StrictBody.model_config.get("extra") == "forbid"


NUL_PATHS = [
    "/plans/%00",
    "/cadres/%00/file",
    "/communities/%00/history",
    "/rounds/%00",
    "/jobs/%00",
    "/rounds/r%00x/plans",
    "/audit?round_id=%00",
    "/rounds?limit=1&q=a%00",
]


def _nul_paths_refused(a: Api) -> None:
    for path in NUL_PATHS:
        r = a.client.get(path, headers=a.h("admin"))
        assert r.status_code in (404, 422), (path, r.text)
        assert r.headers["content-type"] == PROBLEM
    r = a.client.delete("/rounds/%00", headers=a.h("admin"))
    assert r.status_code in (404, 422)


def test_nul_in_paths_and_queries_on_sqlite(api: Api) -> None:
    """A NUL in a path parameter or a query parameter is a 4xx problem on SQLite."""
    _nul_paths_refused(api)


@pytest.mark.postgres
def test_nul_in_paths_and_queries_on_postgres(pg_schema_url: str) -> None:
    """The same on PostgreSQL, which refuses NUL in text with an error (the issue's 500)."""
    cfg = sqlite_settings(Path("/nonexistent"), database_url=pg_schema_url)
    with running(cfg) as a:
        _nul_paths_refused(a)


def _upload(api: Api, name: str, data: bytes, query: str = "") -> Any:
    return api.client.post(
        f"/rounds/upload/validate{query}",
        files=[("files", (name, data, "application/octet-stream"))],
        headers=api.h("planner"),
    )


@pytest.mark.parametrize(
    "make",
    [bombs.billion_laughs, bombs.bad_cell_reference, bombs.truncated_sheet, bombs.not_a_zip],
    ids=lambda f: f.__name__,
)
def test_marking_a_damaged_workbook_is_422_as_upload_answers(api: Api, make: Any) -> None:
    """``/rounds/upload/validate?mark=xlsx`` on a damaged workbook answers 422 naming the file,
    the same status ``/rounds/upload`` gives it."""
    name, data = make()
    marked = _upload(api, name, data, "?mark=xlsx")
    plain = api.client.post(
        "/rounds/upload", files=[("files", (name, data))], headers=api.h("planner")
    )
    assert marked.status_code == plain.status_code == 422, marked.text
    assert _refused(marked)["errors"][0]["source"].startswith(name)


@pytest.mark.parametrize("query", ["", "?mark=xlsx"])
def test_the_marked_route_refuses_workbook_bombs_too(api: Api, query: str) -> None:
    """The workbook bounds guard the check route too: 413 naming the sheet part."""
    body = _refused(_upload(api, *bombs.wide_dimension(), query), 413)
    assert body["errors"][0]["where"] == "xl/worksheets/sheet2.xml"


@pytest.fixture(scope="module")
def small_limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An app reading at most 50 cadres and 50 communities (so 1,050 rows a file)."""
    folder = tmp_path_factory.mktemp("limits")
    with running(sqlite_settings(folder, max_cadres=50, max_communities=50)) as a:
        yield a


@pytest.mark.parametrize("route", ["/rounds/upload", "/rounds/upload/validate"])
@pytest.mark.parametrize("rows", [1_051, 5_000])
def test_csv_bombs_are_refused_before_parsing(small_limits: Api, route: str, rows: int) -> None:
    """A CSV with more rows than the service reads is 413 naming the file and the first row
    too many (counted, not parsed); a file of exactly the bound passes the count."""
    name, data = bombs.csv_rows(rows)
    r = small_limits.client.post(
        route, files=[("files", (name, data))], headers=small_limits.h("planner")
    )
    body = _refused(r, 413)
    assert body["errors"][0]["source"] == "cadres.csv"
    assert body["errors"][0]["where"] == "row 1051"


def test_a_csv_at_the_bound_is_read(small_limits: Api) -> None:
    """A cadres.csv of exactly 1,050 rows (header included) is not refused by the count (its
    missing communities file is the answer)."""
    name, data = bombs.csv_rows(1_049)
    r = small_limits.client.post(
        "/rounds/upload", files=[("files", (name, data))], headers=small_limits.h("planner")
    )
    assert r.status_code == 422, r.text


def test_quoted_line_breaks_are_one_row() -> None:
    """Rows are counted as the CSV reader sees them: a quoted line break stays in its row."""
    from matcher_service.uploads import guard_csv

    data = b"a,b\n" + b'1,"two\nlines"\n' * 10
    guard_csv("x.csv", data, 11)  # 21 line breaks, 11 rows: passes
    with pytest.raises(Exception, match="more than 10 rows"):
        guard_csv("x.csv", data, 10)
