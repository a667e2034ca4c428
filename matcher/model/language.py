"""The language of what users read: Chinese (``zh``, first) or English (``en``).

Every output (roster, summary, maps, explanations, CLI tables) takes a ``lang``. When none is
asked for, the round's own language is used: a round whose name or community names are
written in Chinese characters is a Chinese round. Texts are kept beside the code that writes
them as ``(Chinese, English)`` pairs and chosen with :func:`pick` (input problems use the
catalogue of :mod:`matcher.model.messages`, which defines ``Lang``); the Chinese is written the
way an organisation department writes, not translated word by word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matcher.model.messages import LANGS, Lang  # one definition of the two languages
from matcher.model.round import Round

_CJK = re.compile(r"[\u3400-\u9fff]")


def parse_lang(text: str | None) -> Lang | None:
    """``zh``/``en`` (also ``zh-CN``, ``中文``, ``english`` …) → a language; None when empty.

    Raises ValueError naming the accepted values for anything else.
    """
    if text is None or not text.strip():
        return None
    t = text.strip().lower().replace("_", "-")
    if t in ("zh", "cn", "chinese", "中文") or t.startswith("zh-"):
        return "zh"
    if t in ("en", "english", "英文") or t.startswith("en-"):
        return "en"
    raise ValueError(f"language {text!r} unknown; expected zh (中文) or en (English)")


def round_language(round: Round) -> Lang:
    """The round's language: Chinese when its name or any community name has Chinese."""
    names = [round.name, *(c.name for c in round.communities[:50])]
    return "zh" if any(_CJK.search(n) for n in names) else "en"


def resolve(lang: str | None, round: Round) -> Lang:
    """The language asked for, or the round's own language when none is asked for."""
    return parse_lang(lang) or round_language(round)


def from_accept_language(header: str | None) -> Lang | None:
    """The first supported language of an HTTP ``Accept-Language`` header (by q-value)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip()))
    for neg_q, _, tag in sorted(ranked):
        if neg_q >= 0:
            continue
        try:
            found = parse_lang(tag)
        except ValueError:
            continue
        if found:
            return found
    return None


def pick(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English text."""
    return en if lang == "en" else zh


def chooser(lang: str) -> Callable[[str, str], str]:
    """``t = chooser(lang)``; ``t("中文", "English")`` picks the text of ``lang``."""
    return lambda zh, en: pick(lang, zh, en)


__all__ = [
    "LANGS",
    "Lang",
    "from_accept_language",
    "parse_lang",
    "pick",
    "resolve",
    "round_language",
]
