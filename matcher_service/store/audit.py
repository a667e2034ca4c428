"""The audit log in the store: who did what to which round.

A change's row is written in the change's own transaction (:func:`audit_in`), so a crash can
lose neither without the other; reads and refusals are written in batches (:meth:`add_audit`).
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from matcher_service.store.database import Database
from matcher_service.store.records import AuditEntry, columns, utc
from matcher_service.tables import AuditRow


def audit_in(s: Session, entry: AuditEntry | None) -> None:
    """Add ``entry`` (if any) to the transaction of session ``s``."""
    if entry is not None:
        s.execute(insert(AuditRow), [_row(entry)])


def _row(e: AuditEntry) -> dict[str, object]:
    return {k: v for k, v in e.__dict__.items() if k != "id"}


class AuditStore(Database):
    """Audit entries, newest first."""

    def add_audit(self, *entries: AuditEntry) -> None:
        """Write audit rows (one transaction, one multi-row INSERT for a batch)."""
        rows = [_row(e) for e in entries]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(AuditRow), rows)

    def list_audit(
        self,
        round_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        subject: str | None = None,
    ) -> list[AuditEntry]:
        """Rows newest first, of one round and/or about one person or community."""
        with self.session() as s:
            q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit).offset(offset)
            if round_id is not None:
                q = q.where(AuditRow.round_id == round_id)
            if subject is not None:
                q = q.where(AuditRow.subject == subject)
            return [AuditEntry(**columns(AuditEntry, r, at=utc(r.at))) for r in s.scalars(q).all()]
