"""Problems grouped the way a clerk fixes them: one line per column and message.

"职级 column, 141 rows (3–190): 二级主任科员 is not a known rank" says more than 141 lines. A
group gathers the problems of one file or sheet, one column and one message (in the language
shown); its rows are listed as ranges. Problems outside table rows stay single.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.model.messages import Lang
from matcher.model.problems import InputProblem

_ROW = re.compile(r"^row (\d+)(?:, column ((?:'[^']*'/?)+))?(?:, field '[^']*')?$")


@dataclass(frozen=True)
class ProblemGroup:
    """Problems sharing source, column and message; ``rows`` in sheet order."""

    source: str
    column: str | None
    message: str
    rows: list[int]
    problems: list[InputProblem]

    def render(self, lang: Lang) -> str:
        """One line: the source, the column, how many rows (as ranges) and the message."""
        if len(self.problems) == 1:
            return self.problems[0].render(lang)
        ranges = row_ranges(self.rows)
        n = len(self.rows)
        if lang == "zh":
            col = f"，{self.column} 列" if self.column else ""
            return f"{self.source}{col}，{n} 行（第 {ranges} 行）：{self.message}"
        col = f", column {self.column}" if self.column else ""
        return f"{self.source}{col}, {n} rows ({ranges}): {self.message}"


def row_ranges(rows: Sequence[int], limit: int = 6) -> str:
    """Row numbers as ranges (3–5, 9), the first ``limit`` ranges then ``…``."""
    parts: list[str] = []
    ordered = sorted(set(rows))
    start = prev = ordered[0]
    for r in [*ordered[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if r is not None:
            start = prev = r
    return ", ".join(parts[:limit]) + (", …" if len(parts) > limit else "")


def group(problems: Sequence[InputProblem], lang: Lang) -> list[ProblemGroup]:
    """Problems grouped by source, column and message (first appearance order)."""
    groups: dict[tuple[str, str | None, str], ProblemGroup] = {}
    singles: list[ProblemGroup] = []
    order: list[tuple[str, str | None, str] | int] = []
    for p in problems:
        m = _ROW.match(p.where)
        text = p.text(lang)
        if m is None:
            singles.append(ProblemGroup(p.source, None, text, [], [p]))
            order.append(len(singles) - 1)
            continue
        key = (p.source, m.group(2), text)
        if key not in groups:
            groups[key] = ProblemGroup(p.source, m.group(2), text, [], [])
            order.append(key)
        groups[key].rows.append(int(m.group(1)))
        groups[key].problems.append(p)
    return [singles[k] if isinstance(k, int) else groups[k] for k in order]
