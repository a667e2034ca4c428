"""The rules table: every rule, weight and setting of a round as readable rows.

One row per parameter: ``rule`` (规则) names the rule, ``item`` (序号) numbers the entries of
list rules (rank floors, quotas, skill mix, forbidden pairs, locks), ``parameter`` (参数) is
the field path inside the rule (``where.weak``), ``value`` (值) the value, and ``note`` (说明)
is free text. Sections ``weights`` (权重), ``settings`` (求解设置) and ``round`` (轮次) use
the same rows, so one sheet holds everything that is not a community or a cadre.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from matcher.model.identity import IdentityChoices
from matcher.model.io.cells import (
    ITEM_SEPARATORS,
    format_cell,
    parse_bool,
    parse_enum,
    parse_km,
    parse_number,
    split_list,
)
from matcher.model.io.headers import RULE_COLUMNS, header_text, normalise_header
from matcher.model.io.rows import Table, map_header
from matcher.model.problems import InputProblem
from matcher.model.round import CoordSystem, Round
from matcher.model.rules import Rules
from matcher.model.settings import SolveSettings
from matcher.model.weights import Weights

# Section key → Chinese title. Keys other than weights/settings/round are fields of Rules.
SECTION_ZH: dict[str, str] = {
    "one_post_per_cadre": "一人一岗",
    "coverage": "全覆盖",
    "availability": "岗位类型",
    "max_distance": "就近距离",
    "rank_floors": "职级下限",
    "own_district": "不出县区",
    "source_quotas": "来源配额",
    "skill_mix": "技能搭配",
    "pairing": "结对",
    "forbidden_pairs": "禁止配对",
    "locks": "锁定",
    "exclude_disqualified": "排除不得当选",
    "clearances": "资格联审",
    "party_secretary": "第一书记须为党员",
    "vetting": "联审意见",
    "terms": "任期",
    "identity": "人员识别",
    "weights": "权重",
    "settings": "求解设置",
    "round": "轮次",
    "rank_titles": "职级对照",
}
ROUND_FIELDS = ("name", "description", "extra_skills", "format_version", "default_crs")
_LOOKUP = {normalise_header(k): k for k in SECTION_ZH} | {
    normalise_header(v): k for k, v in SECTION_ZH.items()
}
_POST_TYPES = {"full-time", "part-time"}
_LEVELS = {"city", "county", "street"}


@dataclass
class RuleSections:
    """Raw sections read from a rules table and the row each parameter came from."""

    raw: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # field path → (file, row)
    problems: list[InputProblem] = field(default_factory=list)


def _model_of(section: str) -> tuple[type[BaseModel], bool]:
    """The model a section's parameters belong to and whether the section is a list."""
    if section == "weights":
        return Weights, False
    if section == "settings":
        return SolveSettings, False
    if section == "round":
        return Round, False
    if section == "identity":
        return IdentityChoices, False
    ann = Rules.model_fields[section].annotation
    if typing.get_origin(ann) is list:
        return typing.get_args(ann)[0], True
    assert isinstance(ann, type) and issubclass(ann, BaseModel)
    return ann, False


def _strip_optional(ann: Any) -> Any:
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        return args[0] if len(args) == 1 else ann
    return ann


def _field(model: type[BaseModel], path: str) -> FieldInfo | None:
    """The field a dotted parameter path names inside ``model``, or None if there is none."""
    info: FieldInfo | None = None
    for part in path.split("."):
        if model is None or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        ann = _strip_optional(info.annotation)
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None  # type: ignore[assignment]
    return info


def _kind(info: FieldInfo) -> tuple[str, bool]:
    """How a parameter's value is parsed: (kind, is_list)."""
    ann = _strip_optional(info.annotation)
    is_list = typing.get_origin(ann) is list
    if is_list:
        ann = typing.get_args(ann)[0]
        if typing.get_origin(ann) is list:  # groups of ids: "A、B; C、D"
            return "groups", False
    if ann is bool:
        return "bool", is_list
    if ann in (int, float):
        return "number", is_list
    if ann is CoordSystem:
        return "enum:crs", is_list
    if typing.get_origin(ann) is Literal:
        values = set(typing.get_args(ann))
        if values == _POST_TYPES:
            return "enum:post_type", is_list
        if values == _LEVELS:
            return "enum:level", is_list
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "group", is_list
    return "text", is_list


