"""What differs between two rounds, in words: weights, rules, settings, communities and people.

``matcher diff`` solves two rounds and compares the plans; this says why they may differ:
"权重“软弱涣散社区配强”：100 → 0", "新增干部1个：周七", "张三：职级 正科 → 副县". Rules are
compared as the sentences a department writes (:mod:`matcher.analysis.rule_sentences`): a
changed rank floor reads "取消规则：软弱涣散社区第一书记不低于副科" and "新增规则：…不低于正科".
"""

from __future__ import annotations

from typing import Any

from matcher.analysis.rule_sentences import rule_sentences
from matcher.model.language import chooser, pick
from matcher.model.round import Round

# Cadre fields worth naming when they change (the rest are compared as "other details").
CADRE_FIELDS: dict[str, tuple[str, str]] = {
    "rank": ("职级", "rank"),
    "rank_title": ("职务职级", "title"),
    "unit": ("工作单位", "unit"),
    "level": ("层级", "level"),
    "home_district": ("所在区县", "home district"),
    "skills": ("专长", "skills"),
    "availability": ("可任岗位", "availability"),
    "preferences": ("志愿", "wishes"),
    "disqualifications": ("不得当选情形", "disqualifications"),
    "current_post": ("现任岗位", "current post"),
    "location": ("位置", "location"),
}
COMMUNITY_FIELDS: dict[str, tuple[str, str]] = {
    "weak": ("软弱涣散", "weak"),
    "stars": ("星级", "stars"),
    "posts": ("岗位数", "posts"),
    "required_skills": ("所需专长", "required skills"),
    "tags": ("标签", "tags"),
    "paired_units": ("结对单位", "paired units"),
    "location": ("位置", "location"),
}


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as ``a.b[0].c`` → value."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and not value:
        pass  # an empty list is "none": its entries appear on the side that has them
    elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            out.update(_flat(v, f"{prefix}[{i + 1}]"))
    else:
        out[prefix] = value
    return out


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return "—" if value is None else str(value)


# weight and setting keys as planners call them
KEY_WORDS: dict[str, tuple[str, str]] = {
    "distance_per_km": ("就近（每公里）", "nearness (per km)"),
    "skill_fit": ("专长相符", "skill fit"),
    "weak_priority": ("软弱涣散社区配强", "weak-community priority"),
    "preference_step": ("尊重本人志愿", "wishes"),
    "change": ("保持现任岗位", "keeping current posts"),
    "vacancy_full_time": ("第一书记不空缺", "no first-secretary vacancy"),
    "vacancy_part_time": ("兼职委员不空缺", "no part-time vacancy"),
    "time_limit_s": ("测算时限（秒）", "time limit (s)"),
    "relative_gap": ("允许误差", "tolerance"),
    "seed": ("随机种子", "seed"),
    "threads": ("线程数", "threads"),
    "method": ("测算方法", "method"),
}


def key_words(key: str, lang: str) -> str:
    """A weight or setting key in words (the key itself when unknown)."""
    return pick(lang, *KEY_WORDS.get(key, (key, key)))


def round_changes(a: Round, b: Round, lang: str = "zh") -> list[str]:
    """Sentences saying how round ``b`` differs from round ``a`` (empty when they are equal)."""
    t = chooser(lang)
    out: list[str] = []
    for part, word in (("weights", t("权重", "weight")), ("settings", t("测算设置", "setting"))):
        fa, fb = (
            _flat(getattr(a, part).model_dump(mode="json")),
            _flat(getattr(b, part).model_dump(mode="json")),
        )
        for key in sorted(set(fa) | set(fb)):
            if fa.get(key) != fb.get(key):
                name = key_words(key, lang)
                out.append(
                    f"{word}“{name}”{t('：', ': ')}{_shown(fa.get(key))} → {_shown(fb.get(key))}"
                    if lang != "en"
                    else f"{word} {name}: {_shown(fa.get(key))} → {_shown(fb.get(key))}"
                )
    ra, rb = rule_sentences(a, lang), rule_sentences(b, lang)
    out += [t(f"取消规则：{s}", f"rule dropped: {s}") for k, s in ra if (k, s) not in rb]
    out += [t(f"新增规则：{s}", f"rule added: {s}") for k, s in rb if (k, s) not in ra]
    out += _people(a, b, lang)
    return out


def _people(a: Round, b: Round, lang: str) -> list[str]:
    t = chooser(lang)
    out: list[str] = []
    for kind, fields, xs, ys in (
        (t("干部", "cadre"), CADRE_FIELDS, a.cadres, b.cadres),
        (t("社区", "community"), COMMUNITY_FIELDS, a.communities, b.communities),
    ):
        before = {x.id: x for x in xs}
        after = {y.id: y for y in ys}
        added = [after[i].name for i in after if i not in before]
        gone = [before[i].name for i in before if i not in after]
        if added:
            out.append(
                t(f"新增{kind}{len(added)}个：", f"{len(added)} {kind}(s) added: ")
                + _list(added, lang)
            )
        if gone:
            out.append(
                t(f"减少{kind}{len(gone)}个：", f"{len(gone)} {kind}(s) removed: ")
                + _list(gone, lang)
            )
        for i in before:
            if i not in after or before[i] == after[i]:
                continue
            x, y = before[i].model_dump(mode="json"), after[i].model_dump(mode="json")
            diffs = [
                f"{t(zh, en)} {_shown(x.get(f))} → {_shown(y.get(f))}"
                for f, (zh, en) in fields.items()
                if x.get(f) != y.get(f)
            ]
            others = [f for f in x if f not in fields and x.get(f) != y.get(f)]
            if others:
                diffs.append(
                    t("其他信息有变化", "other details changed")
                    + ("" if lang != "en" else f" ({', '.join(others)})")
                )
            name = after[i].name
            out.append(f"{name}{t('：', ': ')}" + t("；", "; ").join(diffs))
    return out


def _list(items: list[str], lang: str, limit: int = 10) -> str:
    sep = "、" if lang != "en" else ", "
    more = len(items) - limit
    tail = (f"等{len(items)}个" if lang != "en" else f" and {more} more") if more > 0 else ""
    return sep.join(items[:limit]) + tail


__all__ = ["round_changes"]
