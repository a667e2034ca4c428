"""The roster as an approval document, read back: XLSX sheets, columns, reasons, print setup,
the PDF's text, with and without cadres' wishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from pypdf import PdfReader

from geodata.pipeline import run_round
from matcher.engine.result import Assignment, Result, Status
from matcher.model.io import read_round
from matcher.model.io.results import write_roster_pdf, write_roster_xlsx, write_summary
from matcher.model.round import Round

TINY = Path(__file__).parents[2] / "data" / "rounds" / "tiny.json"
SHEETS = ["选派名单", "未安排干部", "空缺岗位", "规则核对", "汇总", "技术信息"]
COLUMNS = [
    "序号", "区(县)", "街道", "社区", "岗位", "姓名", "性别", "出生年月", "政治面貌",
    "工作单位", "职务职级", "专长", "距离(公里)", "选派理由", "备注",
]  # fmt: skip


def tiny(wishes: bool) -> Round:
    """tiny.json with personal details and planner columns; with ``wishes`` C03 and C01 state
    ranked wishes (C03: GT02 then GT01; C01: GT02), the others none."""
    rnd = read_round(TINY)
    cadres = []
    for c in rnd.cadres:
        update: dict[str, Any] = {"extra": {"联系电话": f"138{c.id}"}}
        if c.id == "C03":
            update.update(rank_title="四级调研员", gender="男", birth_year=1984, birth_month=3)
            update["political_status"] = "中共党员"
            if wishes:
                update["preferences"] = ["GT02", "GT01"]
        if c.id == "C01" and wishes:
            update["preferences"] = ["GT02"]
        cadres.append(c.model_copy(update=update))
    coms = [c.model_copy(update={"extra": {"网格数": "5"}}) for c in rnd.communities]
    return rnd.model_copy(update={"cadres": cadres, "communities": coms})


def plan() -> Result:
    """GT01: C03 and C05; GT02: C01 and C02; LH01's first secretary vacant."""
    posts = [
        Assignment("GT01", "full-time", 1, "C03", 2200, -300, {"weak_priority": -360}),
        Assignment("GT01", "part-time", 1, "C05", 1700, -200, {"weak_priority": -180}),
        Assignment("GT02", "full-time", 1, "C01", 2100, 21),
        Assignment("GT02", "part-time", 1, "C02", 1900, 19),
        Assignment(
            "LH01", "full-time", 1, None, None, 10**6, {"vacancy": 10**6},
            "all 1 eligible cadres hold other posts",
        ),
    ]  # fmt: skip
    return Result(
        Status.OPTIMAL, 999_560, 999_560.0, 0.0, {"vacancy": 10**6}, "flow", 0.01,
        tuple(posts), unplaced_cadres=("C04", "C06"), seed=7,
    )  # fmt: skip


def rows(sheet: Any, header_row: int) -> list[dict[str, Any]]:
    """The table's rows as dicts, up to the blank row above the 落款."""
    head = [c.value for c in sheet[header_row]]
    out = []
    for r in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in r):
            break
        out.append(dict(zip(head, r, strict=False)))
    return out


