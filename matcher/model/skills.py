"""The vocabulary of skill and experience tags, with Chinese aliases and synonyms.

Clerks write skills in their own words: 卫生, 卫生健康 and 医疗卫生 are one skill, so are 养老
and 养老服务 (:data:`SYNONYMS`, the documented table; spaces and full-width letters ignored).
A word outside the vocabulary is a word of the round: validation warns (with a near match if
there is one) and adds it to the round's ``extra_skills``, so a community asking 文秘 and a
cadre offering 文秘 match, and a typo is visible rather than fatal.
"""

from __future__ import annotations

import unicodedata
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
    "urban-management": "城市管理",
    "audit": "审计",
    "writing": "文字综合",
}

SYNONYMS: dict[str, str] = {
    "卫生": "health",
    "医疗": "health",
    "医疗卫生": "health",
    "卫健": "health",
    "卫生健康": "health",
    "养老": "elderly-care",
    "为老服务": "elderly-care",
    "应急": "emergency",
    "安全生产": "emergency",
    "城管": "urban-management",
    "城管执法": "urban-management",
    "审计监督": "audit",
    "文字": "writing",
    "文稿": "writing",
    "材料写作": "writing",
    "综合文字": "writing",
    "党务": "party-building",
    "党建工作": "party-building",
    "信访维稳": "petitions",
    "社区治理": "community-work",
    "基层治理": "community-work",
    "群众工作": "mass-work",
    "财务": "finance",
    "财政金融": "finance",
    "法律服务": "law",
    "法务": "law",
    "营商": "business-environment",
    "规划建设": "urban-planning",
    "社工": "social-work",
    "信息技术": "digital",
    "数字化": "digital",
}
"""Clerk words → tag (besides each tag's own Chinese name in :data:`SKILLS`)."""

_BY_CHINESE = {zh: en for en, zh in SKILLS.items()} | SYNONYMS


@lru_cache(maxsize=4096)  # a roster repeats a few dozen spellings 100,000 times
def normalise_skill(tag: str) -> str:
    """Map a Chinese or English spelling to the canonical English tag (unknown tags pass)."""
    key = "".join(unicodedata.normalize("NFKC", tag).split())
    return _BY_CHINESE.get(key, key.lower())


def skill_word(tag: str, lang: str = "zh") -> str:
    """A skill tag as a planner writes it: 财政 (``zh``) or ``finance`` (``en``)."""
    return SKILLS.get(tag, tag) if lang != "en" else tag


def skills_text(tags: list[str], lang: str = "zh") -> str:
    """Skill tags joined the way the language lists things (财政、交通 / finance, transport)."""
    return ("、" if lang != "en" else ", ").join(skill_word(t, lang) for t in tags)
