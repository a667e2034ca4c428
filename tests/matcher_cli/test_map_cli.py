"""``matcher map`` and ``--mapping``: the proposal written, confirmed, saved as a template and
reused; merged headers marked without a crash; nothing private in any solve output."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from matcher_cli import main
from tests.matcher.model.io.clerk_variants import make


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_map_writes_a_mapping_the_planner_can_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """map -o writes every column with its role in Chinese; an edited role is obeyed by
    validate --mapping (a column turned 不读取 is no longer kept)."""
    v = make(5, tmp_path)
    target = tmp_path / "mapping.json"
    code, out = _run(capsys, "map", v.path, "-o", target)
    assert code == 0 and "选派干部名单（干部表）" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    cadres = next(s for s in data["sheets"] if s["table"] == "cadres")
    roles = {c["header"]: c["role"] for c in cadres["columns"]}
    assert "私密" in roles.values() and "意愿" in roles.values()
    gender = next(c for c in cadres["columns"] if c["field"] == "gender")
    gender["role"], gender["field"] = "不读取", None
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out = _run(capsys, "validate", "--no-districts", "--json", "--mapping", target, v.path)
    assert code == 0
    code, _ = _run(
        capsys, "solve", v.path, "--mapping", target, "-o", tmp_path / "o", "--format", "json"
    )
    plan = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    assert plan["result"]["assignments"]


def test_bad_mapping_file_names_every_mistake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown role and an unknown field are both reported, exit 2."""
    v = make(1, tmp_path)
    bad = {
        "sheets": [
            {
                "sheet": "选派干部名单",
                "table": "cadres",
                "columns": [
                    {"header": "姓名", "role": "随便", "field": "name"},
                    {"header": "性别", "role": "字段", "field": "shoe_size"},
                ],
            }
        ]
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, out = _run(capsys, "validate", "--mapping", path, v.path)
    assert code == 2 and "随便" in out and "shoe_size" in out


def test_template_by_name_is_reused_for_next_years_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mapping saved as a template is found by name and laid over next year's workbook."""
    v = make(6, tmp_path)
    folder = tmp_path / "templates"
    code, out = _run(capsys, "map", v.path, "--save-template", "古塔区选派", "--templates", folder)
    assert code == 0 and (folder / "古塔区选派.json").exists() and "已存为模板" in out
    code, out = _run(
        capsys, "map", v.path, "--mapping", "古塔区选派", "--templates", folder, "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["questions"] == 0
    assert all(c["confidence"] == 1.0 for s in data["sheets"] for c in s["columns"])
    code, out = _run(capsys, "map", v.path, "--mapping", "没有这个模板", "--templates", folder)
    assert code == 2


BIRTH = ("出生年月", "出生日期", "出生年份")


def test_mark_on_two_row_merged_header_does_not_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note on a merged header cell and an error below a merged parent are both marked."""
    seed = next(s for s in range(40) if _two_rows(make(s, tmp_path).path))
    v = make(seed, tmp_path)
    book = openpyxl.load_workbook(v.path)
    ws = book["选派干部名单"]
    col = next(c.column for c in ws[3] if c.value in BIRTH)
    ws.cell(row=4, column=col).value = "去年"
    book.save(v.path)
    marked = tmp_path / "marked.xlsx"
    code, out = _run(capsys, "validate", "--no-districts", "--mark", marked, v.path)
    assert code == 2 and "已标注" in out
    back = openpyxl.load_workbook(marked)
    assert back["选派干部名单"].cell(row=4, column=col).comment is not None
    assert back["选派干部名单"]["A2"].comment is not None  # the two-row note, on a merged cell


def _two_rows(path: Path) -> bool:
    ws = openpyxl.load_workbook(path)["选派干部名单"]
    return ws["A3"].value is None and any(c.value in BIRTH for c in ws[3])


def _texts(path: Path) -> list[bytes]:
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return [z.read(n) for n in z.namelist()]
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return [page.extract_text().encode() for page in PdfReader(path).pages] + [
            path.read_bytes()
        ]
    return [path.read_bytes()]


@pytest.mark.parametrize("seed", [0, 3])
def test_no_id_number_or_phone_in_any_output(
    seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every file a solve writes (roster CSV/XLSX/PDF, summary, maps, plan) is free of the
    ID numbers and phones read from hidden columns; only round.json, the round's own data,
    carries them."""
    pytest.importorskip("pypdf")
    v = make(seed, tmp_path)
    out = tmp_path / "out"
    code, printed = _run(capsys, "solve", v.path, "-o", out, "--format", "all")
    assert code == 0
    secrets = [s.encode() for s in (*v.id_numbers, *v.phones)]
    assert not any(s.decode() in printed for s in secrets)
    for path in sorted(out.iterdir()):
        if path.name == "round.json":
            continue
        for text in _texts(path):
            assert not any(s in text for s in secrets), path.name


def test_internal_roster_only_when_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--include-private 联系电话 writes 内部名单.xlsx with the phones (and nothing else gains
    them); a column the round lacks is refused before solving."""
    v = make(2, tmp_path)
    out = tmp_path / "out"
    args = ("solve", v.path, "-o", out, "--format", "csv,xlsx")
    header = next(h for h, f in v.roles["cadres"].items() if f == "phone")  # as the seed drew it
    code, _ = _run(capsys, *args, "--include-private", header)
    assert code == 0
    internal = openpyxl.load_workbook(out / "内部名单.xlsx").active
    cells = {str(c.value) for row in internal.iter_rows() for c in row}
    assert "内部使用，不得外传" in cells and set(v.phones) & cells
    for path in (out / "roster.csv", out / "roster.xlsx"):
        assert not any(s.encode() in t for t in _texts(path) for s in v.phones)
    code, printed = _run(capsys, *args, "--include-private", "血型")
    assert code == 2 and "血型" in printed
