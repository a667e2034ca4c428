"""The planner's page in a real browser (headless Chromium driven by Playwright).

The test walks the planner's path on a live server with a real worker: sign in, upload a
broken workbook and read its problems, upload a good one, solve, open an explanation, lock,
re-solve, compare, download the roster; then a viewer's page, which hides what a viewer may
not do. Screenshots are kept in ``var/screenshots/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from matcher_service.settings import DEFAULT_RUNNER
from tests.matcher_service.live import ROOT, LiveServer
from tests.matcher_service.test_api_jobs_live import make_keys

pytestmark = pytest.mark.slow

SHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: `make browser` installs it", pytrace=False)
    pytest.skip("Chromium is not installed (`make browser` installs it)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('page')}/page.sqlite3"
    keys = make_keys(url)
    live = LiveServer(url, DEFAULT_RUNNER, MATCHER_WARM_UP="0").start()
    try:
        yield live, keys
    finally:
        live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A good workbook (tiny round) and the same workbook with a wrong rank and a bad code."""
    from matcher.model.io.round_files import write_round_xlsx
    from matcher.model.validate import validate_round

    folder = tmp_path_factory.mktemp("books")
    raw = json.loads((ROOT / "tests" / "data" / "rounds" / "tiny.json").read_text("utf-8"))
    good = folder / "好名单.xlsx"
    write_round_xlsx(validate_round(raw), good)
    book = openpyxl.load_workbook(good)
    sheet = next(ws for ws in book.worksheets if ws.max_row > 1 and "干部" in ws.title)
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("职级") + 1, value="特级")
    bad = folder / "错名单.xlsx"
    book.save(bad)
    return {"good": good, "bad": bad}


def _page(browser: object, live: LiveServer) -> object:
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(live.url + "/")
    return page


def _sign_in(page: object, key: str, *, ok: bool = True) -> None:
    page.fill("#key", key)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#workspace:not([hidden])" if ok else "#sign-in-error:not(:empty)")


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_planner_walks_a_round_from_workbook_to_roster(
    server: tuple[LiveServer, dict[str, str]], browser: object, workbooks: dict[str, Path]
) -> None:
    """Broken upload → problems table; good upload → solve → explain → lock → re-solve →
    compare → roster download; the key is never kept where another page could read it."""
    live, keys = server
    page = _page(browser, live)
    assert page.title() == "干部选派社区匹配工作台"
    _sign_in(page, keys["planner"])
    assert "组织部干部科" in page.inner_text("#who")

    page.set_input_files("#files", str(workbooks["bad"]))
    page.click("#import-new")
    page.wait_for_selector("#problems:not([hidden]) tbody tr")
    assert "特级" in page.inner_text("#problems")
    _shot(page, "1-problems")
    with page.expect_download() as marked:
        page.click("#marked")
    book = openpyxl.load_workbook(io.BytesIO(Path(str(marked.value.path())).read_bytes()))
    assert len(book.sheetnames) > 1  # the clerk's sheets and the list of problems

    page.set_input_files("#files", str(workbooks["good"]))
    page.click("#import-new")
    page.wait_for_selector("#round-view:not([hidden])")
    page.click("#solve")
    page.wait_for_selector("#score .status.optimal", timeout=120_000)
    rows = page.locator("#post-table tbody tr")
    assert rows.count() > 0
    _shot(page, "2-plan")

    rows.first.click()
    page.wait_for_selector("#detail:not([hidden]) #lock")
    assert page.inner_text("#detail h4") == "选派理由"
    _shot(page, "3-explanation")
    page.locator("#detail button.take").first.click()  # another cadre to this post, locked
    page.wait_for_selector("#notice:has-text('已锁定')")
    page.click("#solve")
    page.wait_for_selector("#plan-select option:nth-child(2)", state="attached")
    page.wait_for_selector("#post-table tbody tr.locked")
    _shot(page, "4-locked-resolved")

    page.click("[data-tab=compare]")
    page.click("#compare-go")
    page.wait_for_selector("#diff-table tbody tr.moved")
    assert "调整的岗位" in page.inner_text("#compare-result")
    _shot(page, "5-compare")

    page.click("[data-tab=plan]")
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        with page.expect_download() as download:
            page.click(f"[data-dl={fmt}]")
        path = download.value.path()
        assert path is not None and Path(path).read_bytes()[: len(magic)] == magic

    sitting = page.locator("#post-table tbody tr:not(.locked):not(.vacant)").first
    recalled = sitting.locator("td").nth(3).inner_text()  # the cadre, by name
    page.click("[data-tab=replace]")
    page.fill("#recall-ids", recalled)
    page.click("#replace-go")
    page.wait_for_selector("#changes tbody tr")
    assert "已证明" in page.inner_text("#levels")
    # a worker decided it: the tab followed the replacement job to its end
    assert "已完成" in page.inner_text("#replace-progress-text")
    _shot(page, "6-replacement")
    with page.expect_download() as adjustments:
        page.click("#adjustments")
    assert Path(str(adjustments.value.path())).read_bytes()[:2] == b"PK"

    stored = page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage),"
        " document.cookie, location.href])"
    )
    assert keys["planner"] not in stored
    page.click("#lang")
    assert page.title() == "Cadre posting planner"
    _shot(page, "7-english")
    assert page.errors == []


def test_viewer_sees_plans_but_no_write_controls(
    server: tuple[LiveServer, dict[str, str]], browser: object
) -> None:
    """A viewer's page hides import, solve, rules and replacement; a wrong key is refused."""
    live, keys = server
    page = _page(browser, live)
    _sign_in(page, "mk_000000000000_wrong", ok=False)
    assert "密钥无效" in page.inner_text("#sign-in-error")
    _sign_in(page, keys["viewer"])
    assert page.is_hidden("#import-card")
    page.wait_for_selector("#rounds .round")
    page.locator("#rounds .round").first.click()
    page.wait_for_selector("#round-view:not([hidden])")
    assert page.is_hidden("#solve") and page.is_hidden("[data-tab=rules]")
    assert page.errors == []
