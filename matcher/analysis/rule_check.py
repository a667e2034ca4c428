"""Each hard rule of a round checked against a plan: what it requires and how the plan meets it.

The check counts from the round and the posts themselves, independently of the engine, so
the 规则核对 sheet is evidence, not an echo: "市直第一书记 100 / 100 ✓". A rule switched off
is listed as such. Texts are Chinese or English (``lang``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matcher.analysis.default_rule_check import default_rule_checks
from matcher.engine.eligibility import selector_mask
from matcher.engine.result import Result
from matcher.model.identity import person_key
from matcher.model.language import chooser, pick
from matcher.model.round import Cadre, Round
from matcher.model.rules import SourceQuota
from matcher.model.skills import skills_text

_TYPE = {"full-time": ("第一书记（脱产）", "full-time"), "part-time": ("兼职委员", "part-time")}
_LEVEL = {"city": ("市直", "city"), "county": ("县区", "county"), "street": ("街道", "street")}


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One hard rule: its name, what it requires, what the plan shows, and whether it holds
    (``None`` when the rule is off)."""

    rule: str
    requires: str
    plan: str
    holds: bool | None

    def mark(self) -> str:
        """✓, ✗ or — (switched off)."""
        return "—" if self.holds is None else ("✓" if self.holds else "✗")


def _w(lang: str, pair: tuple[str, str]) -> str:
    return pick(lang, *pair)


def _quota_who(q: SourceQuota, lang: str) -> str:
    who = _w(lang, _LEVEL[q.level]) if q.level else "、".join(q.units)
    return pick(lang, f"{who}{_w(lang, _TYPE[q.post_type])}", f"{q.post_type} posts from {who}")


def _bounds(lo: int | None, hi: int | None, lang: str) -> str:
    if lo is not None and hi is not None:
        return (
            pick(lang, f"{lo}至{hi}名", f"{lo} to {hi}")
            if lo != hi
            else pick(lang, f"{lo}名", f"{lo}")
        )
    if lo is not None:
        return pick(lang, f"不少于{lo}名", f"at least {lo}")
    return pick(lang, f"不超过{hi}名", f"at most {hi}")


