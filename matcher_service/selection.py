"""The selection steps that change a round: the reviewed round and the next round.

Review turns the round's pool into the list that goes to the solver: the nominated cadres the
organisation department accepted, each carrying the departments' clearances as recorded in the
service (they replace whatever the roster brought). Approval freezes the proposed plan and
starts the next round from it with the lifecycle's :func:`matcher.lifecycle.terms.next_round`:
the same communities and rules, every placed cadre with the post it now holds
(``current_post``), so the next re-plan moves as few people as it can.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from matcher.lifecycle.terms import Posting, term_months
from matcher.lifecycle.terms import next_round as rotation
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round
from matcher_service.store.workflow import ClearanceRecord, Nomination


def reviewed_round(
    rnd: Round, nominations: Iterable[Nomination], clearances: Iterable[ClearanceRecord]
) -> Round:
    """The round with only accepted nominees as cadres, each with its recorded clearances."""
    keep = {n.cadre_id for n in nominations if n.decision != "rejected"}
    given: dict[str, list[dict[str, Any]]] = {}
    for c in clearances:
        item = {"department": c.department, "status": c.status, "note": c.note}
        given.setdefault(c.cadre_id, []).append(item | ({"date": c.date} if c.date else {}))
    raw = rnd.model_dump(mode="json")
    cadres = []
    for cad in raw["cadres"]:
        if cad["id"] in keep:
            recorded = given.get(cad["id"], [])
            depts = {c["department"] for c in recorded}
            own = [c for c in cad.get("clearances", []) if c["department"] not in depts]
            cadres.append(cad | {"clearances": own + recorded})
    raw["cadres"] = cadres
    return validate_round(raw, Origin("reviewed round"))


def next_round(rnd: Round, plan_result: str, approved_on: date) -> Round:
    """The round that follows an approved plan (:func:`matcher.lifecycle.terms.next_round`):
    every placed cadre holds its post from ``approved_on`` for the round's term length."""
    result = json.loads(plan_result)
    postings = [
        Posting(
            a["cadre"],
            a["community"],
            a["post_type"],
            approved_on,
            term_months(rnd, a["post_type"]),
        )
        for a in result.get("assignments", [])
        if a.get("cadre")
    ]
    nxt = rotation(rnd, postings, approved_on, name=f"{rnd.name}（下一轮）"[:200])
    return validate_round(nxt.model_dump(mode="json"), Origin("approved plan"))


__all__ = ["next_round", "reviewed_round"]
