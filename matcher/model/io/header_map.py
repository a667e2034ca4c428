"""Which column of a table is which: by exact headers (:func:`map_header`, for rules and
vetting sheets), or by meaning for the round's community and cadre tables
(:func:`map_by_meaning`, see :mod:`matcher.model.io.mapping`); the :class:`Table` a sheet
holds and the :class:`Items` read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from matcher.model.io.header_words import header_score
from matcher.model.io.headers import (
    CADRE_COLUMNS,
    COMMUNITY_COLUMNS,
    IGNORED_HEADERS,
    Column,
    header_lookup,
    normalise_header,
)
from matcher.model.io.mapped import Plan, read_plan
from matcher.model.io.mapping import SheetMapping
from matcher.model.messages import Text, say, suggest
from matcher.model.problems import InputProblem

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
        out.problems.append(unknown_columns(table, unknown, columns))
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


def kind_of(columns: tuple[Column, ...]) -> str | None:
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
        out.problems.append(unknown_columns(table, [c.header for c in kept], columns))
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


def unknown_columns(table: Table, unknown: list[str], columns: tuple[Column, ...]) -> InputProblem:
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
