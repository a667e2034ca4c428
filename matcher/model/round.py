"""The assignment round: communities, cadres, rules, weights and solve settings.

This is the product's public contract. Files (JSON, CSV, XLSX) and API bodies are all turned
into one :class:`Round` by :func:`matcher.model.validate.validate_round`; the engine never sees raw
input. Models are frozen: a round is a value, and a what-if is a new round.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

from matcher.model.attributes import PartyStanding, SecretaryType, party_standing, secretary_type
from matcher.model.disqualifications import Condition
from matcher.model.identity import IdentityChoices
from matcher.model.intent import ACCEPTED_EN, availability_value
from matcher.model.ranks import RankField
from matcher.model.rules import Rules
from matcher.model.settings import SolveSettings
from matcher.model.skills import normalise_skill
from matcher.model.vetting import Clearance, conflicting
from matcher.model.weights import Weights

FORMAT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class CoordSystem(StrEnum):
    """Coordinate system of a lon/lat pair. Mixing them shifts points by hundreds of metres."""

    WGS84 = "wgs84"  # GPS
    GCJ02 = "gcj02"  # Amap (高德), Tencent
    BD09 = "bd09"  # Baidu
    CGCS2000 = "cgcs2000"  # China Geodetic Coordinate System 2000 (≈ WGS-84 to centimetres)


class PostType(StrEnum):
    """Full-time first secretary (脱产) or part-time helper (非脱产)."""

    FULL_TIME = "full-time"
    PART_TIME = "part-time"


class Level(StrEnum):
    """Administrative level of the cadre's source unit (派出单位)."""

    CITY = "city"  # 市直
    COUNTY = "county"  # 县/区
    STREET = "street"  # 街道


class Availability(StrEnum):
    """Which post types a cadre can take."""

    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    EITHER = "either"


_AVAILABILITY_VALUES = frozenset(a.value for a in Availability)

Lon = Annotated[float, Field(ge=-180, le=180)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s,;]+$")]


class Location(_Model):
    """A point as longitude/latitude in degrees, tagged with its coordinate system."""

    lon: Lon
    lat: Lat
    crs: CoordSystem = CoordSystem.WGS84


class Polygon(_Model):
    """A community boundary: GeoJSON-style rings of [lon, lat] (first ring is the outline)."""

    rings: list[list[tuple[Lon, Lat]]] = Field(min_length=1)
    crs: CoordSystem = CoordSystem.WGS84

    @field_validator("rings")
    @classmethod
    def _closed_enough(cls, rings: list[list[tuple[float, float]]]) -> Any:
        for ring in rings:
            if len(ring) < 3:
                raise ValueError("a polygon ring needs at least 3 points")
        return rings


def _six_digits(value: object) -> object:
    """NFKC first (full-width ２１０７０２ → 210702), then only ASCII digits pass: ``\\d``
    would let other scripts' digits through and make one district look like two."""
    if not isinstance(value, str):
        return value
    if len(value) == 6 and value.isascii() and value.isdigit():
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if not (len(text) == 6 and text.isascii() and text.isdigit()):
        raise ValueError(f"district code {value!r} must be six plain digits (0-9), e.g. 210702")
    return text


DistrictCode = Annotated[
    str,
    BeforeValidator(_six_digits),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{6}$"}),
]


class District(_Model):
    """A county-level district (区/县/县级市): six-digit administrative code and name."""

    code: DistrictCode = Field(description="GB/T 2260 code, e.g. 210702")
    name: str = Field(min_length=1)


