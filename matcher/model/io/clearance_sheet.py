"""A vetting department's own sheet (CSV or XLSX) → clearances matched to the nominees.

Each department sends back the list it was given with its answer per person: one row per
cadre, found by id (干部编号), by 公民身份号码 where both sides carry it, or by name + unit +
birth year (姓名、单位、出生年份; a year written 不详 is no year, and then name + unit must name
one nominee alone). The sheet is read like a round's (:func:`matcher.model.io.layout.locate`):
title rows above the header and footer rows (填表人、审核人) below are skipped; 出生年月 1974.12
reads as 1974. Every row that finds nobody, finds more than one person, or contradicts another
row for the same person is reported with its row number, in Chinese and English; nothing is
applied unless every row is good.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from matcher.model.io.headers import Column
from matcher.model.io.layout import locate
from matcher.model.io.rows import Table, table_items
from matcher.model.io.single_sheet import single_sheet_text
from matcher.model.messages import Text
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Cadre, Round
from matcher.model.vetting import STATUS_WORDS, Clearance

SHEET_COLUMNS: tuple[Column, ...] = (
    Column("id", "干部编号", "cadre_id", aliases=("编号", "cadre_id")),
    Column("name", "姓名", "name"),
    Column("unit", "单位", "unit", aliases=("派出单位", "工作单位")),
    Column(
        "birth_year", "出生年份", "birth_year", "birth", aliases=("出生年", "出生年月", "出生日期")
    ),
    Column("id_number", "公民身份号码", "id_number", aliases=("身份证号", "身份证号码")),
    Column("status", "审查结果", "status", required=True, aliases=("结果", "意见", "联审意见")),
    Column("date", "日期", "date", aliases=("审查日期",)),
    Column("note", "说明", "note", aliases=("备注",)),
)


def read_sheet(filename: str, data: bytes) -> Table:
    """The first sheet of an XLSX file, or a CSV file (UTF-8 or GB18030), as a table."""
    return locate(filename, filename, single_sheet_text(filename, data), SHEET_COLUMNS).table


def _find(item: dict[str, Any], nominees: Sequence[Cadre]) -> tuple[list[Cadre], str]:
    """The nominees a row names and how it named them."""
    if "cadre_id" in item:
        cid = str(item["cadre_id"])
        return [c for c in nominees if c.id == cid], f"编号 {cid}"
    number = str(item.get("id_number", "")).upper()
    if number and any(c.id_number for c in nominees):
        return [c for c in nominees if (c.id_number or "").upper() == number], "身份证号"
    name, unit = str(item.get("name", "")), str(item.get("unit", ""))
    year = item.get("birth_year")
    if not name or not unit:
        return [], ""
    hits = [c for c in nominees if c.name == name and c.unit == unit]
    if year is not None:
        hits = [c for c in hits if c.birth_year == year]
    return hits, f"{name} / {unit}" + (f" / {int(year)}" if year is not None else "")


def _say(zh: str, en: str) -> Text:
    return Text(zh, en)


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
            if not named:
                text = _say(
                    "既无编号、身份证号，也没有姓名 + 单位，找不到对应干部",
                    "neither an id nor name + unit + birth year",
                )
            elif not hits:
                text = _say(
                    f"{named}：推荐人选中查无此人", f"{named} names no nominee of this round"
                )
            else:
                text = _say(
                    f"{named}：对应不止一名推荐人选（{len(hits)} 名），请填写干部编号",
                    f"{named} names more than one nominee",
                )
            problems.append(InputProblem.said(source, where, text))
            continue
        cad = hits[0]
        if "cadre_id" in item and item.get("name") and item["name"] != cad.name:
            text = _say(
                f"姓名“{item['name']}”与编号对应的人选“{cad.name}”不符",
                "the name does not match the id's nominee",
            )
            problems.append(InputProblem.said(source, where, text, id=cad.id))
            continue
        try:
            fields = {k: item[k] for k in ("status", "date", "note") if k in item}
            clearance = Clearance(department=department, **fields)
        except ValidationError as exc:
            for err in exc.errors():
                msg = f"{err['msg']} (got {err.get('input')!r})"
                zh = f"审查结果“{err.get('input')}”无法识别：应为 通过、不通过 或 待审"
                field = str(err["loc"][0])
                if field != "status":
                    zh = f"“{err.get('input')}”无法识别（{field}）"
                problems.append(InputProblem(source, where, msg, id=cad.id, field=field, zh=zh))
            continue
        if cad.id in seen:
            first = seen[cad.id]
            if first[0] != clearance.status.value:
                now_says = clearance.status.value
                text = _say(
                    f"与第 {first[1]} 行矛盾：那一行是“{STATUS_WORDS.get(first[0], first[0])}”，"
                    f"本行是“{STATUS_WORDS.get(now_says, now_says)}”",
                    f"conflicting clearances: row {first[1]} says {first[0]}, this row {now_says}",
                )
                problems.append(InputProblem.said(source, where, text, id=cad.id))
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
