"""Failed authentications counted per minute and source (see
:mod:`matcher_service.auth_failures`): one upserted row, never one row per attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from matcher_service.store.database import Database
from matcher_service.store.records import utc
from matcher_service.tables import AuthFailureRow


class AuthFailureStore(Database):
    """The ``auth_failures`` counters."""

    def count_auth_failure(self, minute: datetime, source: str) -> None:
        """Add one failure for ``source`` in ``minute``."""
        make = sqlite_insert if self.local else pg_insert
        stmt = make(AuthFailureRow).values(minute=minute, source=source, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["minute", "source"], set_={"count": AuthFailureRow.count + 1}
        )
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def list_auth_failures(self, limit: int = 100) -> list[tuple[datetime, str, int]]:
        """(minute, source, count), newest minutes first."""
        q = (
            select(AuthFailureRow.minute, AuthFailureRow.source, AuthFailureRow.count)
            .order_by(AuthFailureRow.minute.desc(), AuthFailureRow.count.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(utc(m) or m, s, int(c)) for m, s, c in conn.execute(q).all()]