_COUNT_WORDS = {"零": 0, "无": 0, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_COUNT_WORDS |= {"六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def post_count(value: object) -> object:
    """A post-count cell as a clerk writes it: 2, "2名", "2人", "两名", "1个" → the number."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip().removesuffix("名").removesuffix("人")
    text = text.removesuffix("个").strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return _COUNT_WORDS.get(text, value)


class Posts(_Model):
    """How many posts of each type a community has (the clerk's post-count columns)."""

    full_time: int = Field(default=1, ge=0, le=10)
    part_time: int = Field(default=2, ge=0, le=20)

    @field_validator("full_time", "part_time", mode="before")
    @classmethod
    def _count(cls, v: object) -> object:
        return post_count(v)


def _skill_list(values: list[str]) -> list[str]:
    if not values:  # most rows: nothing to normalise
        return []
    return sorted({normalise_skill(v) for v in values if v.strip()})


class RequiredSkills(_Model):
    """Skills a community wants in each post type (counted as skill fit, a soft weight)."""

    full_time: list[str] = Field(default_factory=list)
    part_time: list[str] = Field(default_factory=list)

    @field_validator("full_time", "part_time")
    @classmethod
    def _skills(cls, v: list[str]) -> list[str]:
        return _skill_list(v)


class Community(_Model):
    """A community (社区) or residential compound (小区) that receives cadres."""

    id: Id
    name: str = Field(min_length=1)
    district: District
    street: str | None = Field(default=None, description="Street office (街道)")
    location: Location | None = None
    polygon: Polygon | None = None
    weak: bool = Field(default=False, description="Weak / lax Party organisation (软弱涣散)")
    stars: int | None = Field(default=None, ge=0, le=5, description="Star rating 0-5")
    tags: list[str] = Field(default_factory=list, description="e.g. conflict-heavy, new")
    posts: Posts = Field(default_factory=Posts)
    required_skills: RequiredSkills = Field(default_factory=RequiredSkills)
    paired_units: list[str] = Field(default_factory=list, description="结对/包保 units")
    extra: dict[str, str] = Field(
        default_factory=dict,
        description="Columns the planner brought that the round does not use (kept for outputs)",
    )

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        return sorted({t.strip() for t in v if t.strip()}) if v else []


class Disqualification(_Model):
    """A disqualifying condition (不得当选情形) recorded against a cadre: a catalogue code
    (:mod:`matcher.model.disqualifications`), or ``other`` with the text in ``reason``."""

    code: str = Field(min_length=1)
    reason: str = ""


class CurrentPost(_Model):
    """The post a cadre holds now, for minimal-disruption re-planning."""

    community: Id
    post_type: PostType = PostType.FULL_TIME


class Cadre(_Model):
    """A cadre (干部) on the roster who may be sent to a community."""

    id: Id
    name: str = Field(min_length=1)
    unit: str = Field(min_length=1, description="Source unit (派出单位)")
    level: Level
    home_district: DistrictCode = Field(description="District code of home/unit")
    rank: RankField
    rank_title: str | None = Field(
        default=None, description="The rank or post title as written (四级调研员); shown in outputs"
    )
    gender: str | None = Field(default=None, description="性别 as written")
    birth_year: int | None = Field(default=None, ge=1940, le=2010)
    birth_month: int | None = Field(default=None, ge=1, le=12)
    political_status: str | None = Field(default=None, description="政治面貌, e.g. 中共党员")
    skills: list[str] = Field(default_factory=list, description="Skills and experience tags")
    availability: Availability = Availability.EITHER
    location: Location
    preferences: list[Id] = Field(default_factory=list, description="Ranked community ids")
    disqualifications: list[Disqualification] = Field(default_factory=list)
    clearances: list[Clearance] = Field(
        default_factory=list, description="Joint vetting (资格联审): one answer per department"
    )
    party_member: bool | None = Field(
        default=None, description="中共党员; when absent, read from political_status"
    )
    education: str | None = Field(default=None, description="学历, e.g. 大学本科")
    major: str | None = Field(default=None, description="专业")
    post_held: str | None = Field(default=None, description="职务 held now")
    leading_group: bool = Field(default=False, description="Member of a leading group (班子成员)")
    secretary_type: SecretaryType | None = Field(
        default=None,
        description="示范型 model, 骨干型 backbone, 潜力型 potential, 守摊型 caretaker",
    )
    reserve: bool = Field(default=False, description="Reserve cadre (后备干部)")
    tags: list[str] = Field(default_factory=list, description="Free tags")
    current_post: CurrentPost | None = None
    extra: dict[str, str] = Field(
        default_factory=dict,
        description="Columns the planner brought that the round does not use (kept for outputs)",
    )
    id_number: str | None = Field(
        default=None,
        description="公民身份号码 (GB 11643, 18 characters): private; resolves identity, "
        "never printed in documents",
    )
    private: dict[str, str] = Field(
        default_factory=dict,
        description="Private columns (联系电话, 家庭住址 …, marked 不得外传): travel with the "
        "record, never printed unless an internal export names them",
    )

    @field_validator("skills")
    @classmethod
    def _skills(cls, v: list[str]) -> list[str]:
        return _skill_list(v)

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        return sorted({t.strip() for t in v if t.strip()}) if v else []

    @field_validator("availability", mode="before")
    @classmethod
    def _availability(cls, v: object) -> object:
        value = availability_value(v)
        if isinstance(value, str) and value not in _AVAILABILITY_VALUES:
            raise ValueError(f"availability (本人意愿) {v!r} not understood; write {ACCEPTED_EN}")
        return value

    @field_validator("secretary_type", mode="before")
    @classmethod
    def _secretary_type(cls, v: object) -> object:
        return secretary_type(v)

    @field_validator("clearances")
    @classmethod
    def _one_answer_per_department(cls, v: list[Clearance]) -> list[Clearance]:
        twice = conflicting(v)
        if twice:
            raise ValueError(
                "conflicting clearances: more than one answer from " + ", ".join(twice)
            )
        return v

    @property
    def party(self) -> PartyStanding:
        """Party standing read from political_status, else from party_member."""
        return party_standing(self.political_status, self.party_member)

    @property
    def is_party_member(self) -> bool:
        """中共党员 (including probationary members), stated or read from political_status."""
        return self.party in (PartyStanding.MEMBER, PartyStanding.PROBATIONARY)

    @property
    def disqualified(self) -> bool:
        """True when any disqualifying condition is recorded."""
        return bool(self.disqualifications)


class Round(_Model):
    """One assignment round: everything the engine needs, validated."""

    format_version: int = Field(default=FORMAT_VERSION, ge=1, le=FORMAT_VERSION)
    name: str = Field(default="round", min_length=1)
    description: str = ""
    organisation: str = Field(
        default="",
        description="The issuing organisation signed under documents (落款), "
        "e.g. 中共锦州市委组织部",
    )
    extra_skills: list[str] = Field(
        default_factory=list, description="Skill tags this round adds to the built-in vocabulary"
    )
    rank_titles: dict[str, RankField] = Field(
        default_factory=dict,
        description="Rank titles this round maps to a rung differently from the built-in table "
        "(e.g. 局长: 正科), or adds",
    )
    default_crs: CoordSystem | None = Field(
        default=None,
        description="Coordinate system of every point that declares none (set once per round)",
    )
    disqualification_conditions: list[Condition] = Field(
        default_factory=list,
        description="Disqualifying conditions this round adds to the bundled catalogue",
    )
    communities: list[Community] = Field(default_factory=list)
    cadres: list[Cadre] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    identity: IdentityChoices = Field(
        default_factory=IdentityChoices,
        description="Duplicates the planner confirmed: merged people, distinct people and "
        "communities (docs/round.md, Identity 人员识别)",
    )
    weights: Weights = Field(default_factory=Weights)
    settings: SolveSettings = Field(default_factory=SolveSettings)

    def community_index(self) -> dict[str, int]:
        """Community id → dense index (the one place this mapping is made)."""
        return {c.id: i for i, c in enumerate(self.communities)}

    def cadre_index(self) -> dict[str, int]:
        """Cadre id → dense index (the one place this mapping is made)."""
        return {c.id: i for i, c in enumerate(self.cadres)}
