"""matcher explain / diff / sweep on the tiny round: output, JSON, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import matcher_cli

DATA = Path(__file__).parents[1] / "data"
TINY = DATA / "rounds" / "tiny.json"
NO_WEAK = DATA / "scenarios" / "no_weak_priority.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = matcher_cli.main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_explain_one_post_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    """--post --exact prints the holder, the alternatives and the exact move cost."""
    code, out = run(capsys, "explain", TINY, "--post", "GT01/full-time", "--exact", "--json")
    assert code == 0
    [post] = json.loads(out)["posts"]
    assert post["cadre_id"] == "C03"
    c01 = next(a for a in post["alternatives"] if a["cadre_id"] == "C01")
    assert (c01["move_cost"], c01["move_cost_kind"]) == (92, "exact")


def test_explain_by_cadre_and_unplaced(capsys: pytest.CaptureFixture[str]) -> None:
    """--cadre explains a placed cadre's post; an unplaced cadre gets the rule that bars it."""
    code, out = run(capsys, "explain", TINY, "--cadre", "C06")
    assert code == 0 and "孙六（科员） 未安排" in out and "有不得当选情形" in out
    code, out = run(capsys, "explain", TINY, "--cadre", "C06", "--lang", "en")
    assert code == 0 and "孙六 (section-member) has no post" in out and "disqualified" in out
    code, out = run(capsys, "explain", TINY, "--cadre", "C04", "--json")
    assert code == 0 and json.loads(out)["posts"][0]["community_id"] == "LH01"


