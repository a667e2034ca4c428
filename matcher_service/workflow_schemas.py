"""Request and response bodies of the selection workflow (kept apart from the store records)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, StrictInt

from matcher.model.vetting import ClearanceStatus
from matcher_service.strict_bodies import StrictBody


class _In(StrictBody):
    """A workflow request body: numbers, dates and text taken only as written."""


Reason = Field(default="", max_length=2000, description="Why (kept in the workflow's log)")


class StepIn(_In):
    """A workflow step with its reason."""

    reason: str = Reason


class OpenIn(StepIn):
    """Open the selection of a round, optionally with a longer publicity than the service's."""

    min_publicity_days: StrictInt | None = Field(
        default=None,
        ge=1,
        le=60,
        description="This round's shortest publicity (公示) in working days; never below the "
        "service's minimum (default 5)",
    )


class NominationIn(_In):
    """A unit puts one of its cadres forward (组织推荐)."""

    cadre_id: str = Field(min_length=1, max_length=64, description="Id in the round's pool")
    reason: str = Reason


class NominationOut(BaseModel):
    cadre_id: str
    name: str
    unit: str
    reason: str
    nominated_by: str
    nominated_at: dt.datetime
    decision: str = Field(description="'' until review; then accepted or rejected")
    decision_reason: str


class NominationList(BaseModel):
    round_id: str
    items: list[NominationOut]


class ClearanceIn(_In):
    """One answer of the calling department on one nominee."""

    cadre_id: str = Field(min_length=1, max_length=64)
    status: ClearanceStatus
    date: dt.date | None = None
    note: str = Field(default="", max_length=2000)


class ClearancesIn(_In):
    """A department's answers (all applied, or none when one is wrong)."""

    items: list[ClearanceIn] = Field(min_length=1, max_length=100_000)
    reason: str = Reason


class VettingItem(BaseModel):
    """What a vetting department sees of a nominee: who it is, and its own answer."""

    cadre_id: str
    name: str
    unit: str
    birth_year: int | None
    status: str | None
    date: str | None
    note: str


class VettingList(BaseModel):
    round_id: str
    department: str
    department_name: str
    items: list[VettingItem]
    applied: int = Field(default=0, description="Answers written by this request")


class Rejection(_In):
    cadre_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class ReviewIn(_In):
    """The organisation department's review: nominees it rejects (the rest go forward)."""

    rejected: list[Rejection] = Field(default_factory=list)
    reason: str = Reason


class PlanStepIn(_In):
    """Propose or approve a plan."""

    plan_id: str = Field(min_length=1, max_length=40)
    reason: str = Reason


class ApproveIn(PlanStepIn):
    """The approver's decision (审批): the plan, the decision in words, the 落款."""

    signatory: str = Field(
        default="",
        max_length=200,
        description="落款: the approving organisation as it signs (e.g. 中共XX市委组织部); "
        "default the service's MATCHER_ORGANISATION, else the approver key's name",
    )


class PublicityIn(_In):
    """Start the publicity period (公示) of the proposed plan."""

    days: StrictInt | None = Field(
        default=None,
        ge=1,
        le=60,
        description="Length in working days (Mon–Fri); default and minimum: the round's "
        "minimum (service default 5). 0, negatives, booleans and strings are 422",
    )
    reason: str = Reason


class ObjectionIn(_In):
    """An objection received during publicity (群众反映), about a cadre or the plan."""

    cadre_id: str | None = Field(default=None, max_length=64)
    text: str = Field(min_length=1, max_length=4000)


class ResolutionIn(_In):
    resolution: str = Field(min_length=1, max_length=4000)


class ObjectionOut(BaseModel):
    id: int
    cadre_id: str | None
    text: str
    recorded_by: str
    recorded_at: dt.datetime
    resolution: str
    resolved_by: str
    resolved_at: dt.datetime | None = None


class EventOut(BaseModel):
    """One step of the round's timeline: when, who (key name and role), what, about what, why."""

    at: dt.datetime
    who: str
    role: str
    action: str = Field(
        description="open, nominate, vetting, clear, accepted, rejected, reviewed, proposed, "
        "publicity, objection, resolve, returned, approved, published"
    )
    label: str = Field(default="", description="The action in words (Accept-Language)")
    subject: str
    reason: str


class GapOut(BaseModel):
    """One thing a step still needs (code and words in the language asked)."""

    code: str = Field(
        description="wrong-state, publicity-running, open-objections, changed-since-review, "
        "not-the-plan, …"
    )
    message: str


class WorkflowOut(BaseModel):
    round_id: str
    state: str
    pool_version: int | None = Field(description="The round's version before the first review")
    reviewed_version: int | None
    plan_id: str | None
    publicity_ends: dt.datetime | None = Field(
        description="When the publicity is over: 24:00 Beijing time of its last working day"
    )
    next_round_id: str | None
    updated_at: dt.datetime
    min_publicity_days: int | None = Field(
        default=None, description="The round's own minimum (working days); None: the service's"
    )
    publicity_started: dt.datetime | None = None
    publicity_days: int | None = Field(default=None, description="Working days of the period")
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    signatory: str | None = Field(default=None, description="落款 of the approval")
    decision: str | None = Field(default=None, description="The approver's decision in words")
    events: list[EventOut] = Field(default_factory=list)
    objections: list[ObjectionOut] = Field(default_factory=list)
    approval_gaps: list[GapOut] = Field(
        default_factory=list,
        description="While proposed or under publicity: what approval still needs now (e.g. "
        "the period running, unanswered objections); empty when it may be approved",
    )


class WorkflowList(BaseModel):
    items: list[WorkflowOut]


class CadreState(BaseModel):
    """Where one cadre of the pool stands in the selection."""

    cadre_id: str
    name: str
    unit: str
    stage: str = Field(description="pool, nominated, rejected, accepted, proposed, approved")
    nominated_by: str | None
    clearances: dict[str, str] = Field(description="department → status")
    missing: str = Field(description="Required clearances not given, in words")
    disqualifications: list[str] = Field(description="Conditions in words")
    post: str | None = Field(description="community/post type in the proposed or approved plan")


class CadreStates(BaseModel):
    round_id: str
    state: str
    items: list[CadreState]
