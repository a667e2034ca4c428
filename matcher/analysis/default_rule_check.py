"""The default rules (first secretary a Party member; vetting answers obeyed) checked on a
plan, for 规则核对 beside the planner's own rules. Counted from the cadres' own fields, not from
the engine's masks, so the sheet is evidence (see :mod:`matcher.analysis.rule_check`)."""

from __future__ import annotations

from matcher.model.attributes import PartyStanding
from matcher.model.language import chooser
from matcher.model.round import Cadre, Round
from matcher.model.vetting import answered_against

Check = tuple[str, str, str, bool | None]
"""(rule, requires, plan, holds — None when the rule is switched off)."""


def default_rule_checks(round: Round, filled: list[tuple[str, Cadre]], lang: str) -> list[Check]:
    """The two default rules on the posts ``filled`` ((post type, cadre) per filled post)."""
    t = chooser(lang)
    rules = round.rules
    party = rules.party_secretary
    admitted = {PartyStanding.MEMBER} | (
        {PartyStanding.PROBATIONARY} if party.probationary else set()
    )
    firsts = [c for ptype, c in filled if ptype == "full-time"]
    members = sum(1 for c in firsts if c.party in admitted)
    off = t("未启用", "switched off")
    who = (
        t("中共党员（含预备党员）", "Party members (probationary too)")
        if party.probationary
        else t("中共党员（预备党员除外）", "full Party members (not probationary)")
    )
    out: list[Check] = [
        (
            t("第一书记须为中共党员（默认）", "first secretary is a Party member (default)"),
            t(f"第一书记均为{who}", f"every first secretary: {who}"),
            f"{members} / {len(firsts)}"
            if party.enabled
            else t(
                f"{off}：{len(firsts) - members}名第一书记非党员或政治面貌不详",
                f"{off}: {len(firsts) - members} not members or unknown",
            ),
            members == len(firsts) if party.enabled else None,
        )
    ]
    vetting = rules.vetting
    pending_any = vetting.pending == "any"
    need = rules.clearances.required
    barred = sum(1 for _, c in filled if answered_against(c.clearances, need, pending_any))
    scope = (
        t(
            "有不通过或待审意见的干部不安排",
            "no cadre with a refused or pending clearance is posted",
        )
        if pending_any
        else t(
            "有不通过意见（或必审部门待审）的干部不安排",
            "no cadre refused (or pending where required) is posted",
        )
    )
    out.append(
        (
            t("资格联审意见（默认）", "joint vetting answers (default)"),
            scope,
            t(f"安排{barred}人", f"{barred} placed")
            if vetting.enabled
            else t(f"{off}：安排{barred}人", f"{off}: {barred} placed"),
            barred == 0 if vetting.enabled else None,
        )
    )
    return out


__all__ = ["default_rule_checks"]
