"""A sheet read by meaning: its column mapping turned into the columns the row reader fills,
the cells that need more than one column's parser, and what the planner is told.

:func:`read_plan` proposes (or takes the planner's) :class:`mapping.SheetMapping` for a
table and returns a :class:`Plan`: the round column per position, the special columns (a
"lon,lat" pair in one cell, a unit with its post, 所需专长 for both post types, private
columns), the position of 序号, and the warnings that report the mapping (what was recognised
by meaning, which columns are private, which are questions). :func:`fill_special` puts one
row's special cells into its item; :func:`stable_ids` gives a sheet without an id column ids
that do not change when rows move.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from matcher.model.io.cells import split_list
from matcher.model.io.header_words import field_of, header_score
from matcher.model.io.headers import Column
from matcher.model.io.mapping import ColumnRole, SheetMapping, apply_confirmed, propose
from matcher.model.io.sniff import LAT, LON, pair, split_unit_post
from matcher.model.messages import Text
from matcher.model.problems import InputProblem

PROFILE_ROWS = 1_000  # rows whose cells the content sniffers see
_SHEET = re.compile(r"\[([^\]]+)\]$")
_CRS = {"wgs84", "gcj02", "bd09", "cgcs2000"}


@dataclass
class Plan:
    """How to read a sheet's rows (see module docstring)."""

    mapping: SheetMapping
    columns: list[Column | None]
    special: list[ColumnRole] = field(default_factory=list)
    sequence: int | None = None
    crs: str | None = None
    notes: list[InputProblem] = field(default_factory=list)


def sheet_name(source: str) -> str:
    """The sheet of ``book.xlsx[干部]``, or the file's stem for a CSV file."""
    m = _SHEET.search(source)
    if m:
        return m.group(1)
    stem = source.replace("\\", "/").rsplit("/", 1)[-1]
    return stem.rsplit(".", 1)[0]


def _values(rows: list[tuple[int, list[str]]], width: int) -> list[list[str]]:
    sample = rows[:PROFILE_ROWS]
    return [[cells[i] if i < len(cells) else "" for _, cells in sample] for i in range(width)]


def read_plan(
    source: str,
    head_row: int,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    kind: str,
    columns: tuple[Column, ...],
    given: SheetMapping | None,
) -> Plan:
    """The plan for one sheet (see module docstring)."""
    proposed = propose(kind, sheet_name(source), header, _values(rows, len(header)))
    sm = apply_confirmed(proposed, given)
    by_key = {c.key: c for c in columns}
    plan = Plan(sm, [None] * len(header))
    read_by_meaning: list[str] = []
    private: list[str] = []
    questions: list[str] = []
    for col in sm.columns:
        if col.unsure:
            names = "、".join(_zh(kind, k) for k in col.candidates) or "保留"
            now = _zh(kind, col.field) if col.field else "保留"
            questions.append(f"“{col.header}”（现按{now}；也可能是{names}）")
        if col.role in ("kept", "ignored") or col.field is None:
            if col.field == "sequence" or (col.role == "ignored" and "序" in col.header):
                plan.sequence = col.position
            continue
        if col.field == "sequence":
            plan.sequence = col.position
            continue
        if col.role == "private":
            private.append(col.header)
            plan.special.append(col)
            continue
        if col.field in ("location", "unit_post", "needed_skills"):
            plan.special.append(col)
        elif col.field in by_key:
            plan.columns[col.position] = by_key[col.field]
        if col.unit in _CRS and col.field in ("lon", "lat", "location"):
            plan.crs = col.unit
        words = header_score(kind, col.header)
        if not col.confirmed and words.get(col.field, 0.0) < 1.0:  # not one of its words
            read_by_meaning.append(f"“{col.header}”→{_zh(kind, col.field)}")
    where = f"row {head_row}"
    if read_by_meaning:
        text = Text(
            "按内容和近义词识别的列：" + "；".join(read_by_meaning),
            "columns recognised by their contents and similar words: " + "; ".join(read_by_meaning),
        )
        plan.notes.append(InputProblem.said(source, where, text, severity="warning"))
    if private:
        heads = "、".join(f"“{h}”" for h in private)
        text = Text(
            f"私密列（只用于核对身份，不输出到名单、文书、页面和日志）：{heads}",
            f"private columns (used to tell people apart, never printed): {heads}",
        )
        if kind != "cadres":
            text = Text(
                f"私密列（不读取，不输出到名单、文书、页面和日志）：{heads}",
                f"private columns (not read, never printed): {heads}",
            )
        plan.notes.append(InputProblem.said(source, where, text, severity="warning"))
    if questions:
        text = Text(
            "以下列的含义没有把握，请用 matcher map 生成列的识别表确认：" + "；".join(questions),
            "not sure what these columns mean; confirm with matcher map: " + "; ".join(questions),
        )
        plan.notes.append(InputProblem.said(source, where, text, severity="warning"))
    return plan


