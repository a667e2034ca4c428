"""Table rows ↔ round items (communities, cadres), with problems named by file, row, column.

A :class:`Table` is what a CSV file or an XLSX sheet holds: a header and numbered text rows.
:func:`table_items` maps headers to columns (:mod:`matcher.model.io.header_map`), turns each
row into the raw item shape of the JSON round file, and reports header problems (unknown,
missing, repeated columns) and unparseable cells. :func:`item_rows` is the reverse, used by
the round writers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from matcher.model.io.cells import (
    CellError,
    format_cell,
    parse_birth,
    parse_cell,
    parse_number,
    split_list,
)
from matcher.model.io.header_map import Items, Table, kind_of, map_by_meaning, map_header
from matcher.model.io.headers import (
    Column,
    header_text,
)
from matcher.model.io.mapped import Plan, fill_special, stable_ids, swapped_point
from matcher.model.io.mapping import SheetMapping
from matcher.model.messages import Text, say
from matcher.model.problems import InputProblem

# What clerks write in a cell they cannot fill: read as empty.
UNKNOWN_WORDS = frozenset({"不详", "未知", "无", "-", "—", "/", "／", "暂无", "空"})
_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?[eE][+]?[0-9]+$")
_TRAILING_ZERO = re.compile(r"^[0-9]+\.0$")


def _set_path(target: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for head in parts[:-1]:
        target = target.setdefault(head, {})
    target[parts[-1]] = value


def _damaged_id(text: str) -> Text | None:
    """Excel's damage to an id typed as a number: scientific notation or a trailing .0."""
    if _SCIENTIFIC.match(text):
        return say("id_scientific", value=text)
    if _TRAILING_ZERO.match(text):
        return say("id_trailing_zero", value=text, fixed=text[:-2])
    return None


def _lost_zeros(out: Items, source: str, header: str, ids: list[tuple[int, str]]) -> None:
    """Digit-only ids shorter than the column's usual length lost a leading zero to Excel."""
    digits = [(n, t) for n, t in ids if t.isdigit()]
    if len(digits) < 2 or len(digits) < len(ids):
        return
    width = Counter(len(t) for _, t in digits).most_common(1)[0][0]
    if width < 6:
        return
    for number, t in digits:
        if len(t) < width:
            text = say("id_lost_zero", value=t, n=len(t), m=width, fixed=t.zfill(width))
            where = f"row {number}, column '{header}'"
            out.problems.append(InputProblem.said(source, where, text, id=t, field="id"))


def _cell_parser(kind: str) -> Callable[[str], Any] | None:
    """The parser of a column kind (None: the text itself), looked up once per column."""
    if kind == "text":
        return None
    if kind == "number":
        return parse_number
    if kind in ("list", "skills"):
        return split_list
    return partial(parse_cell, kind)


