"""The sentences of explanations, in Chinese or English, naming people and places by name.

:class:`matcher.analysis.explain.Explainer` decides what is true; this module says it, in the
department's units: people as 张三（四级调研员）, places by name, posts as "民族社区 第一书记",
comparisons in kilometres, skills matched and people moved
(:mod:`matcher.analysis.comparison`), rule phrases in the department's words
(:func:`matcher.model.io.reasons.rule_words`). Objective points appear only in the
``technical`` texts (:meth:`Words.technical`), for the technical view.
"""

from __future__ import annotations

from matcher.analysis.comparison import Comparison, person, post_words
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
KIND_WORDS = {"estimate": ("估算", "estimate"), "exact": ("重新测算", "re-solved")}


class Words:
    """Sentences about one round's plan in one language."""

    def __init__(self, round: Round, lang: str) -> None:
        self.lang = lang
        self.t = chooser(lang)
        self._cadres = {c.id: c for c in round.cadres}
        self._coms = {c.id: c for c in round.communities}

    def name_of_cadre(self, cid: str) -> str:
        """The cadre's name ("" when unknown)."""
        c = self._cadres.get(cid)
        return c.name if c else ""

    def name_of_community(self, cid: str) -> str:
        """The community's name ("" when unknown)."""
        c = self._coms.get(cid)
        return c.name if c else ""

    def cadre(self, cid: str) -> str:
        """张三（四级调研员）: the name and the rank title, never the id."""
        c = self._cadres.get(cid)
        return person(c, self.lang) if c else cid

    def community(self, cid: str) -> str:
        """北街社区: the community's name."""
        c = self._coms.get(cid)
        return c.name if c else cid

    def post(self, label: str, slot: int = 0) -> str:
        """``GT01/full-time`` as 北街社区 第一书记 / 北街社区 first secretary."""
        com, _, ptype = label.partition("/")
        return post_words(self._coms.get(com), ptype, self.lang, slot)

    def rules(self, rules: tuple[str, ...] | list[str]) -> str:
        return self.t("；", "; ").join(rule_words(r, self.lang) for r in rules)

    # the technical view (points) ------------------------------------------------------
    def terms(self, terms: dict[str, int]) -> str:
        parts = [f"{self.t(TERM_NAMES.get(k, k), k)} {v:+d}" for k, v in terms.items() if v]
        return self.t("，", ", ").join(parts) or self.t("各项均为0", "all terms 0")

    def technical(
        self, diff: int, terms: dict[str, int], base: dict[str, int], move: int | None, kind: str
    ) -> str:
        """分差 +36（距离 +30，专长 +6）；调整代价 +12分（估算）: for the technical view only."""
        worse = {t: terms[t] - base.get(t, 0) for t in terms if terms[t] != base.get(t, 0)}
        text = self.t(
            f"分差 {diff:+d}（{self.terms(worse)}）", f"cost Δ {diff:+d} ({self.terms(worse)})"
        )
        if move is not None:
            k = self.t(*KIND_WORDS.get(kind, (kind, kind)))
            text += self.t(f"；调整代价 {move:+d}分（{k}）", f"; move cost {move:+d} ({k})")
        return text

    def filled_technical(self, cost: int, terms: dict[str, int]) -> str:
        return self.t(f"计{cost}分（{self.terms(terms)}）", f"costs {cost} ({self.terms(terms)})")

    # posts -----------------------------------------------------------------------------
    def vacant_out_of_reach(self) -> str:
        return self.t(
            "空缺：周边没有可选派的干部",
            "vacant: no cadre lives within reach of this community",
        )

    def vacant_all_excluded(self, n: int) -> str:
        return self.t(
            f"空缺：{n}名候选干部均被规则排除",
            f"vacant: the rules exclude all {n} candidate cadres",
        )

    def vacant(self, reason: str) -> str:
        return self.t(
            f"空缺：{vacancy_words(reason, 'zh')}", f"vacant: {vacancy_words(reason, 'en')}"
        )

    def filled(self, cadre_id: str, reason: str) -> str:
        return f"{self.cadre(cadre_id)}{self.t('：', ': ')}{reason}"

    def best_alternative(self, why: str) -> str:
        return self.t(f"；最可行的替换：{why}", f"; the likeliest swap: {why}")

    # alternatives ----------------------------------------------------------------------
    def excluded(self, rules: tuple[str, ...]) -> str:
        return self.t("被规则排除：", "excluded by rule: ") + self.rules(rules)

    def locked_elsewhere(self, community_id: str) -> str:
        where = self.community(community_id)
        return self.t(f"已研究确定派往{where}（锁定）", f"locked by the planner to {where}")

    def free(
        self, cmp: Comparison, situation: str, broken: tuple[str, ...] | list[str] = ()
    ) -> str:
        """A cadre without a post against the holder; ``situation`` says why it is not here."""
        text = cmp.words(self.lang)
        tail = {
            "dearer": (
                "；目前未安排岗位，综合比较不如现任人选",
                "; has no post, but the holder fits better",
            ),
            "holder_locked": ("；但现任人选已研究确定（锁定）", "; but the holder is locked here"),
            "would_break": (
                f"；但会违反：{self.rules(broken)}",
                "; but would break: " + "; ".join(broken),
            ),
            "cheaper": (
                "；目前未安排岗位，综合比较更合适（本方案未证明最优）",
                "; has no post and fits better (the plan is not proven optimal)",
            ),
        }[situation]
        return text + self.t(*tail)

    def swaps_in(self, cadre_id: str) -> str:
        return self.t(
            f"由现任人选{self.cadre(cadre_id)}对调过去", f"the holder {self.cadre(cadre_id)} swaps"
        )

    def fills_it(self, cadre_id: str) -> str:
        return self.t(
            f"由未安排的{self.cadre(cadre_id)}补上", f"{self.cadre(cadre_id)} (no post) fills it"
        )

    def stays_vacant(self) -> str:
        return self.t("该岗位空缺", "it stays vacant")

    def holds_irreplaceable(self, label: str) -> str:
        post = self.post(label)
        return self.t(
            f"已任{post}，且无其他合适人选接替",
            f"holds {post}, and nobody else eligible could fill that post",
        )

    def holds_move(self, cmp: Comparison, label: str, how: str, broken: list[str]) -> str:
        post = self.post(label)
        tail = self.t(f"；会违反：{self.rules(broken)}", "; would break: " + "; ".join(broken))
        return (
            cmp.words(self.lang)
            + self.t(f"（现任{post}，{how}）", f" (holds {post}; {how})")
            + (tail if broken else "")
        )

    def exact(self, why: str, feasible: bool) -> str:
        shown = (
            self.t("可以形成满足全部规则的方案", "a plan keeping every rule exists")
            if feasible
            else self.t("其他规则无法同时满足", "no plan keeps the other rules")
        )
        return why + self.t(f"；锁定于此重新测算：{shown}", f"; re-planned with it here: {shown}")

    # cadres without a post -------------------------------------------------------------
    def cadre_out_of_reach(self) -> str:
        return self.t("周边没有可派往的社区", "no community lies within reach of this cadre")

    def cadre_all_excluded(self, excluded: dict[str, int]) -> str:
        rules = self.t("；", "; ").join(
            f"{rule_words(w, self.lang)}（{n}个岗位）" if self.lang != "en" else f"{w} ({n} posts)"
            for w, n in excluded.items()
        )
        return self.t(
            f"所有候选岗位均被规则排除：{rules}", f"the rules exclude every candidate post: {rules}"
        )

    def cadre_outranked(self, n: int, label: str, why: str) -> str:
        post = self.post(label)
        return self.t(
            f"符合{n}个岗位的条件，均已有更合适人选；最接近的是{post}，{why}",
            f"eligible for {n} posts, all better filled; the nearest miss is {post}, {why}",
        )

    def no_post(self, community_id: str, post_type: str, slot: int) -> str:
        post = post_words(self._coms.get(community_id), post_type, self.lang, slot)
        return self.t(f"方案中没有该岗位：{post}", f"the plan has no such post: {post}")


__all__ = ["KIND_WORDS", "TERM_NAMES", "TERM_WORDS", "Words"]
