"""POST /rounds/upload/validate: a clerk's workbook checked, or given back marked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import openpyxl

from tests.matcher.engine_fixtures import ROUNDS
from tests.matcher.model.clerk_workbook import write_csv_folder, write_workbook
from tests.matcher_service.conftest import Api

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _post(api: Api, files: list[tuple[str, bytes]], query: str = "") -> httpx.Response:
    return api.client.post(
        f"/rounds/upload/validate{query}",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=api.h("planner"),
    )


def test_clean_workbook_reads_with_its_warnings(api: Api, tmp_path: Path) -> None:
    """The clerk's workbook is valid; warnings come back in Chinese, naming the upload."""
    data = write_workbook(tmp_path / "名单.xlsx").read_bytes()
    r = _post(api, [("名单.xlsx", data)])
    body = r.json()
    assert r.status_code == 200 and body["valid"] and body["cadres"] == 6
    assert body["lang"] == "zh" and len(body["warnings"]) == 10  # private columns named too
    assert body["warnings"][0]["source"] == "名单.xlsx[社区名单]"
    assert body["warnings"][0]["message_zh"] == "跳过 3 行（只有序号的空行）：第 7–9 行"


def test_chinese_csv_files_upload(api: Api, tmp_path: Path) -> None:
    """社区.csv, 干部.csv and 规则.csv (GB18030) are recognised under their own names."""
    folder = write_csv_folder(tmp_path / "round")
    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    r = _post(api, files)
    assert r.status_code == 200 and r.json()["communities"] == 3


def test_broken_workbook_is_422_listing_every_problem(api: Api, tmp_path: Path) -> None:
    """Errors come back as problem+json, all at once."""
    path = write_workbook(tmp_path / "名单.xlsx")
    book = openpyxl.load_workbook(path)
    book["选派干部名单"]["J6"] = "二级巡查员"
    book["选派干部名单"]["B5"] = "2.10702E+11"
    book.save(path)
    r = _post(api, [("名单.xlsx", path.read_bytes())])
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert [e["where"] for e in errors] == [
        "row 5, column '干部编号'",
        "row 6, column '职务职级'",
    ]


def test_mark_gives_the_workbook_back_marked(api: Api, tmp_path: Path) -> None:
    """?mark=xlsx answers with the clerk's workbook, the bad cell commented, in English."""
    path = write_workbook(tmp_path / "名单.xlsx")
    book = openpyxl.load_workbook(path)
    book["选派干部名单"]["J6"] = "二级巡查员"
    book.save(path)
    r = _post(api, [("名单.xlsx", path.read_bytes())], "?mark=xlsx&lang=en")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert r.headers["x-matcher-problems"] == "1"
    marked = openpyxl.load_workbook(io.BytesIO(r.content))
    assert marked.sheetnames[0] == "problems"
    assert marked["选派干部名单"]["J6"].comment.text.startswith("rank '二级巡查员' unknown")


def test_words_of_the_round_come_back_as_warnings(api: Api) -> None:
    """A skill word outside the vocabulary (文秘) is a warning in the upload response, and
    cadres without 政治面貌 are named for the first-secretary rule — the round still reads."""
    raw = json.loads((ROUNDS / "tiny.json").read_text(encoding="utf-8"))
    raw["communities"][0]["required_skills"]["part_time"] = ["文秘"]
    raw["cadres"][0].pop("political_status")
    r = _post(api, [("round.json", json.dumps(raw, ensure_ascii=False).encode())])
    body = r.json()
    assert r.status_code == 200 and body["valid"]
    texts = [w["message_zh"] for w in body["warnings"]]
    assert any("技能“文秘”不在词表中" in t for t in texts)
    assert any("1名干部未填写政治面貌（C01）" in t for t in texts)
