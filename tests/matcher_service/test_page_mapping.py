"""The page's column mapping in a real browser: a clerk's workbook read column by column,
a role corrected, then imported with that mapping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.matcher.model.io.clerk_variants import make
from tests.matcher_service.test_page_browser import _page, _sign_in, browser, server

pytestmark = pytest.mark.slow
__all__ = ["browser", "server"]  # the fixtures, shared with the page's main walk


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield make(4, tmp_path_factory.mktemp("map")).path


def test_planner_reads_the_columns_then_imports(
    server: tuple[object, dict[str, str]], browser: object, workbook: Path
) -> None:
    """识别各列 shows every column with its role (private ones 私密); the planner keeps 性别 as
    a printed column instead and imports: the round opens."""
    live, keys = server
    page = _page(browser, live)
    _sign_in(page, keys["planner"])
    page.set_input_files("#files", str(workbook))
    page.click("#map-columns")
    page.wait_for_selector("#mapping:not([hidden]) table.mapping tbody tr")
    text = page.inner_text("#mapping")
    assert "列的识别" in text and "选派干部名单" in text
    private = page.locator("#mapping select").evaluate_all(
        "ss => ss.filter(s => s.value === '私密').length"
    )
    assert private >= 2  # 身份证号 and the phone column
    row = page.locator("#mapping tr", has_text="性")
    row.first.locator("select").select_option("保留")
    page.click("#import-new")
    page.wait_for_selector("#round-view:not([hidden])")
    assert not page.errors
