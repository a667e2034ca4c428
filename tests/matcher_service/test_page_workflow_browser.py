"""The selection workflow on the page, every role in headless Chromium against a live server.

One round goes the whole way, each role signing in with its own key and doing its step on the
page: the organisation department (组织部干部科) opens the selection; two units (派出单位)
nominate, one with the form, one with its own sheet (a wrong sheet first, refused row by row);
the department closes nominations; 纪委监委 answers one by one, 信访局 with its sheet; the
department reviews (one rejected), solves on the plan tab, proposes and starts publicity (公示),
records an objection and settles it; the 部务会 is refused while publicity runs, returns the
plan with a reason, then approves it after a second publicity and publishes it; a viewer and
a unit follow the timeline. Each screen is checked for what the role must not see, for
Chinese errors and for horizontal overflow at 1,366 px; screenshots go to var/screenshots/.
The tests run in order: each starts from the state the one before left.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from matcher_service.auth import Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.store import Store
from matcher_service.tables import WorkflowRow
from tests.matcher_service.live import ROOT, LiveServer
from tests.matcher_service.test_page_browser import CHROMIUM, FLAGS, SHOTS

pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api")
WIDTH = 1366
KEYS = {  # name, role, scope: keys as the departments would name them
    "planner": ("市委组织部干部科", Role.PLANNER, None),
    "approver": ("市委组织部部务会", Role.APPROVER, None),
    "viewer": ("市委组织部查看", Role.VIEWER, None),
    "finance": ("市财政局组织人事科", Role.UNIT, "市财政局"),
    "org": ("市委组织部机关党委", Role.UNIT, "市委组织部"),
    "discipline": ("市纪委监委案件审理室", Role.VETTER, "纪委监委"),
    "petitions": ("市信访局", Role.VETTER, "信访局"),
}
OTHER_UNITS = {"C03": "古塔区民政局", "C04": "凌河区住建局", "C05": "市交通局", "C06": "市信访局"}


@dataclass
class Flow:
    live: LiveServer
    url: str
    keys: dict[str, str]
    round_id: str
    folder: Path
    pages: list[Any] = field(default_factory=list)


def _round() -> dict[str, Any]:
    raw = json.loads((ROOT / "tests" / "data" / "rounds" / "tiny.json").read_text("utf-8"))
    raw["rules"]["clearances"] = {"required": ["纪检监察", "信访"]}
    raw["rules"]["coverage"] = {"allow_vacancies": True}
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"] = 1980 + i
    return raw


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    folder = tmp_path_factory.mktemp("workflow-page")
    url = f"sqlite:///{folder}/page.sqlite3"
    store = Store.connect(url)
    upgrade(store.engine)
    keys: dict[str, str] = {}
    for who, (name, role, scope) in {
        **KEYS,
        **{cid: (f"{unit}人事科", Role.UNIT, unit) for cid, unit in OTHER_UNITS.items()},
    }.items():
        keys[who] = create_key(store, name, role)
        if scope:
            store.set_key_scope(keys[who].split("_", 2)[1], scope)
    store.close()
    live = LiveServer(url, "geodata.pipeline:run_round", MATCHER_WARM_UP="0").start()
    try:
        with live.client(keys["planner"]) as c:
            rid = c.post("/rounds", json=_round()).raise_for_status().json()["id"]
        yield Flow(live, url, keys, rid, folder)
    finally:
        live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def _as(browser: Any, flow: Flow, who: str) -> Any:
    """A fresh browser context at 1,366 px, signed in with the key of ``who``."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(  # a fault the page caught and logged (refused requests are expected, not faults)
        "console",
        lambda m: (
            m.type == "error" and "Failed to load resource" not in m.text and errors.append(m.text)
        ),
    )
    page.errors = errors
    page.goto(flow.live.url + "/")
    page.fill("#key", flow.keys[who])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#workspace:not([hidden])")
    return page