def _parse(kind: str, is_list: bool, text: str) -> Any:
    if kind == "groups":
        return [split_list(g) for g in ITEM_SEPARATORS.split(text) if g.strip()]
    if is_list:
        parts = split_list(text)
        return [parse_enum(kind[5:], p) for p in parts] if kind.startswith("enum:") else parts
    if kind == "bool":
        return parse_bool(text)
    if kind == "number":
        return parse_number(text)
    if kind.startswith("enum:"):
        return parse_enum(kind[5:], text)
    return text


def _parameters(model: type[BaseModel], section: str) -> list[str]:
    names = ROUND_FIELDS if section == "round" else tuple(model.model_fields)
    return list(names)


def read_rules_table(table: Table) -> RuleSections:
    """Parse a rules table into raw ``rules``/``weights``/``settings`` sections + top fields."""
    mapped, head = map_header(table, RULE_COLUMNS)
    out = RuleSections(problems=head.problems)
    if head.problems:
        return out
    items: dict[tuple[str, int], dict[str, Any]] = {}
    singles: dict[str, dict[str, Any]] = {}
    first_row: dict[tuple[str, int, str], int] = {}
    for number, cells in table.rows:
        row = {c.key: t.strip() for c, t in zip(mapped, cells, strict=False) if c is not None}

        def problem(message: str, *, number: int = number, row: dict[str, str] = row) -> None:
            where = f"row {number}"
            if row.get("rule"):
                where += f" ({row['rule']}"
                where += f" #{row['item']}" if row.get("item") else ""
                where += f" {row['parameter']})" if row.get("parameter") else ")"
            out.problems.append(InputProblem(table.source, where, message))

        section = _LOOKUP.get(normalise_header(row.get("rule", "")))
        if section is None:
            expected = ", ".join(f"{v}/{k}" for k, v in SECTION_ZH.items())
            problem(f"unknown rule {row.get('rule', '')!r}; expected one of {expected}")
            continue
        param = row.get("parameter", "")
        if section == "rank_titles":  # 职级对照, 参数 = the title, 值 = its rung
            if not param or not row.get("value"):
                problem("职级对照/rank_titles needs the title in 参数 and the rank in 值")
                continue
            out.raw.setdefault("rank_titles", {})[param] = row["value"]
            out.rows[f"rank_titles.{param}"] = (table.source, number)
            continue
        model, is_list_rule = _model_of(section)
        info = _field(model, param) if param else None
        if info is None or (section == "round" and param not in ROUND_FIELDS):
            known = ", ".join(_parameters(model, section))
            problem(f"unknown parameter {param!r} of rule {section}; expected one of {known}")
            continue
        kind, is_list = _kind(info)
        if kind == "group":
            subs = ", ".join(f"{param}.{f}" for f in info.annotation.model_fields)  # type: ignore[union-attr]
            problem(f"parameter {param!r} is a group; name one of {subs}")
            continue
        index = 0
        if is_list_rule:
            item = parse_number(row.get("item", "")) if row.get("item") else None
            if not isinstance(item, int) or item < 1:
                problem(f"rule {section} is a list: give 序号/item 1, 2, … (got {item!r})")
                continue
            index = item
        elif row.get("item"):
            problem(f"rule {section} is a single rule; leave 序号/item empty")
            continue
        key = (section, index, param)
        if key in first_row:
            problem(f"parameter set twice (first at row {first_row[key]})")
            continue
        first_row[key] = number
        text = row.get("value", "")
        if not text and not is_list:
            continue  # an empty scalar keeps the model's default
        target = (
            items.setdefault((section, index), {})
            if is_list_rule
            else singles.setdefault(section, {})
        )
        *heads, last = param.split(".")
        for part in heads:
            target = target.setdefault(part, {})
        target[last] = parse_km(text) if last == "km" else _parse(kind, is_list, text)
    _assemble(out, items, singles, first_row, table.source)
    return out


