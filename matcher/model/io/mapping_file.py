"""The column mapping as a file the planner reads and edits (``mapping.json``), and as a named
template kept for next year's workbook of the same shape.

:func:`propose_mapping` reads a workbook or CSV folder the way the round reader does (title
rows, two-row headers, sheets recognised by their headers) and proposes every column's role;
a mapping given as well is laid over the proposal, so a template answers what it knows and
only new columns are proposed. :func:`mapping_json` writes it Chinese first (a 说明 per column
and a question where unsure); :func:`read_mapping` reads it back, roles in Chinese (字段, 意愿,
保留, 私密, 不读取) or English, and reports every unknown role or field at once.
:func:`template_path` finds a template by name in a folder.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import write_bytes
from matcher.model.io.header_words import FIELDS, field_of
from matcher.model.io.headers import CADRE_COLUMNS, COMMUNITY_COLUMNS
from matcher.model.io.mapped import read_plan, sheet_name
from matcher.model.io.mapping import ROLE_ZH, ROLES, ColumnRole, Mapping, SheetMapping
from matcher.model.io.tables import read_csv_folder, read_workbook
from matcher.model.problems import InputProblem, InvalidInput

FORMAT = "matcher-mapping/1"
TABLE_ZH = {"communities": "社区表", "cadres": "干部表"}
_ROLE_WORDS = {**{r: r for r in ROLES}, **{zh: r for r, zh in ROLE_ZH.items()}}
_COLUMNS = {"communities": COMMUNITY_COLUMNS, "cadres": CADRE_COLUMNS}
TEMPLATES_ENV = "MATCHER_MAPPINGS"
_NAME = re.compile(r"^[\w\u3400-\u9fff .-]{1,80}$")


def propose_mapping(path: str | Path, given: Mapping | None = None) -> Mapping:
    """Every column's role in the round tables of a workbook or CSV folder; raises
    :class:`InvalidInput` when the file cannot be read or holds no round table."""
    p = Path(path)
    if p.is_dir():
        tables, problems = read_csv_folder(p)
    elif p.suffix.lower() in (".xlsx", ".xlsm") and p.exists():
        tables, problems = read_workbook(p)
    else:
        message = "a column mapping is made for an .xlsx workbook or a folder of CSV files"
        zh = "列的识别只用于 .xlsx 工作簿或 CSV 文件夹"
        raise InvalidInput([InputProblem(str(p), "", message, zh=zh)])
    out = Mapping(name=given.name if given else None)
    for kind in ("communities", "cadres"):
        table = tables.get(kind)
        if table is None:
            continue
        sheet = sheet_name(table.source)
        mine = given.for_sheet(sheet, kind) if given else None
        plan = read_plan(
            table.source, table.head_row, table.header, table.rows, kind, _COLUMNS[kind], mine
        )
        out.sheets.append(plan.mapping)
    if not out.sheets:
        errors = [q for q in problems if q.severity == "error"]
        none = InputProblem(str(p), "", "no communities or cadres sheet", zh="没有社区表或干部表")
        raise InvalidInput(errors or [none])
    return out


def column_letter(position: int) -> str:
    """A spreadsheet column's letters from its 0-based position (0 → A, 26 → AA)."""
    n, out = position + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def question(col: ColumnRole, table: str) -> str | None:
    """The question a column asks the planner, or None when its role is sure."""
    if not col.unsure:
        return None
    now = _meaning(table, col.field) if col.field else ROLE_ZH[col.role]
    others = "、".join(_meaning(table, k) for k in col.candidates) or "保留"
    return f"“{col.header}”列现按“{now}”读取，也可能是：{others}。请确认或改写 role/field。"


def _meaning(table: str, key: str | None) -> str:
    f = field_of(table, key or "")
    return f.zh if f is not None else str(key)


def mapping_json(mapping: Mapping, workbook: str) -> dict[str, Any]:
    """The mapping as the planner reads and edits it (see module docstring)."""
    sheets = []
    for sm in mapping.sheets:
        cols = []
        for c in sm.columns:
            cols.append(
                {
                    "列": column_letter(c.position),
                    "header": c.header,
                    "role": ROLE_ZH[c.role],
                    "field": c.field,
                    "说明": _meaning(sm.table, c.field) if c.field else ROLE_ZH[c.role],
                    "unit": c.unit,
                    "order": c.order,
                    "confidence": c.confidence,
                    "question": question(c, sm.table),
                    "candidates": list(c.candidates),
                }
            )
        sheets.append(
            {"sheet": sm.sheet, "table": sm.table, "表": TABLE_ZH[sm.table], "columns": cols}
        )
    return {
        "format": FORMAT,
        "name": mapping.name,
        "workbook": workbook,
        "说明": "每列一行。role：字段、意愿、保留、私密、不读取；field：该列对应的字段。"
        "改好后在 validate / solve 等命令加 --mapping 本文件；可用 --save-template 名称 存为模板。",
        "sheets": sheets,
    }


