"""Who the summary names: what became of every cadre who gave wishes (placed at wish k,
placed elsewhere, not placed — the unplaced by name), vacant posts by name and number.

Shares never stand alone in a summary: :func:`wish_words` gives the head counts behind them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from matcher.engine.result import Result
from matcher.model.language import chooser
from matcher.model.round import Round


def post_number(result: Result, a: Any) -> int:
    """The post's number where its community has several of its kind, else 0 (unnumbered)."""
    n = sum(
        1
        for b in result.assignments
        if b.community_id == a.community_id and b.post_type == a.post_type
    )
    return int(a.slot) if n > 1 else 0


def names_list(names: list[str], lang: str, limit: int = 20) -> str:
    """Up to ``limit`` names joined the way the language lists them, "等N个" beyond."""
    sep = "、" if lang != "en" else ", "
    more = len(names) - limit
    if more <= 0:
        return sep.join(names)
    return sep.join(names[:limit]) + (f"等{len(names)}个" if lang != "en" else f" and {more} more")


def wishes(round: Round, result: Result) -> tuple[int, Counter[int], int, list[str]] | None:
    """Every cadre who gave wishes: (how many, placed by wish rank, placed elsewhere, the
    names of those left without a post)."""
    prefs = {c.id: c.preferences for c in round.cadres if c.preferences}
    if not prefs:
        return None
    by_rank: Counter[int] = Counter()
    other = 0
    for a in result.assignments:
        wish = prefs.get(a.cadre_id or "")
        if wish is None:
            continue
        if a.community_id in wish:
            by_rank[wish.index(a.community_id) + 1] += 1
        else:
            other += 1
    names = {c.id: c.name for c in round.cadres}
    left = [names[c] for c in result.unplaced_cadres if c in prefs]
    return len(prefs), by_rank, other, left


def wish_words(wishes: tuple[int, Counter[int], int, list[str]], lang: str) -> str:
    """提出志愿的40人中：按第1志愿安排15人，第2志愿5人，第3志愿2人；安排在志愿以外0人；未安排岗位18人（…）."""
    asked, by_rank, other, left = wishes
    t = chooser(lang)
    ranks = sorted(by_rank.items())
    zh = "，".join(
        (f"按第{n}志愿安排{k}人" if i == 0 else f"第{n}志愿{k}人") for i, (n, k) in enumerate(ranks)
    )
    en = ", ".join(f"wish {n}: {k}" for n, k in ranks)
    names = names_list(left, lang)
    tail_zh = f"（{names}）" if names else ""
    tail_en = f" ({names})" if names else ""
    return t(
        f"提出志愿的{asked}人中：{zh or '无人按志愿安排'}；安排在志愿以外{other}人；"
        f"未安排岗位{len(left)}人{tail_zh}",
        f"of {asked} cadres with wishes: {en or 'none placed at a wish'}; {other} placed "
        f"elsewhere; {len(left)} got no post{tail_en}",
    )


__all__ = ["names_list", "post_number", "wish_words", "wishes"]
