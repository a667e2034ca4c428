"""Plan figures and the summary a planner reads first, in a department's words.

:func:`summary_items` says what the plan does ("选派岗位 741个：第一书记（脱产）247个…");
:func:`technical_rows` keeps the solver's record (status, objective, bound, gap, method,
seed) apart, for the file and not the first page. Shares never stand alone: every wish-giver
is counted (placed at wish k, placed elsewhere, not placed) and vacant posts and cadres
without a post are named (names only, no ids or private data).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from matcher.analysis.comparison import post_words
from matcher.analysis.rule_check import check_rules
from matcher.engine.result import Result, Status
from matcher.model.io.reasons import NEAR_KM, vacancy_words
from matcher.model.io.summary_people import names_list, post_number, wish_words, wishes
from matcher.model.language import chooser, pick
from matcher.model.round import Round

# key → (Chinese label, English label): the machine figures (``matcher solve --json``)
LABELS: dict[str, tuple[str, str]] = {
    "round": ("轮次", "round"),
    "status": ("求解状态", "status"),
    "method": ("算法", "method"),
    "objective": ("目标值(分)", "objective (points)"),
    "bound": ("下界", "bound"),
    "gap": ("相对差距", "relative gap"),
    "seed": ("随机种子", "seed"),
    "time_s": ("用时(秒)", "time (s)"),
    "communities": ("社区数", "communities"),
    "cadres": ("干部数", "cadres"),
    "posts": ("岗位数", "posts"),
    "filled": ("已配岗位", "filled"),
    "vacant": ("空缺岗位", "vacant"),
    "locked": ("锁定岗位", "locked"),
    "full_time_city": ("脱产:市直", "full-time from city"),
    "full_time_county": ("脱产:县区", "full-time from county"),
    "full_time_street": ("脱产:街道", "full-time from street"),
    "mean_km": ("平均距离(公里)", "mean distance (km)"),
    "max_km": ("最远距离(公里)", "max distance (km)"),
    "unplaced": ("未派干部", "cadres not placed"),
}
TERM_LABELS = {
    "distance": "距离",
    "skill_fit": "专长相符",
    "weak_priority": "软弱涣散社区配强",
    "preference": "本人志愿",
    "change": "岗位调整",
    "vacancy": "空缺",
}
TECHNICAL = ("status", "objective", "bound", "gap", "method", "seed", "time_s")
STATUS_WORDS: dict[Status, tuple[str, str]] = {
    Status.OPTIMAL: ("最优（已证明）", "optimal (proven)"),
    Status.FEASIBLE: ("可行（未证明最优）", "feasible (optimality not proven)"),
    Status.INFEASIBLE: ("无可行方案（已证明规则冲突）", "infeasible (the rules conflict, proven)"),
    Status.UNKNOWN: ("未得出结论（提前停止）", "unknown (stopped early)"),
}


def plan_figures(round: Round, result: Result) -> dict[str, Any]:
    """The headline figures of a plan, keyed as in :data:`LABELS` plus ``term:<name>``."""
    levels = {c.id: c.level.value for c in round.cadres}
    filled = [a for a in result.assignments if not a.vacant]
    by_level = Counter(
        levels.get(a.cadre_id or "", "") for a in filled if a.post_type == "full-time"
    )
    km = [a.distance_m / 1000 for a in filled if a.distance_m is not None]
    figures: dict[str, Any] = {
        "round": round.name,
        "status": result.status.value,
        "method": result.method,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "seed": result.seed,
        "time_s": round_(result.time_s, 2),
        "communities": len(round.communities),
        "cadres": len(round.cadres),
        "posts": len(result.assignments),
        "filled": len(filled),
        "vacant": len(result.assignments) - len(filled),
        "locked": sum(1 for a in result.assignments if a.locked),
        "full_time_city": by_level["city"],
        "full_time_county": by_level["county"],
        "full_time_street": by_level["street"],
        "mean_km": round_(sum(km) / len(km), 2) if km else None,
        "max_km": round_(max(km), 2) if km else None,
        "unplaced": len(result.unplaced_cadres),
    }
    for name, value in sorted(result.terms.items()):
        figures[f"term:{name}"] = value
    return figures


def round_(value: float, digits: int) -> float:
    """Round half to even, as a plain float (``round`` is shadowed by the round argument)."""
    return float(f"{value:.{digits}f}")


def label(key: str, headers: str = "zh") -> str:
    """The label of a figure key in Chinese or English."""
    if key.startswith("term:"):
        name = key[5:]
        zh = TERM_LABELS.get(name, name)
        return f"目标分项：{zh}" if headers != "en" else f"objective term: {name}"
    zh, en = LABELS[key]
    return en if headers == "en" else zh


def verdict(round: Round, result: Result, lang: str = "zh") -> str:
    """One sentence on what kind of plan this is."""
    if result.status is Status.OPTIMAL:
        return pick(
            lang,
            "经测算，本方案满足全部硬性规则，并已证明为最优方案",
            "The plan keeps every hard rule and is proven optimal",
        )
    if result.status is Status.FEASIBLE:
        return pick(
            lang,
            "本方案满足全部硬性规则，但尚未证明为最优方案（可延长测算时间）",
            "The plan keeps every hard rule; optimality is not proven (allow more time)",
        )
    if result.status is Status.INFEASIBLE:
        return pick(
            lang,
            "现有规则无法同时满足，未形成方案，请按冲突说明调整规则",
            "The rules cannot all hold; no plan. See the conflicts to relax them",
        )
    return pick(lang, "测算提前停止，尚未得出方案", "The run stopped before finding a plan")


def summary_items(round: Round, result: Result, lang: str = "zh") -> list[tuple[str, str]]:
    """The plan in a department's words: (item, what it says), no names."""
    t = chooser(lang)
    items = [
        (t("轮次", "Round"), round.name),
        (t("方案结论", "Verdict"), verdict(round, result, lang)),
    ]
    weak = sum(c.weak for c in round.communities)
    items.append(
        (
            t("选派社区", "Communities"),
            t(
                f"{len(round.communities)}个，其中软弱涣散社区{weak}个",
                f"{len(round.communities)}, of which {weak} weak",
            ),
        )
    )
    if not result.assignments:
        return items
    full = [a for a in result.assignments if a.post_type == "full-time"]
    part = [a for a in result.assignments if a.post_type == "part-time"]
    items.append(
        (
            t("选派岗位", "Posts"),
            t(
                f"{len(result.assignments)}个：第一书记（脱产）{len(full)}个，兼职委员{len(part)}个",
                f"{len(result.assignments)}: {len(full)} full-time first secretaries, "
                f"{len(part)} part-time",
            ),
        )
    )
    vac = len(result.vacancies)
    filled = [a for a in result.assignments if not a.vacant]
    coms = {c.id: c for c in round.communities}
    gaps = names_list(
        [
            post_words(coms.get(a.community_id), a.post_type, lang, post_number(result, a))
            for a in result.vacancies
        ],
        lang,
    )
    items.append(
        (
            t("已选派", "Filled"),
            t(f"{len(filled)}人；空缺岗位{vac}个", f"{len(filled)} cadres; {vac} posts vacant")
            + (t(f"：{gaps}", f": {gaps}") if gaps else ""),
        )
    )
    cadres = {c.id: c for c in round.cadres}
    lv = Counter(cadres[a.cadre_id].level.value for a in full if a.cadre_id in cadres)
    items.append(
        (
            t("第一书记来源", "First secretaries from"),
            t(
                f"市直{lv['city']}名，县区{lv['county']}名，街道{lv['street']}名",
                f"city {lv['city']}, county {lv['county']}, street {lv['street']}",
            ),
        )
    )
    weak_ids = {c.id for c in round.communities if c.weak}
    weak_full = [
        cadres[a.cadre_id] for a in full if a.community_id in weak_ids and a.cadre_id in cadres
    ]
    if weak_full:
        ranks = Counter(c.rank for c in weak_full)
        words = "、".join(f"{r.label}{n}名" for r, n in sorted(ranks.items(), reverse=True))
        words_en = ", ".join(f"{r.english} {n}" for r, n in sorted(ranks.items(), reverse=True))
        items.append(
            (
                t("软弱涣散社区第一书记", "Weak communities' first secretaries"),
                t(f"{len(weak_full)}名：{words}", f"{len(weak_full)}: {words_en}"),
            )
        )
    km = [a.distance_m / 1000 for a in filled if a.distance_m is not None]
    if km:
        near = 100 * sum(k <= NEAR_KM for k in km) / len(km)
        mean = sum(km) / len(km)
        items.append(
            (
                t("就近安排", "Distance"),
                t(
                    f"平均{mean:.1f}公里，最远{max(km):.1f}公里；{NEAR_KM:g}公里以内占{near:.0f}%",
                    f"mean {mean:.1f} km, farthest {max(km):.1f} km; "
                    f"{near:.0f}% within {NEAR_KM:g} km",
                ),
            )
        )
    found = wishes(round, result)
    if found is not None:
        items.append((t("尊重本人意愿", "Wishes"), wish_words(found, lang)))
    locked = sum(a.locked for a in result.assignments)
    if locked:
        items.append(
            (t("已研究确定", "Decided earlier"), t(f"锁定岗位{locked}个", f"{locked} locked posts"))
        )
    unplaced = [cadres[c].name for c in result.unplaced_cadres if c in cadres]
    names = names_list(unplaced, lang)
    items.append(
        (
            t("未安排干部", "Cadres without a post"),
            t(
                f"{len(unplaced)}名（列入备选）" + (f"：{names}" if names else ""),
                f"{len(unplaced)} (reserve)" + (f": {names}" if names else ""),
            ),
        )
    )
    if result.is_feasible():
        checks = [c for c in check_rules(round, result, lang) if c.holds is not None]
        bad = sum(not c.holds for c in checks)
        items.append(
            (
                t("规则核对", "Rule check"),
                t(
                    f"{len(checks)}项硬性规则全部满足"
                    if not bad
                    else f"{len(checks)}项硬性规则中{bad}项未满足",
                    f"all {len(checks)} hard rules hold"
                    if not bad
                    else f"{bad} of {len(checks)} hard rules fail",
                ),
            )
        )
    return items


