"""Table rows ↔ round items (communities, cadres), with problems named by file, row, column.

A :class:`Table` is what a CSV file or an XLSX sheet holds: a header and numbered text rows.
:func:`table_items` maps headers to columns, turns each row into the raw item shape of the JSON
round file, and reports header problems (unknown, missing, repeated columns) and unparseable
cells. :func:`item_rows` is the reverse, used by the round writers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
from matcher.model.io.header_words import header_score
from matcher.model.io.headers import (
    CADRE_COLUMNS,
    COMMUNITY_COLUMNS,
    IGNORED_HEADERS,
    Column,
    header_lookup,
    header_text,
    normalise_header,
)
from matcher.model.io.mapped import Plan, fill_special, read_plan, stable_ids, swapped_point
from matcher.model.io.mapping import SheetMapping
from matcher.model.messages import Text, say, suggest
from matcher.model.problems import InputProblem

# What clerks write in a cell they cannot fill: read as empty.
UNKNOWN_WORDS = frozenset({"不详", "未知", "无", "-", "—", "/", "／", "暂无", "空"})
_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?[eE][+]?[0-9]+$")
_TRAILING_ZERO = re.compile(r"^[0-9]+\.0$")
# Columns clerks often add that are plainly their own (no near-match suggestion for them).
FREE_COLUMNS = re.compile(
    r"^(备注|联系电话|电话|手机|手机号码|身份证号|性别|民族|学历|籍贯|政治面貌|职务)"
)


@dataclass(frozen=True)
class Table:
    """A header row and the data rows below it, each with its 1-based row number."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    head_row: int = 1  # the header's row number in the sheet (below any title rows)


@dataclass
class Items:
    """Raw items read from a table, where each came from, and problems found on the way."""

    items: list[dict[str, Any]] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column path → header as written
    extra: dict[int, str] = field(default_factory=dict)  # position → header of a kept column
    mapping: SheetMapping | None = None  # how the columns were read (round tables only)


