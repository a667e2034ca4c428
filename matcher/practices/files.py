"""Practice files in and out: a JSON file (or API body) → validated model, every problem named;
an outcome → JSON and an approval workbook (Chinese headers), written atomically."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from matcher.model.io.atomic import atomic_path, write_text
from matcher.model.io.tables import write_workbook
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.validate import error_message, field_path
from matcher.practices.models import (
    TYPE_NAMES,
    CommitteeRound,
    ExchangeRound,
    MentorRound,
    Secretary,
)
from matcher.practices.outcome import Outcome

M = TypeVar("M", bound=BaseModel)

KINDS: dict[str, type[BaseModel]] = {
    "mentors": MentorRound,
    "exchange": ExchangeRound,
    "committees": CommitteeRound,
}


def parse(model: type[M], raw: Any, source: str) -> M:
    """Validate ``raw`` as ``model``; InvalidInput lists every problem with its field path."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [
            InputProblem(source, field_path(err["loc"]), error_message(err)) for err in exc.errors()
        ]
        raise InvalidInput(problems) from None


def read(kind: str, path: str | Path) -> BaseModel:
    """Read a practice input file (JSON) of ``kind`` (mentors, exchange, committees)."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InvalidInput([InputProblem(p.name, "", f"cannot read the file: {exc}")]) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInput([InputProblem(p.name, where, f"not valid JSON: {exc.msg}")]) from None
    return parse(KINDS[kind], raw, p.name)


def _who(people: Mapping[str, Secretary], pid: str) -> list[Any]:
    s = people.get(pid)
    if s is None:
        return [pid, "", "", "", ""]
    kind = TYPE_NAMES.get(s.type or "", "")
    return [pid, s.name, s.community, s.district.name, kind]


def sheets(model: BaseModel, outcome: Outcome) -> dict[str, list[list[Any]]]:
    """The outcome as sheets a department reads: the list, unmatched, and the record."""
    record: list[list[Any]] = [
        ["项目", "内容"],
        ["名称", getattr(model, "name", "")],
        ["结果", outcome.summary().splitlines()[0]],
        ["目标值", outcome.objective],
        ["下界", outcome.bound],
        ["差距", outcome.gap],
        ["方法", outcome.method],
        *[[k, v] for k, v in outcome.stats.items()],
        *[["冲突", c] for c in outcome.conflicts],
        *[["说明", n] for n in outcome.notes],
    ]
    if isinstance(model, MentorRound):
        people = {s.id: s for s in [*model.mentors, *model.mentees]}
        head = ["导师编号", "导师", "所在社区", "区（县）", "类型"]
        head += ["学员编号", "学员", "所在社区", "区（县）", "类型", "距离（公里）", "理由"]
        rows = [head] + [
            [
                *_who(people, p.left),
                *_who(people, p.right),
                round((p.distance_m or 0) / 1000, 1),
                p.reason,
            ]
            for p in outcome.pairs
        ]
        return {"帮带名单": rows, "技术信息": record}
    if isinstance(model, ExchangeRound):
        guests = {g.id: g for g in model.guests}
        hosts = {h.community: h for h in model.hosts}
        head = ["编号", "挂职书记", "原社区", "区（县）", "类型", "接收社区", "志愿名次", "理由"]
        rows = [head] + [
            [
                *_who(guests, p.left),
                hosts[p.right].name if p.right in hosts else p.right,
                p.rank or "志愿外",
                p.reason,
            ]
            for p in outcome.pairs
        ]
        rows += [[*_who(guests, g), "未安排", "", ""] for g in outcome.unmatched]
        return {"挂职交流名单": rows, "技术信息": record}
    assert isinstance(model, CommitteeRound)
    names = {c.id: c.name for c in model.communities}
    rows = [["联合党委", "牵头社区", "成员社区", "社区数", "最远相距（公里）", "说明"]]
    for k, g in enumerate(outcome.groups, start=1):
        members = "、".join(names.get(m, m) for m in g.members)
        rows.append(
            [
                f"第{k}联合党委",
                names.get(g.leader, g.leader),
                members,
                len(g.members),
                round(g.spread_m / 1000, 2),
                g.reason,
            ]
        )
    return {"联合党委分组": rows, "技术信息": record}


def write_outputs(model: BaseModel, outcome: Outcome, folder: Path, stem: str) -> list[Path]:
    """``stem``.json (the outcome) and ``stem``.xlsx (the approval workbook) in ``folder``."""
    out_json = folder / f"{stem}.json"
    write_text(out_json, json.dumps(outcome.to_dict(), ensure_ascii=False, indent=1) + "\n")
    out_xlsx = folder / f"{stem}.xlsx"
    with atomic_path(out_xlsx) as temp:
        write_workbook(temp, sheets(model, outcome))
    return [out_json, out_xlsx]
