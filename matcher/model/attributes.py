"""Cadre attributes that rules and outputs use, and the selector that picks cadres by them.

Party membership, education and major, post held (职务) and membership of a unit's leading group
(班子成员), secretary type (示范型、骨干型、潜力型、守摊型, the five-precision district's four
types), reserve-cadre status (后备干部) and free tags. A :class:`CadreSelector` inside a rank
floor, quota, skill mix or pairing rule picks cadres by them: "weak communities get 骨干型 or
示范型 secretaries", "at least 3 party members per team".
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SecretaryType(StrEnum):
    """The four secretary types of the five-precision district (seed 004)."""

    MODEL = "model"  # 示范型
    BACKBONE = "backbone"  # 骨干型
    POTENTIAL = "potential"  # 潜力型
    CARETAKER = "caretaker"  # 守摊型


SECRETARY_ZH = {
    "model": "示范型",
    "backbone": "骨干型",
    "potential": "潜力型",
    "caretaker": "守摊型",
}
_SECRETARY_ALIASES = {zh: en for en, zh in SECRETARY_ZH.items()} | {
    zh[:-1]: en for en, zh in SECRETARY_ZH.items()
}


class PartyStanding(StrEnum):
    """What 政治面貌 says about Party membership (the first-secretary rule reads it)."""

    MEMBER = "member"  # 中共党员
    PROBATIONARY = "probationary"  # 中共预备党员: no right to be elected yet
    NON_MEMBER = "non-member"  # 群众, 共青团员, a democratic party's member …
    UNKNOWN = "unknown"  # not written, or words the table does not know


# Checked in this order: "非党员" and "非中共党员" hold "党员", "中共预备党员" holds "中共".
_NON_MEMBER_WORDS = (
    "非党员", "非中共党员", "群众", "共青团员", "团员", "无党派", "民主党派", "民革", "民盟",
    "民建", "民进", "农工", "致公", "九三学社", "台盟", "non-member", "not a party member",
    "masses", "none",
)  # fmt: skip
_PROBATIONARY_WORDS = ("预备党员", "probationary")
_MEMBER_WORDS = ("中共党员", "中国共产党党员", "共产党员", "党员", "party member", "cpc")
PARTY_STANDING_ZH = {
    "member": "中共党员",
    "probationary": "中共预备党员",
    "non-member": "非中共党员",
    "unknown": "政治面貌不详",
}


@lru_cache(maxsize=4096)  # a pure function of a few distinct words, asked for every cadre
def party_standing(status: str | None, stated: bool | None = None) -> PartyStanding:
    """Party standing from a stated yes/no (中共党员 column), else from 政治面貌 as written.

    A stated answer wins (``party_member: false`` is a non-member whatever the text says), but
    a stated yes with 预备党员 written is probationary: a yes/no cannot say so. Without a
    stated answer, unrecognised or missing text is ``unknown``, never guessed.
    """
    text = unicodedata.normalize("NFKC", status or "").replace(" ", "").lower()
    probationary = any(w in text for w in _PROBATIONARY_WORDS)
    if stated is not None:
        if not stated:
            return PartyStanding.NON_MEMBER
        return PartyStanding.PROBATIONARY if probationary else PartyStanding.MEMBER
    if not text:
        return PartyStanding.UNKNOWN
    if any(w in text for w in _NON_MEMBER_WORDS):
        return PartyStanding.NON_MEMBER
    if probationary:
        return PartyStanding.PROBATIONARY
    if any(w in text for w in _MEMBER_WORDS):
        return PartyStanding.MEMBER
    return PartyStanding.UNKNOWN


def secretary_type(value: object) -> object:
    """示范型/示范/model → ``model`` (other values pass for the enum to judge)."""
    if isinstance(value, str):
        text = value.strip()
        return _SECRETARY_ALIASES.get(text, text.lower())
    return value


class CadreLike(Protocol):
    """What a selector reads of a cadre (:class:`matcher.model.round.Cadre`)."""

    @property
    def is_party_member(self) -> bool: ...
    @property
    def secretary_type(self) -> SecretaryType | None: ...
    @property
    def reserve(self) -> bool: ...
    @property
    def leading_group(self) -> bool: ...
    @property
    def education(self) -> str | None: ...
    @property
    def tags(self) -> list[str]: ...


class CadreSelector(BaseModel):
    """Which cadres a rule counts or admits. Empty selector = every cadre.

    With ``match: all`` every stated condition must hold; with ``match: any``, one suffices.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    party_member: bool | None = Field(default=None, description="中共党员 (or not)")
    secretary_types: list[SecretaryType] = Field(
        default_factory=list, description="Any of these types, e.g. [model, backbone]"
    )
    reserve: bool | None = Field(default=None, description="Reserve cadre (后备干部)")
    leading_group: bool | None = Field(default=None, description="Member of a leading group")
    education: list[str] = Field(default_factory=list, description="Any of these (学历)")
    tags: list[str] = Field(default_factory=list, description="Has any of these tags")
    match: Literal["all", "any"] = "all"

    @field_validator("secretary_types", mode="before")
    @classmethod
    def _types(cls, v: object) -> object:
        return [secretary_type(x) for x in v] if isinstance(v, list) else v

    def is_empty(self) -> bool:
        """True when the selector states no condition."""
        return (
            not (self.secretary_types or self.education or self.tags)
            and self.party_member is None
            and self.reserve is None
            and self.leading_group is None
        )

    def matches(self, cadre: CadreLike) -> bool:
        """Does ``cadre`` meet the selector?"""
        conds: list[bool] = []
        if self.party_member is not None:
            conds.append(cadre.is_party_member == self.party_member)
        if self.secretary_types:
            conds.append(cadre.secretary_type in self.secretary_types)
        if self.reserve is not None:
            conds.append(cadre.reserve == self.reserve)
        if self.leading_group is not None:
            conds.append(cadre.leading_group == self.leading_group)
        if self.education:
            conds.append(cadre.education in self.education)
        if self.tags:
            conds.append(bool(set(self.tags).intersection(cadre.tags)))
        if not conds:
            return True
        return all(conds) if self.match == "all" else any(conds)

    def words(self) -> str:
        """The selector as a planner reads it: ``中共党员、骨干型/示范型``."""
        parts: list[str] = []
        if self.party_member is not None:
            parts.append("中共党员" if self.party_member else "非中共党员")
        if self.secretary_types:
            parts.append("/".join(SECRETARY_ZH[t.value] for t in self.secretary_types))
        if self.reserve is not None:
            parts.append("后备干部" if self.reserve else "非后备干部")
        if self.leading_group is not None:
            parts.append("班子成员" if self.leading_group else "非班子成员")
        if self.education:
            parts.append("学历" + "/".join(self.education))
        if self.tags:
            parts.append("标签" + "/".join(self.tags))
        return ("、" if self.match == "all" else "或").join(parts) or "任何干部"


__all__ = [
    "PARTY_STANDING_ZH",
    "SECRETARY_ZH",
    "CadreSelector",
    "PartyStanding",
    "SecretaryType",
    "party_standing",
    "secretary_type",
]
