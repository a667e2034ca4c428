"""Issue 21 in the browser: a whole round walked on a 1,366 px screen, and every visible text
of every tab scanned for solver terms, raw ids, Python reprs, English words and points.

Import a Chinese workbook (with wish-givers who get no post) → solve → the plan's figures
name the people behind the shares → an explanation in kilometres and titles → take another
cadre (lock) → re-solve → the rules tab in sentences, edited → compare → replacement by name
→ downloads named for the round and version, their text scanned too. Only the 技术信息 tab
may speak of the solver. Screenshots of the tabs go to docs/screenshots/ (small PNGs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher_service.settings import DEFAULT_RUNNER
from tests.department_words import context, findings, pdf_text, xlsx_text
from tests.matcher_service.live import ROOT, LiveServer
from tests.matcher_service.test_api_jobs_live import make_keys
from tests.matcher_service.test_page_browser import CHROMIUM, FLAGS

pytestmark = pytest.mark.slow
sync_api = pytest.importorskip("playwright.sync_api")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed", allow_module_level=True)

ROUND = ROOT / "tests" / "data" / "rounds" / "words_zh.json"
SHOTS = ROOT / "docs" / "screenshots"
WIDTH = 1366
# The text of the page a person sees: hidden panels, the map's credits, the signed-in key's
# own name (the test keys are named in English) and the names of the clerk's chosen files
# (their own, 名单.xlsx) left out.
VISIBLE = """() => {
  const skip = document.querySelectorAll(
    '.leaflet-control-attribution, [data-panel=technical], #who, #file-names');
  const saved = [...skip].map((e) => [e, e.style.display]);
  for (const [e] of saved) e.style.display = 'none';
  const text = document.body.innerText;
  for (const [e, d] of saved) e.style.display = d;
  return text;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('words')}/words.sqlite3"
    keys = make_keys(url)
    live = LiveServer(url, DEFAULT_RUNNER, MATCHER_WARM_UP="0").start()
    try:
        yield live, keys
    finally:
        live.stop()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese round as the workbook a clerk keeps."""
    from matcher.model.io.round_files import write_round_xlsx
    from matcher.model.validate import validate_round

    path = tmp_path_factory.mktemp("book") / "古塔区名单.xlsx"
    write_round_xlsx(validate_round(json.loads(ROUND.read_text("utf-8"))), path)
    return path


def _ids() -> list[str]:
    raw = json.loads(ROUND.read_text("utf-8"))
    return [c["id"] for c in raw["communities"]] + [c["id"] for c in raw["cadres"]]


def _scan(page: object, where: str) -> str:
    text = page.evaluate(VISIBLE)
    found = findings(text, _ids())
    assert not found, f"{where}: {context(text, found)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{where}: the page is {width} px wide in a {WIDTH} px window"
    return text


def _shot(page: object, name: str, element: str = "") -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(element) if element else page
    target.screenshot(path=str(SHOTS / f"{name}.png"), type="png", scale="css")


def _tab(page: object, name: str) -> None:
    page.click(f"[data-tab={name}]")
    page.wait_for_selector(f"[data-panel={name}]:not([hidden])")


def test_a_whole_round_reads_in_the_departments_words(
    server: tuple[LiveServer, dict[str, str]], browser: object, workbook: Path, tmp_path: Path
) -> None:
    """Every tab, every step: clean words, no overflow at 1,366 px, banners that clear,
    download names from round and version, downloaded documents clean too."""
    live, keys = server
    context_ = browser.new_context(viewport={"width": WIDTH, "height": 900}, accept_downloads=True)
    page = context_.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live.url + "/")
    page.fill("#key", keys["planner"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#workspace:not([hidden])")

    assert page.inner_text("label[for=files]") == "选择文件"  # not the browser's "Choose Files"
    page.set_input_files("#files", str(workbook))
    assert page.inner_text("#file-names") == "古塔区名单.xlsx"
    page.click("#import-new")
    page.wait_for_selector("#round-view:not([hidden])")
    page.click("#solve")
    page.wait_for_selector("#score .status.optimal", timeout=120_000)
    text = _scan(page, "plan")
    # the shares come with the people: every wish-giver counted, the unplaced named
    assert "提出志愿" in text and "5 人" in text and "提出志愿但未安排岗位" in text
    assert "未安排干部：" in page.inner_text("#unplaced-names") and "周七" in text
    assert "公里" in page.inner_text("#score")
    _shot(page, "plan")
    for _ in range(4):  # out to a city's width: the scale reads in 公里, never "km"
        page.click(".leaflet-control-zoom-out")
    page.wait_for_selector(".leaflet-control-scale-line:has-text('公里')")
    assert re.fullmatch(r"\d+ 公里", page.inner_text(".leaflet-control-scale-line"))

    page.locator("#post-table tbody tr").first.click()
    page.wait_for_selector("#detail:not([hidden]) #lock")
    detail = page.inner_text("#detail")
    assert "公里" in detail and "（" in detail  # distances and rank titles
    _scan(page, "explanation")
    _shot(page, "explanation", "#detail")

    _tab(page, "technical")
    assert "目标值" in page.inner_text("#technical")  # the solver's record lives here only
    _shot(page, "technical", "[data-panel=technical]")
    _tab(page, "plan")

    page.locator("#post-table tbody tr").first.click()
    page.wait_for_selector("#detail:not([hidden]) button.take")
    page.locator("#detail button.take").first.click()
    page.wait_for_selector("#notice:not([hidden])")
    _tab(page, "rules")
    assert page.is_hidden("#notice")  # the lock's banner went with the action it reported
    rules = _scan(page, "rules")
    assert "软弱涣散社区" in rules and "已研究确定：" in rules
    page.select_option("select[name='floor.0.rank']", "正科")
    page.click("button.add >> nth=0")
    assert page.locator("#rank-floors li").count() == 2
    _scan(page, "rules edited")
    _shot(page, "rules", "#rules-form")
    page.click("#save-rules")
    page.wait_for_selector("#notice:not([hidden])")
    assert "已保存" in page.inner_text("#notice"), page.inner_text("#notice")

    _tab(page, "plan")
    page.click("#solve")
    page.wait_for_selector("#plan-select option:nth-child(2)", state="attached")
    page.wait_for_selector("#score .status", timeout=120_000)
    _scan(page, "plan after the new rules")

    _tab(page, "compare")
    page.click("#compare-go")
    page.wait_for_selector("#compare-result h3")
    compare = _scan(page, "compare")
    assert "两版输入的不同" in compare and "公里" in compare
    _shot(page, "compare", "#compare-result")

    _tab(page, "plan")
    names = {}
    for fmt in ("xlsx", "pdf"):
        with page.expect_download() as download:
            page.click(f"[data-dl={fmt}]")
        name = download.value.suggested_filename
        assert name.startswith("古塔区2024年第一书记选派-第") and "p_" not in name, name
        path = tmp_path / name
        download.value.save_as(path)
        names[fmt] = path
    for sheet, cells in xlsx_text(names["xlsx"]).items():
        assert not findings(cells, _ids()), (sheet, findings(cells, _ids()))
    assert not findings(pdf_text(names["pdf"]), _ids())

    sitting = page.locator("#post-table tbody tr:not(.locked):not(.vacant)").first
    who = sitting.locator("td").nth(3).inner_text()
    _tab(page, "replace")
    page.fill("#recall-ids", who)  # by name, as clerks write it
    page.click("#replace-go")
    page.wait_for_selector("#changes tbody tr")
    replaced = _scan(page, "replacement")
    assert who in replaced and "已证明" in replaced
    _shot(page, "replacement", "[data-panel=replace]")

    _tab(page, "workflow")
    _scan(page, "workflow")
    _shot(page, "workflow", "[data-panel=workflow]")
    page.click("#lang")  # English mode: the scan drops the English-word check only
    assert not [f for f in findings(page.evaluate(VISIBLE), _ids(), "en")]
    for tab in ("plan", "rules", "compare", "replace", "workflow", "technical"):
        _tab(page, tab)
        assert not [f for f in findings(page.evaluate(VISIBLE), _ids(), "en")], tab
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{tab} in English: {width} px wide"
        _shot(page, f"{tab}-en", f"[data-panel={tab}]")
    _tab(page, "plan")
    assert re.fullmatch(r"\d+ (km|m)", page.inner_text(".leaflet-control-scale-line"))
    assert errors == []
    context_.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def test_screenshots_stay_small() -> None:
    """The kept screenshots are small PNGs (they live in git)."""
    for png in SHOTS.glob("*.png"):
        assert png.stat().st_size < 400_000, png
