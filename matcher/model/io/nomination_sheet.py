"""A unit's own list of nominees (CSV or XLSX) → people of the round's pool.

The sheet is read as the round import reads its sheets: title rows above the header are
skipped (:func:`matcher.model.io.layout.locate`), cells are normalised (full-width digits,
dates), the clerk's words for the columns are the round's cadre columns (干部编号, 姓名,
单位/工作单位, 出生年月, 职级 …) plus 公民身份号码 and 推荐理由. Each row names a person by id,
by citizen id, or by name + birth year (and unit, when given). Every row that finds nobody,
several people, someone of another unit, or a person named twice is reported with its row;
nothing is nominated unless every row is good.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from matcher.model.io.headers import CADRE_COLUMNS, Column, header_lookup, normalise_header
from matcher.model.io.layout import SCAN_ROWS, locate
from matcher.model.io.rows import Table, table_items
from matcher.model.io.single_sheet import single_sheet_text
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Cadre

_KEPT = ("id", "name", "unit", "birth_year", "rank")
NOMINATION_COLUMNS: tuple[Column, ...] = (
    *(replace(c, required=False) for c in CADRE_COLUMNS if c.key in _KEPT),
    Column("id_number", "公民身份号码", "id_number", aliases=("身份证号", "身份证号码")),
    Column("reason", "推荐理由", "reason", aliases=("推荐意见", "理由", "推荐原因")),
)


def read_nomination_sheet(filename: str, data: bytes) -> Table:
    """The first sheet of an XLSX file, or a CSV file (UTF-8 or GB18030), with its header found
    below any title rows."""
    return locate(filename, filename, _from_header(single_sheet_text(filename, data))).table


def _from_header(records: list[list[str]]) -> list[list[str]]:
    """The rows with those above the header blanked (numbers kept): the header is the first of
    the top rows naming the most nomination columns. A short list (序号, 人员编号, 推荐理由)
    names too few round columns for :func:`locate` to tell its header from a title."""
    known = header_lookup(NOMINATION_COLUMNS)
    hits = [sum(1 for c in row if normalise_header(c) in known) for row in records[:SCAN_ROWS]]
    if not hits or max(hits) == 0:
        return records
    at = hits.index(max(hits))
    return [[""] * len(r) for r in records[:at]] + records[at:]


def _find(item: dict[str, Any], pool: Sequence[Cadre]) -> tuple[list[Cadre], str] | None:
    """The people of the pool a row names and how it named them (None: it names nobody)."""
    if item.get("id"):
        cid = str(item["id"])
        return [c for c in pool if c.id == cid], f"干部编号 {cid}"
    if item.get("id_number"):
        number = str(item["id_number"]).upper()
        return [c for c in pool if (c.id_number or "").upper() == number], "公民身份号码"
    name, year, unit = str(item.get("name", "")), item.get("birth_year"), item.get("unit")
    if not name or year is None:
        return None
    hits = [
        c for c in pool if c.name == name and c.birth_year == year and (not unit or c.unit == unit)
    ]
    return hits, f"{name}（{int(year)}年出生）"


def _problem(source: str, row: int, zh: str, en: str, cid: str | None = None) -> InputProblem:
    return InputProblem(source, f"row {row}", en, id=cid, zh=zh)


def match_nominations(
    table: Table, pool: Sequence[Cadre], unit: str | None
) -> list[tuple[str, str]]:
    """(cadre id, reason) for every row; ``unit`` (None for an administrator) is the only
    unit whose people may be named. Raises :class:`InvalidInput` with every mismatch."""
    items = table_items(table, NOMINATION_COLUMNS)
    problems = [p for p in items.problems if p.severity == "error"]
    out: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for item, (source, row) in zip(items.items, items.rows, strict=True):
        found = _find(item, pool)
        if found is None:
            zh = "无法确定是谁：请填写干部编号、公民身份号码，或姓名和出生年月"
            en = "names nobody: give the cadre id, the citizen id, or name and birth year"
            problems.append(_problem(source, row, zh, en))
            continue
        hits, named = found
        if len(hits) != 1:
            zh, en = (
                (f"{named}：名单中查无此人", f"{named}: nobody of the round's pool")
                if not hits
                else (f"{named}：名单中不止一人，请填写干部编号", f"{named}: several people")
            )
            problems.append(_problem(source, row, zh, en))
            continue
        cad = hits[0]
        if unit is not None and cad.unit != unit:
            zh = f"{cad.name}不是本单位（{unit}）干部，只能推荐本单位干部"
            problems.append(_problem(source, row, zh, "not a cadre of this unit", cad.id))
        elif cad.id in seen:
            zh = f"{cad.name}与第{seen[cad.id]}行重复"
            problems.append(_problem(source, row, zh, f"same person as row {seen[cad.id]}", cad.id))
        else:
            seen[cad.id] = row
            out.append((cad.id, str(item.get("reason", ""))[:2000]))
    if not out and not problems:
        problems.append(
            InputProblem(table.source, "", "no nominee in the sheet", zh="表中没有推荐人选")
        )
    if problems:
        raise InvalidInput(problems)
    return out


__all__ = ["NOMINATION_COLUMNS", "match_nominations", "read_nomination_sheet"]
