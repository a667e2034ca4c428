"""Round files: JSON, CSV folders (UTF-8/BOM/GB18030) and XLSX read to the same Round."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from matcher.model.io import read_round, write_round_csv, write_round_json, write_round_xlsx
from matcher.model.problems import InvalidInput
from matcher.model.round import Round

ROUNDS = Path(__file__).parents[2] / "data" / "rounds"
TINY_JSON = ROUNDS / "tiny.json"
TINY_CSV = ROUNDS / "tiny_csv"


def without_streets(rnd: Round) -> Round:
    coms = [c.model_copy(update={"street": None}) for c in rnd.communities]
    return rnd.model_copy(update={"communities": coms})


def test_csv_folder_reads_like_json() -> None:
    """The Chinese-header CSV fixture (with round.json for settings) equals tiny.json."""
    from_csv = read_round(TINY_CSV)
    assert without_streets(from_csv) == read_round(TINY_JSON)
    assert from_csv.communities[0].street == "北街街道"
    assert from_csv.rules.skill_mix[0].any_of == ["business-environment", "finance", "transport"]


def test_gb18030_and_utf8_without_bom(tmp_path: Path) -> None:
    """CSV saved by Excel on Chinese Windows (GB18030) or without BOM reads the same."""
    expected = read_round(TINY_CSV)
    for encoding in ("gb18030", "utf-8"):
        folder = tmp_path / encoding
        shutil.copytree(TINY_CSV, folder)
        for name in ("communities.csv", "cadres.csv", "rules.csv"):
            text = (TINY_CSV / name).read_text(encoding="utf-8-sig")
            (folder / name).write_bytes(text.encode(encoding))
        assert read_round(folder) == expected


def test_english_headers_with_glosses_and_separators(tmp_path: Path) -> None:
    """English headers, '中文 (english)' glosses and ; 、 , list separators are all accepted."""
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "communities.csv").write_text(
        "社区编号 (id),Name,District Code,district-name,LON,lat,weak,tags\n"
        'A1,东街,210702,古塔区,121.1,41.1,yes,"new, conflict-heavy"\n',
        encoding="utf-8",
    )
    (folder / "cadres.csv").write_text(
        "id,name,unit,level,home_district,rank,skills,availability,lon,lat,preferences\n"
        "K1,王一,市委组织部,city,210702,副科级,党建、信访;finance,full-time,121.1,41.1,A1\n",
        encoding="utf-8",
    )
    rnd = read_round(folder)
    assert rnd.communities[0].weak is True
    assert rnd.communities[0].tags == ["conflict-heavy", "new"]
    assert rnd.cadres[0].skills == ["finance", "party-building", "petitions"]
    assert rnd.cadres[0].preferences == ["A1"]
    assert rnd.rules == Round().rules  # no rules.csv: defaults


def test_xlsx_reads_typed_cells(tmp_path: Path) -> None:
    """Numeric Excel cells (district codes, ids, counts) read as the text the model wants."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "communities"
    ws.append(["id", "name", "district_code", "district_name", "lon", "lat", "full_time_posts"])
    ws.append([1001, "东街", 210702, "古塔区", 121.1, 41.1, 2.0])
    cad = book.create_sheet("干部")
    cad.append(["干部编号", "姓名", "派出单位", "层级", "所在区县代码", "职级", "经度", "纬度"])
    cad.append([7, "王一", "市委组织部", "市直", 210702, "正科", 121.1, 41.1])
    path = tmp_path / "round.xlsx"
    book.save(path)
    rnd = read_round(path)
    assert rnd.communities[0].id == "1001" and rnd.communities[0].district.code == "210702"
    assert rnd.communities[0].posts.full_time == 2
    assert rnd.cadres[0].id == "7" and rnd.cadres[0].level.value == "city"


@pytest.mark.parametrize("headers", ["zh", "en", "both"])
def test_round_trips_through_every_format(tmp_path: Path, headers: str) -> None:
    """A round written as JSON, CSV folder or XLSX (any header language) reads back equal."""
    rnd = read_round(TINY_CSV)
    write_round_json(rnd, tmp_path / "r.json")
    write_round_csv(rnd, tmp_path / "csv", headers=headers)
    write_round_xlsx(rnd, tmp_path / "r.xlsx", headers=headers)
    assert read_round(tmp_path / "r.json") == rnd
    assert read_round(tmp_path / "csv") == rnd
    assert read_round(tmp_path / "r.xlsx") == rnd


def test_chinese_export_is_readable(tmp_path: Path) -> None:
    """The Chinese export uses Chinese headers, 是/否, 市直/县区, Chinese skills, and a BOM."""
    write_round_csv(read_round(TINY_JSON), tmp_path / "csv")
    data = (tmp_path / "csv" / "cadres.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("干部编号,姓名,派出单位,层级,所在区县代码,职级")
    assert lines[1].startswith("C01,王一,市委组织部,市直,210702,副科,,党建,脱产")
    wb = openpyxl.load_workbook(_xlsx(tmp_path), read_only=True)
    assert wb.sheetnames == ["社区", "干部", "规则"]


def _xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "r.xlsx"
    write_round_xlsx(read_round(TINY_JSON), path)
    return path


def test_json_written_is_canonical(tmp_path: Path) -> None:
    """write_round_json keeps Chinese readable and ranks in their Chinese titles."""
    write_round_json(read_round(TINY_JSON), tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert '"name": "北街社区"' in text and '"rank": "副科"' in text
    assert json.loads(text)["cadres"][4]["rank"] == "副科"


def test_folder_round_json_may_not_hold_cadres(tmp_path: Path) -> None:
    """A round.json beside the CSVs that also lists cadres is refused, naming the key."""
    folder = tmp_path / "r"
    shutil.copytree(TINY_CSV, folder)
    (folder / "round.json").write_text('{"cadres": []}', encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_round(folder)
    assert [str(p) for p in info.value.problems] == [
        f"{folder / 'round.json'}, cadres: cadres belong in cadres.csv, not in round.json"
    ]


def test_row_problem_in_round_json_section_names_that_file(tmp_path: Path) -> None:
    """A bad setting in the folder's round.json is reported against round.json."""
    folder = tmp_path / "r"
    shutil.copytree(TINY_CSV, folder)
    (folder / "round.json").write_text('{"settings": {"seed": -1}}', encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_round(folder)
    (problem,) = info.value.problems
    assert problem.source == str(folder / "round.json") and problem.where == "settings.seed"


def test_extra_cells_beyond_header(tmp_path: Path) -> None:
    """A row longer than its header is reported with its row number."""
    folder = tmp_path / "r"
    shutil.copytree(TINY_CSV, folder)
    path = folder / "cadres.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_round(folder)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, row 3: row has 13 cells but the header has 12 columns"
    ]
