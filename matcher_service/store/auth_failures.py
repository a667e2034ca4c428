"""Failed authentications counted per minute and source (see
:mod:`matcher_service.auth_failures`): one upserted row, never one row per attempt, at most a
bounded number of sources a minute, shared by every server process."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from matcher_service.rate_limits import OTHER
from matcher_service.store.database import Database
from matcher_service.store.records import utc
from matcher_service.tables import AuthFailureRow


def _like_prefix(text: str) -> str:
    """``text`` as a LIKE prefix (its own % and _ taken literally, escape character \\)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class AuthFailureStore(Database):
    """The ``auth_failures`` counters."""

    def count_auth_failure(self, minute: datetime, source: str, bound: int = 100) -> str:
        """Add one failure for ``source`` in ``minute``; a source new in a minute that has
        ``bound`` sources already is counted under "other". Returns the source counted."""
        make = sqlite_insert if self.local else pg_insert
        T = AuthFailureRow
        with self.writing() as s:
            has = s.scalar(select(T.count).where(T.minute == minute, T.source == source))
            if has is None:
                n = s.scalar(select(func.count()).select_from(T).where(T.minute == minute))
                source = OTHER if (n or 0) >= bound else source
            stmt = make(T).values(minute=minute, source=source, count=1)
            s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["minute", "source"], set_={"count": T.count + 1}
                )
            )
        return source

    def auth_failure_counts(
        self, since: datetime, source: str, client: str
    ) -> tuple[int, int, int]:
        """Failures since ``since`` (a minute) of ``source``, of every source of ``client``
        (``"<client> key …"``) and — when ``source`` has no row of its own then — of "other"."""
        T = AuthFailureRow
        recent = T.minute >= since
        total = func.coalesce(func.sum(T.count), 0)
        of_client = T.source.like(_like_prefix(f"{client} key "), escape="\\")
        with self.engine.connect() as conn:
            mine = conn.execute(select(total).where(recent, T.source == source)).scalar_one()
            theirs = conn.execute(select(total).where(recent, of_client)).scalar_one()
            other = 0
            if not mine:
                other = conn.execute(select(total).where(recent, T.source == OTHER)).scalar_one()
        return int(mine), int(theirs), int(other)

    def prune_auth_failures(self, before: datetime) -> None:
        """Delete the counts of minutes before ``before``."""
        with self.engine.begin() as conn:
            conn.execute(delete(AuthFailureRow).where(AuthFailureRow.minute < before))

    def list_auth_failures(self, limit: int = 100) -> list[tuple[datetime, str, int]]:
        """(minute, source, count), newest minutes first."""
        q = (
            select(AuthFailureRow.minute, AuthFailureRow.source, AuthFailureRow.count)
            .order_by(AuthFailureRow.minute.desc(), AuthFailureRow.count.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(utc(m) or m, s, int(c)) for m, s, c in conn.execute(q).all()]
