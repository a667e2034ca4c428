"""The catalogue of disqualifying conditions (不得当选情形): code, Chinese text, source.

The bundled catalogue (``data/disqualifications.json``, versioned, with its source) holds the
20 conditions of the five-precision district's list; a round may add its own
(``Round.disqualification_conditions``). A cadre's disqualification names a code. Free text
typed into the roster instead of a code is matched to the one condition it names
(:func:`resolve`); text that names none, or more than one, is kept as ``other`` with the text,
so nothing a planner wrote is lost and nothing is guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

OTHER = "other"
"""The code of a disqualification that names no condition of the catalogue (text kept)."""


class Condition(BaseModel):
    """One disqualifying condition: its code, Chinese text, English gloss and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1, max_length=32, pattern=r"^[^\s:：;；,，]+$")
    zh: str = Field(min_length=1, description="The condition as the department writes it")
    en: str = ""
    keywords: list[str] = Field(
        default_factory=list, description="Words that name this condition in free text"
    )
    source: str = Field(default="", description="Where the condition comes from")


@dataclass(frozen=True)
class Catalogue:
    """A versioned set of conditions by code."""

    version: str
    source: str
    conditions: tuple[Condition, ...]

    def get(self, code: str) -> Condition | None:
        """The condition with ``code`` (codes compare case-insensitively), or None."""
        key = code.strip().upper()
        return next((c for c in self.conditions if c.code.upper() == key), None)

    def with_round(self, own: list[Condition]) -> Catalogue:
        """This catalogue plus a round's own conditions (a round's code replaces a bundled one)."""
        if not own:
            return self
        codes = {c.code.upper() for c in own}
        kept = tuple(c for c in self.conditions if c.code.upper() not in codes)
        return Catalogue(self.version, self.source, kept + tuple(own))

    def match(self, text: str) -> Condition | None:
        """The one condition free ``text`` names (its text or one of its keywords), else None."""
        words = _plain(text)
        if not words:
            return None
        hits = [
            c
            for c in self.conditions
            if _plain(c.zh) in words
            or (len(words) >= 4 and words in _plain(c.zh))
            or any(_plain(k) and _plain(k) in words for k in c.keywords)
        ]
        return hits[0] if len(hits) == 1 else None

    def resolve(self, code: str, reason: str = "") -> tuple[str, str]:
        """(code, reason) as stored: a known code is kept in its catalogue spelling; free text is
        matched to a condition, or kept as ``other`` with the text."""
        known = self.get(code)
        if known is not None:
            return known.code, reason
        if code.strip().lower() == OTHER:
            return OTHER, reason
        text = " ".join(t for t in (code.strip(), reason.strip()) if t)
        found = self.match(text)
        return (found.code, text) if found is not None else (OTHER, text)

    def words(self, code: str, reason: str = "") -> str:
        """The disqualification in words: ``D07 正在接受纪律审查…（note）``."""
        cond = self.get(code)
        if cond is None:
            head = "其他情形" if code.strip().lower() == OTHER else code
            return f"{head}：{reason}" if reason else head
        tail = f"（{reason}）" if reason and reason != cond.zh else ""
        return f"{cond.code} {cond.zh}{tail}"


def _plain(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’「」（）()，,。.;；:：、]+", "", text).lower()


@cache
def bundled() -> Catalogue:
    """The catalogue shipped with the package (read once)."""
    raw = json.loads(
        resources.files("matcher.model").joinpath("data/disqualifications.json").read_text("utf-8")
    )
    src = raw["source"]
    source = f"{src['zh']} / {src['en']}"
    conds = tuple(
        Condition(**c, source=f"{raw['catalogue']} {raw['version']}") for c in raw["conditions"]
    )
    return Catalogue(str(raw["version"]), source, conds)


__all__ = ["OTHER", "Catalogue", "Condition", "bundled"]
