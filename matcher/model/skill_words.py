"""Skill words of one round: known tags, synonyms, and the round's own new words.

A word outside the vocabulary (:mod:`matcher.model.skills`) is not an error: it becomes a word
of the round (added to ``extra_skills``) and one warning per word says where it was first
seen, how often, and the near match when there is one — so a typo is visible, and a clerk's
own word (文秘) still matches between communities and cadres.
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.model.messages import Text, say, suggest
from matcher.model.resolve import Finding
from matcher.model.skills import SKILLS, normalise_skill


class RoundVocabulary:
    """The skill tags a round knows, growing with the words it brings."""

    def __init__(self, extra: Iterable[object]) -> None:
        self.known = set(SKILLS) | {normalise_skill(str(s)) for s in extra}
        self._new: dict[str, tuple[Finding, int]] = {}

    def check(
        self, collection: str, index: int | None, tags: Iterable[str], path: str, id: str | None
    ) -> None:
        """Note every tag outside the vocabulary (first place seen, and a count)."""
        for tag in tags:
            key = normalise_skill(tag)
            if key in self.known:
                continue
            if key in self._new:
                first, n = self._new[key]
                self._new[key] = (first, n + 1)
                continue
            self._new[key] = (Finding(collection, index, Text("", ""), path=path, id=id), 1)

    def new_words(self) -> list[str]:
        """The round's own words, in the order first seen."""
        return list(self._new)

    def warnings(self) -> list[Finding]:
        """One warning per new word, at the place it was first seen."""
        out: list[Finding] = []
        known = [*sorted(self.known), *SKILLS.values()]
        for word, (first, n) in self._new.items():
            near = suggest(word, known)
            hint = say("did_you_mean", known=near) if near else Text("", "")
            times = f"（共{n}处）" if n > 1 else ""
            text = Text(
                f"技能“{word}”不在词表中{hint.zh}已作为本轮新词加入词表{times}；"
                "如为笔误请改正，同义词请改用词表中的写法",
                f"skill {word!r} is not in the vocabulary{hint.en}; added as a word of this "
                f"round ({n} place{'s' if n > 1 else ''}); correct it if it is a typo",
            )
            out.append(
                Finding(
                    first.collection,
                    first.index,
                    text,
                    path=first.path,
                    id=first.id,
                    severity="warning",
                )
            )
        return out


__all__ = ["RoundVocabulary"]
