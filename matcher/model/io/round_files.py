"""Round files in every format: :func:`read_round` dispatches, the writers export.

Formats: a JSON round file (``.json``), an XLSX workbook (``.xlsx``) or a folder of CSV files
(see :mod:`matcher.model.io.tables`). Whatever the format, problems name the file, the row or field
path, the column as the file spells it, the id and the reason — all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from matcher.model.gc_pause import collector_paused
from matcher.model.io.atomic import atomic_path, staged_dir, write_bytes
from matcher.model.io.headers import CADRE_COLUMNS, COMMUNITY_COLUMNS, ENUM_ZH, SHEET_NAMES, Column
from matcher.model.io.json_round import load_json, read_round_json_report, round_json
from matcher.model.io.mapped import sheet_name
from matcher.model.io.mapping import Mapping, SheetMapping
from matcher.model.io.rows import Items, Table, item_rows, relabel, table_items
from matcher.model.io.rules_table import read_rules_table, relocate, rules_rows
from matcher.model.io.tables import csv_bytes, read_csv_folder, read_workbook, write_workbook
from matcher.model.merge import merge_sections
from matcher.model.messages import Lang, language_of, localise
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.resolve import title_reads_as
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round_report

ROUND_FOLDER_FILES = ("communities.csv", "cadres.csv", "rules.csv", "round.json")
_ENUM_HINTS = {
    c.path: ", ".join(dict.fromkeys(ENUM_ZH[c.kind[5:]].values()))
    for c in (*COMMUNITY_COLUMNS, *CADRE_COLUMNS)
    if c.kind.startswith("enum:") and ENUM_ZH[c.kind[5:]]
}


def read_round(path: str | Path, *, mapping: Mapping | None = None) -> Round:
    """Read a round from a ``.json`` file, an ``.xlsx`` workbook or a folder of CSV files,
    with the planner's column ``mapping`` where given (:mod:`matcher.model.io.mapping`).

    Raises :class:`matcher.model.problems.InvalidInput` listing every problem found.
    """
    return read_round_report(path, mapping=mapping).round


@dataclass(frozen=True)
class RoundReport:
    """A round read from files, with what a planner should know about the reading.

    ``warnings``: columns kept, rows skipped, sheets recognised, defaults applied;
    ``rows``: for tables, the (file or sheet, row) each community and cadre came from;
    ``lang``: the language of the headers (``en`` for JSON), the default for messages.
    """

    round: Round
    warnings: list[InputProblem]
    rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    lang: Lang = "zh"
    mappings: list[SheetMapping] = field(default_factory=list)


def read_round_report(
    path: str | Path, *, engine: str = "calamine", mapping: Mapping | None = None
) -> RoundReport:
    """As :func:`read_round`, and what the reading found (:class:`RoundReport`).

    ``engine`` picks the XLSX reader (``calamine``, or ``openpyxl`` for comparison). Runs
    with the cyclic collector paused (:mod:`matcher.model.gc_pause`).

    :class:`InvalidInput` carries the warnings (``.warnings``) and the language of the
    headers (``.lang``) too.
    """
    with collector_paused():
        return _read_report(Path(path), engine, mapping)


def _read_report(path: Path, engine: str, mapping: Mapping | None) -> RoundReport:
    if path.is_dir():
        tables, problems = read_csv_folder(path)
        extra = _folder_json(path / "round.json", problems)
        return _read_tables(str(path), tables, problems, extra, mapping)
    if not path.exists():
        raise InvalidInput([InputProblem(str(path), "", "no such file or folder")])
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            rnd, warned = read_round_json_report(path)
        except InvalidInput as exc:
            exc.lang = "en"
            raise
        return RoundReport(rnd, warned, lang="en")
    if suffix in (".xlsx", ".xlsm"):
        tables, problems = read_workbook(path, engine=engine)
        return _read_tables(str(path), tables, problems, ({}, None), mapping)
    raise InvalidInput(
        [InputProblem(str(path), "", "unknown round format: use .json, .xlsx or a CSV folder")]
    )


def _folder_json(path: Path, problems: list[InputProblem]) -> tuple[dict[str, Any], str | None]:
    """The optional round.json of a CSV folder: rules, weights, settings and the round name."""
    if not path.exists():
        return {}, None
    try:
        raw = load_json(path)
    except InvalidInput as exc:
        problems.extend(exc.problems)
        return {}, str(path)
    if not isinstance(raw, dict):
        problems.append(InputProblem(str(path), "", "must be a JSON object"))
        return {}, str(path)
    for key in ("communities", "cadres"):
        if key in raw:
            problems.append(
                InputProblem(str(path), key, f"{key} belong in {key}.csv, not in round.json")
            )
    return {k: v for k, v in raw.items() if k not in ("communities", "cadres")}, str(path)


def _read_tables(
    source: str,
    tables: dict[str, Table],
    problems: list[InputProblem],
    extra: tuple[dict[str, Any], str | None],
    mapping: Mapping | None = None,
) -> RoundReport:
    found = list(problems)
    lang = language_of(h for t in tables.values() for h in t.header)
    items: dict[str, Items] = {}
    for name, columns in (("communities", COMMUNITY_COLUMNS), ("cadres", CADRE_COLUMNS)):
        if name in tables:
            table = tables[name]
            given = mapping.for_sheet(sheet_name(table.source), name) if mapping else None
            items[name] = table_items(table, columns, given)
            found += items[name].problems
    rules = read_rules_table(tables["rules"]) if "rules" in tables else None
    if rules is not None:
        found += rules.problems
    order = [t.source for t in tables.values()]
    if any(p.severity == "error" for p in problems):  # a file missing or unreadable:
        raise _invalid(*_split(found, order), lang)  # row checks would only add noise
    raw_extra, json_source = extra
    raw = merge_sections(raw_extra, rules.raw if rules is not None else {})
    raw["communities"] = items["communities"].items
    raw["cadres"] = items["cadres"].items
    origin = Origin(source, rows={k: v.rows for k, v in items.items()})
    rule_rows = rules.rows if rules else {}
    try:
        result, warned = validate_round_report(raw, origin)
        found += _place(warned, source, items, rule_rows, json_source)
    except InvalidInput as exc:
        found += _place(exc.problems, source, items, rule_rows, json_source)
        found += _place(exc.warnings, source, items, rule_rows, json_source)
    errors, warnings = _split(found, order)
    if errors:
        raise _invalid(errors, warnings, lang)
    rows = {k: list(v.rows) for k, v in items.items()}
    used = [v.mapping for v in items.values() if v.mapping is not None]
    return RoundReport(result, warnings, rows, lang, used)


def _invalid(errors: list[InputProblem], warnings: list[InputProblem], lang: Lang) -> InvalidInput:
    exc = InvalidInput(errors, warnings)
    exc.lang = lang
    return exc


def _split(
    problems: list[InputProblem], order: list[str]
) -> tuple[list[InputProblem], list[InputProblem]]:
    """Errors and warnings, each sorted as a planner fixes them."""
    ordered = _sorted(problems, order)
    return [p for p in ordered if p.severity == "error"], [
        p for p in ordered if p.severity == "warning"
    ]


def _sorted(problems: list[InputProblem], order: list[str]) -> list[InputProblem]:
    """File by file (communities, cadres, rules), then row by row, as a planner fixes them."""

    def key(p: InputProblem) -> tuple[int, int]:
        rank = order.index(p.source) if p.source in order else -1
        row = re.match(r"row (\d+)", p.where)
        return rank, int(row.group(1)) if row else 0

    return sorted(problems, key=key)


def _place(
    problems: list[InputProblem],
    source: str,
    items: dict[str, Items],
    rule_rows: dict[str, tuple[str, int]],
    json_source: str | None,
) -> list[InputProblem]:
    """Name columns and rule rows in validator problems; drop those a missing column explains."""
    headers = {v.rows[0][0]: v.headers for v in items.values() if v.rows}
    missing = {
        p.field
        for v in items.values()
        for p in v.problems
        if p.message.startswith("missing required column") and p.field
    }
    missing_paths = {c.path for c in (*COMMUNITY_COLUMNS, *CADRE_COLUMNS) if c.key in missing}
    out: list[InputProblem] = []
    for problem in problems:
        if problem.source in headers:
            placed = relabel(problem, headers[problem.source])
            hint = _ENUM_HINTS.get(placed.field or "")
            if hint and placed.message.startswith("Input should be"):
                placed = replace(placed, message=f"{placed.message}; also accepted: {hint}")
                if placed.zh is None:
                    placed = replace(placed, zh=localise(placed.message, "zh"))
            if placed.field in missing_paths and "required field is missing" in placed.message:
                continue
        else:
            placed = relocate(problem, source, rule_rows)
            if placed.source == source and json_source is not None:
                placed = replace(placed, source=json_source)
        out.append(placed)
    return out


def _raw_items(round: Round) -> dict[str, list[dict[str, Any]]]:
    """Items as the tables write them: a cadre's rank as its title when it has one that reads
    back to the same rung (with the round's ``rank_titles``), birth as 1989.08."""
    dumped = round.model_dump(mode="json")
    for cad, cadre in zip(round.cadres, dumped["cadres"], strict=True):
        title = cad.rank_title
        if title and title_reads_as(title, cad.level.value, round.rank_titles) == cad.rank:
            cadre["rank"] = title
        if cadre.get("birth_year") and cadre.get("birth_month"):
            cadre["birth_year"] = f"{cadre['birth_year']}.{cadre['birth_month']:02d}"
    return {"communities": dumped["communities"], "cadres": dumped["cadres"]}


def round_tables(round: Round, headers: str = "zh") -> dict[str, list[list[str]]]:
    """A round as three tables (communities, cadres, rules), header row first."""
    raw = _raw_items(round)
    return {
        "communities": item_rows(raw["communities"], COMMUNITY_COLUMNS, headers),
        "cadres": item_rows(raw["cadres"], CADRE_COLUMNS, headers),
        "rules": rules_rows(round, headers),
    }


def write_round_csv(round: Round, folder: str | Path, *, headers: str = "zh") -> None:
    """Write a round as a CSV folder (UTF-8 with BOM), replacing the folder atomically.

    ``headers`` is ``zh`` (Chinese headers and values), ``en`` or ``both``.
    """
    with staged_dir(folder, replaceable=ROUND_FOLDER_FILES) as temp:
        for name, rows in round_tables(round, headers).items():
            write_bytes(temp / f"{name}.csv", csv_bytes(rows))


def write_round_xlsx(round: Round, path: str | Path, *, headers: str = "zh") -> None:
    """Write a round as an XLSX workbook with sheets 社区/干部/规则 (or English), atomically."""
    index = 0 if headers == "en" else 1
    columns: dict[str, tuple[Column, ...]] = {
        "communities": COMMUNITY_COLUMNS,
        "cadres": CADRE_COLUMNS,
    }
    sheets: dict[str, list[list[Any]]] = {}
    for name, rows in round_tables(round, headers).items():
        sheets[SHEET_NAMES[name][index]] = _typed(rows, columns.get(name, ()))
    with atomic_path(path) as temp:
        write_workbook(temp, sheets)


def _typed(rows: list[list[str]], columns: tuple[Column, ...]) -> list[list[Any]]:
    """Number columns as numbers, so the spreadsheet can sort and sum them."""
    numeric = {i for i, c in enumerate(columns) if c.kind == "number"}
    years = {i for i, c in enumerate(columns) if c.kind == "birth"}  # 1989.10 stays text
    out: list[list[Any]] = [list(rows[0])]
    for row in rows[1:]:
        out.append(
            [
                (float(v) if "." in v else int(v))
                if (i in numeric and v) or (i in years and v.isdigit())
                else v
                for i, v in enumerate(row)
            ]
        )
    return out


__all__ = [
    "read_round",
    "read_round_report",
    "round_json",
    "round_tables",
    "write_round_csv",
    "write_round_xlsx",
]