def table_items(
    table: Table, columns: tuple[Column, ...], mapping: SheetMapping | None = None
) -> Items:
    """Turn every data row into a raw item dict; blank cells are left out (model default).

    The round's community and cadre tables are read by meaning (:func:`map_by_meaning`, with
    the planner's ``mapping`` of the sheet where given); other tables by exact headers.
    """
    kind = kind_of(columns)
    plan: Plan | None = None
    if kind is None:
        mapped, out = map_header(table, columns)
    else:
        plan, out = map_by_meaning(table, columns, kind, mapping)
        mapped = plan.columns
    two_columns = {c.key for c in mapped if c is not None} >= {"lon", "lat"}
    # a row's first cell names it in problems, unless it is private (身份证号 first)
    first_public = plan is None or all(c.position != 0 for c in plan.special if c.role == "private")
    seq: list[str] = []
    active = [
        (i, col, tuple(col.path.split(".")), _cell_parser(col.kind))
        for i, col in enumerate(mapped)
        if col is not None
    ]
    extra = sorted(out.extra.items())
    width = len(table.header)
    ids: list[tuple[int, str]] = []
    id_at = next((i for i, col, _, _ in active if col.key == "id"), None)
    for number, cells in table.rows:
        n = len(cells)
        if n > width and any(c.strip() for c in cells[width:]):
            out.problems.append(
                InputProblem(
                    table.source,
                    f"row {number}",
                    f"row has {n} cells but the header has {width} columns",
                )
            )
        item: dict[str, Any] = {}
        for i, col, parts, parse in active:
            text = cells[i].strip() if i < n else ""
            if not text:
                continue
            try:
                if col.kind == "birth":
                    if text in UNKNOWN_WORDS:  # 不详: no birth date, not a wrong one
                        continue
                    year, month = parse_birth(text)
                    item["birth_year"] = year
                    if month is not None:
                        item["birth_month"] = month
                    continue
                value = text if parse is None else parse(text)
                if len(parts) == 1:
                    item[parts[0]] = value
                else:
                    _set_path(item, parts, value)
            except CellError as exc:
                out.problems.append(
                    InputProblem(
                        table.source,
                        f"row {number}, column '{out.headers[col.path]}'",
                        str(exc),
                        id=str(item.get("id") or (cells[0].strip() if first_public else ""))
                        or None,
                        field=col.path,
                        zh=exc.zh,
                    )
                )
        for i, head in extra:
            if i < n and (text := cells[i].strip()):
                item.setdefault("extra", {})[head] = text
        if plan is not None and kind is not None:
            out.problems += fill_special(item, cells, plan, kind, number, table.source)
            if two_columns and (bad := swapped_point(item, table.source, number, "经度/纬度")):
                out.problems.append(bad)
            at = plan.sequence
            seq.append(cells[at].strip() if at is not None and at < n else "")
        if id_at is not None and id_at < n and (text := cells[id_at].strip()):
            ids.append((number, text))
            damage = _damaged_id(text)
            if damage is not None:
                where = f"row {number}, column '{out.headers['id']}'"
                out.problems.append(
                    InputProblem.said(table.source, where, damage, id=text, field="id")
                )
        out.items.append(item)
        out.rows.append((table.source, number))
    if "id" in out.headers:
        _lost_zeros(out, table.source, out.headers["id"], ids)
    elif kind is not None:
        rows = [r for _, r in out.rows]
        made = stable_ids(out.items, rows, seq, kind, table.source)
        if made is not None:
            out.problems.append(made)
    return out


_FIELD = re.compile(r"field '([^']+)'")


def relabel(problem: InputProblem, headers: dict[str, str]) -> InputProblem:
    """Name the column as the file wrote it in a row problem from the validator.

    ``cadres.csv, row 5, field 'location.lat'`` becomes ``cadres.csv, row 5, column '纬度',
    field 'location.lat'``.
    """
    match = _FIELD.search(problem.where)
    if not problem.where.startswith("row ") or match is None:
        return problem
    path = match.group(1)
    names = [
        text
        for col_path, text in headers.items()
        if col_path == path
        or col_path.startswith(path + ".")
        or path.startswith(col_path + ".")
        or path.startswith(col_path + "[")
    ]
    row = problem.where[: match.start()].rstrip(", ")
    if names:
        cols = "/".join(f"'{n}'" for n in names)
        row = f"{row}, column {cols}"
    return problem.moved(where=row, field=path)


def item_rows(
    items: Sequence[dict[str, Any]], columns: tuple[Column, ...], headers: str
) -> list[list[str]]:
    """Items in the raw (JSON) shape → header row + one text row each (for writers); the
    planner's own columns (``extra``) follow the round's, under their own headers."""
    extra = list(dict.fromkeys(k for item in items for k in item.get("extra") or {}))
    out = [[header_text(c, headers) for c in columns] + extra]
    for item in items:
        row = []
        for col in columns:
            value: Any = item
            for part in col.path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            row.append(format_cell(col.kind, value, headers))
        kept = item.get("extra") or {}
        out.append(row + [str(kept.get(k, "")) for k in extra])
    return out


__all__ = ["Items", "Table", "item_rows", "map_header", "relabel", "table_items"]
