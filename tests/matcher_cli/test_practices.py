"""``matcher practice``: scenario files, solving, outputs and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import matcher_cli
from tests.department_words import context, findings


def test_two_exchange_batches_from_the_command_line(tmp_path: Path) -> None:
    """Batch 1, then batch 2 --after batch 1: workbooks and outcomes written, hosts fresh."""
    b1, b2 = tmp_path / "b1.json", tmp_path / "b2.json"
    assert matcher_cli.main(["practice", "scenario", "shizhong-exchange", "-o", str(b1)]) == 0
    assert matcher_cli.main(["practice", "exchange", str(b1), "-o", str(tmp_path / "o1")]) == 0
    first = json.loads((tmp_path / "o1" / "outcome.json").read_text(encoding="utf-8"))
    after = ["--after", str(tmp_path / "o1" / "outcome.json")]
    args = ["practice", "scenario", "shizhong-exchange", "--batch", "2", *after, "-o", str(b2)]
    assert matcher_cli.main(args) == 0
    args = ["practice", "exchange", str(b2), "--mode", "stable", *after, "-o", str(tmp_path / "o2")]
    assert matcher_cli.main(args) == 0
    second = json.loads((tmp_path / "o2" / "outcome.json").read_text(encoding="utf-8"))
    assert not {p["right"] for p in first["pairs"]} & {p["right"] for p in second["pairs"]}
    book = openpyxl.load_workbook(tmp_path / "o2" / "outcome.xlsx")
    assert book.sheetnames == ["挂职交流名单", "技术信息"]
    assert book["挂职交流名单"]["B1"].value == "挂职书记"


def test_committees_and_mentors_write_their_workbooks(tmp_path: Path) -> None:
    """Committees list each joint committee with its leader; mentors list each pair."""
    for name, kind, sheet in (
        ("five-precision-committees", "committees", "联合党委分组"),
        ("datong-mentors", "mentors", "帮带名单"),
    ):
        src = tmp_path / f"{kind}.json"
        assert matcher_cli.main(["practice", "scenario", name, "-o", str(src)]) == 0
        assert matcher_cli.main(["practice", kind, str(src), "-o", str(tmp_path / kind)]) == 0
        book = openpyxl.load_workbook(tmp_path / kind / "outcome.xlsx")
        assert book[sheet].max_row > 4
    assert (tmp_path / "committees" / "committees.png").read_bytes()[:4] == b"\x89PNG"


def test_bad_file_exit_2_and_infeasible_exit_1(tmp_path: Path, capsys: object) -> None:
    """A malformed file names every problem (exit 2); minimums above the mentees exit 1."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"mentors": [], "mentees": 3}', encoding="utf-8")
    assert matcher_cli.main(["practice", "mentors", str(bad), "-o", str(tmp_path / "x")]) == 2
    src = tmp_path / "m.json"
    matcher_cli.main(["practice", "scenario", "datong-mentors", "-o", str(src)])
    raw = json.loads(src.read_text(encoding="utf-8"))
    raw["rules"]["min_mentees"] = 4
    raw["mentees"] = raw["mentees"][:10]
    src.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert matcher_cli.main(["practice", "mentors", str(src), "-o", str(tmp_path / "y")]) == 1
    out = json.loads((tmp_path / "y" / "outcome.json").read_text(encoding="utf-8"))
    assert "共需20名学员，但只有10名学员" in out["conflicts"][0]


def test_practice_tables_name_people_and_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each practice's table names mentors, mentees, guests and communities (no ids, no points,
    no solver words); --technical shows the ids and the proof's notes."""
    monkeypatch.setenv("COLUMNS", "300")
    for name, kind in (
        ("datong-mentors", "mentors"),
        ("shizhong-exchange", "exchange"),
        ("five-precision-committees", "committees"),
    ):
        src = tmp_path / f"{kind}.json"
        assert matcher_cli.main(["practice", "scenario", name, "-o", str(src)]) == 0
        assert "已写出" in capsys.readouterr().err
        raw = json.loads(src.read_text(encoding="utf-8"))
        people = [
            p for k in ("mentors", "mentees", "guests", "communities") for p in raw.get(k, [])
        ]
        ids = [p["id"] for p in people] + [h["community"] for h in raw.get("hosts", [])]
        code = matcher_cli.main(["practice", kind, str(src), "-o", str(tmp_path / kind)])
        out = capsys.readouterr().out
        assert code == 0 and "已证明最优" in out and people[0]["name"] in out
        flat = out.replace("\n", "")
        assert not findings(flat, ids), context(flat, findings(flat, ids))
        code = matcher_cli.main(
            ["practice", kind, str(src), "-o", str(tmp_path / f"t{kind}"), "--technical"]
        )
        assert code == 0 and findings(capsys.readouterr().out, ids)  # ids and points shown