def _look(page: Any, name: str) -> None:
    """Screenshot, and nothing wider than the window; no script error so far."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"wf-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name}: the page is {width} px wide"
    assert page.errors == [], page.errors


def _open_round(page: Any, flow: Flow) -> None:
    page.click(f"#rounds .round[data-round='{flow.round_id}']")
    page.wait_for_selector("#round-view:not([hidden])")
    page.click("[data-tab=workflow]")


def _at(page: Any, state: str) -> None:
    page.wait_for_selector(f"#wf-steps li.current[data-state={state}]")


def _api(flow: Flow, who: str) -> httpx.Client:
    return flow.live.client(flow.keys[who])


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(page: Any, button: str) -> tuple[str, str, bytes]:
    """Press a download button: the file's name as saved, the type the service sent, its bytes."""
    with (
        page.expect_response(
            lambda r: (
                "/workflow/" in r.url
                and r.request.method == "GET"
                and r.url.rsplit(".", 1)[-1] in ("xlsx", "pdf")
            )
        ) as answer,
        page.expect_download() as got,
    ):
        page.click(button)
    download = got.value
    path = download.path()
    return (
        download.suggested_filename,
        answer.value.headers["content-type"],
        Path(path).read_bytes(),
    )


def _documents(page: Any, record: bool) -> None:
    """The 公示 list as Excel and PDF, named as the department files them; the approval record
    too when ``record``, else no button for it."""
    name = re.sub(r'[\\/:*?"<>|]', "_", _round()["name"])  # as a folder takes it
    page.wait_for_selector("#wf-documents")
    for fmt, media, magic in (("xlsx", XLSX, b"PK"), ("pdf", "application/pdf", b"%PDF")):
        filename, kind, body = _download(page, f"#wf-dl-publicity-{fmt}")
        assert filename == f"{name}拟选派人选公示名单.{fmt}"
        assert kind.startswith(media) and body.startswith(magic)
        if record:
            filename, kind, body = _download(page, f"#wf-dl-record-{fmt}")
            assert filename == f"{name}选派方案审批记录.{fmt}"
            assert kind.startswith(media) and body.startswith(magic)
    assert page.locator("#wf-dl-record-xlsx").count() == (1 if record else 0)


def test_each_role_signs_in_to_its_own_view(flow: Flow, browser: Any) -> None:
    """Unit and vetting keys sign in (no refusal in English) and see their desk without the
    import card or rounds; the 部务会 is named as such; before the selection opens a unit has
    nothing to do."""
    page = _as(browser, flow, "finance")
    assert page.inner_text("#who") == "市财政局组织人事科（派出单位）"
    assert page.is_hidden("#import-card") and page.is_hidden("#round-view")
    page.wait_for_selector("#no-selections")
    assert "没有需要本单位办理" in page.inner_text("#rounds")
    _look(page, "0-unit-nothing-yet")
    page = _as(browser, flow, "discipline")
    assert "纪委监委" in page.inner_text("#who") and "role" not in page.inner_text("#who")
    page = _as(browser, flow, "approver")
    assert page.inner_text("#who") == "市委组织部部务会"  # the name says the role already


def test_planner_opens_the_selection(flow: Flow, browser: Any) -> None:
    """The organisation department opens the selection from the round's 选派流程 tab."""
    page = _as(browser, flow, "planner")
    assert "组织部干部科" in page.inner_text("#who")
    _open_round(page, flow)
    page.wait_for_selector("#wf-open-go")
    page.fill("#wf-open-reason", "2024年第一批选派")
    page.click("#wf-open-go")
    _at(page, "nominating")
    assert "开启选派" in page.inner_text("#wf-log")
    _look(page, "1-planner-opened")


