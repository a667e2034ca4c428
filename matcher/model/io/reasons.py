"""Reasons in words for the roster: why this cadre for this post, why a post is vacant, why a
cadre has no post — built from the round and the plan's own figures, in Chinese or English.

A filled post's reason names only what is true of it: the wish it met (第2志愿) when the
cadre stated wishes, the distance, the required skills the cadre brings (and the skill-mix
rule they satisfy), the rank floor the cadre meets, the weak-community priority, a pairing,
a lock or a kept post. A cadre who gave no wish is never said to have been given a
"preferred" community.
"""

from __future__ import annotations

import re

from matcher.engine.eligibility import selector_mask
from matcher.engine.result import Assignment
from matcher.model.language import pick
from matcher.model.round import Cadre, Community, Round
from matcher.model.skills import skills_text
from matcher.model.standing import catalogue, clearance_words, party_words, vetting_words

NEAR_KM = 5.0  # a post this close to home is called 就近 (near home)
_SEP = {"zh": "；", "en": "; "}


class Reasons:
    """Reasons for every post and unplaced cadre of one round, in one language."""

    def __init__(self, round: Round, lang: str) -> None:
        self.round, self.lang = round, lang
        self.communities = {c.id: c for c in round.communities}
        self.cadres = {c.id: c for c in round.cadres}
        index = round.community_index()
        rules = round.rules
        self._floors = [(f, selector_mask(round, f.where)) for f in rules.rank_floors if f.enabled]
        self._mixes = [(m, selector_mask(round, m.where)) for m in rules.skill_mix if m.enabled]
        self._index = index
        self._locks = {(lk.cadre, lk.community): lk for lk in rules.locks}

    def _t(self, zh: str, en: str) -> str:
        return pick(self.lang, zh, en)

    def filled(self, a: Assignment) -> str:
        """Why this cadre fills this post."""
        cad = self.cadres.get(a.cadre_id or "")
        com = self.communities.get(a.community_id)
        if cad is None or com is None:
            return a.reason
        parts = [p for p in (self._wish(cad, com), self._distance(a)) if p]
        parts += self._skills(a, cad, com)
        parts += self._rank(a, cad, com)
        if cad.unit in com.paired_units:
            parts.append(self._t("结对单位选派", "from a paired unit"))
        parts += self._change(a, cad)
        if a.locked:
            lock = self._locks.get((cad.id, com.id))
            why = self._t(f"（{lock.reason}）", f" ({lock.reason})") if lock and lock.reason else ""
            parts.append(self._t("已研究确定", "decided earlier (locked)") + why)
        return _SEP[self.lang].join(parts)

    def _wish(self, cad: Cadre, com: Community) -> str:
        if not cad.preferences:
            return ""
        if com.id in cad.preferences:
            n = cad.preferences.index(com.id) + 1
            return self._t(f"第{n}志愿", f"wish no. {n}")
        return self._t("未安排在本人志愿社区", "not one of the cadre's wishes")

    def _distance(self, a: Assignment) -> str:
        if a.distance_m is None:
            return ""
        km = a.distance_m / 1000
        if km <= NEAR_KM:
            return self._t(f"就近（{km:.1f}公里）", f"near home ({km:.1f} km)")
        return self._t(f"距离{km:.1f}公里", f"{km:.1f} km from home")

    def _skills(self, a: Assignment, cad: Cadre, com: Community) -> list[str]:
        req = (
            com.required_skills.full_time
            if a.post_type == "full-time"
            else (com.required_skills.part_time)
        )
        i = self._index[com.id]
        out: list[str] = []
        mentioned: set[str] = set()
        for mix, mask in self._mixes:
            if mix.post_type != a.post_type or not mask[i]:
                continue
            has = [s for s in mix.any_of if s in cad.skills]
            if has:
                mentioned.update(has)
                where = self._t("软弱涣散社区", "weak community") if com.weak else mix.name
                out.append(
                    self._t(
                        f"{skills_text(has, 'zh')}专长，满足{where}配备要求",
                        f"{skills_text(has, 'en')} skills meet the {where} mix rule",
                    )
                )
        fit = [s for s in req if s in cad.skills and s not in mentioned]
        if fit:
            out.append(
                self._t(
                    f"具备{skills_text(fit, 'zh')}专长，符合岗位需要",
                    f"has the post's {skills_text(fit, 'en')} skills",
                )
            )
        return out

    def _rank(self, a: Assignment, cad: Cadre, com: Community) -> list[str]:
        i = self._index[com.id]
        out: list[str] = []
        for floor, mask in self._floors:
            if floor.post_type != a.post_type or not mask[i]:
                continue
            title = cad.rank_title or cad.rank.label
            out.append(
                self._t(
                    f"{title}，达到{floor.min_rank.label}以上要求",
                    f"{cad.rank_title or cad.rank.english} meets the "
                    f"{floor.min_rank.english} floor",
                )
            )
            break
        if not out and com.weak and a.terms.get("weak_priority", 0) < 0:
            out.append(
                self._t(
                    f"软弱涣散社区优先配强（{cad.rank_title or cad.rank.label}）",
                    f"weak community gets a stronger cadre ({cad.rank.english})",
                )
            )
        return out

    def _change(self, a: Assignment, cad: Cadre) -> list[str]:
        cur = cad.current_post
        if cur is None:
            return []
        if cur.community == a.community_id and cur.post_type.value == a.post_type:
            return [self._t("留任原岗位", "keeps the current post")]
        old = self.communities.get(cur.community)
        name = old.name if old else cur.community
        return [self._t(f"由{name}调整", f"moved from {name}")]

    def vacancy(self, a: Assignment) -> str:
        """Why a post is vacant, from the engine's reason."""
        return vacancy_words(a.reason, self.lang, self.round)

    def unplaced(self, cadre_id: str, vacancies: int) -> str:
        """Why a cadre has no post, from what the round says about the cadre."""
        cad = self.cadres.get(cadre_id)
        if cad is None:
            return ""
        if cad.disqualified and self.round.rules.exclude_disqualified.enabled:
            cat = catalogue(self.round)  # the condition in words, not only its code
            what = "；".join(cat.words(d.code, d.reason) for d in cad.disqualifications)
            return self._t(f"存在不得当选情形：{what}", f"disqualified: {what}")
        gap = clearance_words(self.round, cad)
        if gap:
            return self._t(gap, f"required clearance missing: {gap}")
        vetoed = vetting_words(self.round, cad)
        if vetoed:
            return self._t(vetoed, f"joint vetting: {vetoed}")
        party = party_words(self.round, cad) if cad.availability.value == "full-time" else ""
        if party:  # asked only for a first secretary's post, which the rule bars
            return self._t(party, f"cannot be a first secretary: {party}")
        if vacancies == 0:
            return self._t(
                "岗位已全部配齐，经综合比较未安排，可作为备选",
                "every post is filled by a better-placed cadre; kept in reserve",
            )
        return self._t(
            "经综合比较未安排：空缺岗位对其不符合规则条件或距离过远",
            "not placed: the vacant posts are outside the rules or too far for this cadre",
        )


