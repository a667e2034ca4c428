"""The broken-file corpus: every bad round is refused with its exact, located problems."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from matcher.model.io import read_round
from matcher.model.problems import InvalidInput

BROKEN = Path(__file__).parents[2] / "data" / "broken"
CASES = sorted(p.name.removesuffix(".expected") for p in BROKEN.glob("*.expected"))


def reported(path: str | Path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        read_round(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("case", CASES)
def test_broken_file_reports_exact_problems(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each corpus file yields exactly the problems listed in its .expected file, in order."""
    monkeypatch.chdir(BROKEN)
    expected = (BROKEN / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    assert reported(case) == expected


def test_corpus_covers_every_case() -> None:
    """Every broken file or folder has an .expected file (no case silently untested)."""
    names = {p.name for p in BROKEN.iterdir() if p.suffix not in (".expected", ".md")}
    assert names == set(CASES)


def _sheet_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_broken_workbook_names_sheet_and_row(tmp_path: Path) -> None:
    """The csv_rows mistakes in an XLSX workbook are reported by sheet and row, all at once."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, file in (("社区", "communities.csv"), ("干部", "cadres.csv")):
        ws = book.create_sheet(sheet)
        for row in _sheet_rows(BROKEN / "csv_rows" / file):
            ws.append(row)
    path = tmp_path / "broken.xlsx"
    book.save(path)
    found = reported(path)
    csv_lines = (BROKEN / "csv_rows.expected").read_text(encoding="utf-8").splitlines()
    assert len(found) == len(csv_lines)
    assert found[0] == (
        f"{path}[社区], row 2, column '软弱涣散', field 'weak' [A1]: "
        "Input should be a valid boolean, unable to interpret input (got '也许')"
    )
    assert any(p.startswith(f"{path}[干部], row 3, column '职级'") for p in found)


def test_workbook_without_cadre_sheet(tmp_path: Path) -> None:
    """A missing cadre sheet and an empty community sheet are reported together."""
    book = openpyxl.Workbook()
    book.active.title = "社区"
    path = tmp_path / "half.xlsx"
    book.save(path)
    assert reported(path) == [
        f"{path}: sheet 'cadres' or '干部' is missing",
        f"{path}[社区]: is empty: expected a header row, then one row per item",
    ]


def test_undecodable_csv_is_a_problem(tmp_path: Path) -> None:
    """A CSV that is neither UTF-8 nor GB18030 is reported, not a UnicodeDecodeError."""
    folder = tmp_path / "round"
    folder.mkdir()
    (folder / "communities.csv").write_bytes(b"\xff\xfe\xff,\x80\x80\xff\n")
    (folder / "cadres.csv").write_bytes((BROKEN / "csv_rules" / "cadres.csv").read_bytes())
    assert reported(folder) == [
        f"{folder / 'communities.csv'}: cannot decode: save the file as UTF-8 or GB18030"
    ]


def test_unknown_format_and_missing_path(tmp_path: Path) -> None:
    """A .txt round and a path that does not exist are each one clear problem."""
    txt = tmp_path / "round.txt"
    txt.write_text("hello", encoding="utf-8")
    assert reported(txt) == [f"{txt}: unknown round format: use .json, .xlsx or a CSV folder"]
    assert reported(tmp_path / "nope.json") == [f"{tmp_path / 'nope.json'}: no such file or folder"]


@pytest.mark.parametrize("case", CASES)
def test_broken_file_messages_read_in_chinese(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem of the corpus has a Chinese message (not the English one passed through)."""
    monkeypatch.chdir(BROKEN)
    with pytest.raises(InvalidInput) as info:
        read_round(case)
    for p in info.value.problems:
        zh = p.text("zh")
        assert zh != p.message and re.search(r"[\u4e00-\u9fff]", zh.split("“")[0][:12]), zh
