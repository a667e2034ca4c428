"""Nominations of a unit's sheet in one transaction: all rows, or none.

:meth:`matcher_service.store.workflow.WorkflowStore.nominate` records one person; a sheet of
several must not stop half-way when a later row turns out taken, so every row is checked and
written in the same write transaction (the workflow row locked, as ``nominate`` does), each by
:func:`~matcher_service.store.workflow.add_nomination` as ``nominate`` adds one.
"""

from __future__ import annotations

from sqlalchemy import select

from matcher_service.store.records import now
from matcher_service.store.workflow import (
    Actor,
    Duplicate,
    WorkflowStore,
    add_nomination,
    in_state,
)
from matcher_service.tables import NominationRow


def nominate_all(
    store: WorkflowStore, round_id: str, people: list[tuple[str, str, str]], actor: Actor
) -> None:
    """Nominate (cadre id, unit, reason) each, while nominations are open; raises
    :class:`WrongState` when they are not and :class:`Duplicate` naming the cadre ids
    already nominated (then nothing is written)."""
    with store.writing() as s:
        in_state(s, round_id, ("nominating",))
        ids = [cid for cid, _, _ in people]
        q = select(NominationRow.cadre_id).where(
            NominationRow.round_id == round_id, NominationRow.cadre_id.in_(ids)
        )
        taken = sorted(s.scalars(q))
        if taken:
            raise Duplicate(", ".join(taken))
        at = now()
        for cadre_id, unit, why in people:
            add_nomination(s, round_id, cadre_id, unit, actor, why, at)