def test_roster_sheets_columns_and_title(tmp_path: Path) -> None:
    """The workbook has the six sheets; the roster a title row, the approvers' columns in
    order, the planner's own columns, the original title, and ids hidden for printing."""
    write_roster_xlsx(tiny(wishes=False), plan(), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == SHEETS
    ws = book["选派名单"]
    assert ws["A1"].value == "tiny: three communities in Guta district, checkable by hand 选派名单"
    head = [c.value for c in ws[3]]
    assert head[: len(COLUMNS)] == COLUMNS
    assert head[len(COLUMNS) :] == ["网格数", "联系电话", "社区编号", "岗位序号", "干部编号"]
    first = rows(ws, 3)[0]
    assert (first["社区"], first["岗位"], first["姓名"]) == ("北街社区", "担任第一书记", "张三")
    assert (first["职务职级"], first["性别"], first["出生年月"]) == ("四级调研员", "男", "1984.03")
    assert first["政治面貌"] == "中共党员" and first["联系电话"] == "138C03"
    assert first["距离(公里)"] == 2.2 and first["网格数"] == "5"
    assert rows(ws, 3)[3]["岗位"] == "担任兼职委员" and rows(ws, 3)[4]["姓名"] == "（空缺）"
    hidden = {c: ws.column_dimensions[c].hidden for c in ("P", "Q", "R", "S", "T")}
    assert hidden == {"P": False, "Q": False, "R": True, "S": True, "T": True}


def test_roster_print_setup(tmp_path: Path) -> None:
    """A4 landscape, fitted to the page width, title and header repeated, frozen, filtered."""
    write_roster_xlsx(tiny(wishes=False), plan(), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["选派名单"]
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9 = A4
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows in ("1:3", "$1:$3")
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:T8"
    assert "&P" in ws.oddFooter.center.text
    assert ws.column_dimensions["N"].width > ws.column_dimensions["A"].width  # 选派理由 is wide


def test_reasons_without_wishes_never_say_wish(tmp_path: Path) -> None:
    """No cadre stated a wish: no reason mentions a wish; reasons name the real grounds."""
    write_roster_xlsx(tiny(wishes=False), plan(), tmp_path / "r.xlsx")
    roster = rows(openpyxl.load_workbook(tmp_path / "r.xlsx")["选派名单"], 3)
    reasons = [r["选派理由"] for r in roster]
    assert not any("志愿" in r or "preferred" in r for r in reasons)
    assert reasons[0] == "就近（2.2公里）；四级调研员，达到副科以上要求"  # the title held
    assert (
        reasons[1]
        == "就近（1.7公里）；交通专长，满足软弱涣散社区配备要求；软弱涣散社区优先配强（副科）"
    )
    assert reasons[4] == "符合条件的1名干部均已安排到其他岗位"


def test_reasons_with_wishes_name_the_wish(tmp_path: Path) -> None:
    """C03 got its second wish (第2志愿), C01 its first; cadres without wishes get none."""
    write_roster_xlsx(tiny(wishes=True), plan(), tmp_path / "r.xlsx")
    roster = rows(openpyxl.load_workbook(tmp_path / "r.xlsx")["选派名单"], 3)
    assert roster[0]["选派理由"].startswith("第2志愿；就近（2.2公里）")
    assert roster[2]["选派理由"].startswith("第1志愿；")
    assert "志愿" not in roster[1]["选派理由"] and "志愿" not in roster[3]["选派理由"]


def test_unplaced_vacant_rules_summary_and_record(tmp_path: Path) -> None:
    """Unplaced cadres and vacant posts carry reasons, every rule is checked, the summary
    speaks a department's words and the solver's record sits on its own sheet."""
    write_roster_xlsx(tiny(wishes=True), plan(), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    unplaced = {r["干部编号"]: r["未安排原因"] for r in rows(book["未安排干部"], 2)}
    assert unplaced["C06"] == (
        "存在不得当选情形：D07 正在接受纪律审查、监察调查，或被司法机关立案侦查的"
        "（under disciplinary review）"
    )
    assert unplaced["C04"].startswith("经综合比较未安排")
    [vacant] = rows(book["空缺岗位"], 2)
    assert vacant["社区"] == "河东社区" and vacant["空缺原因"].startswith("符合条件的1名干部")
    checks = {r["规则"]: (r["本方案情况"], r["结论"]) for r in rows(book["规则核对"], 2)}
    assert checks["weak communities need 副科 or above"] == ("1 / 1", "✓")
    assert checks["全覆盖：第一书记（脱产）"] == ("已配 2 / 3", "✗")  # LH01 is vacant
    assert checks["就近距离"] == ("最远2.2公里", "✓")
    summary = {r["项目"]: r["情况"] for r in rows(book["汇总"], 2)}
    assert summary["选派岗位"] == "5个：第一书记（脱产）3个，兼职委员2个"
    assert summary["第一书记来源"] == "市直1名，县区1名，街道0名"
    assert summary["尊重本人意愿"] == (
        "提出志愿的2人中：按第1志愿安排1人，第2志愿1人；安排在志愿以外0人；未安排岗位0人"
    )
    assert "下界" not in summary and "随机种子" not in summary
    record = {r["项目"]: r["数值"] for r in rows(book["技术信息"], 1)}
    assert record["下界"] == 999_560 and record["随机种子"] == 7 and record["算法"] == "网络流"


def test_english_roster(tmp_path: Path) -> None:
    """lang='en' writes the same document in English."""
    write_roster_xlsx(tiny(wishes=True), plan(), tmp_path / "r.xlsx", lang="en")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames[:3] == ["Roster", "Not placed", "Vacant posts"]
    first = rows(book["Roster"], 3)[0]
    assert first["Post"] == "First secretary (full-time)"
    assert first["Reasons"].startswith("wish no. 2; near home (2.2 km)")


def test_pdf_for_signing(tmp_path: Path) -> None:
    """The PDF holds the title, the roster with names and reasons, page numbers and the
    reviewing and approving signature block, in Chinese text a reader can extract."""
    write_roster_pdf(tiny(wishes=True), plan(), tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "选派名单" in text and "张三" in text and "四级调研员" in text
    assert "第2志愿" in text and "审核意见" in text and "审批人（签字）" in text
    assert f"共 {len(reader.pages)} 页" in text and "第 1 页" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_summary_markdown_in_words_without_names(tmp_path: Path) -> None:
    """summary.md says what the plan does, checks the rules and names only the cadres left
    without a post (never the placed ones: the roster names those)."""
    rnd = tiny(wishes=True)
    write_summary(rnd, plan(), tmp_path / "s.md")
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "| 选派岗位 | 5个：第一书记（脱产）3个，兼职委员2个 |" in text
    assert "## 规则核对" in text and "## 技术信息（备查）" in text
    assert "河东社区 第一书记：" in text
    result = plan()
    placed = {a.cadre_id for a in result.assignments}
    assert not any(c.name in text for c in rnd.cadres if c.id in placed)
    assert all(c.name in text for c in rnd.cadres if c.id in result.unplaced_cadres)


def test_engine_names_a_wish_only_for_cadres_who_gave_one() -> None:
    """Solving with one cadre's wishes: only that cadre's post may be called a choice."""
    rnd = tiny(wishes=False)
    cadres = [
        c.model_copy(update={"preferences": ["GT02"]}) if c.id == "C01" else c for c in rnd.cadres
    ]
    result = run_round(rnd.model_copy(update={"cadres": cadres})).result
    for a in result.assignments:
        if a.cadre_id != "C01":
            assert "choice" not in a.reason and "preferred" not in a.reason, a
