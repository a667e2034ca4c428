"""The sentences of explanations, in Chinese or English, naming people and places by name.

:class:`matcher.analysis.explain.Explainer` decides what is true; this module says it. Cadres
and communities appear as 张三（C03） and 北街社区（GT01）, posts as the roster names them, rule
phrases in the department's words (:func:`matcher.model.io.reasons.rule_words`).
"""

from __future__ import annotations

from matcher.model.io.reasons import rule_words, vacancy_words
from matcher.model.language import chooser
from matcher.model.round import Round

TERM_WORDS: dict[str, tuple[str, str]] = {
    "distance": ("离家更远", "farther from home"),
    "skill_fit": ("岗位所需专长更少", "fewer of the required skills"),
    "weak_priority": (
        "软弱涣散社区配强优先度更低（职级较低）",
        "less weak-community priority (lower rank)",
    ),
    "preference": ("在本人志愿中更靠后", "lower on its preference list"),
    "change": ("需离开现任岗位", "leaves its current post"),
}
TERM_NAMES: dict[str, str] = {
    "distance": "距离",
    "skill_fit": "专长",
    "weak_priority": "软弱涣散配强",
    "preference": "志愿",
    "change": "调整",
    "vacancy": "空缺",
}


class Words:
    """Sentences about one round's plan in one language."""

    def __init__(self, round: Round, lang: str) -> None:
        self.lang = lang
        self.t = chooser(lang)
        self._cadres = {c.id: c.name for c in round.cadres}
        self._coms = {c.id: c.name for c in round.communities}

    def name_of_cadre(self, cid: str) -> str:
        """The cadre's name ("" when unknown)."""
        return self._cadres.get(cid, "")

    def name_of_community(self, cid: str) -> str:
        """The community's name ("" when unknown)."""
        return self._coms.get(cid, "")

    def cadre(self, cid: str) -> str:
        """张三（C03） / 张三 (C03)."""
        name = self._cadres.get(cid)
        return self.t(f"{name}（{cid}）", f"{name} ({cid})") if name else cid

    def community(self, cid: str) -> str:
        """北街社区（GT01） / 北街社区 (GT01)."""
        name = self._coms.get(cid)
        return self.t(f"{name}（{cid}）", f"{name} ({cid})") if name else cid

    def post(self, label: str) -> str:
        """``GT01/full-time`` as 北街社区（GT01）第一书记岗位 / 北街社区 (GT01) full-time."""
        com, _, ptype = label.partition("/")
        kind = self.t("第一书记岗位" if ptype == "full-time" else "兼职委员岗位", ptype)
        return self.t(f"{self.community(com)}{kind}", f"{self.community(com)} {kind}")

    def rules(self, rules: tuple[str, ...] | list[str]) -> str:
        return self.t("；", "; ").join(rule_words(r, self.lang) for r in rules)

    def terms(self, terms: dict[str, int]) -> str:
        parts = [f"{self.t(TERM_NAMES.get(k, k), k)} {v:+d}" for k, v in terms.items() if v]
        return self.t("，", ", ").join(parts) or self.t("各项均为0", "all terms 0")

    def term_reasons(self, alt: dict[str, int], base: dict[str, int]) -> str:
        worse = sorted(((alt[t] - base.get(t, 0), t) for t in alt), reverse=True)
        parts = [
            self.t(f"{TERM_WORDS[t][0]}（+{d}分）", f"{TERM_WORDS[t][1]} (+{d})")
            for d, t in worse
            if d > 0 and t in TERM_WORDS
        ]
        return self.t("，", ", ").join(parts[:3]) or self.t(
            "没有哪一项明显更差", "no single term is worse"
        )

    # posts -----------------------------------------------------------------------------
    def vacant_out_of_reach(self) -> str:
        return self.t(
            "空缺：周边没有可选派的干部",
            "vacant: no cadre is within the geographic search of this community",
        )

    def vacant_all_excluded(self, n: int) -> str:
        return self.t(
            f"空缺：{n}名候选干部均被规则排除",
            f"vacant: the rules exclude all {n} candidate cadres",
        )

    def vacant(self, reason: str) -> str:
        return self.t(f"空缺：{vacancy_words(reason, 'zh')}", f"vacant: {reason}")

    def filled(self, cadre_id: str, cost: int, terms: dict[str, int], reason: str) -> str:
        who = self.cadre(cadre_id)
        return self.t(
            f"{who}计{cost}分（{self.terms(terms)}）：{reason}",
            f"{who} costs {cost} points ({self.terms(terms)}): {reason}",
        )

    def best_alternative(self, cadre_id: str, why: str) -> str:
        who = self.cadre(cadre_id)
        return self.t(
            f"；可调整的最优人选{who}：{why}", f"; the best movable alternative {who}: {why}"
        )

    # alternatives ----------------------------------------------------------------------
    def excluded(self, rules: tuple[str, ...]) -> str:
        return self.t("被规则排除：", "excluded by rule: ") + self.rules(rules)

    def locked_elsewhere(self, community_id: str) -> str:
        where = self.community(community_id)
        return self.t(f"已研究确定派往{where}（锁定）", f"locked by the planner to {where}")

    def free_dearer(self, diff: int, reasons: str) -> str:
        return self.t(
            f"未安排岗位，但多{diff}分：{reasons}", f"free, but costs {diff} points more: {reasons}"
        )

    def free_holder_locked(self, saving: int) -> str:
        return self.t(
            f"未安排岗位且少{saving}分，但现任人选已锁定在此",
            f"free and {saving} points cheaper, but the holder is locked here",
        )

    def free_would_break(self, saving: int, broken: list[str]) -> str:
        return self.t(
            f"未安排岗位且少{saving}分，但会违反：{self.rules(broken)}",
            f"free and {saving} points cheaper, but would break: " + "; ".join(broken),
        )

    def free_cheaper(self, saving: int) -> str:
        return self.t(
            f"未安排岗位且少{saving}分（本方案未证明最优）",
            f"free and {saving} points cheaper (the plan is not proven optimal)",
        )

    def swaps_in(self, cadre_id: str) -> str:
        return self.t(f"{self.cadre(cadre_id)}对调过去", f"{self.cadre(cadre_id)} swaps in")

    def fills_it(self, cadre_id: str) -> str:
        return self.t(
            f"由未安排的{self.cadre(cadre_id)}补上", f"{self.cadre(cadre_id)} (free) fills it"
        )

    def stays_vacant(self) -> str:
        return self.t("该岗位空缺", "it stays vacant")

    def holds_irreplaceable(self, label: str) -> str:
        post = self.post(label)
        return self.t(
            f"已任{post}，且无其他合适人选接替",
            f"holds {post}, and nobody else eligible could fill that post",
        )

    def holds_move(self, label: str, how: str, delta: int, broken: list[str]) -> str:
        post = self.post(label)
        tail = self.t(f"；会违反：{self.rules(broken)}", "; would break: " + "; ".join(broken))
        return self.t(
            f"已任{post}；调来此岗（{how}）目标值变化{delta:+d}分",
            f"holds {post}; moving it here ({how}) changes the objective by {delta:+d}",
        ) + (tail if broken else "")

    def exact(self, why: str, delta: int | None) -> str:
        shown = (
            self.t("其他规则无法同时满足", "no plan keeps the other rules")
            if delta is None
            else self.t(f"{delta:+d}分", f"{delta:+d} points")
        )
        return why + self.t(
            f"；锁定于此重新测算：{shown}", f"; exact re-plan with it locked here: {shown}"
        )

    # cadres without a post -------------------------------------------------------------
    def cadre_out_of_reach(self) -> str:
        return self.t(
            "周边没有可派往的社区", "no community is within the geographic search of this cadre"
        )

    def cadre_all_excluded(self, excluded: dict[str, int]) -> str:
        rules = self.t("；", "; ").join(
            f"{rule_words(w, self.lang)}（{n}）" if self.lang != "en" else f"{w} ({n})"
            for w, n in excluded.items()
        )
        return self.t(
            f"所有候选岗位均被规则排除：{rules}", f"the rules exclude every candidate post: {rules}"
        )

    def cadre_outranked(self, n: int, label: str, why: str) -> str:
        post = self.post(label)
        return self.t(
            f"符合{n}个岗位的条件，均已有更合适人选；最接近的是{post}：{why}",
            f"eligible for {n} posts, all better filled; cheapest: {post}: {why}",
        )

    def no_post(self, community_id: str, post_type: str, slot: int) -> str:
        return self.t(
            f"方案中没有该岗位：{community_id}/{post_type}#{slot}",
            f"the plan has no post {community_id}/{post_type}#{slot}",
        )


__all__ = ["TERM_NAMES", "TERM_WORDS", "Words"]
