"""What a transition still needs: the gaps a store transition finds in its own transaction,
each with a code and words in Chinese and English, raised together as :class:`Refused`.

The routes answer :class:`Refused` with 409 problem+json naming the workflow's state and every
gap at once (:func:`matcher_service.workflow_steps.refused`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

STATE_ZH = {
    "nominating": "单位推荐",
    "vetting": "资格联审",
    "reviewed": "组织审核",
    "proposed": "拟定方案",
    "publicity": "公示",
    "approved": "批准",
    "published": "公布",
}
STATE_EN = {
    "nominating": "nominating",
    "vetting": "vetting",
    "reviewed": "reviewed",
    "proposed": "proposed",
    "publicity": "publicity",
    "approved": "approved",
    "published": "published",
}


@dataclass(frozen=True)
class Gap:
    """One thing missing before a transition may happen."""

    code: str
    zh: str
    en: str


class Refused(RuntimeError):
    """The transition is refused: the workflow is at ``state`` and ``gaps`` are missing."""

    def __init__(self, state: str | None, gaps: Iterable[Gap]) -> None:
        self.state, self.gaps = state, tuple(gaps)
        super().__init__("; ".join(g.en for g in self.gaps))


def needs_state(state: str | None, wanted: Iterable[str]) -> Gap:
    """The workflow must first reach one of ``wanted``."""
    want = tuple(wanted)
    return Gap(
        "wrong-state",
        f"此操作需在「{'、'.join(STATE_ZH.get(s, s) for s in want)}」阶段"
        f"（当前为「{STATE_ZH.get(state or '', state or '未开启')}」）",
        f"this step needs the workflow at {' or '.join(want)} (it is at {state or 'none'})",
    )


def changed_since_review(version: int, reviewed: int | None) -> Gap:
    return Gap(
        "changed-since-review",
        f"审核后名单已改动（当前第 {version} 版，审核的是第 {reviewed} 版），须重新审核",
        f"the round changed since review (version {version}, reviewed {reviewed}); review again",
    )


def publicity_running(ends: str) -> Gap:
    return Gap(
        "publicity-running",
        f"公示期未满（至北京时间 {ends}）",
        f"the publicity period is not over (it ends {ends} Beijing time)",
    )


def open_objections(ids: list[int]) -> Gap:
    names = "、".join(map(str, ids))
    return Gap(
        "open-objections",
        f"有未办结的公示反映（第 {names} 号）",
        f"objections not resolved: {', '.join(map(str, ids))}",
    )


def not_the_plan(given: str, current: str | None) -> Gap:
    return Gap(
        "not-the-plan",
        f"方案 {given} 不是公示中的方案（{current or '无'}）",
        f"plan {given} is not the plan under publicity ({current or 'none'})",
    )


def serving_elsewhere(people: list[tuple[str, str, str]]) -> Gap:
    """``people``: (cadre id, name, the approved plan it serves under)."""
    zh = "、".join(f"{name}（{cid}，在岗于方案 {plan}）" for cid, name, plan in people)
    en = ", ".join(f"{cid} (serving under plan {plan})" for cid, _, plan in people)
    return Gap(
        "serving-elsewhere",
        f"以下干部已在另一已批准方案中任职：{zh}",
        f"these cadres serve under another approved plan: {en}",
    )


def already_approved(plan_id: str) -> Gap:
    return Gap("approved", f"方案 {plan_id} 已批准入档", f"plan {plan_id} is approved already")


def no_assignment(status: str) -> Gap:
    return Gap("no-plan", f"方案无可行安排（{status}）", f"the plan has no assignment ({status})")


def plan_of_other_round(plan_id: str) -> Gap:
    return Gap(
        "wrong-plan", f"方案 {plan_id} 不属于本轮", f"plan {plan_id} belongs to another round"
    )


def solved_on(version: int, reviewed: int | None) -> Gap:
    return Gap(
        "changed-since-review",
        f"方案按第 {version} 版求解，不是审核后的第 {reviewed} 版",
        f"the plan was solved on version {version}, not on the reviewed version {reviewed}",
    )


def in_workflow(round_id: str, state: str) -> Gap:
    return Gap(
        "in-workflow",
        f"该方案所在轮次 {round_id} 正在选派流程中（{STATE_ZH.get(state, state)}），"
        "须经公示后按流程批准",
        f"the plan's round {round_id} is in the selection workflow ({state}); it is approved "
        "through the workflow after publicity",
    )


def not_approved(plan_id: str) -> Gap:
    return Gap(
        "not-approved",
        f"方案 {plan_id} 尚未批准入档",
        f"plan {plan_id} is not approved yet; approve it first",
    )
