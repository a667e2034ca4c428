"""Crafted uploads and bodies (issue 15): each is refused with a 4xx problem+json naming what
is wrong — never a 500 — and stored text can always be exported."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from benchmarks import upload_bombs as bombs
from matcher.model.validate import validate_round
from matcher_service.jobs import run_job
from matcher_service.store import Store
from tests.matcher_service.conftest import Api, running, sqlite_settings, tiny
from tests.matcher_service.solve_doubles import greedy_run

PROBLEM = "application/problem+json"


def _upload(api: Api, name: str, data: bytes) -> tuple[int, dict]:
    r = api.client.post(
        "/rounds/upload",
        files=[("files", (name, data, "application/octet-stream"))],
        headers=api.h("planner"),
    )
    assert r.headers["content-type"] == PROBLEM, r.text
    return r.status_code, r.json()


@pytest.mark.parametrize(
    "make",
    [bombs.many_identical_rows, bombs.wide_dimension, bombs.far_cell, bombs.many_varied_rows],
    ids=lambda f: f.__name__,
)
def test_workbook_bombs_get_413_naming_the_sheet(api: Api, make: Callable) -> None:
    """Workbooks past the row, column or dimension bounds get 413 naming the sheet part."""
    status, body = _upload(api, *make())
    assert status == 413 and body["type"].endswith("/too-large")
    assert body["errors"][0]["where"] == "xl/worksheets/sheet2.xml"


@pytest.mark.parametrize(
    "make",
    [
        bombs.billion_laughs,
        bombs.bad_cell_reference,
        bombs.truncated_sheet,
        bombs.not_a_zip,
        bombs.deep_json,
        bombs.long_integer,
    ],
    ids=lambda f: f.__name__,
)
def test_broken_uploads_get_422_naming_the_file(api: Api, make: Callable) -> None:
    """Entity expansion, bad cell references, truncated sheets, fake zips, JSON nested
    100,000 deep and 5,000-digit integers are input problems naming the uploaded file."""
    name, data = make()
    status, body = _upload(api, name, data)
    assert status == 422, body
    assert body["errors"][0]["source"].startswith(name)


def test_json_body_errors_name_line_and_column(api: Api) -> None:
    """A malformed round body gets 422 invalid-json with its line and column."""
    r = api.client.post(
        "/rounds",
        content=b'{\n  "name": "x",\n  "cadres": [1,,]\n}',
        headers={**api.h("planner"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["type"].endswith("/invalid-json") and "line 3, column" in body["detail"]
    assert body["errors"][0]["where"].startswith("line 3, column ")


def test_model_body_errors_name_line_and_column(api: Api) -> None:
    """A malformed lock body (parsed by the framework) also names its line and column."""
    rid = api.create()["id"]
    r = api.client.put(
        f"/rounds/{rid}/locks",
        content=b'{"cadre": "C01",\n "community": }',
        headers={**api.h("planner"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["where"] == "line 2, column 15"


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"name": ' + b"9" * 5_000 + b"}"],
    ids=["deep", "long-int"],
)
def test_deep_and_long_json_bodies_are_422(api: Api, body: bytes) -> None:
    """A body nested 100,000 deep or with a 5,000-digit integer is invalid JSON, not a 500."""
    r = api.client.post(
        "/rounds", content=body, headers={**api.h("planner"), "Content-Type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["type"].endswith("/invalid-json")


def _with_text(text: str) -> dict:
    raw = tiny()
    raw["cadres"][2]["name"] = text
    return raw


@pytest.fixture(params=["sqlite", "postgres"])
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The app on SQLite and on PostgreSQL."""
    folder = tmp_path_factory.mktemp("crafted")
    cfg = sqlite_settings(folder)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_schema_url")
        cfg = sqlite_settings(folder, database_url=url)
    with running(cfg) as a:
        yield a


def test_control_characters_are_refused_alike_on_both_databases(both: Api) -> None:
    """A NUL or other control character in a name is 422 naming the field, on SQLite and
    PostgreSQL alike; a tab is ordinary text."""
    for bad in ("张\x00三", "张\x01三", "\ud800"):
        body = json.dumps(_with_text(bad)).encode()  # ASCII: a lone surrogate as \ud800
        headers = {**both.h("planner"), "Content-Type": "application/json"}
        r = both.client.post("/rounds", content=body, headers=headers)
        assert r.status_code == 422, r.text
        err = r.json()["errors"][0]
        assert err["pointer"] == "/cadres/2/name" and err["id"] == "C03"
    assert both.create(_with_text("张\t三"))["round"]["cadres"][2]["name"] == "张\t三"


def test_control_characters_in_an_uploaded_csv_name_the_row(api: Api) -> None:
    """In a CSV upload the problem names the file, the row and the column."""
    from matcher.model.io import round_tables

    rnd = validate_round(tiny())
    tables = round_tables(rnd, headers="en")
    tables["cadres"][3][1] = "张\x07三"
    files = []
    for name, rows in tables.items():
        buf = io.StringIO()
        import csv

        csv.writer(buf).writerows(rows)
        files.append(("files", (f"{name}.csv", buf.getvalue().encode(), "text/csv")))
    r = api.client.post("/rounds/upload", files=files, headers=api.h("planner"))
    assert r.status_code == 422, r.text
    err = r.json()["errors"][0]
    assert err["source"] == "cadres.csv" and err["where"].startswith("row 4")


def test_export_never_fails_on_stored_control_characters(api: Api) -> None:
    """A round stored before text was checked (a control character in a name) still exports
    as XLSX, with the character removed."""
    store: Store = api.app.state.store
    body = json.loads(validate_round(tiny()).model_dump_json())
    body["cadres"][2]["name"] = "张\x01三"
    info = store.create_round("old", json.dumps(body), (3, 6), "test")
    job = api.client.post(f"/rounds/{info.id}/solve", headers=api.h("planner")).json()
    assert run_job(store, greedy_run, job["id"]) == "succeeded"
    plan_id = store.get_job(job["id"]).plan_id
    r = api.client.get(f"/plans/{plan_id}/export/xlsx", headers=api.h("viewer"))
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    names = {c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert "张三" in names


def test_service_row_bound_follows_its_entity_limits(tmp_path: Path) -> None:
    """With at most 10 cadres and communities a sheet may have 1,010 rows: 1,011 rows are
    refused by the guard (413) before any reading; 1,010 rows pass it (and are then read,
    here as invalid cadres: 422)."""
    cfg = sqlite_settings(tmp_path, max_cadres=10, max_communities=10)
    with running(cfg) as small:
        status, body = _upload(small, "big.xlsx", _rows_workbook(1_011))
        assert status == 413 and "1010 rows" in body["detail"]
        status, body = _upload(small, "ok.xlsx", _rows_workbook(1_010))
        assert status in (413, 422) and "rows in one sheet" not in body["detail"]


def _rows_workbook(rows: int) -> bytes:
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'

    def sheet(_: object) -> Iterator[bytes]:
        yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        yield b"<sheetData>" + row * rows + b"</sheetData></worksheet>"

    return bombs._replace({bombs.CADRES_SHEET: sheet})  # type: ignore[dict-item]