def test_explain_writes_every_post(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """-o writes every post's explanation and every unplaced cadre as JSON."""
    target = tmp_path / "why.json"
    code, _ = run(capsys, "explain", TINY, "-o", target)
    body = json.loads(target.read_text(encoding="utf-8"))
    assert code == 0 and len(body["posts"]) == 5 and body["unplaced"][0]["cadre_id"] == "C06"


def test_explain_unknown_post_or_cadre_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A post or cadre the plan lacks is a command-line problem (exit 2), not a traceback."""
    code, out = run(capsys, "explain", TINY, "--post", "XX/full-time")
    assert code == 2 and "没有名为“XX”的社区" in out
    # the old 0-based number is an argument error
    code, out = run(capsys, "explain", TINY, "--post", "GT01/full-time/0", "--lang", "en")
    assert code == 2 and "numbered from 1" in out and "old 0-based" in out
    code, out = run(capsys, "explain", TINY, "--post", "GT01/full-time/0")
    assert code == 2 and "岗位序号从1开始" in out
    code, out = run(capsys, "explain", TINY, "--cadre", "C99")
    assert code == 2 and "C99" in out


def test_diff_with_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    """Without weak priority C01 moves to the weak GT01; the diff says so with KPI deltas."""
    code, out = run(capsys, "diff", TINY, "--scenario", NO_WEAK, "--json")
    body = json.loads(out)
    assert code == 0 and body["counts"]["moved"] == 4 and body["counts"]["unchanged"] == 1
    gt01 = next(
        p for p in body["changed"] if p["community_id"] == "GT01" and p["post_type"] == "full-time"
    )
    assert (gt01["before"], gt01["after"]) == ("C03", "C01")
    rank = next(k for k in body["kpis"] if k["name"] == "weak_mean_rank")
    assert rank["delta"] == -1.0
    assert body["round_changes"] == ["权重“软弱涣散社区配强”：100 → 0"]


def test_diff_names_people_and_says_what_changed(capsys: pytest.CaptureFixture[str]) -> None:
    """The diff table names communities and cadres with their rank titles, and the changes between
    the rounds are said in words."""
    code, out = run(capsys, "diff", TINY, "--scenario", NO_WEAK)
    assert code == 0 and "- 权重“软弱涣散社区配强”：100 → 0" in out
    assert "北街社区" in out and "张三（正科）" in out and "王一（副科）" in out
    assert "GT01" not in out and "C03" not in out  # names and titles, never ids
    assert "│ 调整     │ 4 " in out


def test_diff_of_two_round_files(capsys: pytest.CaptureFixture[str]) -> None:
    """The same round twice: the rounds are the same and every post is unchanged."""
    code, out = run(capsys, "diff", TINY, TINY)
    assert code == 0 and "两轮输入相同" in out and "│ 未变     │ 5 " in out and "指标变化" in out
    code, out = run(capsys, "diff", TINY, TINY, "--lang", "en")
    assert code == 0 and "the rounds are the same" in out and "Figures" in out


def test_diff_needs_a_second_plan(capsys: pytest.CaptureFixture[str]) -> None:
    """diff without a second round or scenario is a command-line problem."""
    code, out = run(capsys, "diff", TINY)
    assert code == 2 and "--scenario" in out


def test_sweep_weights_with_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A weight sweep prints one row per value and draws the curve."""
    png = tmp_path / "curve.png"
    code, out = run(
        capsys,
        "sweep",
        TINY,
        "--weight",
        "weak_priority",
        "--values",
        "0,100",
        "--workers",
        "1",
        "--plot",
        png,
        "--json",
    )
    rows = json.loads(out)
    assert code == 0 and [r["weak_mean_rank"] for r in rows] == [1.0, 2.0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown weights and a missing sweep kind are reported, exit 2."""
    code, out = run(capsys, "sweep", TINY, "--weight", "nope", "--values", "1")
    assert code == 2 and "没有名为“nope”的权重" in out
    code, out = run(capsys, "sweep", TINY, "--weight", "nope", "--values", "1", "--lang", "en")
    assert code == 2 and "unknown weight 'nope'" in out
    code, out = run(capsys, "sweep", TINY)
    assert code == 2 and "--dropout" in out


def test_sweep_dropout(capsys: pytest.CaptureFixture[str]) -> None:
    """A dropout study prints one row per trial with the withdrawn count and posts changed."""
    code, out = run(
        capsys,
        "sweep",
        TINY,
        "--dropout",
        "0.2",
        "--trials",
        "1",
        "--seed",
        "3",
        "--workers",
        "1",
        "--json",
    )
    [row] = json.loads(out)
    assert code == 0 and row["withdrawn"] == 1 and row["posts_changed"] >= 1


def test_explain_prints_kpis_per_district(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --post, explain ends with the KPI table: a column per district and the plan."""
    code, out = run(capsys, "explain", TINY)
    assert (
        code == 0 and "方案指标" in out and "古塔区" in out and "达到职级要求的软弱涣散社区" in out
    )
    code, out = run(capsys, "explain", TINY, "--json")
    districts = json.loads(out)["districts"]
    assert [(d["code"], d["posts"]) for d in districts] == [("210702", 4), ("210703", 1)]


def test_explain_takes_names(capsys: pytest.CaptureFixture[str]) -> None:
    """--post and --cadre accept names (and the post type as departments write it); the
    explanation speaks in kilometres and titles, never in points."""
    code, out = run(capsys, "explain", TINY, "--post", "北街社区/第一书记")
    assert code == 0 and "北街社区 第一书记: 张三（正科）" in out
    assert "公里" in out and "分" not in out.replace("部分", "")
    code, out = run(capsys, "explain", TINY, "--cadre", "孙六")
    assert code == 0 and "孙六（科员） 未安排" in out
    code, out = run(capsys, "explain", TINY, "--post", "GT01/full-time", "--technical")
    assert code == 0 and "分差" in out  # the objective's view only when asked for


def test_explain_ambiguous_name_lists_candidates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A name two cadres carry is refused (exit 2) with both candidates listed."""
    raw = json.loads(TINY.read_text(encoding="utf-8"))
    raw["cadres"][1]["name"] = raw["cadres"][0]["name"]  # two 王一
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, out = run(capsys, "explain", path, "--cadre", "王一")
    assert code == 2 and "有2个干部名为“王一”" in out and "C01" in out and "C02" in out
