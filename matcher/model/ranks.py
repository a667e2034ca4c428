"""The ordered rank ladder (职级) and the spellings accepted for each rung.

Ranks are compared as integers inside the engine: 0 is the bottom of the ladder. Input may use
the Chinese title, the pinyin-free English alias, or the division-level synonym (处 = 县).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema


class Rank(IntEnum):
    """A cadre's rank; a larger value is a higher rank."""

    SECTION_MEMBER = 0  # 科员
    DEPUTY_SECTION = 1  # 副科
    SECTION = 2  # 正科
    DEPUTY_COUNTY = 3  # 副县 / 副处
    COUNTY = 4  # 正县 / 正处

    @property
    def label(self) -> str:
        """The canonical Chinese title, as written in the round file and the roster."""
        return CANONICAL[self]

    @property
    def english(self) -> str:
        """The canonical English alias."""
        return ENGLISH[self]


CANONICAL: dict[Rank, str] = {
    Rank.SECTION_MEMBER: "科员",
    Rank.DEPUTY_SECTION: "副科",
    Rank.SECTION: "正科",
    Rank.DEPUTY_COUNTY: "副县",
    Rank.COUNTY: "正县",
}

ENGLISH: dict[Rank, str] = {
    Rank.SECTION_MEMBER: "section-member",
    Rank.DEPUTY_SECTION: "deputy-section",
    Rank.SECTION: "section",
    Rank.DEPUTY_COUNTY: "deputy-county",
    Rank.COUNTY: "county",
}

_ALIASES: dict[str, Rank] = {
    **{label: rank for rank, label in CANONICAL.items()},
    **{alias: rank for rank, alias in ENGLISH.items()},
    "科员级": Rank.SECTION_MEMBER,
    "副科级": Rank.DEPUTY_SECTION,
    "正科级": Rank.SECTION,
    "副县级": Rank.DEPUTY_COUNTY,
    "副处": Rank.DEPUTY_COUNTY,
    "副处级": Rank.DEPUTY_COUNTY,
    "正县级": Rank.COUNTY,
    "正处": Rank.COUNTY,
    "正处级": Rank.COUNTY,
    "section member": Rank.SECTION_MEMBER,
    "deputy section": Rank.DEPUTY_SECTION,
    "deputy county": Rank.DEPUTY_COUNTY,
    "deputy-division": Rank.DEPUTY_COUNTY,
    "division": Rank.COUNTY,
}

ACCEPTED = tuple(CANONICAL.values()) + tuple(ENGLISH.values())


def parse_rank(text: str) -> Rank:
    """Return the rank a spelling names; raise ValueError listing the accepted spellings."""
    key = text.strip()
    rank = _ALIASES.get(key) or _ALIASES.get(key.lower())
    if rank is None:
        raise ValueError(f"rank {text!r} unknown; expected one of {', '.join(ACCEPTED)}")
    return rank


def _coerce_rank(value: object) -> Rank:
    if isinstance(value, Rank):
        return value
    if isinstance(value, str):
        return parse_rank(value)
    raise ValueError(f"rank {value!r} unknown; expected one of {', '.join(ACCEPTED)}")


RankField = Annotated[
    Rank,
    BeforeValidator(_coerce_rank),
    PlainSerializer(lambda r: CANONICAL[r], return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(ACCEPTED),
            "description": "Rank on the ladder 科员 < 副科 < 正科 < 副县 < 正县 (or English alias)",
        }
    ),
]
"""A rank as it appears in a round: parsed from any accepted spelling, written in Chinese."""
