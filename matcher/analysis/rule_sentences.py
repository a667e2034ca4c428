"""Every rule of a round as one sentence a department writes: "软弱涣散社区第一书记不低于正科",
"市直选派的第一书记不少于100名", "软弱涣散社区兼职委员中至少1名具备财政、交通专长".

Used wherever rules are shown to planners (what changed between two rounds, the page's rules
tab through the service) instead of field paths such as ``rank_floors[1].min_rank``.
"""

from __future__ import annotations

from matcher.model.language import chooser, pick
from matcher.model.round import Round
from matcher.model.rules import Selector
from matcher.model.skills import skills_text

_TYPE = {
    "full-time": ("第一书记", "first secretaries"),
    "part-time": ("兼职委员", "part-time members"),
}
_LEVEL = {"city": ("市直", "city"), "county": ("县区", "county"), "street": ("街道", "street")}


def scope(rnd: Round, where: Selector, lang: str) -> str:
    """Which communities a selector picks, in words ("" = every community)."""
    t = chooser(lang)
    parts: list[str] = []
    if where.weak is True:
        parts.append(t("软弱涣散社区", "weak communities"))
    elif where.weak is False:
        parts.append(t("非软弱涣散社区", "communities not rated weak"))
    if where.max_stars is not None:
        parts.append(
            t(f"{where.max_stars}星及以下社区", f"communities of ≤ {where.max_stars} stars")
        )
    if where.tags:
        tags = "、".join(where.tags)
        parts.append(t(f"{tags}社区", f"communities tagged {tags}"))
    if where.districts:
        names = {c.district.code: c.district.name for c in rnd.communities}
        ds = "、".join(names.get(d, d) for d in where.districts)
        parts.append(t(f"{ds}的社区", f"communities of {ds}"))
    if where.communities:
        names = {c.id: c.name for c in rnd.communities}
        parts.append("、".join(names.get(c, c) for c in where.communities))
    joiner = t("或", " or ") if where.match == "any" else t("中的", " among ")
    return joiner.join(parts)


def _who(levels: list[str], lang: str) -> str:
    return "、".join(pick(lang, *_LEVEL[x]) for x in levels if x in _LEVEL)


def _bounds(lo: int | None, hi: int | None, lang: str) -> str:
    t = chooser(lang)
    if lo is not None and hi is not None:
        return t(f"{lo}至{hi}名", f"{lo} to {hi}") if lo != hi else t(f"{lo}名", f"exactly {lo}")
    if lo is not None:
        return t(f"不少于{lo}名", f"at least {lo}")
    return t(f"不超过{hi}名", f"at most {hi}")


def rule_sentences(rnd: Round, lang: str = "zh") -> list[tuple[str, str]]:
    """(rule kind, sentence) for every rule of the round, switched-off ones marked."""
    t = chooser(lang)
    r = rnd.rules
    names = {c.id: c.name for c in rnd.cadres}
    coms = {c.id: c.name for c in rnd.communities}
    out: list[tuple[str, str, bool]] = [
        (
            "one_post_per_cadre",
            t("每名干部只担任一个岗位", "one post per cadre"),
            r.one_post_per_cadre.enabled,
        ),
        (
            "coverage",
            t("每个社区的岗位都要配齐", "every community's posts are filled")
            + (t("（允许空缺）", " (vacancies allowed)") if r.coverage.allow_vacancies else ""),
            r.coverage.enabled,
        ),
        (
            "availability",
            t("只派到本人可任的岗位类型", "only post types the cadre can take"),
            r.availability.enabled,
        ),
        (
            "max_distance",
            t(
                f"就近安排，距离不超过{r.max_distance.km:g}公里",
                f"at most {r.max_distance.km:g} km from home",
            ),
            r.max_distance.enabled,
        ),
        (
            "own_district",
            t(
                f"{_who(list(r.own_district.levels), lang)}干部不出本县区",
                f"{_who(list(r.own_district.levels), lang)} cadres stay in their district",
            ),
            r.own_district.enabled,
        ),
    ]
    for f in r.rank_floors:
        where = scope(rnd, f.where, lang) or t("各社区", "every community")
        lv = _who(list(f.levels), lang)
        post = pick(lang, *_TYPE[f.post_type])
        text = t(
            f"{where}{post}不低于{f.min_rank.label}" + (f"，限{lv}干部" if lv else ""),
            f"{post} of {where} rank {f.min_rank.english} or above"
            + (f", from {lv}" if lv else ""),
        )
        out.append(("rank_floors", text, f.enabled))
    for q in r.source_quotas:
        who = _who([q.level], lang) if q.level else "、".join(q.units)
        post = pick(lang, *_TYPE[q.post_type])
        text = t(
            f"{who}选派的{post}{_bounds(q.min, q.max, lang)}",
            f"{post} from {who}: {_bounds(q.min, q.max, lang)}",
        )
        out.append(("source_quotas", text, q.enabled))
    for m in r.skill_mix:
        where = scope(rnd, m.where, lang) or t("各社区", "every community")
        post = pick(lang, *_TYPE[m.post_type])
        skills = skills_text(list(m.any_of), lang)
        text = t(
            f"{where}{post}中至少{m.min_count}名具备{skills}专长",
            f"{where}: at least {m.min_count} {post} with {skills} skills",
        )
        out.append(("skill_mix", text, m.enabled))
    out.append(
        (
            "pairing",
            t("结对单位只派往结对社区", "paired units serve only their paired communities"),
            r.pairing.enabled,
        )
    )
    out.append(
        (
            "exclude_disqualified",
            t("有不得当选情形的干部不予选派", "disqualified cadres are not sent"),
            r.exclude_disqualified.enabled,
        )
    )
    for lk in r.locks:
        who, where = names.get(lk.cadre, lk.cadre), coms.get(lk.community, lk.community)
        out.append(
            ("locks", t(f"已研究确定：{who} 派往 {where}", f"decided: {who} to {where}"), True)
        )
    for fp in r.forbidden_pairs:
        who, where = names.get(fp.cadre, fp.cadre), coms.get(fp.community, fp.community)
        out.append(
            (
                "forbidden_pairs",
                t(f"不得安排：{who} 派往 {where}", f"never: {who} to {where}"),
                True,
            )
        )
    off = t("（未启用）", " (switched off)")
    return [(kind, text if on else text + off) for kind, text, on in out]


__all__ = ["rule_sentences", "scope"]