def _set_path(target: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for head in parts[:-1]:
        target = target.setdefault(head, {})
    target[parts[-1]] = value


def map_header(table: Table, columns: tuple[Column, ...]) -> tuple[list[Column | None], Items]:
    """Match each header cell to a column; report repeated and missing columns.

    Columns the round does not know are kept (``Items.extra``: their values travel with each
    item in ``extra``) and named in one warning, with the known column each may mean.
    """
    lookup = header_lookup(columns)
    out = Items()
    if not table.header:
        message = "is empty: expected a header row, then one row per item"
        out.problems.append(InputProblem(table.source, "", message))
        return [], out
    mapped: list[Column | None] = []
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for i, text in enumerate(table.header):
        key = normalise_header(text) if text.strip() else ""
        col = lookup.get(key) if key else None
        if col is None:
            if key and key not in IGNORED_HEADERS:
                unknown.append(text)
                out.extra[i] = text
        elif col.key in seen:
            out.problems.append(
                InputProblem(
                    table.source,
                    f"row {table.head_row}, column '{text}'",
                    f"column repeats '{seen[col.key]}' (both mean {col.key})",
                )
            )
            col = None
        else:
            seen[col.key] = text
            out.headers[col.path] = text
        mapped.append(col)
    if unknown:
        out.problems.append(_unknown_columns(table, unknown, columns))
    for col in columns:
        if col.required and col.key not in seen:
            out.problems.append(
                InputProblem(
                    table.source,
                    f"row {table.head_row}",
                    f"missing required column '{col.zh}' (or '{col.key}')",
                    field=col.key,
                )
            )
    return mapped, out


def _kind_of(columns: tuple[Column, ...]) -> str | None:
    if columns is CADRE_COLUMNS:
        return "cadres"
    return "communities" if columns is COMMUNITY_COLUMNS else None


_IMPLIED = {"location": ("lon", "lat"), "unit_post": ("unit", "rank")}


def map_by_meaning(
    table: Table, columns: tuple[Column, ...], kind: str, given: SheetMapping | None
) -> tuple[Plan, Items]:
    """Columns by meaning (:mod:`matcher.model.io.mapped`): round columns, specials, kept
    columns and the mapping's report; a required column no column could mean is missing."""
    out = Items()
    if not table.header:
        message = "is empty: expected a header row, then one row per item"
        out.problems.append(InputProblem(table.source, "", message))
        return Plan(SheetMapping("", kind), []), out
    plan = read_plan(table.source, table.head_row, table.header, table.rows, kind, columns, given)
    out.mapping = plan.mapping
    out.problems += plan.notes
    seen: dict[str, str] = {}
    for i, col in enumerate(plan.columns):
        text = table.header[i]
        if col is None:
            continue
        if col.key in seen:
            where = f"row {table.head_row}, column '{text}'"
            message = f"column repeats '{seen[col.key]}' (both mean {col.key})"
            out.problems.append(InputProblem(table.source, where, message))
            plan.columns[i] = None
            continue
        seen[col.key] = text
        out.headers[col.path] = text
    for special in plan.special:
        for key in _IMPLIED.get(special.field or "", ()):
            seen.setdefault(key, special.header)
        paths = {"location": "location", "unit_post": "unit", "id_number": "id_number"}
        if special.field in paths:
            out.headers.setdefault(paths[special.field], special.header)
    kept = [c for c in plan.mapping.columns if c.role == "kept" and c.header.strip()]
    for c in kept:
        out.extra[c.position] = c.header
        twice = [k for k, v in header_score(kind, c.header).items() if v == 1.0 and k in seen]
        if twice and not c.confirmed:  # the same header written twice: which one is meant?
            where = f"row {table.head_row}, column '{c.header}'"
            message = f"column repeats '{seen[twice[0]]}' (both mean {twice[0]})"
            out.problems.append(InputProblem(table.source, where, message))
    kept = [c for c in kept if c.position in out.extra and c.header not in _repeated(out)]
    if kept:
        out.problems.append(_unknown_columns(table, [c.header for c in kept], columns))
    for col in columns:
        if col.required and col.key not in seen and col.key != "id":
            out.problems.append(
                InputProblem(
                    table.source,
                    f"row {table.head_row}",
                    f"missing required column '{col.zh}' (or '{col.key}')",
                    field=col.key,
                )
            )
    return plan, out


def _repeated(out: Items) -> set[str]:
    return {p.where.split("'")[1] for p in out.problems if "column repeats" in p.message}


def _unknown_columns(table: Table, unknown: list[str], columns: tuple[Column, ...]) -> InputProblem:
    """One warning naming every kept column, with a near known header where there is one."""
    known = [name for c in columns for name in (c.zh, *c.aliases) if name]
    names: list[Text] = []
    for head in unknown:
        near = suggest(normalise_header(head), known) if not FREE_COLUMNS.match(head) else None
        hint = say("near_column", text=head, known=near) if near else None
        names.append(
            Text(
                f"“{head}”" + (f"（{hint.zh}）" if hint else ""),
                f"'{head}'" + (f" ({hint.en})" if hint else ""),
            )
        )
    lead = say("unknown_columns", columns="")
    zh = lead.zh + "、".join(n.zh for n in names)
    en = lead.en + ", ".join(n.en for n in names)
    return InputProblem.said(
        table.source, f"row {table.head_row}", Text(zh, en), severity="warning"
    )


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
    kind = _kind_of(columns)
    plan: Plan | None = None
    if kind is None:
        mapped, out = map_header(table, columns)
    else:
        plan, out = map_by_meaning(table, columns, kind, mapping)
        mapped = plan.columns
    two_columns = {c.key for c in mapped if c is not None} >= {"lon", "lat"}
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
                        id=str(item.get("id") or cells[0].strip() or "") or None,
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