def test_units_nominate_with_the_form_and_with_their_own_sheet(flow: Flow, browser: Any) -> None:
    """市财政局 ticks its person with a reason; 市委组织部 uploads a sheet with a title row and
    its own headers: a wrong name is refused by row (nothing nominated), the right one taken."""
    page = _as(browser, flow, "finance")
    page.wait_for_selector("#nominate-form")  # the only selection opens by itself
    assert page.locator("#nominate-form tbody tr").count() == 1  # only its own people
    assert "孙六" not in page.inner_text("#desk")
    page.check("#nominate-form input[value=C02]")
    page.fill("#nominate-reason", "熟悉财务，群众工作经验丰富")
    page.click("#nominate-go")
    page.wait_for_selector("#my-nominees tr[data-cadre=C02]")
    assert "已推荐1人" in page.inner_text("#desk-notice")
    _look(page, "2-unit-nominated")

    page = _as(browser, flow, "org")
    page.wait_for_selector("#nominate-upload")
    bad = flow.folder / "推荐名单（错）.csv"
    bad.write_text(
        "市委组织部推荐人选名单\n序号,姓名,出生年月,推荐理由\n1,王壹,1980.03,党建\n", "utf-8"
    )
    page.set_input_files("#nominate-file", str(bad))
    page.click("#nominate-upload-go")
    page.wait_for_selector("#nominate-problems tbody tr")
    assert "第3行" in page.inner_text("#nominate-problems")
    assert "查无此人" in page.inner_text("#nominate-problems")
    assert "未作任何改动" in page.inner_text("#desk-notice")
    _look(page, "3-unit-sheet-refused")
    good = flow.folder / "推荐名单.csv"
    good.write_text(
        "市委组织部推荐人选名单\n序号,姓名,出生年月,推荐理由\n1,王一,1980.03,党建\n", "utf-8"
    )
    page.set_input_files("#nominate-file", str(good))
    page.click("#nominate-upload-go")
    page.wait_for_selector("#my-nominees tr[data-cadre=C01]")
    assert page.is_hidden("#desk-notice.error")
    for cid in OTHER_UNITS:  # the other units nominate through the API
        with _api(flow, cid) as c:
            c.post(
                f"/rounds/{flow.round_id}/nominations", json={"cadre_id": cid}
            ).raise_for_status()


def test_planner_closes_nominations_and_follows_vetting(flow: Flow, browser: Any) -> None:
    """The department sees every unit's nominees, closes nominations and sees the vetting
    progress per department (纪委监委, 信访局), nobody answered yet."""
    page = _as(browser, flow, "planner")
    _open_round(page, flow)
    page.wait_for_selector("#wf-nominations")
    assert page.locator("#wf-nominations tbody tr").count() == 6
    page.click("#wf-vetting-go")
    _at(page, "vetting")
    page.wait_for_selector("#wf-vetting-progress tr[data-dept=discipline]")
    assert "纪委监委" in page.inner_text("#wf-vetting-progress")
    assert "信访局" in page.inner_text("#wf-vetting-progress")
    _look(page, "4-planner-vetting")


def test_departments_answer_one_by_one_and_by_sheet(flow: Flow, browser: Any) -> None:
    """纪委监委 records 通过 / 不通过 with a note person by person; 信访局 uploads its sheet
    (a mismatching one first, refused by row). Each sees only its own check."""
    page = _as(browser, flow, "discipline")
    page.wait_for_selector("#vet-queue")
    assert "纪委监委资格审查" in page.inner_text("#desk-title")
    for cid in ("C01", "C02", "C03", "C04", "C05"):
        page.select_option(f"select[data-status={cid}]", "cleared")
        page.click(f"button[data-save={cid}]")
        page.wait_for_selector(f"#vet-queue tr[data-cadre={cid}].cleared")
    page.select_option("select[data-status=C06]", "refused")
    page.fill("input[data-note=C06]", "正在接受纪律审查")
    page.click("button[data-save=C06]")
    page.wait_for_selector("#vet-queue tr[data-cadre=C06].refused")
    assert "已答复 6 / 6 人" in page.inner_text("#vet-progress")
    heads = page.locator("#vet-queue thead th").all_inner_texts()
    assert heads[:3] == ["姓名", "派出单位", "出生年份"] and len(heads) == 7  # no other department
    _look(page, "5-vetter-one-by-one")

    page = _as(browser, flow, "petitions")
    page.wait_for_selector("#vet-upload")
    sheets = ROOT / "tests" / "data" / "vetting"
    page.set_input_files("#vet-file", str(sheets / "petitions_mismatch.csv"))
    page.click("#vet-upload-go")
    page.wait_for_selector("#vet-problems tbody tr")
    assert "第3行" in page.inner_text("#vet-problems")
    assert "推荐人选中查无此人" in page.inner_text("#vet-problems")
    _look(page, "6-vetter-sheet-refused")
    page.set_input_files("#vet-file", str(sheets / "petitions.csv"))
    page.click("#vet-upload-go")
    page.wait_for_selector("#desk-notice:has-text('审查结果已接收')")
    assert page.inner_text("#vet-problems") == "" or page.is_hidden("#vet-problems")
    _look(page, "6-vetter-sheet-taken")