# Engine phrases (matcher.engine.eligibility.RULE_WORDS) in the department's words.
_RULE_ZH = {
    "beyond the maximum distance": "超出就近距离",
    "not available for this post type": "与本人意愿（岗位类型）不符",
    "county/street cadres stay in their own district": "县区、街道干部不出本县区",
    "disqualified": "有不得当选情形",
    "a first secretary must be a Party member": "第一书记须为中共党员",
    "the joint vetting refused or has not finished": "资格联审未通过或审查待定",
    "paired unit serves only its paired communities": "结对单位只派往结对社区",
    "forbidden pair": "禁止配对",
    "not among the candidate pairs given to the engine": "不在候选配对之中",
}
_FLOOR = re.compile(r"^(.*) \(rank ≥ (\S+?)(?: from (\S+) level)?\)$")
_NO_ELIGIBLE = re.compile(r"^no eligible cadre among (\d+) candidate pairs(?: \((.*)\))?$")
_ALL_HELD = re.compile(r"^all (\d+) eligible cadres hold other posts$")
_PENALTY = re.compile(r"^vacancy penalty \((\d+) points\)")
_LEVEL_ZH = {"city": "市直", "county": "县区", "street": "街道"}


def rule_words(phrase: str, lang: str) -> str:
    """An engine rule phrase (why a pair is excluded) in the language asked."""
    return phrase if lang == "en" else _rule_zh(phrase)


def _rule_zh(phrase: str) -> str:
    m = _FLOOR.match(phrase)
    if m:
        levels = "、".join(_LEVEL_ZH.get(x, x) for x in (m.group(3) or "").split("/") if x)
        tail = f"，限{levels}干部" if levels else ""
        if _LATIN.search(m.group(1)):  # a default or English rule name: say the rule itself
            return f"职级不低于{m.group(2)}{tail}"
        if m.group(2) in m.group(1) and not tail:  # the name already says the floor
            return m.group(1)
        return f"{m.group(1)}（职级不低于{m.group(2)}{tail}）"
    if phrase.startswith(_CLEARANCE):
        return "资格联审未全部通过" + phrase[len(_CLEARANCE) :].replace("(", "（").replace(
            ")", "）"
        )
    return _RULE_ZH.get(phrase, phrase)


_LATIN = re.compile(r"[A-Za-z]{3,}")
_CLEARANCE = "资格联审未全部通过 missing clearance "


def vacancy_words(reason: str, lang: str, round: Round | None = None) -> str:
    """The engine's vacancy reason in the language asked (Chinese by default)."""
    if lang == "en":
        return reason
    m = _NO_ELIGIBLE.match(reason)
    if m:
        rules = m.group(2) or ""
        parts = [p.rpartition(": ") for p in rules.split("; ") if p]
        why = "；".join(f"{_rule_zh(name)} {n}人" for name, _, n in parts)
        tail = f"（{why}）" if why else ""
        return f"周边{m.group(1)}名候选干部均不符合选派条件{tail}"
    m = _ALL_HELD.match(reason)
    if m:
        return f"符合条件的{m.group(1)}名干部均已安排到其他岗位"
    if _PENALTY.match(reason):
        return "允许空缺；符合条件的干部均已作更优安排"
    return reason


__all__ = ["NEAR_KM", "Reasons", "rule_words", "vacancy_words"]
