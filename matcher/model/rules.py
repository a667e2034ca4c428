"""Hard rules of a round. Each can be switched off (``enabled: false``) and has parameters.

The rules are stated the way planners state them in the seed reports; the engine turns them
into eligibility filters on (cadre, post) pairs or into side constraints (quotas, skill mix).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from matcher.model.attributes import CadreSelector
from matcher.model.ranks import Rank, RankField
from matcher.model.skills import normalise_skill
from matcher.model.vetting import RequiredClearances


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


PostTypeName = Literal["full-time", "part-time"]
LevelName = Literal["city", "county", "street"]
_BOTH_POST_TYPES: list[PostTypeName] = ["full-time", "part-time"]
_LOCAL_LEVELS: list[LevelName] = ["county", "street"]


class Selector(_Model):
    """Which communities a rule applies to. Empty selector = every community.

    With ``match: all`` every stated condition must hold; with ``match: any``, one suffices
    (e.g. "weak or conflict-heavy").
    """

    weak: bool | None = None
    tags: list[str] = Field(default_factory=list, description="Community has any of these tags")
    districts: list[str] = Field(default_factory=list, description="District codes")
    max_stars: int | None = Field(default=None, ge=0, le=5)
    communities: list[str] = Field(default_factory=list, description="Explicit community ids")
    match: Literal["all", "any"] = "all"


class Toggle(_Model):
    """A rule with no parameters."""

    enabled: bool = True


class Coverage(_Model):
    """Every post filled. With ``allow_vacancies`` a post may stay empty at the vacancy penalty
    of :class:`matcher.model.weights.Weights` (over-constrained mode)."""

    enabled: bool = True
    post_types: list[PostTypeName] = Field(default_factory=lambda: _BOTH_POST_TYPES.copy())
    allow_vacancies: bool = False


class MaxDistance(_Model):
    """A cadre is posted no further than ``km`` from home (great-circle distance)."""

    enabled: bool = True
    km: float = Field(default=30.0, gt=0, le=2000)


class RankFloor(_Model):
    """Posts of ``post_type`` in the selected communities need rank ≥ ``min_rank``, and
    optionally a cadre from one of ``levels`` (e.g. Huangshi: city leaders ≥ 副县) and one the
    ``cadres`` selector picks (e.g. weak communities get 骨干型 or 示范型 secretaries)."""

    name: str = "rank floor"
    enabled: bool = True
    min_rank: RankField = Rank.DEPUTY_SECTION
    post_type: PostTypeName = "full-time"
    where: Selector = Field(default_factory=lambda: Selector(weak=True))
    levels: list[LevelName] = Field(default_factory=list)
    cadres: CadreSelector = Field(default_factory=CadreSelector)


class OwnDistrict(_Model):
    """Cadres of the listed levels serve only in their home district (县区干部不出县)."""

    enabled: bool = True
    levels: list[LevelName] = Field(default_factory=lambda: _LOCAL_LEVELS.copy())


class SourceQuota(_Model):
    """Between ``min`` and ``max`` posts of ``post_type`` go to cadres of ``level`` (or of the
    listed ``units``), and that the ``cadres`` selector picks. E.g. Jinzhou: 100 city / 147
    county full-time posts; at least 20 full-time posts to reserve cadres."""

    name: str = "source quota"
    enabled: bool = True
    post_type: PostTypeName = "full-time"
    level: LevelName | None = None
    units: list[str] = Field(default_factory=list)
    cadres: CadreSelector = Field(default_factory=CadreSelector)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> SourceQuota:
        if self.level is None and not self.units and self.cadres.is_empty():
            raise ValueError("a source quota needs a level, a list of units or a cadre selector")
        if self.min is None and self.max is None:
            raise ValueError("a source quota needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} exceeds max {self.max}")
        return self


class SkillMix(_Model):
    """In each selected community, at least ``min_count`` cadres of ``post_type`` have one of
    the ``any_of`` skills (Jinzhou: a weak community's part-timers include finance, transport
    or business-environment). With a ``cadres`` selector the counted cadres must also meet
    it, and ``any_of`` may be empty: "at least 3 party members per team" (Jinzhou's 党小组)."""

    name: str = "skill mix"
    enabled: bool = True
    post_type: PostTypeName = "part-time"
    where: Selector = Field(default_factory=lambda: Selector(weak=True))
    any_of: list[str] = Field(default_factory=list)
    cadres: CadreSelector = Field(default_factory=CadreSelector)
    min_count: int = Field(default=1, ge=1)

    @field_validator("any_of")
    @classmethod
    def _skills(cls, v: list[str]) -> list[str]:
        # Same spelling rules as cadre skills (党建 → party-building), so Chinese tags match.
        return sorted({normalise_skill(s) for s in v if s.strip()}) or v

    @model_validator(mode="after")
    def _something_to_count(self) -> SkillMix:
        if not self.any_of and self.cadres.is_empty():
            raise ValueError("a skill mix needs any_of skills, a cadre selector or both")
        return self

    def counts(self, skills: list[str], picked: bool) -> bool:
        """Does a cadre with ``skills`` (and ``picked`` by the selector) count towards it?"""
        return picked and (not self.any_of or bool(set(self.any_of).intersection(skills)))

    def words(self) -> tuple[str, ...]:
        """What counts, for reports: the skills and the selector in words."""
        sel = () if self.cadres.is_empty() else (self.cadres.words(),)
        return tuple(self.any_of) + sel


class Pairing(_Model):
    """Cadres whose unit is paired with communities (结对) serve only in those communities
    (only the cadres the ``cadres`` selector picks, e.g. the units' 班子成员)."""

    enabled: bool = False
    cadres: CadreSelector = Field(default_factory=CadreSelector)


class PairRef(_Model):
    """A (cadre, community) pair named by ids, with an optional post type and reason."""

    cadre: str
    community: str
    post_type: PostTypeName | None = None
    reason: str = ""


class TermLengths(_Model):
    """Default term length of a posting per post type, in months (Jinzhou: first secretaries
    two years; Huangshi: reserve cadres one year). Used by the posting archive and rotations."""

    full_time_months: int = Field(default=24, ge=1, le=120)
    part_time_months: int = Field(default=12, ge=1, le=120)


class PartySecretary(_Model):
    """Default rule: a first secretary (full-time post) leads the community's Party
    organisation, so is a Party member (中共党员). A probationary member (预备党员) has no
    right to be elected, so is refused unless ``probationary`` is true; a cadre whose
    political status is not written is refused too (and told so), never guessed."""

    enabled: bool = True
    probationary: bool = Field(
        default=False, description="Admit probationary members (预备党员) as first secretaries"
    )


class VettingAnswers(_Model):
    """Default rule: the joint vetting's answers are obeyed whether or not the round lists
    the department as required. A refused clearance (不通过) bars the cadre from every post;
    a pending one (待审) bars them too when ``pending`` is ``any`` (the default: a case under
    investigation is not posted), or only for the required departments when ``required``
    (then :class:`RequiredClearances` already says so)."""

    enabled: bool = True
    pending: Literal["any", "required"] = "any"


class Rules(_Model):
    """All hard rules of a round."""

    one_post_per_cadre: Toggle = Field(default_factory=Toggle)
    coverage: Coverage = Field(default_factory=Coverage)
    availability: Toggle = Field(default_factory=Toggle)
    max_distance: MaxDistance = Field(default_factory=MaxDistance)
    rank_floors: list[RankFloor] = Field(default_factory=list)
    own_district: OwnDistrict = Field(default_factory=OwnDistrict)
    source_quotas: list[SourceQuota] = Field(default_factory=list)
    skill_mix: list[SkillMix] = Field(default_factory=list)
    pairing: Pairing = Field(default_factory=Pairing)
    forbidden_pairs: list[PairRef] = Field(default_factory=list)
    locks: list[PairRef] = Field(default_factory=list)
    exclude_disqualified: Toggle = Field(default_factory=Toggle)
    clearances: RequiredClearances = Field(default_factory=RequiredClearances)
    party_secretary: PartySecretary = Field(default_factory=PartySecretary)
    vetting: VettingAnswers = Field(default_factory=VettingAnswers)
    terms: TermLengths = Field(default_factory=TermLengths)
