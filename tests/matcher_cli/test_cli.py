"""The `matcher` command end to end: exit codes 0/1/2, outputs only on completion."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

import matcher_cli
from matcher.engine.result import Result
from matcher.model.io import read_round, write_round_json
from matcher_cli import round_commands, solving

DATA = Path(__file__).parents[1] / "data"
TINY = DATA / "rounds" / "tiny.json"
BROKEN = DATA / "broken"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = matcher_cli.main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_validate_good_round(capsys: pytest.CaptureFixture[str]) -> None:
    """A valid round exits 0 and prints its size."""
    code, out = run(capsys, "validate", "--lang", "en", DATA / "rounds" / "tiny_csv")
    assert code == 0 and "valid" in out and "cadres (干部)" in out


def test_validate_prints_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    """A broken CSV folder exits 2 and prints each problem of the corpus file once."""
    code, out = run(capsys, "validate", "--lang", "en", "--all", BROKEN / "csv_rows")
    expected = (BROKEN / "csv_rows.expected").read_text(encoding="utf-8").splitlines()
    assert code == 2 and f"{len(expected)} problem(s) in the input:" in out
    for line in expected:
        assert f"  - {BROKEN}/{line}" in out


def test_validate_json_problems(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints problems as a JSON document a roster system can parse."""
    code, out = run(capsys, "validate", "--json", BROKEN / "many_problems.json")
    payload = json.loads(out)
    assert code == 2 and payload["valid"] is False and len(payload["problems"]) == 8
    assert payload["problems"][3] == {
        "source": str(BROKEN / "many_problems.json"),
        "where": "cadres[0].level",
        "id": "K1",
        "field": "level",
        "message": "Input should be 'city', 'county' or 'street' (got 'province')",
        "message_zh": "应为 'city', 'county' or 'street'（现为 'province'）",
        "severity": "error",
    }