def check_rules(round: Round, result: Result, lang: str = "zh") -> list[RuleCheck]:
    """Every hard rule of ``round`` checked on the posts of ``result`` (in the rules' order)."""
    t = chooser(lang)
    rules = round.rules
    cadres = {c.id: c for c in round.cadres}
    com_ix = round.community_index()
    filled = [(a, cadres[a.cadre_id]) for a in result.assignments if a.cadre_id in cadres]
    out: list[RuleCheck] = []

    def add(on: bool, rule: str, requires: str, plan: str, holds: bool) -> None:
        off = t("未启用", "switched off")
        out.append(RuleCheck(rule, requires, plan if on else off, holds if on else None))

    def ratio(n: int, total: int) -> str:
        return f"{n} / {total}"

    per = Counter(person_key(c.id, c.id_number) for _, c in filled)
    worst = max(per.values(), default=0)
    add(
        rules.one_post_per_cadre.enabled,
        t("一人一岗", "one post per person"),
        t(
            "每人最多担任一个岗位（按公民身份号码识别本人）",
            "a person holds at most one post (people told apart by ID number)",
        ),
        t(f"{len(per)}人，每人最多{worst}个岗位", f"{len(per)} people, at most {worst} each"),
        worst <= 1,
    )
    for ptype in rules.coverage.post_types:
        posts = [a for a in result.assignments if a.post_type == ptype]
        n = sum(1 for a in posts if not a.vacant)
        word = _w(lang, _TYPE[ptype])
        allow = rules.coverage.allow_vacancies
        add(
            rules.coverage.enabled,
            t(f"全覆盖：{word}", f"coverage: {word}"),
            t("每个岗位均有人选", "every post filled")
            + (t("（允许空缺）", " (vacancies allowed)") if allow else ""),
            t(f"已配 {ratio(n, len(posts))}", f"filled {ratio(n, len(posts))}"),
            allow or n == len(posts),
        )
    ok = sum(1 for a, c in filled if c.availability.value in ("either", a.post_type))
    against = len(filled) - ok
    out.append(
        RuleCheck(
            t("本人意愿（岗位类型）", "availability (the cadre's wish)"),
            t(
                "只派到本人愿任的岗位类型（只愿兼职者不派脱产）",
                "only post types the cadre accepts",
            ),
            ratio(ok, len(filled))
            if rules.availability.enabled
            else t(
                f"未启用：{against}人被派往本人未选的岗位类型",
                f"switched off: {against} sent against their wish",
            ),
            (ok == len(filled)) if rules.availability.enabled else None,
        )
    )
    km = max(((a.distance_m or 0) / 1000 for a, _ in filled), default=0.0)
    limit = rules.max_distance.km
    add(
        rules.max_distance.enabled,
        t("就近距离", "maximum distance"),
        t(f"距离不超过{limit:g}公里", f"at most {limit:g} km from home"),
        t(f"最远{km:.1f}公里", f"farthest {km:.1f} km"),
        km <= limit + 1e-9,
    )
    for floor in rules.rank_floors:
        mask = selector_mask(round, floor.where)
        scope = [
            (a, c)
            for a, c in filled
            if a.post_type == floor.post_type and mask[com_ix[a.community_id]]
        ]
        n = sum(
            1
            for _, c in scope
            if c.rank >= floor.min_rank and (not floor.levels or c.level.value in floor.levels)
        )
        lv = "、".join(_w(lang, _LEVEL[x]) for x in floor.levels)
        add(
            floor.enabled,
            floor.name,
            t(
                f"{_w(lang, _TYPE[floor.post_type])}职级不低于{floor.min_rank.label}"
                + (f"，来自{lv}" if lv else ""),
                f"{floor.post_type} rank ≥ {floor.min_rank.english}"
                + (f", from {lv}" if lv else ""),
            ),
            ratio(n, len(scope)),
            n == len(scope),
        )
    levels = set(rules.own_district.levels)
    local = [(a, c) for a, c in filled if c.level.value in levels]
    home = {c.id: c.district.code for c in round.communities}
    n = sum(1 for a, c in local if home.get(a.community_id) == c.home_district)
    add(
        rules.own_district.enabled,
        t("不出县区", "own district"),
        t(
            f"{'、'.join(_w(lang, _LEVEL[x]) for x in sorted(levels))}干部在本县区任职",
            f"{'/'.join(sorted(levels))} cadres serve in their own district",
        ),
        ratio(n, len(local)),
        n == len(local),
    )
    for q in rules.source_quotas:
        n = sum(1 for a, c in filled if a.post_type == q.post_type and _in_quota(q, c))
        fits = (q.min is None or n >= q.min) and (q.max is None or n <= q.max)
        shown = f"{n} / {q.min}" if q.min is not None and q.min == q.max else str(n)
        add(
            q.enabled,
            q.name,
            t(
                f"{_quota_who(q, lang)}{_bounds(q.min, q.max, lang)}",
                f"{_quota_who(q, lang)}: {_bounds(q.min, q.max, lang)}",
            ),
            t(f"{_quota_who(q, lang)} {shown}", f"{shown}"),
            fits,
        )
    for mix in rules.skill_mix:
        mask = selector_mask(round, mix.where)
        picked = [c.id for i, c in enumerate(round.communities) if mask[i]]
        have = Counter(
            a.community_id
            for a, c in filled
            if a.post_type == mix.post_type and set(mix.any_of) & set(c.skills)
        )
        n = sum(1 for cid in picked if have[cid] >= mix.min_count)
        add(
            mix.enabled,
            mix.name,
            t(
                f"每个社区至少{mix.min_count}名{_w(lang, _TYPE[mix.post_type])}"
                f"具备{skills_text(mix.any_of, 'zh')}之一",
                f"in each community ≥ {mix.min_count} {mix.post_type} with "
                f"{skills_text(mix.any_of, 'en')}",
            ),
            t(f"{ratio(n, len(picked))}个社区", f"{ratio(n, len(picked))} communities"),
            n == len(picked),
        )
    if rules.pairing.enabled:
        paired: dict[str, set[str]] = {}
        for com in round.communities:
            for unit in com.paired_units:
                paired.setdefault(unit, set()).add(com.id)
        scope = [(a, c) for a, c in filled if c.unit in paired]
        n = sum(1 for a, c in scope if a.community_id in paired[c.unit])
        add(
            True,
            t("结对", "pairing"),
            t("结对单位干部派往结对社区", "paired units serve their paired communities"),
            ratio(n, len(scope)),
            n == len(scope),
        )
    posts_of: dict[str, list[tuple[str, str]]] = {}  # cadre id → its (community, post type)
    for a, c in filled:
        posts_of.setdefault(c.id, []).append((a.community_id, a.post_type))
    bad = sum(
        1
        for fp in rules.forbidden_pairs
        for community, post_type in posts_of.get(fp.cadre, ())
        if community == fp.community and fp.post_type in (None, post_type)
    )
    if rules.forbidden_pairs:
        add(
            True,
            t("禁止配对", "forbidden pairs"),
            t(f"{len(rules.forbidden_pairs)}对回避关系不得安排", "no forbidden pair is used"),
            t(f"违反{bad}处", f"{bad} used"),
            bad == 0,
        )
    if rules.locks:
        held = {(a.cadre_id, a.community_id, a.post_type) for a, _ in filled}
        n = sum(
            1
            for lk in rules.locks
            if any(
                (lk.cadre, lk.community, p) in held
                for p in ([lk.post_type] if lk.post_type else _TYPE)
            )
        )
        add(
            True,
            t("锁定", "locks"),
            t("已研究确定的人选按原定安排", "decided placements are kept"),
            ratio(n, len(rules.locks)),
            n == len(rules.locks),
        )
    dq = sum(1 for _, c in filled if c.disqualified)
    add(
        rules.exclude_disqualified.enabled,
        t("排除不得当选", "exclude disqualified"),
        t("有不得当选情形的干部不安排", "disqualified cadres are not placed"),
        t(f"安排{dq}人", f"{dq} placed"),
        dq == 0,
    )
    out += [
        RuleCheck(*row)
        for row in default_rule_checks(round, [(a.post_type, c) for a, c in filled], lang)
    ]
    return out


def _in_quota(q: SourceQuota, c: Cadre) -> bool:
    return (q.level is not None and c.level.value == q.level) or c.unit in q.units


__all__ = ["RuleCheck", "check_rules"]