METHOD_WORDS = {
    "flow": "网络流",
    "split-flow": "分组网络流",
    "lagrangian": "拉格朗日松弛",
    "augmenting-paths": "增广路",
    "pricing": "列生成定价",
    "mip": "混合整数规划",
    "cpsat": "约束规划（CP-SAT）",
    "auto": "自动",
}


def method_words(method: str, lang: str) -> str:
    """The solve method in Chinese (网络流+混合整数规划), as recorded in English."""
    if lang == "en":
        return method
    return "+".join(METHOD_WORDS.get(part, part) for part in method.split("+"))


def technical_rows(result: Result, lang: str = "zh") -> list[tuple[str, Any]]:
    """The solver's record: status, objective, bound, gap, method, seed, time, terms."""
    rows: list[tuple[str, Any]] = [
        (label("status", lang), pick(lang, *STATUS_WORDS[result.status])),
        (label("objective", lang), "" if result.objective is None else result.objective),
        (label("bound", lang), "" if result.bound is None else result.bound),
        (label("gap", lang), "" if result.gap is None else result.gap),
        (label("method", lang), method_words(result.method, lang)),
        (label("seed", lang), result.seed),
        (label("time_s", lang), round_(result.time_s, 2)),
    ]
    rows += [(label(f"term:{k}", lang), v) for k, v in sorted(result.terms.items())]
    rows += [(pick(lang, "说明", "note"), n) for n in result.notes]
    return rows


