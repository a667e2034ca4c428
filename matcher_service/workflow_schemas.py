"""Request and response bodies of the selection workflow (kept apart from the store records)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from matcher.model.vetting import ClearanceStatus
from matcher_service.strict_bodies import StrictBody


class _In(StrictBody):
    """A workflow request body: numbers, dates and text taken only as written."""


Reason = Field(default="", max_length=2000, description="Why (kept in the workflow's log)")


class StepIn(_In):
    """A workflow step with its reason."""

    reason: str = Reason


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


class PublicityIn(_In):
    """Start the publicity period (公示) of the proposed plan."""

    days: int = Field(default=5, ge=0, le=60, description="Length of the period in days")
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


class EventOut(BaseModel):
    at: dt.datetime
    who: str
    role: str
    action: str
    subject: str
    reason: str


class WorkflowOut(BaseModel):
    round_id: str
    state: str
    pool_version: int | None = Field(description="The round's version before the first review")
    reviewed_version: int | None
    plan_id: str | None
    publicity_ends: dt.datetime | None
    next_round_id: str | None
    updated_at: dt.datetime
    events: list[EventOut] = Field(default_factory=list)
    objections: list[ObjectionOut] = Field(default_factory=list)


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
