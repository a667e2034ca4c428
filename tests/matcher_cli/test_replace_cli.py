"""``matcher replace``: a plan and events in, the replacement and the 调整名单 out."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from matcher.model.io import write_plan_json, write_round_json
from matcher_cli import main
from tests.matcher.lifecycle.chain_fixture import DATA, approved_plan, chain_round


def _plan_dir(tmp: Path) -> Path:
    rnd = chain_round()
    folder = tmp / "plan"
    folder.mkdir()
    write_round_json(rnd, folder / "round.json")
    write_plan_json(rnd, approved_plan(rnd), folder / "plan.json")
    return folder


def test_replace_writes_plan_round_and_adjustment_list(tmp_path: Path, capsys: object) -> None:
    """A recall and a new cadre from CSV: exit 0, every output written, the workbook lists
    the recalled cadre and the newcomer, and the JSON report proves each level."""
    plan = _plan_dir(tmp_path)
    out = tmp_path / "out"
    code = main(
        [
            "replace",
            str(plan),
            "--recall",
            "K1",
            "--reason",
            "K1=调任",
            "--add",
            str(DATA / "new_cadres.csv"),
            "--effective",
            "2026-12-01",
            "-o",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert [lv["proven"] for lv in report["levels"]] == [True, True, True]
    assert {p.name for p in out.iterdir()} >= {"plan.json", "round.json", "调整名单.xlsx"}
    sheet = openpyxl.load_workbook(out / "调整名单.xlsx")["调整名单"]
    assert sheet["A1"].value == "干部调整名单" and sheet["A3"].value == "序号"
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["K1"][3] == "离岗" and rows["K9"][3] == "新任"
    new_round = json.loads((out / "round.json").read_text(encoding="utf-8"))
    assert any(c["id"] == "K9" and c["current_post"] for c in new_round["cadres"])


def test_replace_chains_from_its_own_output(tmp_path: Path) -> None:
    """The OUTDIR of one replacement is the PLAN of the next (round.json beside plan.json)."""
    plan = _plan_dir(tmp_path)
    assert main(["replace", str(plan), "--recall", "K1", "-o", str(tmp_path / "r1")]) == 0
    assert (
        main(["replace", str(tmp_path / "r1"), "--recall", "K3", "-o", str(tmp_path / "r2")]) == 0
    )


def test_replace_bad_input_exit_2(tmp_path: Path, capsys: object) -> None:
    """Unknown ids or a broken cadres file: exit 2, every problem printed, nothing written."""
    plan = _plan_dir(tmp_path)
    out = tmp_path / "out"
    assert main(["replace", str(plan), "--recall", "NOPE", "-o", str(out)]) == 2
    assert (
        main(
            [
                "replace",
                str(plan),
                "--add",
                str(DATA / "new_cadres_broken.csv"),
                "-o",
                str(out),
                "--json",
            ]
        )
        == 2
    )
    text = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "NOPE" in text and "new_cadres_broken.csv" in text and not out.exists()
    assert (
        main(
            [
                "replace",
                str(plan / "plan.json"),
                "--round",
                str(tmp_path / "x.json"),
                "--recall",
                "K1",
                "-o",
                str(out),
            ]
        )
        == 2
    )


def test_rotate_keeps_sitting_cadres_and_releases_ending_terms(tmp_path: Path) -> None:
    """Terms of 24 months from 2024-01-01 end before 2026-06-01: all three are released and,
    with --not-back, forbidden their old community; before 2025-06-01 all three stay."""
    plan = _plan_dir(tmp_path)
    out = tmp_path / "next.json"
    args = ["rotate", str(plan), "--start", "2024-01-01", "-o", str(out)]
    assert main([*args, "--release-before", "2026-06-01", "--not-back"]) == 0
    nxt = json.loads(out.read_text(encoding="utf-8"))
    assert all(c["current_post"] is None for c in nxt["cadres"])
    assert {(f["cadre"], f["community"]) for f in nxt["rules"]["forbidden_pairs"]} == {
        ("K1", "A"),
        ("K2", "B"),
        ("K3", "C"),
    }
    assert main([*args, "--release-before", "2025-06-01"]) == 0
    nxt = json.loads(out.read_text(encoding="utf-8"))
    assert sum(1 for c in nxt["cadres"] if c["current_post"]) == 3


def test_merged_community_reasons_name_communities(
    tmp_path: Path, capsys: object, monkeypatch: object
) -> None:
    """A merge: the cadre who follows the post is listed with the communities' names (not
    their ids, not English) in the 调整名单 and in the printed table; in English the same
    reason names them too."""
    from matcher.model.io.adjustments import names_of, reason_words
    from tests.department_words import findings
    from tests.matcher.lifecycle.chain_fixture import chain_round

    monkeypatch.setenv("COLUMNS", "300")  # type: ignore[attr-defined]
    plan = _plan_dir(tmp_path)
    events = tmp_path / "events.json"
    events.write_text(json.dumps({"merge": [{"community": "B", "into": "A"}]}), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["replace", str(plan), "--events", str(events), "-o", str(out)]) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "南街社区并入北街社区，随岗位转入" in printed and "社区B" not in printed
    sheet = openpyxl.load_workbook(out / "调整名单.xlsx")["调整名单"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    why = rows["K2"][8]
    assert why == "南街社区并入北街社区，随岗位转入" and not findings(why, ["A", "B", "K2"])
    raw = "社区B并入A，随岗位转入 / community B merged into A"
    said = reason_words(raw, names_of(chain_round()), "en")
    assert said == "community 南街社区 merged into 北街社区"
