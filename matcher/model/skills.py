"""The vocabulary of skill and experience tags, with Chinese aliases.

A round may extend the vocabulary (``Round.extra_skills``); any tag outside it is a typo until
proven otherwise, so validation rejects it rather than silently never matching it.
"""

from __future__ import annotations

from functools import lru_cache

SKILLS: dict[str, str] = {
    "party-building": "党建",
    "petitions": "信访",
    "community-work": "社区工作",
    "mass-work": "群众工作",
    "finance": "财政",
    "transport": "交通",
    "business-environment": "营商环境",
    "political-legal": "政法",
    "law": "法律",
    "economy": "经济",
    "urban-planning": "规划",
    "civil-affairs": "民政",
    "health": "卫生健康",
    "education": "教育",
    "emergency": "应急管理",
    "social-work": "社会工作",
    "digital": "信息化",
    "elderly-care": "养老服务",
}

_BY_CHINESE = {zh: en for en, zh in SKILLS.items()}


@lru_cache(maxsize=4096)  # a roster repeats a few dozen spellings 100,000 times
def normalise_skill(tag: str) -> str:
    """Map a Chinese or English spelling to the canonical English tag (unknown tags pass)."""
    key = tag.strip()
    return _BY_CHINESE.get(key, key.lower())


def skill_word(tag: str, lang: str = "zh") -> str:
    """A skill tag as a planner writes it: 财政 (``zh``) or ``finance`` (``en``)."""
    return SKILLS.get(tag, tag) if lang != "en" else tag


def skills_text(tags: list[str], lang: str = "zh") -> str:
    """Skill tags joined the way the language lists things (财政、交通 / finance, transport)."""
    return ("、" if lang != "en" else ", ").join(skill_word(t, lang) for t in tags)