def _assemble(
    out: RuleSections,
    items: dict[tuple[str, int], dict[str, Any]],
    singles: dict[str, dict[str, Any]],
    first_row: dict[tuple[str, int, str], int],
    source: str,
) -> None:
    rules: dict[str, Any] = {}
    positions: dict[tuple[str, int], int] = {}
    for section, number in sorted(items):
        entries = rules.setdefault(section, [])
        positions[(section, number)] = len(entries)
        entries.append(items[(section, number)])
    for section, values in singles.items():
        if section in ("weights", "settings", "identity"):
            out.raw[section] = values
        elif section == "round":
            out.raw.update(values)
        else:
            rules[section] = values
    if rules:
        out.raw["rules"] = rules
    for (section, number, param), row in sorted(first_row.items(), key=lambda kv: kv[1]):
        if section == "round":
            path = param
        elif section in ("weights", "settings", "identity"):
            path = f"{section}.{param}"
        elif (section, number) in positions:
            path = f"rules.{section}[{positions[(section, number)]}].{param}"
        else:
            path = f"rules.{section}.{param}"
        out.rows[path] = (source, row)


def relocate(problem: InputProblem, source: str, rows: dict[str, tuple[str, int]]) -> InputProblem:
    """Point a validator problem at a field path (``rules.locks[0].cadre``) to its table row."""
    if problem.source != source or problem.where.startswith("row "):
        return problem
    where = problem.where
    hits = [
        p
        for p in rows
        if p == where
        or where.startswith((p + ".", p + "["))
        or p.startswith((where + ".", where + "["))
    ]
    if not hits:
        return problem
    file, row = min((rows[p] for p in hits), key=lambda fr: fr[1])
    return problem.moved(source=file, where=f"row {row} ({where})")


def rules_rows(round: Round, headers: str) -> list[list[str]]:
    """A round's rules, weights, settings and name as rule-table rows (header row first)."""
    out = [[header_text(c, headers) for c in RULE_COLUMNS]]
    dumped = round.model_dump(mode="json")
    sections: list[tuple[str, Any]] = [(k, dumped["rules"][k]) for k in Rules.model_fields]
    sections += [("weights", dumped["weights"]), ("settings", dumped["settings"])]
    sections.append(("identity", dumped["identity"]))
    sections.append(("round", {k: dumped[k] for k in ROUND_FIELDS}))
    for section, value in sections:
        model, _ = _model_of(section)
        label = SECTION_ZH[section] if headers != "en" else section
        entries = list(enumerate(value, 1)) if isinstance(value, list) else [(None, value)]
        for number, entry in entries:
            for param, leaf in _flatten(entry):
                info = _field(model, param)
                assert info is not None
                kind, is_list = _kind(info)
                if (
                    leaf is None
                    or leaf == ""
                    or (is_list and not leaf and not info.get_default(call_default_factory=True))
                ):
                    continue
                note = info.description or ""
                if param == "any_of":
                    kind = "skills"
                    text = format_cell(kind, leaf, headers)
                elif kind == "groups":
                    text = "; ".join("、".join(g) for g in leaf)
                elif is_list:
                    text = "; ".join(format_cell(kind, v, headers) for v in leaf)
                else:
                    text = format_cell(kind, leaf, headers)
                out.append([label, "" if number is None else str(number), param, text, note])
    titles = SECTION_ZH["rank_titles"] if headers != "en" else "rank_titles"
    for title, rank in dumped["rank_titles"].items():
        out.append([titles, "", title, rank, "职级对照 / how this round reads the title"])
    return out


def _flatten(value: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, leaf in value.items():
        if isinstance(leaf, dict):
            out += _flatten(leaf, f"{prefix}{key}.")
        else:
            out.append((f"{prefix}{key}", leaf))
    return out
