"""An internal roster with the private columns the planner names (内部名单, 不得外传).

The roster for approval never shows 身份证号, phones or addresses (:mod:`roster` prints
``extra`` only). When the department itself needs them — to phone the cadres posted, or to
file the list with the personnel office — the planner names the columns
(``matcher solve --include-private 联系电话 身份证号``) and gets this separate workbook, its
sheet and title marked 内部使用、不得外传. Nothing else changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matcher.engine.result import Result
from matcher.model.io.atomic import atomic_path
from matcher.model.io.header_words import norm
from matcher.model.io.roster import roster_table
from matcher.model.io.tables import write_workbook
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round

FILE_NAME = "内部名单.xlsx"
SHEET = "内部名单（不得外传）"
ID_WORDS = frozenset(norm(w) for w in ("身份证号", "公民身份号码", "身份证号码", "id_number"))


def private_names(round: Round) -> list[str]:
    """The private columns the round's cadres carry (身份证号 first when present)."""
    names: dict[str, None] = {}
    if any(c.id_number for c in round.cadres):
        names["身份证号"] = None
    for cad in round.cadres:
        names.update(dict.fromkeys(cad.private))
    return list(names)


def _value(cadre: Any, name: str) -> str:
    if norm(name) in ID_WORDS:
        return str(cadre.id_number or "")
    for key, value in cadre.private.items():
        if norm(key) == norm(name):
            return str(value)
    return ""


def check_names(round: Round, names: Sequence[str]) -> None:
    """Every named column must be one of the round's private columns."""
    known = {norm(n) for n in private_names(round)} | ID_WORDS
    unknown = [n for n in names if norm(n) not in known]
    if unknown:
        have = "、".join(private_names(round)) or "（无）"
        message = (
            f"--include-private: no private column {'、'.join(unknown)} (the round has: {have})"
        )
        raise InvalidInput([InputProblem("command line", "--include-private", message)])


def write_internal_roster(
    round: Round, result: Result, path: str | Path, names: Sequence[str], lang: str = "zh"
) -> None:
    """The roster plus the named private columns, as an XLSX marked 不得外传 (atomically)."""
    check_names(round, names)
    head, rows = roster_table(round, result, lang)
    cadres = {c.id: c for c in round.cadres}
    out: list[list[Any]] = [["内部使用，不得外传"], [*head, *names]]
    for row in rows:
        cad = cadres.get(str(row[-1])) if row[-1] else None
        out.append([*row, *(_value(cad, n) if cad else "" for n in names)])
    with atomic_path(path) as temp:
        write_workbook(temp, {SHEET: out})
