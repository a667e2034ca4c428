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
