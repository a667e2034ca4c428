"""What planners state for the three practices beside the main round (docs/practices.md).

* **Mentoring** (导师帮带): experienced secretaries each take between ``min_mentees`` and
  ``max_mentees`` newcomers or secretaries of weak communities; every mentee gets a mentor.
* **Exchange postings** (区内挂职交流): secretaries of new or weak communities (guests) are
  posted one-to-one to strong host communities, by the wishes asked of them beforehand; hosts
  may rank guests too. Later batches exclude the hosts and guests already used.
* **Joint committees** (联合党委): neighbouring communities grouped in threes and fours, each
  group with at least one strong community.

Models are frozen and validated, as the round's are; geography turns them into arrays
(:mod:`geodata.practices`), and the engines in this package see only those arrays.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from matcher.model.round import District, Id, Location, Polygon
from matcher.model.skills import normalise_skill

#: Secretary types of the five-precision district (示范、骨干、潜力、守摊), in English.
SecretaryType = Literal["model", "backbone", "potential", "caretaker"]

TYPE_NAMES: dict[str, str] = {
    "model": "示范型",
    "backbone": "骨干型",
    "potential": "潜力型",
    "caretaker": "守摊型",
}
_TYPE_ALIASES = {v: k for k, v in TYPE_NAMES.items()} | {v[:2]: k for k, v in TYPE_NAMES.items()}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Secretary(_Model):
    """A community Party secretary: the person mentoring, mentored or posted on exchange."""

    id: Id
    name: str = Field(min_length=1)
    community: str = Field(min_length=1, description="The community the secretary leads")
    district: District
    unit: str = Field(default="", description="Street office or unit (街道/单位)")
    type: SecretaryType | None = Field(default=None, description="示范型/骨干型/潜力型/守摊型")
    stars: int | None = Field(default=None, ge=0, le=5, description="Stars of the community")
    weak: bool = Field(default=False, description="The community is weak (软弱涣散)")
    new: bool = Field(default=False, description="A newly built community or a new secretary")
    skills: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list, description="Skills the secretary lacks")
    location: Location
    preferences: list[str] = Field(
        default_factory=list, description="Exchange guests: host community ids, best first"
    )

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: object) -> object:
        return _TYPE_ALIASES.get(str(v).strip(), v) if isinstance(v, str) else v

    @field_validator("skills", "needs")
    @classmethod
    def _skills(cls, v: list[str]) -> list[str]:
        return sorted({normalise_skill(s) for s in v if s.strip()})


class MentorRules(_Model):
    """How many mentees each mentor takes, and which pairs are allowed."""

    min_mentees: int = Field(default=3, ge=0, le=50)
    max_mentees: int = Field(default=4, ge=1, le=50)
    same_district: bool = Field(default=False, description="Mentor and mentee in one district")
    different_unit: bool = Field(default=True, description="Never two of the same street/unit")
    max_km: float | None = Field(default=None, gt=0, le=500)

    @model_validator(mode="after")
    def _range(self) -> MentorRules:
        if self.min_mentees > self.max_mentees:
            raise ValueError("min_mentees is above max_mentees")
        return self


class MentorWeights(_Model):
    """Points of a pairing (lower is better): distance, skills that complement, weak pull."""

    distance_per_km: int = Field(default=10, ge=0, le=10_000)
    complement: int = Field(default=40, ge=0, le=100_000, description="Per needed skill covered")
    weak_pull: int = Field(default=20, ge=0, le=100_000, description="Per mentor star, weak mentee")


class MentorRound(_Model):
    """Mentors and mentees of one mentoring round (导师帮带)."""

    name: str = "mentoring"
    mentors: list[Secretary] = Field(min_length=1)
    mentees: list[Secretary] = Field(min_length=1)
    rules: MentorRules = Field(default_factory=MentorRules)
    weights: MentorWeights = Field(default_factory=MentorWeights)


class Host(_Model):
    """A strong community that receives one (or ``capacity``) exchange guests."""

    community: str = Field(min_length=1)
    name: str = Field(min_length=1)
    district: District
    stars: int | None = Field(default=None, ge=0, le=5)
    capacity: int = Field(default=1, ge=1, le=10)
    location: Location | None = None
    preferences: list[str] = Field(default_factory=list, description="Guest ids, best first")


class ExchangeRound(_Model):
    """One batch of exchange postings (挂职交流)."""

    name: str = "exchange"
    guests: list[Secretary] = Field(min_length=1)
    hosts: list[Host] = Field(min_length=1)
    mode: Literal["optimal", "stable"] = "optimal"
    unranked_allowed: bool = Field(
        default=False, description="Post a guest to a host outside the guest's wishes"
    )
    exclude_guests: list[str] = Field(default_factory=list, description="Used in earlier batches")
    exclude_hosts: list[str] = Field(default_factory=list, description="Used in earlier batches")


class CommitteeCommunity(_Model):
    """A community that joins a joint Party committee (联合党委)."""

    id: Id
    name: str = Field(min_length=1)
    district: District
    stars: int | None = Field(default=None, ge=0, le=5)
    weak: bool = False
    strong: bool | None = Field(default=None, description="Override: may lead a group")
    location: Location
    polygon: Polygon | None = None


class CommitteeRules(_Model):
    """Group sizes, what counts as strong, and when communities are neighbours."""

    min_size: int = Field(default=3, ge=2, le=8)
    max_size: int = Field(default=4, ge=2, le=8)
    strong_min_stars: int = Field(default=4, ge=0, le=5)
    neighbour_km: float = Field(default=2.0, gt=0, le=100, description="Without polygons")

    @model_validator(mode="after")
    def _range(self) -> CommitteeRules:
        if self.min_size > self.max_size:
            raise ValueError("min_size is above max_size")
        return self


class CommitteeRound(_Model):
    """Communities of one district (or several) to group into joint committees."""

    name: str = "joint committees"
    communities: list[CommitteeCommunity] = Field(min_length=1)
    rules: CommitteeRules = Field(default_factory=CommitteeRules)