def write_mapping(mapping: Mapping, workbook: str, target: str | Path) -> None:
    """Write ``mapping.json`` (UTF-8, atomically)."""
    text = json.dumps(mapping_json(mapping, workbook), ensure_ascii=False, indent=2)
    write_bytes(Path(target), (text + "\n").encode("utf-8"))


def parse_mapping(raw: Any, source: str) -> Mapping:
    """A mapping from its JSON form; every bad role or field is reported at once."""
    problems: list[InputProblem] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("sheets"), list):
        raise InvalidInput([InputProblem(source, "", "not a column mapping (no 'sheets' list)")])
    out = Mapping(name=raw.get("name") if isinstance(raw.get("name"), str) else None)
    for s_at, sheet in enumerate(raw["sheets"]):
        where = f"sheets[{s_at}]"
        table = sheet.get("table") if isinstance(sheet, dict) else None
        if table not in FIELDS:
            problems.append(InputProblem(source, where, "table must be communities or cadres"))
            continue
        sm = SheetMapping(str(sheet.get("sheet") or ""), table)
        keys = {f.key for f in FIELDS[table]}
        for c_at, col in enumerate(sheet.get("columns") or []):
            at = f"{where}.columns[{c_at}]"
            if not isinstance(col, dict) or not isinstance(col.get("header"), str):
                problems.append(InputProblem(source, at, "a column needs its header"))
                continue
            role = _ROLE_WORDS.get(str(col.get("role", "")).strip())
            field = col.get("field") or None
            if role is None:
                message = f"role {col.get('role')!r} unknown; use 字段、意愿、保留、私密 or 不读取"
                zh = f"用途“{col.get('role')}”无法识别：应为 字段、意愿、保留、私密 或 不读取"
                problems.append(InputProblem(source, at, message, zh=zh))
                continue
            if (role in ("field", "intent") and field not in keys) or (
                role == "private" and field is not None and field not in keys
            ):
                message = f"field {field!r} unknown for the {table} table"
                zh = f"字段“{field}”不是{TABLE_ZH[table]}的字段"
                problems.append(InputProblem(source, at, message, zh=zh))
                continue
            unit, order = col.get("unit") or None, col.get("order") or None
            meaning = field if role not in ("kept", "ignored") else None
            sm.columns.append(
                ColumnRole(c_at, col["header"], role, meaning, unit, 1.0, (), order, True)
            )
        out.sheets.append(sm)
    if problems:
        raise InvalidInput(problems)
    return out


def read_mapping(path: str | Path) -> Mapping:
    """A ``mapping.json`` (or template) from disk."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        problem = InputProblem(str(p), "", f"cannot read file: {exc.strerror}")
        raise InvalidInput([problem]) from None
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno}"
        raise InvalidInput([InputProblem(str(p), "", message)]) from None
    return parse_mapping(raw, str(p))


def templates_dir(folder: str | Path | None = None) -> Path:
    """Where named templates live: ``folder``, else ``$MATCHER_MAPPINGS``, else
    ``~/.matcher/mappings``."""
    if folder:
        return Path(folder)
    env = os.environ.get(TEMPLATES_ENV)
    return Path(env) if env else Path.home() / ".matcher" / "mappings"


def template_path(name: str, folder: str | Path | None = None) -> Path:
    """The file of template ``name``; a name with path separators is refused."""
    if not _NAME.match(name) or name.startswith("."):
        message = "a template name is letters, digits, Chinese, spaces, '.', '-' or '_'"
        raise InvalidInput([InputProblem("--save-template", name, message)])
    return templates_dir(folder) / f"{name}.json"


def load_mapping(text: str, folder: str | Path | None = None) -> Mapping:
    """``--mapping``: a file path, or the name of a saved template."""
    p = Path(text)
    if p.exists():
        return read_mapping(p)
    named = template_path(text, folder)
    if named.exists():
        return read_mapping(named)
    message = f"no such mapping file or template (templates: {templates_dir(folder)})"
    raise InvalidInput([InputProblem(text, "", message)])
