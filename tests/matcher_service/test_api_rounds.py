"""Rounds over HTTP: create, list, get, update, validate, uploads, locks, limits, errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from matcher.model.io import write_round_csv, write_round_xlsx
from matcher.model.validate import validate_round
from tests.matcher_service.conftest import TINY, Api, running, sqlite_settings, tiny

BROKEN = Path(__file__).parents[1] / "data" / "broken"
PROBLEM = "application/problem+json"


def test_create_get_list_round(api: Api) -> None:
    """A JSON round is validated, stored and returned with its id, version and counts (its
    cadres without their private fields)."""
    made = api.create()
    assert made["version"] == 1 and (made["communities"], made["cadres"]) == (3, 6)
    assert made["created_by"] == "test planner"
    want = json.loads(validate_round(tiny()).model_dump_json())
    for cadre in want["cadres"]:  # private fields only on asking (test_round_privacy)
        del cadre["id_number"], cadre["private"]
    assert made["round"] == want
    got = api.client.get(f"/rounds/{made['id']}", headers=api.h("viewer"))
    assert got.status_code == 200 and got.json() == made
    listed = api.client.get("/rounds", headers=api.h("viewer")).json()
    assert made["id"] in [r["id"] for r in listed["items"]]
    assert "round" not in listed["items"][0]


def test_update_adds_a_version_and_keeps_the_old(api: Api) -> None:
    """PUT replaces the body as version 2; version 1 stays readable."""
    made = api.create()
    raw = tiny()
    raw["name"] = "tiny, renamed"
    r = api.client.put(f"/rounds/{made['id']}", json=raw, headers=api.h("planner"))
    assert r.status_code == 200 and r.json()["version"] == 2
    old = api.client.get(f"/rounds/{made['id']}?version=1", headers=api.h("viewer")).json()
    assert old["version"] == 1 and old["round"]["name"] == tiny()["name"]
    assert api.client.get(f"/rounds/{made['id']}", headers=api.h("viewer")).json()["name"] == (
        "tiny, renamed"
    )


def test_invalid_round_is_422_problem_with_every_field_path(api: Api) -> None:
    """All problems come back at once as problem+json items with JSON pointers and ids."""
    raw = tiny()
    raw["cadres"][0]["rank"] = "副处座"
    raw["communities"][1]["posts"]["part_time"] = -1
    r = api.client.post("/rounds", json=raw, headers=api.h("planner"))
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 422 and body["type"].endswith("/invalid-input")
    pointers = {e["pointer"]: e for e in body["errors"]}
    assert set(pointers) == {"/cadres/0/rank", "/communities/1/posts/part_time"}
    assert pointers["/cadres/0/rank"]["id"] == "C01"


def test_validate_only_stores_nothing(api: Api) -> None:
    """POST /rounds/validate answers valid or 422 and never creates a round."""
    before = len(api.client.get("/rounds", headers=api.h("viewer")).json()["items"])
    ok = api.client.post("/rounds/validate", json=tiny(), headers=api.h("planner"))
    assert ok.status_code == 200 and ok.json()["valid"] and ok.json()["cadres"] == 6
    raw = tiny()
    raw["cadres"][2]["preferences"] = ["NOPE"]
    bad = api.client.post("/rounds/validate", json=raw, headers=api.h("planner"))
    assert (
        bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/cadres/2/preferences/0"
    )
    after = len(api.client.get("/rounds", headers=api.h("viewer")).json()["items"])
    assert before == after


def test_malformed_bodies_are_422_never_500(api: Api) -> None:
    """Not JSON, not an object, wrong query types: 422 problem+json, not a server error."""
    h = {**api.h("planner"), "Content-Type": "application/json"}
    assert api.client.post("/rounds", content=b"{nope", headers=h).status_code == 422
    r = api.client.post("/rounds", content=b"[1, 2]", headers=h)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    r = api.client.get("/rounds?limit=many", headers=api.h("viewer"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"


def test_unknown_ids_are_404_problems(api: Api) -> None:
    """Rounds, jobs and plans that do not exist answer 404 problem+json."""
    for path in ("/rounds/r_nope", "/jobs/j_nope", "/plans/p_nope", "/rounds/r_nope/locks"):
        r = api.client.get(path, headers=api.h("viewer"))
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM, path


def test_body_size_limit_413(tmp_path: Path) -> None:
    """A body above the size limit is refused with 413 before it is parsed; a small one passes."""
    with running(sqlite_settings(tmp_path, max_body_bytes=2000)) as small:
        body = json.dumps(tiny()).encode()
        assert len(body) > 2000
        r = small.client.post(
            "/rounds",
            content=body,
            headers={**small.h("planner"), "Content-Type": "application/json"},
        )
        assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
        chunks = iter([body[:1500], body[1500:]])  # streamed: no Content-Length to trust
        r = small.client.post("/rounds", content=chunks, headers=small.h("planner"))
        assert r.status_code == 413
        ok = small.client.post(
            "/rounds/validate", json={"name": "empty"}, headers=small.h("planner")
        )
        assert ok.status_code == 200


def test_entity_count_limit_413(tmp_path: Path) -> None:
    """More cadres than the service allows is 413 naming the limit; at the limit it passes."""
    with running(sqlite_settings(tmp_path, max_cadres=6)) as small:
        raw = tiny()
        assert (
            small.client.post("/rounds/validate", json=raw, headers=small.h("planner")).status_code
            == 200
        )
        raw["cadres"].append({**raw["cadres"][0], "id": "C07"})
        r = small.client.post("/rounds", json=raw, headers=small.h("planner"))
        assert r.status_code == 413 and "at most 6" in r.json()["detail"]


def _upload(api: Api, files: list[tuple[str, bytes]]) -> tuple[int, dict]:
    r = api.client.post(
        "/rounds/upload",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=api.h("planner"),
    )
    return r.status_code, r.json()


def test_upload_json_xlsx_and_csv_give_the_same_round(api: Api, tmp_path: Path) -> None:
    """The same round uploaded as JSON, XLSX and CSV files is stored identically."""
    rnd = validate_round(tiny())
    write_round_xlsx(rnd, tmp_path / "round.xlsx")
    write_round_csv(rnd, tmp_path / "csv")
    uploads = {
        "json": [("tiny.json", TINY.read_bytes())],
        "xlsx": [("round.xlsx", (tmp_path / "round.xlsx").read_bytes())],
        "csv": [(p.name, p.read_bytes()) for p in sorted((tmp_path / "csv").iterdir())],
    }
    bodies = {}
    for kind, files in uploads.items():
        status, body = _upload(api, files)
        assert status == 201, (kind, body)
        bodies[kind] = body["round"]
    assert bodies["json"] == bodies["xlsx"] == bodies["csv"]


def test_upload_geojson_communities_with_json_round(api: Api) -> None:
    """GeoJSON features become communities (Point → location); the JSON file gives the rest."""
    raw = tiny()
    features = []
    for com in raw.pop("communities"):
        loc = com.pop("location")
        features.append(
            {
                "type": "Feature",
                "properties": com,
                "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
            }
        )
    geo = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    status, body = _upload(
        api, [("communities.geojson", geo), ("round.json", json.dumps(raw).encode())]
    )
    assert status == 201, body
    assert body["round"]["communities"][0]["location"]["lon"] == 121.13
    features[1]["properties"]["stars"] = 9
    geo = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    status, body = _upload(
        api, [("communities.geojson", geo), ("round.json", json.dumps(raw).encode())]
    )
    assert status == 422
    assert body["errors"][0]["source"] == "communities.geojson"
    assert body["errors"][0]["where"] == "features[1].properties.stars"


def test_upload_problems_name_file_row_and_column(api: Api) -> None:
    """A broken CSV upload is 422 naming the uploaded file, row, column and id."""
    files = [(p.name, p.read_bytes()) for p in sorted((BROKEN / "csv_rows").iterdir())]
    status, body = _upload(api, files)
    assert status == 422
    texts = {(e["source"], e["where"], e["id"]) for e in body["errors"]}
    assert ("communities.csv", "row 3, column '星级'", "A2") in texts
    expected = (BROKEN / "csv_rows.expected").read_text(encoding="utf-8").splitlines()
    assert len(body["errors"]) == len(expected)  # every problem of both files at once
    assert all("/tmp" not in e["source"] for e in body["errors"])
    status, body = _upload(api, [("notes.txt", b"hello")])
    assert status == 422 and body["errors"][0]["where"] == "files"
    status, body = _upload(api, [("round.xlsx", b"not a workbook")])
    assert status == 422 and body["errors"][0]["source"] == "round.xlsx"


def test_locks_set_and_remove(api: Api) -> None:
    """Locks are set and removed by planners, each change a new version; bad ids are 422."""
    rid = api.create()["id"]
    url = f"/rounds/{rid}/locks"
    r = api.client.put(url, json={"cadre": "C03", "community": "GT02"}, headers=api.h("planner"))
    assert r.status_code == 200 and r.json()["version"] == 2
    assert [lk["cadre"] for lk in r.json()["locks"]] == ["C03"]
    r = api.client.put(url, json={"cadre": "C03", "community": "LH01"}, headers=api.h("planner"))
    assert [lk["community"] for lk in r.json()["locks"]] == ["LH01"]  # replaced, not doubled
    bad = api.client.put(url, json={"cadre": "C99", "community": "GT02"}, headers=api.h("planner"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["id"] == "C99"
    gone = api.client.post(f"{url}/remove", json={"cadre": "C03"}, headers=api.h("planner"))
    assert gone.status_code == 200 and gone.json()["locks"] == []
    again = api.client.post(f"{url}/remove", json={"cadre": "C03"}, headers=api.h("planner"))
    assert again.status_code == 404
    assert api.client.get(url, headers=api.h("viewer")).json()["version"] == 4


def test_xlsx_fixture_is_a_real_workbook(tmp_path: Path) -> None:
    """The XLSX written for the upload test opens as a workbook (guards the comparison above)."""
    write_round_xlsx(validate_round(tiny()), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "r.xlsx").read_bytes()))
    assert len(book.sheetnames) >= 2
