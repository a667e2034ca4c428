"""Plan figures (:mod:`matcher.analysis.kpis`) as a department reads them: named in its words,
every number with its unit, shares beside the head counts they come from, ranks as rungs.

"第一志愿 55%（40人中22人）", "平均距离 1.6 公里", "软弱涣散社区第一书记平均职级 约副县" — never
``first_choice_share 0.55`` or ``weak_mean_rank 3``. The CLI, ``diff``, the summary and the
page's API share these words.
"""

from __future__ import annotations

from typing import Any

from matcher.model.language import chooser, pick
from matcher.model.ranks import Rank

# key → (Chinese, English, unit kind): km, n (people/posts), share, rank, communities
KPI_WORDS: dict[str, tuple[str, str, str]] = {
    "posts": ("岗位", "posts", "post"),
    "filled": ("已选派", "filled", "post"),
    "vacancies": ("空缺岗位", "vacant posts", "post"),
    "vacancies_full_time": ("第一书记空缺", "first-secretary vacancies", "post"),
    "vacancies_part_time": ("兼职委员空缺", "part-time vacancies", "post"),
    "total_km": ("总距离", "total distance", "km"),
    "mean_km": ("平均距离", "mean distance", "km"),
    "p90_km": ("九成干部距离不超过", "90% of cadres within", "km"),
    "max_km": ("最远距离", "farthest", "km"),
    "weak_communities": ("软弱涣散社区", "weak communities", "community"),
    "weak_rank_floor_met": (
        "达到职级要求的软弱涣散社区",
        "weak communities meeting the rank floor",
        "community",
    ),
    "weak_skill_mix_met": (
        "达到专长配备的软弱涣散社区",
        "weak communities meeting the skill mix",
        "community",
    ),
    "weak_mean_rank": ("软弱涣散社区第一书记平均职级", "weak communities' mean rank", "rank"),
    "skill_fit_rate": ("专长相符比例", "skill fit", "share"),
    "first_choice_share": ("第一志愿", "first wish met", "wish"),
    "top3_share": ("前三志愿", "one of the first three wishes", "wish3"),
    "wish_givers": ("提出志愿", "gave wishes", "person"),
    "wish_first": ("按第一志愿安排", "placed at their first wish", "person"),
    "wish_top3": ("按前三志愿安排", "placed within their first three wishes", "person"),
    "wish_elsewhere": ("未按志愿安排", "placed outside their wishes", "person"),
    "wish_unplaced": ("提出志愿但未安排岗位", "gave wishes but got no post", "person"),
}


def kpi_name(key: str, lang: str) -> str:
    """The figure's name in the language asked."""
    zh, en, _ = KPI_WORDS.get(key, (key, key, ""))
    return pick(lang, zh, en)


def rank_text(mean: float, lang: str) -> str:
    """A mean rung as a rung: 正科, or 约副县 when between rungs."""
    r = Rank(min(max(round(mean), 0), max(Rank)))
    word = r.label if lang != "en" else r.english
    if abs(mean - int(r)) < 0.05:
        return word
    return pick(lang, f"约{word}", f"about {word}")


def kpi_text(key: str, value: Any, lang: str, kpis: dict[str, Any] | None = None) -> str:
    """The value with its unit ("—" when it does not apply)."""
    t = chooser(lang)
    if value is None:
        return "—"
    unit = KPI_WORDS.get(key, ("", "", ""))[2]
    if unit == "km":
        return t(f"{value:.1f} 公里", f"{value:.1f} km")
    if unit == "post":
        return t(f"{value} 个", f"{value}")
    if unit == "community":
        return t(f"{value} 个", f"{value}")
    if unit == "person":
        return t(f"{value} 人", f"{value}")
    if unit == "rank":
        return rank_text(float(value), lang)
    if unit in ("share", "wish", "wish3"):
        pct = f"{100 * float(value):.0f}%"
        k = kpis or {}
        if unit != "share" and k.get("wish_givers"):
            hits = k["wish_first"] if unit == "wish" else k["wish_top3"]
            n = k["wish_givers"]
            return t(f"{pct}（{n}人中{hits}人）", f"{pct} ({hits} of {n})")
        return pct
    return str(value)


def kpi_delta(key: str, before: Any, after: Any, lang: str) -> str:
    """A change of one figure in words: "1.6 公里 → 2.0 公里（增加 0.4 公里）"."""
    t = chooser(lang)
    a, b = kpi_text(key, before, lang), kpi_text(key, after, lang)
    if before is None or after is None or before == after:
        return f"{a} → {b}" if before != after else t(f"{a}（不变）", f"{a} (no change)")
    unit = KPI_WORDS.get(key, ("", "", ""))[2]
    d = after - before
    more = d > 0
    if unit == "km":
        amount = t(f"{abs(d):.1f} 公里", f"{abs(d):.1f} km")
    elif unit in ("share", "wish", "wish3"):
        amount = t(f"{abs(100 * d):.0f} 个百分点", f"{abs(100 * d):.0f} percentage points")
    elif unit == "rank":
        amount = t(f"{abs(d):.1f} 级", f"{abs(d):.1f} rung(s)")
    elif unit == "person":
        amount = t(f"{abs(d)} 人", f"{abs(d)}")
    else:
        amount = t(f"{abs(d)} 个", f"{abs(d)}")
    change = t("增加" if more else "减少", "up" if more else "down")
    return t(f"{a} → {b}（{change} {amount}）", f"{a} → {b} ({change} {amount})")


__all__ = ["KPI_WORDS", "kpi_delta", "kpi_name", "kpi_text", "rank_text"]
