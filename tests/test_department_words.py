"""Issue 21 end to end outside the browser: every document and every CLI answer of a Chinese
round reads in the department's words (no solver terms, ids, Python reprs, English, points);
alternatives are compared in kilometres, titles and counts; wish-givers left without a post
are counted and named."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import openpyxl
import pytest

import matcher_cli
from matcher.analysis.explain import Explainer
from matcher.analysis.kpis import plan_kpis
from matcher.engine.problem import build_problem
from matcher.model.io.summary import summary_items
from matcher.model.validate import validate_round
from tests.department_words import context, findings, pdf_text, xlsx_text

ROOT = Path(__file__).parents[1]
ROUND = ROOT / "tests" / "data" / "rounds" / "words_zh.json"
NO_WEAK = ROOT / "tests" / "data" / "scenarios" / "no_weak_priority.json"


def ids_of(raw: dict) -> list[str]:  # type: ignore[type-arg]
    """Every community and cadre id of a round (raw ids must never reach a planner)."""
    return [c["id"] for c in raw["communities"]] + [c["id"] for c in raw["cadres"]]


def clean(text: str, ids: list[str], where: str) -> None:
    found = findings(text, ids)
    assert not found, f"{where}: {context(text, found)}"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = matcher_cli.main([str(a) for a in argv])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese round solved once, with every document written."""
    out = tmp_path_factory.mktemp("words") / "out"
    code = matcher_cli.main(
        ["solve", str(ROUND), "-o", str(out), "--format", "round,json,xlsx,pdf,md,png"]
    )
    assert code == 0
    return out


def test_documents_read_in_the_departments_words(solved: Path) -> None:
    """Roster PDF text, every roster sheet but 技术信息, summary.md above its technical
    record: no solver term, id, repr, English word or point; the 落款 and date are there."""
    raw = json.loads(ROUND.read_text("utf-8"))
    ids = ids_of(raw)
    pdf = pdf_text(solved / "roster.pdf")
    clean(pdf, ids, "roster.pdf")
    assert "中共锦州市委组织部" in pdf and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", pdf)
    flat = re.sub(r"\s+", "", pdf)  # cells wrap inside words
    assert "担任第一书记" in flat and "第一书记·脱产" not in flat
    for sheet, text in xlsx_text(solved / "roster.xlsx").items():
        clean(text, ids, f"roster.xlsx/{sheet}")
    book = openpyxl.load_workbook(solved / "roster.xlsx")
    tech = {r[0] for r in book["技术信息"].iter_rows(min_row=2, values_only=True)}
    assert not [k for k in tech if re.search(r"[A-Za-z]{3,}", str(k))], tech  # Chinese keys
    summary = (solved / "summary.md").read_text("utf-8").split("## 技术信息")[0]
    clean(summary, ids, "summary.md")


def test_cli_answers_in_the_departments_words(
    solved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """explain (all, by post name, by cadre name), diff, validate and replace in Chinese, and
    the 调整名单 workbook replace writes."""
    ids = ids_of(json.loads(ROUND.read_text("utf-8")))
    for argv in (
        ("explain", ROUND),
        ("explain", ROUND, "--post", "北街社区/第一书记"),
        ("explain", ROUND, "--cadre", "周七"),
        ("diff", ROUND, "--scenario", NO_WEAK),
        ("validate", ROUND),
        ("replace", solved, "--recall", "张三", "-o", solved.parent / "rep"),
    ):
        code, out = run(capsys, *argv)
        assert code == 0, out
        out = re.sub(r"(?:/[\w.\-]+)+", "", out.replace("\n", ""))  # file paths are the user's
        clean(out, ids, " ".join(str(a) for a in argv[:1]))
    for sheet, text in xlsx_text(solved.parent / "rep" / "调整名单.xlsx").items():
        clean(text, ids, f"调整名单.xlsx/{sheet}")  # successors by name, 落款 and date
        assert "张三" in text and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
    code, out = run(capsys, "explain", ROUND, "--post", "北街社区/第一书记", "--technical")
    assert code == 0 and findings(out, ids)  # the technical view does show the solver


def test_map_labels_are_names(solved: Path) -> None:
    """Every text drawn on the PNG map (titles, labels, legend, scale) is clean."""
    import matplotlib
    from matplotlib.text import Text

    from geodata.map_style import FONT_FAMILY, register_cjk_font
    from geodata.maps import plan_figure
    from geodata.pipeline import run_round

    raw = json.loads(ROUND.read_text("utf-8"))
    rnd = validate_round(raw)
    register_cjk_font()
    with matplotlib.rc_context({"font.family": FONT_FAMILY}):
        fig = plan_figure(rnd, run_round(rnd).result, "zh", dpi=150)
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    assert "北街社区" in texts
    clean("\n".join(texts), ids_of(raw), "map.png")


def test_alternatives_in_kilometres_titles_and_counts() -> None:
    """The best alternative for 北街社区's first secretary is said in km, rank title, skills
    matched and people moved; the same in English; points only in the technical text."""
    from geodata.pipeline import run_round

    rnd = validate_round(json.loads(ROUND.read_text("utf-8")))
    run = run_round(rnd)
    for lang, pattern in (
        (
            "zh",
            r"换成 王一（一级主任科员）：该社区距离减少 \d+\.\d 公里，专长相符多 1 项.*需另调 1 人",
        ),
        ("en", r"Swap in 王一 \(一级主任科员\): \d+\.\d km nearer the community, 1 more matching"),
    ):
        ex = Explainer(rnd, run.pairs, build_problem(rnd, run.pairs), run.result, lang=lang)
        post = ex.post("GT01", "full-time")
        best = next(a for a in post.alternatives if a.cadre_id == "C01")
        assert re.search(pattern, best.why), best.why
        assert not re.search(r"[0-9]\s*分|points|cost", best.why)
        assert re.search(r"[+-]\d", best.technical)  # the points stay in the technical view


@pytest.mark.parametrize("seed", range(4))
def test_every_wish_giver_is_counted(seed: int) -> None:
    """Generated rounds with more wish-givers than posts: the KPIs and the summary count each
    wish-giver once (placed at a wish, placed elsewhere, or not placed) and name the unplaced."""
    from geodata.pipeline import run_round

    rng = random.Random(seed)
    raw = json.loads(ROUND.read_text("utf-8"))
    coms = [c["id"] for c in raw["communities"]]
    for c in raw["cadres"]:
        c["preferences"] = rng.sample(coms, rng.randint(1, 3))
    rnd = validate_round(raw)
    result = run_round(rnd).result
    k = plan_kpis(rnd, result)
    givers = [c for c in rnd.cadres if c.preferences]
    placed = {a.cadre_id: a.community_id for a in result.assignments if a.cadre_id}
    at_wish = sum(1 for c in givers if placed.get(c.id) in c.preferences)
    assert k.wish_givers == len(givers) == at_wish + k.wish_elsewhere + k.wish_unplaced
    assert k.wish_unplaced == sum(1 for c in givers if c.id not in placed) >= 1
    assert k.first_choice_share == round(k.wish_first / len(givers), 4)
    wishes = dict(summary_items(rnd, result))["尊重本人意愿"]
    assert f"提出志愿的{len(givers)}人中" in wishes and f"未安排岗位{k.wish_unplaced}人" in wishes
    for c in givers:
        if c.id not in placed:
            assert c.name in wishes
