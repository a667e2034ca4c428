"""What the default rules will do to this roster, said at validation (warnings, not errors).

The rules the seed reports take for granted are on unless a round switches them off
(:class:`matcher.model.rules.PartySecretary`, :class:`~matcher.model.rules.VettingAnswers`,
and 本人意愿 as ``availability``). A planner learns before solving what they will bar:
cadres whose 政治面貌 is missing or unreadable cannot be first secretaries; a roster whose
cadres stated 本人意愿 while the availability rule is switched off may send them against it.
"""

from __future__ import annotations

from matcher.model.attributes import PartyStanding
from matcher.model.messages import Text
from matcher.model.resolve import Finding
from matcher.model.round import Availability, Cadre
from matcher.model.rules import Rules

_SHOWN = 5  # ids named in a summary warning


def _some(cadres: list[Cadre]) -> str:
    ids = "、".join(c.id for c in cadres[:_SHOWN])
    return ids + ("等" if len(cadres) > _SHOWN else "")


def default_rule_notes(rules: Rules, cadres: list[tuple[int, Cadre]]) -> list[Finding]:
    """Warnings about what the default rules will bar in this roster."""
    out: list[Finding] = []
    if rules.party_secretary.enabled:
        unread = [
            (i, c) for i, c in cadres if c.political_status and c.party is PartyStanding.UNKNOWN
        ]
        for i, c in unread:
            out.append(
                Finding(
                    "cadres",
                    i,
                    Text(
                        f"政治面貌“{c.political_status}”无法识别（可写 中共党员、中共预备党员、"
                        "共青团员、群众、民主党派名称），按规则不能担任第一书记",
                        f"political status {c.political_status!r} not understood (write "
                        "中共党员, 中共预备党员, 共青团员, 群众 or a party's name); cannot be a "
                        "first secretary",
                    ),
                    path="political_status",
                    id=c.id,
                    severity="warning",
                )
            )
        blank = [
            c
            for _, c in cadres
            if not c.political_status
            and c.party is PartyStanding.UNKNOWN
            and c.availability is not Availability.PART_TIME
        ]
        if blank:
            out.append(
                Finding(
                    "rules",
                    None,
                    Text(
                        f"{len(blank)}名干部未填写政治面貌（{_some(blank)}），按“第一书记须为中共"
                        "党员”规则不能担任第一书记；请补填政治面貌，或关闭该规则"
                        "（rules.party_secretary.enabled: false）",
                        f"{len(blank)} cadres have no political status ({_some(blank)}): the "
                        "rule 'a first secretary is a Party member' keeps them from first "
                        "secretary posts; fill in 政治面貌 or switch the rule off",
                    ),
                    path="party_secretary",
                    severity="warning",
                )
            )
    if not rules.availability.enabled:
        stated = [c for _, c in cadres if c.availability is not Availability.EITHER]
        if stated:
            out.append(
                Finding(
                    "rules",
                    None,
                    Text(
                        f"“本人意愿（岗位类型）”规则已关闭：{len(stated)}名干部填写了只愿脱产或"
                        f"只愿兼职（{_some(stated)}），可能被派往本人未选的岗位",
                        f"the availability rule is off: {len(stated)} cadres who stated a post "
                        f"type ({_some(stated)}) may be sent against their wish",
                    ),
                    path="availability",
                    severity="warning",
                )
            )
    return out


__all__ = ["default_rule_notes"]
