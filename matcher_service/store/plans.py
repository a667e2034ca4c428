"""Plans in the store: read-only here (a plan is written by :meth:`JobStore.finish_job`)."""

from __future__ import annotations

from sqlalchemy import select

from matcher_service.store.database import Database
from matcher_service.store.records import NotFound, Plan, columns, now, utc
from matcher_service.tables import PlanRow


def _plan(row: PlanRow) -> Plan:
    return Plan(**columns(Plan, row, created_at=utc(row.created_at) or now()))


class PlanStore(Database):
    """Plans, by id or by round."""

    def get_plan(self, plan_id: str) -> Plan:
        with self.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None:
                raise NotFound(plan_id)
            return _plan(row)

    def list_plans(self, round_id: str) -> list[Plan]:
        with self.session() as s:
            q = (
                select(PlanRow)
                .where(PlanRow.round_id == round_id)
                .order_by(PlanRow.created_at, PlanRow.id)
            )
            return [_plan(r) for r in s.scalars(q).all()]