def test_planner_reviews_solves_proposes_and_starts_publicity(flow: Flow, browser: Any) -> None:
    """Review with one nominee rejected (a reason is required), solve on the plan tab,
    propose, start a 公示 of 5 days; an objection is recorded and settled."""
    page = _as(browser, flow, "planner")
    _open_round(page, flow)
    page.wait_for_selector("#wf-vetting-progress tr.complete[data-dept=discipline]")
    page.check("input[data-reject=C06]")
    page.click("#wf-review-go")
    page.wait_for_selector("#wf-notice.error:has-text('须写明理由')")
    page.fill("input[data-reject-why=C06]", "正在接受纪律审查")
    page.click("#wf-review-go")
    _at(page, "reviewed")
    page.click("#wf-to-solve")
    page.click("#solve")
    page.wait_for_selector("#score .status.optimal", timeout=120_000)
    page.click("[data-tab=workflow]")
    page.wait_for_selector("#wf-plan option", state="attached")
    page.click("#wf-propose-go")
    _at(page, "proposed")
    page.wait_for_selector("#wf-publicity-list tbody tr")
    listed = page.inner_text("#wf-publicity-list")
    assert "孙六" not in listed and "C0" not in listed  # rejected absent; no ids
    page.fill("#wf-days", "5")
    page.click("#wf-publicity-go")
    _at(page, "publicity")
    page.select_option("#wf-objection-cadre", label="王一")
    page.fill("#wf-objection-text", "群众来电反映王一工作作风问题")
    page.click("#wf-objection-go")
    page.wait_for_selector("#wf-objections tr.open")
    _look(page, "7-planner-objection")
    page.fill("#wf-objections input[data-resolution]", "经核查不属实")
    page.click("#wf-objections button[data-resolve]")
    page.wait_for_selector("#wf-objections tr.resolved")
    assert "经核查不属实" in page.inner_text("#wf-objections")


def test_planner_downloads_the_publicity_list_while_it_runs(flow: Flow, browser: Any) -> None:
    """During 公示 the department downloads the list as Excel and PDF; there is no approval
    record yet, so no button for it."""
    page = _as(browser, flow, "planner")
    _open_round(page, flow)
    _at(page, "publicity")
    _documents(page, record=False)
    assert page.errors == [], page.errors


def _end_publicity(flow: Flow) -> None:
    """The calendar moves on: the publicity period is over (set in the database, as time
    would; no test waits five working days)."""
    store = Store.connect(flow.url)
    try:
        with store.engine.begin() as conn:
            conn.execute(
                update(WorkflowRow)
                .where(WorkflowRow.round_id == flow.round_id)
                .values(publicity_ends=datetime(2000, 1, 1, tzinfo=UTC))
            )
    finally:
        store.close()


def test_approver_is_refused_during_publicity_then_returns_the_plan(
    flow: Flow, browser: Any
) -> None:
    """The 部务会 lands on its approval screen: the plan, the rule check, the changes since
    review; approving during publicity is refused in Chinese; it returns the plan with a
    reason (required), and the round goes back to review."""
    page = _as(browser, flow, "approver")
    page.click(f"#rounds .round[data-round='{flow.round_id}']")
    page.wait_for_selector("#wf-approval #wf-rule-check tbody tr")  # its tab is open already
    assert "审核后名单未改动" in page.inner_text("#wf-since-review")
    assert "公示反映均已办结" in page.inner_text("#wf-approval")
    page.click("#wf-approve-go")
    page.wait_for_selector("#wf-notice.error")
    refusal = page.inner_text("#wf-notice")
    assert "公示期未满" in refusal and "publicity" not in refusal
    _look(page, "8-approver-refused")
    page.click("#wf-return-go")
    page.wait_for_selector("#wf-notice.error:has-text('退回须写明理由')")
    page.fill("#wf-approve-reason", "请补充社区意见后重新报送")
    page.click("#wf-return-go")
    _at(page, "reviewed")
    assert "退回重新审核" in page.inner_text("#wf-log")
    assert "请补充社区意见" in page.inner_text("#wf-log")


