"""Cadres added to a pool mid-term: a cadres table alone (CSV, XLSX sheet 干部, or JSON list).

Same columns and words as the cadres table of a round (:mod:`matcher.model.io.headers`);
every problem names the file, row and column.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from matcher.model.io.headers import CADRE_COLUMNS
from matcher.model.io.json_round import load_json
from matcher.model.io.mapped import sheet_name
from matcher.model.io.mapping import Mapping
from matcher.model.io.rows import relabel, table_items
from matcher.model.io.tables import _Problem, read_csv_table, read_workbook
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.resolve import Finding, resolve_ranks
from matcher.model.round import Cadre


def read_cadres(path: str | Path, *, mapping: Mapping | None = None) -> list[Cadre]:
    """Cadres from ``.csv``, ``.xlsx`` (sheet 干部/cadres) or ``.json`` (a list), or
    :class:`InvalidInput` with every problem; columns are read by meaning like a round's
    (with the planner's ``mapping`` where given)."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput([InputProblem(str(path), "", "no such file")])
    suffix = path.suffix.lower()
    if suffix == ".json":
        raw = load_json(path)
        if not isinstance(raw, list):
            raise InvalidInput([InputProblem(str(path), "", "must be a JSON list of cadres")])
        rows = [(str(path), i) for i in range(len(raw))]
        items, headers = raw, {}
        problems: list[InputProblem] = []
    else:
        if suffix in (".xlsx", ".xlsm"):
            tables, problems = read_workbook(path)
            problems = [p for p in problems if "cadres" in p.message or "干部" in p.message]
            table = tables.get("cadres")
        elif suffix == ".csv":
            try:
                table, problems = read_csv_table(path), []
            except _Problem as exc:
                raise InvalidInput([exc.problem]) from None
        else:
            msg = "unknown cadres format: use .csv, .xlsx or .json"
            raise InvalidInput([InputProblem(str(path), "", msg)])
        if table is None:
            raise InvalidInput(problems or [InputProblem(str(path), "", "no cadres sheet")])
        given = mapping.for_sheet(sheet_name(table.source), "cadres") if mapping else None
        parsed = table_items(table, CADRE_COLUMNS, given)
        items, rows, headers = parsed.items, parsed.rows, parsed.headers
        problems = [p for p in problems + parsed.problems if p.severity == "error"]
        found: list[Finding] = []
        items = resolve_ranks(items, {}, found)  # titles kept as written, as in a round
        for f in found:
            file, row = rows[f.index or 0]
            where = f"row {row}, column '{headers.get('rank', 'rank')}'"
            problems.append(InputProblem.said(file, where, f.text, id=f.id, field="rank"))
    out: list[Cadre] = []
    for item, (file, row) in zip(items, rows, strict=True):
        try:
            out.append(Cadre.model_validate(item))
        except ValidationError as exc:
            cid = item.get("id") if isinstance(item, dict) else None
            for err in exc.errors():
                field = ".".join(str(x) for x in err["loc"])
                where = f"row {row}, field '{field}'" if suffix != ".json" else f"[{row}].{field}"
                p = InputProblem(file, where, err["msg"], cid, field)
                problems.append(relabel(p, headers) if headers else p)
    if problems:
        raise InvalidInput(problems)
    return out
