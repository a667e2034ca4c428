"""Table rows ↔ round items (communities, cadres), with problems named by file, row, column.

A :class:`Table` is what a CSV file or an XLSX sheet holds: a header and numbered text rows.
:func:`table_items` maps headers to columns, turns each row into the raw item shape of the JSON
round file, and reports header problems (unknown, missing, repeated columns) and unparseable
cells. :func:`item_rows` is the reverse, used by the round writers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matcher.model.io.cells import CellError, format_cell, parse_cell
from matcher.model.io.headers import Column, header_lookup, header_text, normalise_header
from matcher.model.problems import InputProblem


@dataclass(frozen=True)
class Table:
    """A header row and the data rows below it, each with its 1-based row number."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class Items:
    """Raw items read from a table, where each came from, and problems found on the way."""

    items: list[dict[str, Any]] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column path → header as written


def _set_path(target: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for head in parts[:-1]:
        target = target.setdefault(head, {})
    target[parts[-1]] = value


def map_header(table: Table, columns: tuple[Column, ...]) -> tuple[list[Column | None], Items]:
    """Match each header cell to a column; report unknown, repeated and missing columns."""
    lookup = header_lookup(columns)
    out = Items()
    if not table.header:
        message = "is empty: expected a header row, then one row per item"
        out.problems.append(InputProblem(table.source, "", message))
        return [], out
    mapped: list[Column | None] = []
    seen: dict[str, str] = {}
    for text in table.header:
        col = lookup.get(normalise_header(text)) if text.strip() else None
        if col is None:
            if text.strip():
                expected = ", ".join(f"{c.zh}/{c.key}" for c in columns)
                out.problems.append(
                    InputProblem(
                        table.source,
                        f"row 1, column '{text}'",
                        f"unknown column; expected one of {expected}",
                    )
                )
        elif col.key in seen:
            out.problems.append(
                InputProblem(
                    table.source,
                    f"row 1, column '{text}'",
                    f"column repeats '{seen[col.key]}' (both mean {col.key})",
                )
            )
            col = None
        else:
            seen[col.key] = text
            out.headers[col.path] = text
        mapped.append(col)
    for col in columns:
        if col.required and col.key not in seen:
            out.problems.append(
                InputProblem(
                    table.source,
                    "row 1",
                    f"missing required column '{col.zh}' (or '{col.key}')",
                    field=col.key,
                )
            )
    return mapped, out


def table_items(table: Table, columns: tuple[Column, ...]) -> Items:
    """Turn every data row into a raw item dict; blank cells are left out (model default)."""
    mapped, out = map_header(table, columns)
    plan = [(col, tuple(col.path.split(".")) if col else ()) for col in mapped]
    width = len(table.header)
    for number, cells in table.rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            out.problems.append(
                InputProblem(
                    table.source,
                    f"row {number}",
                    f"row has {len(cells)} cells but the header has {width} columns",
                )
            )
        item: dict[str, Any] = {}
        for (col, parts), text in zip(plan, cells, strict=False):
            if col is None or not text or not (text := text.strip()):
                continue
            try:
                _set_path(item, parts, text if col.kind == "text" else parse_cell(col.kind, text))
            except CellError as exc:
                out.problems.append(
                    InputProblem(
                        table.source,
                        f"row {number}, column '{out.headers[col.path]}'",
                        str(exc),
                        id=str(item.get("id") or cells[0].strip() or "") or None,
                        field=col.path,
                    )
                )
        out.items.append(item)
        out.rows.append((table.source, number))
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
    return InputProblem(problem.source, row, problem.message, id=problem.id, field=path)


def item_rows(
    items: Sequence[dict[str, Any]], columns: tuple[Column, ...], headers: str
) -> list[list[str]]:
    """Items in the raw (JSON) shape → header row + one text row each (for writers)."""
    out = [[header_text(c, headers) for c in columns]]
    for item in items:
        row = []
        for col in columns:
            value: Any = item
            for part in col.path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            row.append(format_cell(col.kind, value, headers))
        out.append(row)
    return out
