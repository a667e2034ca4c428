"""Idempotency keys: a change made with an ``Idempotency-Key`` header records its outcome in
its own transaction, so a retry with the same key (after a lost answer, a crash, a timeout)
gets that outcome instead of doing the change twice. Keys are per API key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from matcher_service.store.database import Database
from matcher_service.tables import IdempotencyRow


@dataclass(frozen=True)
class Idem:
    """The caller's key for one change: which API key, the header's value, what and on what."""

    key_id: str
    key: str
    action: str
    target: str


class Replayed(Exception):
    """The change was made already under this key: ``outcome`` is what it recorded."""

    def __init__(self, outcome: dict[str, Any]) -> None:
        super().__init__("replayed")
        self.outcome = outcome


class KeyReused(Exception):
    """The key was used for another change (``action`` on ``target``)."""

    def __init__(self, action: str, target: str) -> None:
        super().__init__(f"{action} {target}")
        self.action, self.target = action, target


def replay(s: Session, idem: Idem | None) -> None:
    """In session ``s``: :class:`Replayed` when ``idem`` was used for this change already,
    :class:`KeyReused` when for another one; nothing when it is new (or None)."""
    if idem is None:
        return
    row = s.get(IdempotencyRow, (idem.key_id, idem.key))
    if row is None:
        return
    if (row.action, row.target) != (idem.action, idem.target):
        raise KeyReused(row.action, row.target)
    raise Replayed(json.loads(row.outcome))


def remember(
    s: Session, idem: Idem | None, outcome: dict[str, Any], round_id: str | None, at: datetime
) -> None:
    """Record the change's outcome under ``idem`` in session ``s`` (its own transaction)."""
    if idem is None:
        return
    s.add(
        IdempotencyRow(
            key_id=idem.key_id,
            key=idem.key,
            action=idem.action,
            target=idem.target,
            outcome=json.dumps(outcome, ensure_ascii=False),
            round_id=round_id,
            created_at=at,
        )
    )


class IdempotencyStore(Database):
    """Looking up a key before doing the work (the change checks again in its transaction)."""

    def replayed(self, idem: Idem) -> dict[str, Any] | None:
        """The outcome recorded under ``idem``, None when it is new; :class:`KeyReused`."""
        with self.session() as s:
            try:
                replay(s, idem)
            except Replayed as done:
                return done.outcome
        return None