def summary_markdown(round: Round, result: Result, lang: str = "zh") -> str:
    """A Markdown summary: the plan in words, rule check, conflicts, vacancies, record."""
    t = chooser(lang)
    lines = [
        f"# {t('选派方案汇总', 'Plan summary')}：{round.name}"
        if lang != "en"
        else f"# Plan summary: {round.name}",
        "",
    ]
    lines += [f"| {t('项目', 'item')} | {t('情况', 'value')} |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary_items(round, result, lang)]
    if result.is_feasible():
        lines += [
            "",
            f"## {t('规则核对', 'Rule check')}",
            "",
            f"| {t('规则', 'rule')} | {t('要求', 'requires')} | {t('本方案', 'plan')} | |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {c.rule} | {c.requires} | {c.plan} | {c.mark()} |"
            for c in check_rules(round, result, lang)
        ]
    if result.conflicts:
        lines += [
            "",
            f"## {t('规则冲突：无法同时满足', 'Conflicts: why no plan keeps every rule')}",
            "",
        ]
        for c in result.conflicts:
            lines.append(
                t(
                    f"- **{', '.join(c.rules)}**：{c.message}"
                    f"（需要{c.needed}，可用{c.available}，缺口{c.shortfall}）",
                    f"- **{', '.join(c.rules)}**: {c.message} "
                    f"(needed {c.needed}, available {c.available}, short by {c.shortfall})",
                )
            )
            if c.relaxation:
                lines.append(t(f"  - 调整建议：{c.relaxation}", f"  - to fix: {c.relaxation}"))
    vacant = result.vacancies
    if vacant:
        coms = {c.id: c for c in round.communities}
        lines += ["", f"## {t('空缺岗位', 'Vacant posts')}", ""]
        for a in vacant:
            post = post_words(coms.get(a.community_id), a.post_type, lang, post_number(result, a))
            why = vacancy_words(a.reason, lang)
            lines.append(f"- {post}{t('：', ': ')}{why}")
    lines += [
        "",
        f"## {t('技术信息（备查）', 'Technical record')}",
        "",
        f"| {t('项目', 'item')} | {t('数值', 'value')} |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in technical_rows(result, lang)]
    return "\n".join(lines) + "\n"
