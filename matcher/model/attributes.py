"""Cadre attributes that rules and outputs use, and the selector that picks cadres by them.

Party membership, education and major, post held (职务) and membership of a unit's leading group
(班子成员), secretary type (示范型、骨干型、潜力型、守摊型, the five-precision district's four
types), reserve-cadre status (后备干部) and free tags. A :class:`CadreSelector` inside a rank
floor, quota, skill mix or pairing rule picks cadres by them: "weak communities get 骨干型 or
示范型 secretaries", "at least 3 party members per team".
"""

from __future__ import annotations

from enum import StrEnum
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

PARTY_WORDS = ("中共党员", "中共预备党员", "党员", "预备党员", "party member", "cpc")


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


__all__ = ["SECRETARY_ZH", "CadreSelector", "SecretaryType", "secretary_type"]