def test_solve_writes_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Solving tiny.json exits 0 and writes plan, roster and summary with the chosen seed."""
    out_dir = tmp_path / "out"
    code, out = run(capsys, "solve", TINY, "-o", out_dir, "--seed", "3", "--time-limit", "5")
    assert code == 0 and "最优（已证明）" in out and "选派岗位" in out
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "plan.json",
        "roster.csv",
        "roster.pdf",
        "roster.xlsx",
        "summary.md",
    ]
    plan = json.loads((out_dir / "plan.json").read_text(encoding="utf-8"))
    assert plan["result"]["seed"] == 3 and plan["result"]["status"] == "optimal"
    roster = list(csv.reader(io.StringIO((out_dir / "roster.csv").read_text("utf-8-sig"))))
    assert len(roster) == 1 + 5  # header + one row per post
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temp folder left


def test_solve_all_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--format all adds the round, GeoJSON and both maps (geodata writers) to the folder."""
    code, _ = run(capsys, "solve", TINY, "-o", tmp_path / "o", "--format", "all")
    assert code == 0
    names = {p.name for p in (tmp_path / "o").iterdir()}
    assert names == {name for name, _ in matcher_cli.OUTPUTS.values()}
    geo = json.loads((tmp_path / "o" / "plan.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    assert read_round(tmp_path / "o" / "round.json") == read_round(TINY)


def test_bad_input_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Bad input exits 2 with the problems and never creates OUTDIR."""
    code, out = run(capsys, "solve", BROKEN / "csv_rules", "-o", tmp_path / "out")
    assert code == 2 and "输入文件有 7 处问题" in out
    assert list(tmp_path.iterdir()) == []


def test_infeasible_exits_1_with_conflicts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Rules that cannot hold exit 1, print the conflict and write only plan + summary."""
    raw = json.loads(TINY.read_text(encoding="utf-8"))
    raw["rules"]["rank_floors"][0]["min_rank"] = "正县"
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, out = run(capsys, "solve", path, "-o", tmp_path / "out")
    assert code == 1 and "规则冲突" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plan.json", "summary.md"]
    assert "## 规则冲突" in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    code, out = run(capsys, "solve", path, "-o", tmp_path / "en", "--lang", "en")
    assert code == 1 and "conflicts" in out
    assert "## Conflicts" in (tmp_path / "en" / "summary.md").read_text(encoding="utf-8")


def test_foreign_outdir_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An OUTDIR holding other files is left alone and the run exits 2 before solving."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, out = run(capsys, "solve", TINY, "-o", tmp_path)
    assert code == 2 and "notes.txt" in out
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_failing_writer_leaves_outdir_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing fails half-way: exit 3, the previous OUTDIR stays as it was, no temp left."""
    out_dir = tmp_path / "out"
    assert run(capsys, "solve", TINY, "-o", out_dir, "--format", "json")[0] == 0
    before = (out_dir / "plan.json").read_bytes()

    def boom(rnd: Any, res: Result, path: Path, lang: str) -> None:
        path.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setitem(matcher_cli.OUTPUTS, "md", ("summary.md", boom))
    code = matcher_cli.main(
        ["solve", str(TINY), "-o", str(out_dir), "--seed", "9", "--format", "json,md"]
    )
    err = capsys.readouterr().err
    assert code == 3 and "disk full" in err and "无法写出结果" in err and "原有结果保持不变" in err
    assert [p.name for p in out_dir.iterdir()] == ["plan.json"]
    assert (out_dir / "plan.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("target", ["r.json", "r.xlsx", "folder"])
def test_generate_by_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    """generate writes JSON, XLSX or a CSV folder by suffix, each reading back the same round."""
    from geodata.scenarios import generate

    code, out = run(capsys, "generate", "shizhong", "--seed", "5", "-o", tmp_path / target)
    assert code == 0 and "已写出" in out  # headers zh: the table is Chinese too
    assert read_round(tmp_path / target) == generate("shizhong", 5)


def test_generate_unknown_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown scenario name exits 2 naming the known ones."""
    code, out = run(capsys, "generate", "atlantis", "--seed", "1", "-o", tmp_path / "x.json")
    assert code == 2 and "jinzhou" in out and not (tmp_path / "x.json").exists()


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A non-positive time limit, unknown format or language is a usage error (exit 2),
    said in Chinese on stdout like every other problem."""
    for extra, said in (
        (["--time-limit", "0"], "应为正数（秒）"),
        (["--format", "docx"], "没有 docx 这种输出"),
        (["--lang", "fr"], "语言“fr”无法识别"),
    ):
        code, out = run(capsys, "solve", TINY, "-o", tmp_path / "o", *extra)
        assert code == 2 and "命令行" in out and said in out
    assert list(tmp_path.iterdir()) == []


def test_demo_writes_every_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """demo generates jinzhou/2022, solves it and writes all nine outputs (tiny stand-in)."""
    calls: list[tuple[str, int]] = []

    def fake(name: str, seed: int) -> Any:
        calls.append((name, seed))
        return read_round(TINY)

    monkeypatch.setattr(round_commands, "generate_round", fake)
    code, out = run(capsys, "demo", "-o", tmp_path / "demo", "--json")
    assert code == 0 and calls == [("jinzhou", 2022)]
    assert json.loads(out)["figures"]["posts"] == 5  # stdout is pure JSON with --json
    names = {p.name for p in (tmp_path / "demo").iterdir()}
    assert names == {
        "round.json",
        "plan.json",
        "roster.csv",
        "roster.xlsx",
        "roster.pdf",
        "summary.md",
        "plan.geojson",
        "map.png",
        "map.html",
    }
    write_round_json(read_round(TINY), tmp_path / "again.json")
    assert (tmp_path / "demo" / "round.json").read_bytes() == (tmp_path / "again.json").read_bytes()


def test_first_ctrl_c_asks_engine_to_stop() -> None:
    """One SIGINT sets the stop flag the engine polls; a second aborts; the handler is restored."""
    import signal

    before = signal.getsignal(signal.SIGINT)
    with solving.stop_on_interrupt() as should_stop:
        assert not should_stop()
        signal.raise_signal(signal.SIGINT)
        assert should_stop()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before
