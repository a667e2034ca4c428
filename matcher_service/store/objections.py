"""Objections received during publicity (群众反映) and their answers, in the store: recorded
and answered only while the round is under publicity, each with its event in the same
transaction; approval waits until every one is answered (:mod:`.approval`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from matcher_service.store.database import Database
from matcher_service.store.records import NotFound, columns, now, utc
from matcher_service.store.workflow import Actor, Duplicate, event, in_state
from matcher_service.tables import ObjectionRow


@dataclass(frozen=True)
class Objection:
    id: int
    round_id: str
    cadre_id: str | None
    text: str
    recorded_by: str
    recorded_at: datetime
    resolution: str
    resolved_by: str
    resolved_at: datetime | None = None


def _objection(row: ObjectionRow) -> Objection:
    return Objection(
        **columns(
            Objection, row, recorded_at=utc(row.recorded_at), resolved_at=utc(row.resolved_at)
        )
    )


class ObjectionStore(Database):
    """Objections and their answers."""

    def add_objection(
        self,
        round_id: str,
        cadre_id: str | None,
        text: str,
        actor: Actor,
        at: datetime | None = None,
    ) -> Objection:
        t = at or now()
        with self.writing() as s:
            in_state(s, round_id, ("publicity",))
            row = ObjectionRow(
                round_id=round_id,
                cadre_id=cadre_id,
                text=text,
                recorded_by=actor.who,
                recorded_at=t,
                resolution="",
                resolved_by="",
            )
            s.add(row)
            s.flush()
            event(s, round_id, actor, "objection", f"objection {row.id}", text, t)
            return _objection(row)

    def resolve_objection(
        self, round_id: str, objection_id: int, text: str, actor: Actor, at: datetime | None = None
    ) -> None:
        """Record the answer to an objection (once: an answered one is :class:`Duplicate`)."""
        t = at or now()
        with self.writing() as s:
            in_state(s, round_id, ("publicity",))
            row = s.get(ObjectionRow, objection_id)
            if row is None or row.round_id != round_id:
                raise NotFound(str(objection_id))
            if row.resolution:
                raise Duplicate(str(objection_id))
            row.resolution, row.resolved_by, row.resolved_at = text, actor.who, t
            event(s, round_id, actor, "resolve", f"objection {objection_id}", text, t)

    def list_objections(self, round_id: str) -> list[Objection]:
        with self.session() as s:
            q = select(ObjectionRow).where(ObjectionRow.round_id == round_id)
            return [_objection(r) for r in s.scalars(q.order_by(ObjectionRow.id))]