def test_approver_approves_and_publishes_after_a_second_publicity(flow: Flow, browser: Any) -> None:
    """The department proposes again and publicises; when the period is over the 部务会
    approves (the next round is made) and publishes."""
    page = _as(browser, flow, "planner")
    _open_round(page, flow)
    page.wait_for_selector("#wf-propose-go")
    page.click("#wf-propose-go")
    _at(page, "proposed")
    page.click("#wf-publicity-go")
    _at(page, "publicity")
    _end_publicity(flow)

    page = _as(browser, flow, "approver")
    page.click(f"#rounds .round[data-round='{flow.round_id}']")
    page.wait_for_selector("#wf-approval #wf-rule-check tbody tr")
    assert "✓" in page.inner_text("#wf-rule-check")
    _look(page, "9-approver-screen")
    page.fill("#wf-approve-reason", "部务会研究同意")
    page.click("#wf-approve-go")
    _at(page, "approved")
    page.click("#wf-publish-go")
    _at(page, "published")
    assert page.is_visible("#wf-next")
    assert "部务会研究同意" in page.inner_text("#wf-log")
    _look(page, "10-approver-published")


def test_documents_after_approval_by_role(flow: Flow, browser: Any) -> None:
    """After approval the 部务会 and the department download the 公示 list and the approval
    record (Excel, PDF); a viewer gets the public list only; English names the files in
    English."""
    for who in ("approver", "planner"):
        page = _as(browser, flow, who)
        _open_round(page, flow)
        _at(page, "published")
        _documents(page, record=True)
        assert page.errors == [], page.errors
    page = _as(browser, flow, "viewer")
    _open_round(page, flow)
    _at(page, "published")
    log = page.inner_text("#wf-log")
    assert "5个工作日" in log and "working" not in log  # the publicity's length in words
    _documents(page, record=False)
    page.click("#lang")
    page.wait_for_selector("#wf-documents h3:has-text('Documents')")
    filename, _, body = _download(page, "#wf-dl-publicity-xlsx")
    name = re.sub(r'[\\/:*?"<>|]', "_", _round()["name"])
    assert filename == f"{name} - publicity list.xlsx" and body.startswith(b"PK")


def test_everyone_follows_the_timeline_and_sees_only_its_part(flow: Flow, browser: Any) -> None:
    """A viewer sees the steps, the log and the 公示 list but no step to take; a unit sees
    where the round stands and its own nominee's decision, not other units' people; the
    page reads in English too."""
    page = _as(browser, flow, "viewer")
    assert page.inner_text("#who") == "市委组织部查看（查看人员）"
    _open_round(page, flow)
    page.wait_for_selector("#wf-publicity-list tbody tr")
    for button in ("#wf-open-go", "#wf-approve-go", "#wf-publish-go", "#wf-objection-go"):
        assert page.locator(button).count() == 0
    log = page.inner_text("#wf-log")
    assert "市委组织部部务会" in log and "市纪委监委案件审理室（资格审查部门）" in log
    assert "审核不予通过" in log and "正在接受纪律审查" not in log, log  # no reasons about people
    _look(page, "11-viewer-timeline")

    page = _as(browser, flow, "finance")
    page.wait_for_selector("#wf-timeline")
    _at(page, "published")
    assert "审核通过" in page.inner_text("#my-nominees")
    text = page.inner_text("#desk")
    assert "孙六" not in text and "王一" not in text and "正在接受纪律审查" not in text
    page.click("#lang")
    page.wait_for_selector("#who:has-text('nominating unit')")
    page.wait_for_selector("#wf-timeline h3:has-text('Where the round stands')")
    _look(page, "12-unit-english")
