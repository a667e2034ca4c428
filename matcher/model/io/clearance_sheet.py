"""A vetting department's own sheet (CSV or XLSX) → clearances matched to the nominees.

Each department sends back the list it was given with its answer per person: one row per
cadre, found by id (干部编号) or, when the department's sheet has no ids, by name + unit + birth
year (姓名、单位、出生年份). Every row that finds nobody, finds more than one person, or
contradicts another row for the same person is reported with its row number; nothing is
applied unless every row is good.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from matcher.model.io.cells import cell_text
from matcher.model.io.headers import Column
from matcher.model.io.rows import Table, table_items
from matcher.model.io.tables import decode_csv
from matcher.model.io.xlsx_guard import check_workbook
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Cadre, Round
from matcher.model.vetting import Clearance

SHEET_COLUMNS: tuple[Column, ...] = (
    Column("id", "干部编号", "cadre_id", aliases=("编号", "cadre_id")),
    Column("name", "姓名", "name"),
    Column("unit", "单位", "unit", aliases=("派出单位", "工作单位")),
    Column("birth_year", "出生年份", "birth_year", "number", aliases=("出生年",)),
    Column("status", "审查结果", "status", required=True, aliases=("结果", "意见", "联审意见")),
    Column("date", "日期", "date", aliases=("审查日期",)),
    Column("note", "说明", "note", aliases=("备注",)),
)


def read_sheet(filename: str, data: bytes) -> Table:
    """The first sheet of an XLSX file, or a CSV file (UTF-8 or GB18030), as a table."""
    if filename.lower().endswith(".xlsx"):
        import openpyxl  # local: only XLSX users pay for the import

        check_workbook(io.BytesIO(data), source=filename)  # bombs and DTDs before openpyxl
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError):
            raise InvalidInput([InputProblem(filename, "", "not an XLSX workbook")]) from None
        try:
            ws = book.worksheets[0]
            records = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        finally:
            book.close()
    else:
        try:
            text = decode_csv(data, filename)
        except Exception as exc:
            problem = getattr(exc, "problem", InputProblem(filename, "", "cannot decode"))
            raise InvalidInput([problem]) from None
        records = list(csv.reader(io.StringIO(text)))
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        return Table(filename, [], [])
    (_, header), *body = numbered
    return Table(filename, [h.strip() for h in header], body)


_STATUS_ZH = {"cleared": "通过", "refused": "不通过", "pending": "待审"}


def _zh(named: str) -> str:
    """How a row named the person, in Chinese."""
    if named.startswith("id "):
        return f"干部编号 {named[3:].strip(chr(39))}"
    if named.startswith("neither"):
        return "既无干部编号，也无姓名、单位和出生年份"
    return named


def _find(item: dict[str, Any], nominees: Sequence[Cadre]) -> tuple[list[Cadre], str]:
    """The nominees a row names and how it named them."""
    if "cadre_id" in item:
        cid = str(item["cadre_id"])
        return [c for c in nominees if c.id == cid], f"id {cid!r}"
    name, unit = str(item.get("name", "")), str(item.get("unit", ""))
    year = item.get("birth_year")
    if not name or not unit or year is None:
        return [], "neither an id nor name + unit + birth year"
    hits = [c for c in nominees if c.name == name and c.unit == unit and c.birth_year == year]
    return hits, f"{name} / {unit} / {int(year)}"


def match_sheet(
    table: Table, department: str, nominees: Sequence[Cadre]
) -> list[tuple[str, Clearance]]:
    """(cadre id, clearance) for every row; raises :class:`InvalidInput` with every mismatch."""
    items = table_items(table, SHEET_COLUMNS)
    problems = list(items.problems)
    out: list[tuple[str, Clearance]] = []
    seen: dict[str, tuple[str, int]] = {}
    for item, (source, row) in zip(items.items, items.rows, strict=True):
        where = f"row {row}"
        hits, named = _find(item, nominees)
        if len(hits) != 1:
            why = "names no nominee of this round" if not hits else "names more than one nominee"
            zh = "推荐人选中查无此人" if not hits else "对应不止一名推荐人选，请填写干部编号"
            problems.append(InputProblem(source, where, f"{named} {why}", zh=f"{_zh(named)}：{zh}"))
            continue
        cad = hits[0]
        if "cadre_id" in item and item.get("name") and item["name"] != cad.name:
            problems.append(
                InputProblem(
                    source,
                    where,
                    "the name does not match the id's nominee",
                    id=cad.id,
                    zh=f"姓名与干部编号不符（编号{cad.id}是{cad.name}）",
                )
            )
            continue
        try:
            fields = {k: item[k] for k in ("status", "date", "note") if k in item}
            clearance = Clearance(department=department, **fields)
        except ValidationError as exc:
            for err in exc.errors():
                msg = f"{err['msg']} (got {err.get('input')!r})"
                problems.append(
                    InputProblem(source, where, msg, id=cad.id, field=str(err["loc"][0]))
                )
            continue
        if cad.id in seen:
            first = seen[cad.id]
            if first[0] != clearance.status.value:
                now_says = clearance.status.value
                msg = f"conflicting clearances: row {first[1]} says {first[0]}, this row {now_says}"
                was, now = _STATUS_ZH[first[0]], _STATUS_ZH[now_says]
                zh = f"与第{first[1]}行的审查结果矛盾（{was}、{now}）"
                problems.append(InputProblem(source, where, msg, id=cad.id, zh=zh))
            continue
        seen[cad.id] = (clearance.status.value, row)
        out.append((cad.id, clearance))
    if problems:
        raise InvalidInput(problems)
    return out


def apply_clearances(rnd: Round, answers: Sequence[tuple[str, Clearance]]) -> Round:
    """The round with each answer recorded on its cadre (replacing that department's earlier
    answer on the same cadre)."""
    given: dict[str, dict[str, Clearance]] = {}
    for cadre_id, clearance in answers:
        given.setdefault(cadre_id, {})[clearance.department] = clearance
    cadres = []
    for cad in rnd.cadres:
        new = given.get(cad.id)
        if new:
            kept = [c for c in cad.clearances if c.department not in new]
            cad = cad.model_copy(update={"clearances": kept + list(new.values())})
        cadres.append(cad)
    return rnd.model_copy(update={"cadres": cadres})


__all__ = ["SHEET_COLUMNS", "apply_clearances", "match_sheet", "read_sheet"]
