"""``matcher vet``: departments' own sheets recorded in a round, or every mismatch reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher_cli import main
from tests.matcher.engine_fixtures import load_raw

SHEETS = Path(__file__).parents[1] / "data" / "vetting"


def _round(tmp_path: Path) -> Path:
    raw = load_raw("tiny.json")
    raw["rules"]["clearances"] = {"required": ["信访"]}
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"] = 1980 + i
    path = tmp_path / "round.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def test_vet_records_a_departments_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """信访's sheet is recorded: C05 refused with its note; C05 and C06 lack the clearance."""
    out = tmp_path / "vetted.json"
    code = main(
        [
            "vet",
            str(_round(tmp_path)),
            "--sheet",
            f"信访={SHEETS / 'petitions.csv'}",
            "-o",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["departments"]["petitions"] == {"cleared": 4, "refused": 1, "pending": 1}
    assert sorted(report["lacking"]) == ["C05", "C06"]
    cadres = {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["cadres"]}
    assert cadres["C05"]["clearances"][0]["note"] == "有越级上访未了结"


def test_vet_refuses_a_sheet_with_a_mismatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row naming nobody: exit 2, the row is named, nothing is written."""
    out = tmp_path / "vetted.json"
    code = main(
        [
            "vet",
            str(_round(tmp_path)),
            "--sheet",
            f"信访={SHEETS / 'petitions_mismatch.csv'}",
            "-o",
            str(out),
        ]
    )
    assert code == 2 and not out.exists()
    assert "第 3 行" in capsys.readouterr().out


def test_vet_refuses_a_department_the_round_does_not_require(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 纪检监察 sheet for a round that asks only 信访: exit 2 naming both, nothing written
    (as the service's 403); with --add-required the department joins the required list."""
    out = tmp_path / "vetted.json"
    args = ["vet", str(_round(tmp_path)), "--sheet", f"纪检监察={SHEETS / 'petitions.csv'}"]
    code = main([*args, "-o", str(out)])
    said = capsys.readouterr()
    assert code == 2 and not out.exists()
    assert "本轮不需要纪检监察审查" in said.out + said.err and "信访" in said.out + said.err
    assert main([*args, "-o", str(out), "--add-required", "--json"]) == 0
    rules = json.loads(out.read_text(encoding="utf-8"))["rules"]
    assert rules["clearances"]["required"] == ["petitions", "discipline"]
