"""Column mappings over HTTP: proposed for an upload, stored as templates, obeyed on upload;
a two-row merged header checked and marked without a 500."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import openpyxl

from tests.matcher.model.io.clerk_variants import make
from tests.matcher_service.conftest import Api


def _files(path: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (path.name, path.read_bytes(), "application/octet-stream"))]


def _two_row_variant(folder: Path) -> Path:
    for seed in range(40):
        v = make(seed, folder)
        ws = openpyxl.load_workbook(v.path)["选派干部名单"]
        if ws["A3"].value is None:  # 序号 merged down two header rows
            return v.path
    raise AssertionError("no two-row variant")


def test_proposal_for_an_upload(api: Api, tmp_path: Path) -> None:
    """POST /rounds/upload/mapping gives every column its role, private ones named."""
    v = make(2, tmp_path)
    r = api.client.post("/rounds/upload/mapping", files=_files(v.path), headers=api.h("planner"))
    assert r.status_code == 200, r.text
    sheets = {s["table"]: s for s in r.json()["sheets"]}
    fields = {c["field"] for c in sheets["cadres"]["columns"]}
    assert {"name", "id_number", "phone", "availability"} <= fields
    assert all(c["role"] == "私密" for c in sheets["cadres"]["columns"] if c["field"] == "phone")


def test_template_stored_and_used_on_upload(api: Api, tmp_path: Path) -> None:
    """A template PUT by name is listed, read back, and obeyed by upload/validate: a column
    it marks 保留 is kept (named in the warning); an unknown template is 422."""
    v = make(4, tmp_path)
    proposal = api.client.post(
        "/rounds/upload/mapping", files=_files(v.path), headers=api.h("planner")
    ).json()
    cadres = next(s for s in proposal["sheets"] if s["table"] == "cadres")
    gender = next(c for c in cadres["columns"] if c["field"] == "gender")
    gender["role"], gender["field"] = "保留", None
    r = api.client.put("/mappings/古塔区", json=proposal, headers=api.h("planner"))
    assert r.status_code == 200, r.text
    assert "古塔区" in api.client.get("/mappings", headers=api.h("planner")).json()["items"]
    back = api.client.get("/mappings/古塔区", headers=api.h("planner")).json()
    assert back["name"] == "古塔区"
    r = api.client.post(
        "/rounds/upload/validate?template=古塔区", files=_files(v.path), headers=api.h("planner")
    )
    assert r.status_code == 200, r.text
    kept = [w for w in r.json()["warnings"] if "保留" in (w.get("message_zh") or "")]
    assert any(gender["header"] in w["message_zh"] for w in kept)
    r = api.client.post(
        "/rounds/upload/validate?template=没有", files=_files(v.path), headers=api.h("planner")
    )
    assert r.status_code == 422


def test_bad_mapping_is_422(api: Api, tmp_path: Path) -> None:
    """A mapping with an unknown role is refused before any file is read."""
    v = make(4, tmp_path)
    bad = {"sheets": [{"table": "cadres", "columns": [{"header": "姓名", "role": "乱写"}]}]}
    r = api.client.post(
        "/rounds/upload/validate",
        files=_files(v.path),
        data={"mapping": json.dumps(bad, ensure_ascii=False)},
        headers=api.h("planner"),
    )
    assert r.status_code == 422 and "乱写" in r.text


def test_merged_header_marked_without_500(api: Api, tmp_path: Path) -> None:
    """?mark=xlsx on a workbook with two-row merged headers and an error comes back marked."""
    path = _two_row_variant(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["选派干部名单"]
    col = next(c.column for c in ws[3] if c.value in ("出生年月", "出生日期", "出生年份"))
    ws.cell(row=4, column=col).value = "去年"
    book.save(path)
    r: httpx.Response = api.client.post(
        "/rounds/upload/validate?mark=xlsx", files=_files(path), headers=api.h("planner")
    )
    assert r.status_code == 200 and r.headers["X-Matcher-Problems"] == "1"
    marked = openpyxl.load_workbook(io.BytesIO(r.content))
    assert marked["选派干部名单"].cell(row=4, column=col).comment is not None
