"""The engine's notes (``Result.notes``) in a department's words.

The engine writes its notes for engineers ("optimal over the candidate pairs only; left-out
pairs were not priced"). A planner needs what they mean for the plan: is it proven the best,
did the run stop early, were some far cadres left unchecked. :func:`note_words` says that in
Chinese (or English); notes that only record how the proof went (column generation, exact
reductions, a flow optimum that keeps every rule: the status already says 最优) say nothing
to a planner and are shown only with ``--technical``, as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from matcher.model.messages import Lang, Text

# note pattern → what it means for the plan (None: technical only). First match wins.
_WORDS: tuple[tuple[re.Pattern[str], Text | None], ...] = (
    (
        re.compile(r"^proven over all pairs"),
        Text(
            "已逐一核实：未列入候选范围的干部距离过远，换上任何一位都不会使方案更好",
            "checked: every cadre outside the candidates is too far away to improve the plan",
        ),
    ),
    (
        re.compile(r"^(?P<n>\d+) communities need candidates farther out"),
        Text(
            "有 {n} 个社区还需从更远处找人选核实，方案尚未证明为最优",
            "{n} communities need cadres from farther away checked: the plan is not yet "
            "proven the best",
        ),
    ),
    (
        re.compile(r"^optimal over the candidate pairs only"),
        Text(
            "方案在候选人选范围内最优；范围外的干部未逐一核实",
            "the best plan among the candidates; cadres outside them were not checked",
        ),
    ),
    (
        re.compile(r"^the rules conflict over the candidate pairs"),
        Text(
            "在候选人选范围内规则无法同时满足；扩大人选范围后可能有解",
            "the rules cannot all hold among the candidates; more candidates may resolve it",
        ),
    ),
    (
        re.compile(r"^stopped before (optimality|every level) was proven"),
        Text(
            "计算在时限内停止：方案符合全部规则，但尚未证明为最优",
            "stopped at the time limit: the plan keeps every rule but is not proven the best",
        ),
    ),
    (
        re.compile(r"^(stopped before a plan was found|time limit reached)"),
        Text("计算在时限内停止，尚未得出方案", "stopped at the time limit before a plan was found"),
    ),
    (re.compile(r"^stopped$"), Text("计算已按要求停止", "stopped as asked")),
    (
        re.compile(r"^proven within the relative gap only"),
        Text(
            "方案与最优方案的差距在允许范围内，但未证明为最优",
            "the plan is within the allowed distance of the best but not proven the best",
        ),
    ),
    (
        re.compile(r"^method 'flow' ignores side constraints"),
        Text(
            "所选计算方法不考虑来源比例、专长配备等规则，方案未能满足这些规则",
            "the chosen method ignores quotas and the skill mix; the plan breaks them",
        ),
    ),
    (
        re.compile(r"^no plan keeps every hard rule"),
        Text(
            "调整后没有方案能满足全部硬性规则（来源比例、专长配备、已研究确定的安排）",
            "no plan keeps every hard rule (quotas, skill mix, locks) after the changes",
        ),
    ),
    # how the proof went: the status already says whether the plan is proven the best
    (re.compile(r"keeps every (side constraint|rule), so it is optimal"), None),
    (re.compile(r"^column generation"), None),
    (re.compile(r"^quota .* decides every post of its type"), None),
    (re.compile(r"levels MIP$"), None),
)

MORE = Text("另有计算过程说明（加 --technical 查看）", "more notes on the run: --technical")


def note_words(note: str, lang: Lang) -> str | None:
    """What ``note`` means for the plan in ``lang``; None when it is technical only, ``""``
    when this table does not know the note."""
    for pattern, text in _WORDS:
        m = pattern.search(note)
        if m is not None:
            return None if text is None else text.pick(lang).format(**m.groupdict())
    return ""  # a note this table does not know: the caller points at --technical


def notes_for_planner(notes: Iterable[str], lang: Lang) -> list[str]:
    """The notes a planner reads, each once; unknown notes become one pointer to
    ``--technical`` (their English is an engineer's)."""
    out: list[str] = []
    for note in notes:
        said = note_words(note, lang)
        if said == "":
            said = MORE.pick(lang)
        if said and said not in out:
            out.append(said)
    return out


__all__ = ["MORE", "note_words", "notes_for_planner"]