def _zh(kind: str, key: str | None) -> str:
    f = field_of(kind, key or "")
    return f.zh if f is not None else str(key)


def _set(item: dict[str, Any], path: str, value: Any) -> None:
    *heads, last = path.split(".")
    for h in heads:
        item = item.setdefault(h, {})
    item[last] = value


def fill_special(
    item: dict[str, Any], cells: list[str], plan: Plan, kind: str, row: int, source: str
) -> list[InputProblem]:
    """Put a row's special cells (pair, unit+post, 所需专长, private) into its item."""
    problems: list[InputProblem] = []
    have = {c.key for c in plan.columns if c is not None}
    for col in plan.special:
        text = cells[col.position].strip() if col.position < len(cells) else ""
        if not text:
            continue
        where = f"row {row}, column '{col.header}'"
        if col.field == "location":
            got = pair(text)
            if got is None:
                problems.append(_bad_pair(source, where, text))
                continue
            lon, lat = (got[1], got[0]) if col.order == "latlon" else got
            if LAT[0] <= lon <= LAT[1] and LON[0] <= lat <= LON[1]:
                problems.append(_swapped(source, where, text))
                lon, lat = lat, lon
            item.setdefault("location", {}).update(lon=lon, lat=lat)
        elif col.field == "unit_post":
            split = split_unit_post(text)
            unit, title = split if split else (text, None)
            if "unit" not in have:
                item["unit"] = unit
            if title and "rank" not in have:
                item["rank"] = title
            elif title and "post_held" not in have:
                item["post_held"] = title
        elif col.field == "needed_skills":
            words = split_list(text)
            _set(item, "required_skills.full_time", words)
            _set(item, "required_skills.part_time", list(words))
        elif col.role == "private" and kind == "cadres":
            if col.field == "id_number" and "id_number" not in item:
                item["id_number"] = text.upper()
            else:
                item.setdefault("private", {})[col.header] = text
    if plan.crs and isinstance(item.get("location"), dict) and "crs" not in item["location"]:
        item["location"]["crs"] = plan.crs
    return problems


def _bad_pair(source: str, where: str, text: str) -> InputProblem:
    text_ = Text(
        f"“{text}”不是“经度,纬度”坐标（如 121.13,41.12）",
        f"'{text}' is not a coordinate pair lon,lat (e.g. 121.13,41.12)",
    )
    return InputProblem.said(source, where, text_, field="location")


def _swapped(source: str, where: str, text: str) -> InputProblem:
    text_ = Text(
        f"“{text}”的经度、纬度填反了：应先写经度（73–136）再写纬度（3–54）",
        f"'{text}' has longitude and latitude swapped: longitude (73–136) comes first",
    )
    return InputProblem.said(source, where, text_, field="location")


def swapped_point(item: dict[str, Any], source: str, row: int, headers: str) -> InputProblem | None:
    """A point read from two columns whose values are swapped in this row (lon in latitude
    range and lat in longitude range): corrected in the item and reported as an error."""
    loc = item.get("location")
    if not isinstance(loc, dict):
        return None
    lon, lat = loc.get("lon"), loc.get("lat")
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return None
    if not (LAT[0] <= lon <= LAT[1] and LON[0] <= lat <= LON[1]):
        return None
    loc["lon"], loc["lat"] = lat, lon
    return _swapped(source, f"row {row}, column '{headers}'", f"{lon},{lat}")


def stable_ids(
    items: list[dict[str, Any]], rows: list[int], seq: list[str], kind: str, source: str
) -> InputProblem | None:
    """Ids for a sheet without an id column: from 身份证号 (a digest, so the number itself is
    never shown), else from 序号, else from the row number; the same row gets the same id each
    time the workbook is read. Returns the warning that says so (None if ids were there)."""
    if not items or any("id" in it for it in items):
        return None
    prefix = "C" if kind == "cadres" else "S"
    used: dict[str, int] = {}
    how = "序号" if all(s.isdigit() for s in seq) and len(set(seq)) == len(seq) else "行号"
    if kind == "cadres" and all(it.get("id_number") for it in items):
        how = "身份证号"
    for it, row, s in zip(items, rows, seq, strict=True):
        if how == "身份证号":
            digest = hashlib.blake2b(str(it["id_number"]).encode(), digest_size=5).hexdigest()
            base = f"{prefix}{digest}"
        elif how == "序号":
            base = f"{prefix}{int(s):03d}"
        else:
            base = f"{prefix}R{row}"
        used[base] = used.get(base, 0) + 1
        it["id"] = base if used[base] == 1 else f"{base}-{used[base]}"
    text = Text(
        f"本表没有编号列，已按{how}生成稳定编号（如 {items[0]['id']}），再次读取同一表得到相同编号",
        f"no id column: stable ids made from the {_HOW_EN[how]} (e.g. {items[0]['id']})",
    )
    return InputProblem.said(source, "", text, severity="warning")


_HOW_EN = {"身份证号": "ID numbers", "序号": "row numbers (序号)", "行号": "sheet row numbers"}
