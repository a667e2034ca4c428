"""Bad input to every ``matcher`` subcommand: exit 2, every problem in Chinese (file, row,
field, why) by default and in English with ``--lang en``, never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import matcher_cli
from matcher.model.io import write_plan_json, write_round_json
from tests.department_words import context, findings
from tests.matcher.lifecycle.chain_fixture import approved_plan, chain_round

DATA = Path(__file__).parents[1] / "data"
ROUND = DATA / "rounds" / "words_zh.json"
COMMANDS = "validate solve generate demo explain diff sweep replace rotate vet map practice"
FORMATS = "all round json csv xlsx pdf md geojson png html"
WEIGHTS = "distance_per_km skill_fit weak_priority preference_step change vacancy_full_time"
WEIGHTS += " vacancy_part_time"
SCENARIOS = "jinzhou huangshi shizhong datong province"

# name → (argv with {tmp} and {plan} filled in, words the user types that may stand in a line)
CASES: dict[str, tuple[str, str]] = {
    "no command": ("", COMMANDS),
    "unknown command": ("frobnicate", COMMANDS),
    "validate: missing file": ("validate {tmp}/无此文件.json", ""),
    "solve: missing file": ("solve {tmp}/无此文件.json -o {tmp}/o", ""),
    "solve: bad JSON": ("solve {tmp}/bad.json -o {tmp}/o", ""),
    "solve: CSV file as round": ("solve {tmp}/s.csv -o {tmp}/o", ""),
    "solve: bad mapping": ("solve {round} -o {tmp}/o --mapping {tmp}/bad.json", ""),
    "solve: unknown mapping": ("solve {round} -o {tmp}/o --mapping 无此模板", ""),
    "solve: no -o": ("solve {round}", ""),
    "solve: bad seed": ("solve {round} -o {tmp}/o --seed 甲", ""),
    "solve: bad time limit": ("solve {round} -o {tmp}/o --time-limit -3", ""),
    "solve: bad format": ("solve {round} -o {tmp}/o --format 甲", FORMATS),
    "solve: bad method": ("solve {round} -o {tmp}/o --method 甲", "auto flow mip cpsat"),
    "solve: bad language": ("solve {round} -o {tmp}/o --lang 法文", ""),
    "solve: OUTDIR is a file": ("solve {round} -o {tmp}/bad.json", ""),
    "solve: OUTDIR not empty": ("solve {round} -o {tmp}", ""),
    "solve: unknown private column": ("solve {round} -o {tmp}/o --include-private 无此列", ""),
    "solve: unknown option": ("solve {round} -o {tmp}/o --甲", ""),
    "generate: unknown scenario": ("generate 无此场景 --seed 1 -o {tmp}/g.json", SCENARIOS),
    "generate: no seed": ("generate jinzhou -o {tmp}/g.json", ""),
    "demo: OUTDIR not empty": ("demo -o {tmp}", ""),
    "explain: unknown community": ("explain {round} --post 无此社区/第一书记", ""),
    "explain: unknown cadre": ("explain {round} --cadre 无此人", ""),
    "explain: bad post type": ("explain {round} --post 北街社区/队长", ""),
    "explain: post number 0": ("explain {round} --post 北街社区/兼职委员/0", ""),
    "explain: bad -k": ("explain {round} -k 甲", ""),
    "diff: no second round": ("diff {round}", ""),
    "diff: bad scenario JSON": ("diff {round} --scenario {tmp}/bad.json", ""),
    "diff: scenario unknown field": ("diff {round} --scenario {tmp}/obj.json", ""),
    "diff: missing scenario": ("diff {round} --scenario {tmp}/无此文件.json", ""),
    "diff: missing second round": ("diff {round} {tmp}/无此文件.json", ""),
    "sweep: nothing to sweep": ("sweep {round}", ""),
    "sweep: unknown weight": ("sweep {round} --weight 甲 --values 1,2", WEIGHTS),
    "sweep: bad fraction": ("sweep {round} --dropout 2", ""),
    "sweep: bad values": ("sweep {round} --weight change --values 甲", ""),
    "replace: unknown cadre": ("replace {plan} -o {tmp}/r --recall 无此人", ""),
    "replace: unknown community": ("replace {plan} -o {tmp}/r --close 无此社区", ""),
    "replace: bad events JSON": ("replace {plan} -o {tmp}/r --events {tmp}/bad.json", ""),
    "replace: events not an object": ("replace {plan} -o {tmp}/r --events {tmp}/list.json", ""),
    "replace: events unknown field": ("replace {plan} -o {tmp}/r --events {tmp}/obj.json", ""),
    "replace: bad reason": ("replace {plan} -o {tmp}/r --reason 甲", ""),
    "replace: bad date": ("replace {plan} -o {tmp}/r --effective 明年", ""),
    "replace: missing plan": ("replace {tmp}/无此方案 -o {tmp}/r", ""),
    "replace: not a plan": ("replace {tmp}/obj.json --round {round} -o {tmp}/r", ""),
    "replace: no round": ("replace {tmp}/obj.json -o {tmp}/r", ""),
    "rotate: not a plan": (
        "rotate {tmp}/list.json --round {round} --start 2024-01-01 "
        "--release-before 2025-01-01 -o {tmp}/n.json",
        "",
    ),
    "rotate: bad date": (
        "rotate {plan} --start 2024-13-01 --release-before 2025-01-01 -o {tmp}/n.json",
        "",
    ),
    "vet: bad --sheet": ("vet {round} --sheet 甲 -o {tmp}/v.json", ""),
    "vet: department not required": ("vet {round} --sheet 信访={tmp}/s.csv -o {tmp}/v.json", ""),
    "vet: missing round": ("vet {tmp}/无此文件.json --sheet 信访={tmp}/s.csv -o {tmp}/v.json", ""),
    "map: not a workbook": ("map {tmp}/bad.json", ""),
    "practice: bad JSON": ("practice mentors {tmp}/bad.json -o {tmp}/p", ""),
    "practice: missing fields": ("practice mentors {tmp}/obj.json -o {tmp}/p", ""),
    "practice: missing file": ("practice committees {tmp}/无此文件.json -o {tmp}/p", ""),
    "practice: unknown scenario": (
        "practice scenario 甲 -o {tmp}/x.json",
        "datong-mentors shizhong-exchange five-precision-mentors five-precision-committees",
    ),
    "solve: not a workbook": ("solve {broken}/not_a_workbook.xlsx -o {tmp}/o", ""),
    "vet: not a workbook": (
        "vet {round} --sheet 信访={broken}/not_a_workbook.xlsx --add-required -o {tmp}/v.json",
        "",
    ),
    "replace: missing new cadres": ("replace {plan} -o {tmp}/r --add {tmp}/无此文件.csv", ""),
    "practice: bad mode": (
        "practice exchange {tmp}/obj.json -o {tmp}/p --mode 甲",
        "optimal stable",
    ),
}


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A folder of broken files and an approved plan folder (plan.json beside round.json)."""
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "bad.json").write_text("{bad\n", encoding="utf-8")
    (tmp / "list.json").write_text("[1, 2]\n", encoding="utf-8")
    (tmp / "obj.json").write_text('{"x": 1}\n', encoding="utf-8")
    (tmp / "s.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    plan = tmp_path_factory.mktemp("plan")
    rnd = chain_round()
    write_round_json(rnd, plan / "round.json")
    write_plan_json(rnd, approved_plan(rnd), plan / "plan.json")
    broken = str(DATA / "broken")
    return {"tmp": str(tmp), "plan": str(plan), "round": str(ROUND), "broken": broken}


def _argv(template: str, place: dict[str, str]) -> list[str]:
    return [w.format(**place) for w in template.split()]


def _said(text: str, argv: list[str], typed: str) -> str:
    """What the user reads, less what the user typed: paths, options, values, choices."""
    for word in sorted({*argv, *typed.split()}, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", "", text)
    text = re.sub(r"(?:/[^\s，：；（）、]+)+", "", text)  # file paths are the user's
    text = re.sub(r"[\w-]*\.(?:json|csv|xlsx|txt)\b", "", text)  # file names and kinds
    text = re.sub(r"(?m)^(  - [^：]*)：", "  - ：", text)  # where: the file's own field names
    return re.sub(r"--?[a-z][a-z-]*", "", text)  # so are option names


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_said_in_chinese(
    case: str, place: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2; each problem line names where and says why in Chinese; nothing English,
    no solver word, no Python repr; nothing on stderr but the progress bar."""
    template, typed = CASES[case]
    argv = _argv(template, place)
    code = matcher_cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (case, out, err)
    assert "Traceback" not in out + err and "usage:" not in err
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert re.match(r"输入(文件有 \d+ 处|中有 \d+ 个)问题：", lines[0]), out
    for line in lines[1:]:
        if line.startswith("  - "):
            assert "：" in line and re.search(r"[\u4e00-\u9fff]", line.split("：", 1)[1]), line
    said = _said(out, argv, typed)
    found = findings(said)
    assert not found, f"{case}: {context(said, found)}"


@pytest.mark.parametrize(
    "case", ["unknown command", "solve: bad seed", "replace: not a plan", "diff: no second round"]
)
def test_bad_input_in_english_on_request(
    case: str, place: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """With --lang en the same problems are said in English (no Chinese lead-in)."""
    argv = [*_argv(CASES[case][0], place), "--lang", "en"]
    if case == "unknown command":
        argv = ["frobnicate", "--lang", "en"]
    code = matcher_cli.main(argv)
    out = capsys.readouterr().out
    assert code == 2 and re.match(r"1 problem in the input:", out), out
    assert not re.search(r"[\u4e00-\u9fff]{2}", _said(out, argv, "")), out


def test_bad_input_as_json(place: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints the problems with their Chinese, for argparse's complaints too."""
    for template in ("solve {round} -o {tmp}/o --seed 甲 --json", "replace {tmp}/obj.json "
                     "--round {round} -o {tmp}/r --json"):  # fmt: skip
        code = matcher_cli.main(_argv(template, place))
        payload = json.loads(capsys.readouterr().out)
        assert code == 2 and payload["valid"] is False
        (problem,) = payload["problems"]
        assert re.search(r"[\u4e00-\u9fff]", problem["message_zh"])
        assert not re.search(r"[\u4e00-\u9fff]", problem["message"].replace("甲", ""))
