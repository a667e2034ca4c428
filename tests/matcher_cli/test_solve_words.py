"""``matcher solve`` speaks to a planner: the engine's notes in department words (their own
English only with ``--technical``), 已写出 for each file, no solver term or raw id."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

import matcher_cli
from matcher.model.round import Round
from matcher_cli import round_commands
from matcher_cli.engine_notes import MORE, note_words, notes_for_planner
from tests.department_words import context, findings

ROUND = Path(__file__).parents[1] / "data" / "rounds" / "words_zh.json"

ENGINE_NOTES = {  # as the engine writes them → a word the planner's line must hold
    "proven over all pairs: every left-out pair lies beyond the distance at which it could "
    "improve the plan (LP duals over the candidate pairs)": "已逐一核实",
    "12 communities need candidates farther out before the plan is proven": "有 12 个社区",
    "optimal over the candidate pairs only; left-out pairs were not priced": "候选人选范围内最优",
    "the rules conflict over the candidate pairs; left-out pairs may resolve it": "扩大人选范围",
    "stopped before optimality was proven; the plan keeps every rule": "尚未证明为最优",
    "stopped before a plan was found": "尚未得出方案",
    "time limit reached in the min-cost flow": "尚未得出方案",
    "proven within the relative gap only: bound 1234, not optimal": "未证明为最优",
    "method 'flow' ignores side constraints; the plan breaks: quota q1": "未能满足这些规则",
}
TECHNICAL = (
    "flow optimum keeps every side constraint, so it is optimal for the full problem",
    "column generation: 3 LP rounds, 900 working arcs; reduced-cost fixing kept 10 of 99 arcs",
    "quota q1 decides every post of its type (min = all its posts, or max 0): the network "
    "keeps only the arcs that obey it (an exact reduction)",
)


@pytest.mark.parametrize("note", list(ENGINE_NOTES))
def test_engine_notes_in_department_words(note: str) -> None:
    """Each note that matters to a planner is said in Chinese without solver words."""
    said = note_words(note, "zh")
    assert said and ENGINE_NOTES[note] in said and not findings(said), said
    assert note_words(note, "en") and not re.search(
        r"[\u4e00-\u9fff]", note_words(note, "en") or ""
    )


def test_technical_notes_stay_technical() -> None:
    """How the proof went is not a planner's business; an unknown note points at --technical
    once, however many there are."""
    assert all(note_words(n, "zh") is None for n in TECHNICAL)
    assert notes_for_planner([*TECHNICAL, "something new", "another new"], "zh") == [MORE.zh]
    assert notes_for_planner(TECHNICAL, "zh") == []


def _solve_with_notes(monkeypatch: pytest.MonkeyPatch, notes: tuple[str, ...]) -> None:
    real = round_commands.solve_with_progress

    def with_notes(rnd: Round, err: Any) -> Any:
        return dataclasses.replace(real(rnd, err), notes=notes)

    monkeypatch.setattr(round_commands, "solve_with_progress", with_notes)


def test_solve_prints_notes_and_files_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The solve's closing lines: 说明 in department words, 已写出 per file; the scanner finds
    nothing; --technical adds the engine's own notes."""
    notes = (*list(ENGINE_NOTES)[:1], *TECHNICAL)
    _solve_with_notes(monkeypatch, notes)
    raw = json.loads(ROUND.read_text("utf-8"))
    ids = [c["id"] for c in raw["communities"]] + [c["id"] for c in raw["cadres"]]
    code = matcher_cli.main(["solve", str(ROUND), "-o", str(tmp_path / "o"), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0 and "说明：已逐一核实" in out and "已写出" in out and "note:" not in out
    flat = re.sub(r"(?:/[\w.\-]+)+", "", out.replace("\n", ""))
    assert not findings(flat, ids), context(flat, findings(flat, ids))
    code = matcher_cli.main(
        ["solve", str(ROUND), "-o", str(tmp_path / "t"), "--format", "json", "--technical"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "note: column generation" in out.replace("\n", " ")
    code = matcher_cli.main(
        ["solve", str(ROUND), "-o", str(tmp_path / "e"), "--format", "json", "--lang", "en"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "note: checked: every cadre outside" in out and "wrote " in out
