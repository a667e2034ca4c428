"""Request and response bodies of the HTTP API — kept apart from the engine's model and from
the database rows. Round bodies embed :class:`matcher.model.round.Round`, the published contract."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import datetime
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, Field

from matcher.model.round import Round
from matcher_service.strict_bodies import StrictBody

JobState = Literal[
    "queued", "running", "succeeded", "failed", "cancelled", "timed_out", "interrupted"
]
ExportFormat = Literal["json", "geojson", "csv", "xlsx", "pdf"]


class Out(BaseModel):
    """A response body: exactly the fields declared (an unexpected field is a server bug).

    ``class KpisOut(Out, mirror=Kpis)`` takes the fields of one of the engine's report
    dataclasses (names, types, order; all required), so the two cannot drift apart; fields
    annotated in the class body give a narrower API type in place (a ``Literal``, a nested
    response model) or add fields after the mirrored ones.
    """

    model_config = ConfigDict(extra="forbid")

    def __init_subclass__(cls, mirror: type[Any] | None = None, **kwargs: Any) -> None:
        if mirror is not None:
            own = inspect.get_annotations(cls)
            hints = get_type_hints(mirror)
            fields = {f.name: own.get(f.name, hints[f.name]) for f in dataclasses.fields(mirror)}
            fields.update((f, kind) for f, kind in own.items() if f not in fields)
            cls.__annotations__ = fields
        super().__init_subclass__(**kwargs)


class RoundSummary(Out):
    """A stored round without its body."""

    id: str
    name: str
    version: int = Field(description="Every update adds a version; older ones are kept")
    communities: int
    cadres: int
    created_at: datetime
    updated_at: datetime
    created_by: str = Field(description="Name of the API key that created the round")


class RoundOut(RoundSummary):
    """A stored round with its validated body."""

    round: Round


class RoundList(Out):
    items: list[RoundSummary]
    limit: int
    offset: int


class ValidationOut(Out):
    """The round is valid (invalid input gets 422 problem+json listing every problem)."""

    valid: bool
    name: str
    communities: int
    cadres: int


class UploadCheckOut(Out):
    """An uploaded workbook reads (with ``?mark=xlsx`` the workbook comes back marked
    instead); invalid input gets 422 problem+json listing every problem."""

    valid: bool
    name: str
    communities: int
    cadres: int
    lang: str
    warnings: list[dict[str, Any]]


class JobProgress(Out):
    phase: str
    fraction: float = Field(ge=0, le=1)
    message: str
    objective: int | None
    bound: float | None


class JobOut(Out):
    """A solve or replacement job: state, progress, and the plan once there is one."""

    id: str
    kind: Literal["solve", "replace"] = Field(
        default="solve",
        description="solve: POST /rounds/{id}/solve; replace: POST /plans/{id}/replace (its "
        "plan_id is the replacement plan, its report at GET /plans/{plan_id}/replacement)",
    )
    source_plan_id: str | None = Field(
        default=None, description="The plan a replacement job replaces"
    )
    round_id: str
    round_version: int
    state: JobState
    progress: JobProgress
    cancel_requested: bool
    time_limit_s: float
    error: str | None
    plan_id: str | None
    rerun_of: str | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobList(Out):
    items: list[JobOut]


class AssignmentOut(Out):
    community: str
    post_type: str
    slot: int
    cadre: str | None
    distance_m: int | None
    cost: int
    terms: dict[str, int]
    reason: str
    locked: bool


class ConflictOut(Out):
    rules: list[str]
    message: str
    needed: int
    available: int
    shortfall: int
    communities: list[str]
    relaxation: str


class ResultOut(Out):
    """The engine's result (see ``matcher.engine.result.Result.to_dict``)."""

    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    objective: int | None
    bound: float | None
    gap: float | None
    terms: dict[str, int]
    method: str
    seed: int
    assignments: list[AssignmentOut]
    conflicts: list[ConflictOut]
    unplaced_cadres: list[str]
    notes: list[str]
    time_s: float


class PlanSummary(Out):
    id: str
    round_id: str
    round_version: int
    job_id: str
    status: str
    objective: int | None
    created_at: datetime


class PlanOut(PlanSummary):
    result: ResultOut


class PlanList(Out):
    items: list[PlanSummary]


class Explanation(Out):
    """Why a post went the way it did: the assignment's cost split into objective terms."""

    plan_id: str
    community: str
    post_type: str
    slot: int
    cadre: str | None
    vacant: bool
    distance_m: int | None
    cost: int
    terms: dict[str, int]
    reason: str
    locked: bool


class LockIn(StrictBody):
    """Fix a cadre to a community (and optionally a post type) in the next solves."""

    cadre: str = Field(min_length=1, max_length=64)
    community: str = Field(min_length=1, max_length=64)
    post_type: Literal["full-time", "part-time"] | None = None
    reason: str = Field(default="", max_length=500)


class LockRemove(StrictBody):
    """Which cadre's lock to remove."""

    cadre: str = Field(min_length=1, max_length=64)


class LockOut(Out):
    cadre: str
    community: str
    post_type: str | None
    reason: str


class LocksOut(Out):
    round_id: str
    version: int
    locks: list[LockOut]


class AuditOut(Out):
    id: int
    at: datetime
    who: str
    role: str | None
    action: str
    method: str
    path: str
    round_id: str | None
    status: int
    key_id: str | None = None
    job_id: str | None = None
    plan_id: str | None = None
    version: int | None = None
    subject: str | None = Field(
        default=None, description="Whose data was read: 'cadre <id>' or 'community <id>'"
    )
    reason: str | None = Field(
        default=None, description="The reason given with the action (blanked on erasure)"
    )


class AuthFailureOut(Out):
    """Failed authentications of one source in one minute."""

    minute: datetime
    source: str
    count: int


class AuthFailureList(Out):
    items: list[AuthFailureOut]
    limit: int


class AuditList(Out):
    items: list[AuditOut]
    limit: int
    offset: int


class Health(Out):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]
    workers: dict[str, int] = Field(
        description="This server's worker processes: configured, alive, busy (running a job)"
    )
    queue: dict[str, int] = Field(
        default_factory=dict,
        description="Jobs queued and running in the whole database (every server process)",
    )


class Version(Out):
    version: str
    api: str
    round_format_version: int


class Problem(BaseModel):
    """RFC 9457 problem details; ``errors`` lists input problems with their field paths."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None
