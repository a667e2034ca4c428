"""Terms of service: a posting's start, length and outcome, and the next round from a plan.

Full-time first secretaries serve fixed terms (Jinzhou: two years), reserve cadres one year
(Huangshi); the round states the default length per post type (``rules.terms``). A posting
ends completed, recalled, promoted, replaced as unsuitable (人岗不适), withdrawn, or moved to
another post by an adjustment; while it runs it is serving.

:func:`next_round` starts a rotation from an approved plan: sitting cadres become current
posts, those whose term ends before a chosen date are released (no current post, so placing
them anywhere costs nothing extra), and the rest stay unless moving them is worth the round's
``change`` weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from matcher.engine.result import Result
from matcher.model.round import CurrentPost, PostType, Round


class Outcome(StrEnum):
    """How a posting ended (or that it is still running)."""

    SERVING = "serving"
    COMPLETED = "completed"
    RECALLED = "recalled"
    PROMOTED = "promoted"
    UNSUITABLE = "unsuitable"
    WITHDRAWN = "withdrawn"
    MOVED = "moved"

    @property
    def zh(self) -> str:
        """The word an organisation department writes."""
        return _ZH[self]


_ZH = {
    Outcome.SERVING: "在岗",
    Outcome.COMPLETED: "任期届满",
    Outcome.RECALLED: "召回",
    Outcome.PROMOTED: "提拔",
    Outcome.UNSUITABLE: "人岗不适调整",
    Outcome.WITHDRAWN: "退出",
    Outcome.MOVED: "调整岗位",
}


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months (the 31st becomes the month's last day)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


@dataclass(frozen=True, slots=True)
class Posting:
    """One cadre in one post for one term."""

    cadre_id: str
    community_id: str
    post_type: str
    start: date
    term_months: int
    outcome: Outcome = Outcome.SERVING
    reason: str = ""
    ended: date | None = None

    @property
    def term_end(self) -> date:
        """The day the term runs out (start + term length)."""
        return add_months(self.start, self.term_months)


def term_months(rnd: Round, post_type: str) -> int:
    """The round's default term length for a post type."""
    t = rnd.rules.terms
    return t.full_time_months if post_type == "full-time" else t.part_time_months


def postings_from_plan(rnd: Round, result: Result, start: date) -> list[Posting]:
    """One serving posting per filled post of an approved plan, starting on ``start``."""
    return [
        Posting(a.cadre_id, a.community_id, a.post_type, start, term_months(rnd, a.post_type))
        for a in result.assignments
        if a.cadre_id is not None
    ]


KEEP_REASON = "任期未满，留任 / term continues"


def _keeps(rnd: Round, held: list[Posting]) -> list[dict[str, str]]:
    """A lock per cadre whose term continues: a rotation moves only the released (a hard
    keep, not the ``change`` weight, which may be 0 or too small to outweigh distance)."""
    live = {c.id for c in rnd.communities}
    locked = {lk.cadre for lk in rnd.rules.locks}
    return [
        {"cadre": p.cadre_id, "community": p.community_id, "post_type": p.post_type,
         "reason": KEEP_REASON}
        for p in held
        if p.community_id in live and p.cadre_id not in locked
    ]  # fmt: skip


def next_round(
    rnd: Round,
    postings: list[Posting],
    release_before: date,
    *,
    name: str | None = None,
    not_back: dict[str, list[str]] | None = None,
    continuity: dict[str, list[str]] | None = None,
) -> Round:
    """The rotation round after a plan: serving postings become current posts, and their
    cadres are locked to them (:data:`KEEP_REASON`), except those whose term ends before
    ``release_before`` (released). ``not_back`` maps a cadre to the
    communities it must not return to (a hard rule: forbidden pairs, e.g. served there in
    the last N years); ``continuity`` to communities it knows, which go to the front of its
    ranked preferences (a soft pull, priced by the round's ``preference_step``)."""
    held = {
        p.cadre_id: p
        for p in postings
        if p.outcome is Outcome.SERVING and p.term_end >= release_before
    }
    cadres = []
    for c in rnd.cadres:
        p = held.get(c.id)
        cur = (
            None
            if p is None
            else CurrentPost(community=p.community_id, post_type=PostType(p.post_type))
        )
        update: dict[str, object] = {"current_post": cur}
        known = [
            k for k in (continuity or {}).get(c.id, []) if k in {m.id for m in rnd.communities}
        ]
        if known and p is None:
            update["preferences"] = list(dict.fromkeys([*known, *c.preferences]))
        cadres.append(c.model_copy(update=update))
    rules = rnd.rules
    keep = _keeps(
        rnd, [p for p in postings if p.outcome is Outcome.SERVING and p.term_end >= release_before]
    )
    if keep:
        dumped = rules.model_dump(mode="json")
        dumped["locks"] += keep
        rules = type(rules).model_validate(dumped)
    if not_back:
        live = {c.id for c in rnd.communities}
        extra = [
            {"cadre": cid, "community": com, "reason": "近年已在该社区任职 / served here recently"}
            for cid, coms in sorted(not_back.items())
            for com in coms
            if com in live and cid not in held
        ]
        dumped = rules.model_dump(mode="json")
        dumped["forbidden_pairs"] += extra
        rules = type(rules).model_validate(dumped)
    return rnd.model_copy(
        update={"cadres": cadres, "rules": rules, "name": name or f"{rnd.name} (rotation)"}
    )
