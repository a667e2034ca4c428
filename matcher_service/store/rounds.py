"""Rounds in the store: every version is kept (an update adds one; nothing is overwritten)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

import anyio.to_thread
from sqlalchemy import bindparam, select

from matcher_service.store.audit import audit_in
from matcher_service.store.database import Database
from matcher_service.store.records import (
    AuditEntry,
    NotFound,
    RoundHead,
    RoundInfo,
    Stale,
    new_id,
    now,
    utc,
)
from matcher_service.tables import RoundRow, RoundVersionRow

# Hot reads, built once: building a select costs more than SQLite takes to answer it.
_ROUND_HEAD = select(
    RoundRow.name, RoundRow.version, RoundRow.created_at, RoundRow.updated_at, RoundRow.created_by
).where(RoundRow.id == bindparam("rid"))
_EXISTS = select(RoundRow.id).where(RoundRow.id == bindparam("rid"))
_VERSION_EXISTS = select(RoundVersionRow.version).where(
    RoundVersionRow.round_id == bindparam("rid"), RoundVersionRow.version == bindparam("v")
)


class RoundStore(Database):
    """Rounds and their versions."""

    def create_round(
        self,
        name: str,
        body: str,
        counts: tuple[int, int],
        who: str,
        audit: AuditEntry | None = None,
        made_from: str | None = None,
    ) -> RoundInfo:
        """Store version 1 of a new round (and its audit row, in the same transaction);
        ``made_from`` names the round it was derived from (erased with it)."""
        rid, t = new_id("r"), now()
        with self.session() as s:
            s.add(
                RoundRow(
                    id=rid,
                    name=name,
                    version=1,
                    created_at=t,
                    updated_at=t,
                    created_by=who,
                    made_from=made_from,
                )
            )
            s.flush()
            s.add(_version(rid, 1, body, counts, t, who))
            audit_in(s, audit and replace(audit, round_id=rid, version=1))
        return RoundInfo(rid, name, 1, *counts, t, t, who, body)

    def update_round(
        self,
        round_id: str,
        name: str,
        body: str,
        counts: tuple[int, int],
        who: str,
        expected: Collection[int] | None = None,
        audit: AuditEntry | None = None,
    ) -> RoundInfo:
        """Add the next version; :class:`Stale` when ``expected`` (the versions an If-Match
        named) does not hold the current one. Writers are serialised (row lock on
        PostgreSQL, BEGIN IMMEDIATE on SQLite), so no two get the same version number."""
        t = now()
        with self.writing() as s:
            row = s.get(RoundRow, round_id, with_for_update=True)
            if row is None:
                raise NotFound(round_id)
            if expected is not None and row.version not in expected:
                raise Stale(row.version)
            audit_in(s, audit and replace(audit, version=row.version + 1))
            row.version += 1
            row.name, row.updated_at = name, t
            s.add(_version(round_id, row.version, body, counts, t, who))
            created = utc(row.created_at) or t
            return RoundInfo(round_id, name, row.version, *counts, created, t, row.created_by, body)

    def get_round(self, round_id: str, version: int | None = None) -> RoundInfo:
        with self.session() as s:
            row = s.get(RoundRow, round_id)
            if row is None:
                raise NotFound(round_id)
            ver = s.get(RoundVersionRow, (round_id, version or row.version))
            if ver is None:
                raise NotFound(f"{round_id} v{version}")
            return _info(row, ver, ver.body)

    def round_exists(self, round_id: str) -> None:
        """:class:`NotFound` unless the round is stored (one keyed read: a body cached in
        memory is served only while its round exists, so an erasure in another process
        shows at once)."""
        with self.engine.connect() as conn:
            if conn.execute(_EXISTS, {"rid": round_id}).first() is None:
                raise NotFound(round_id)

    def round_head(self, round_id: str, version: int | None = None) -> RoundHead:
        """A round's row and the version asked for (default: current), without reading the
        version's body — whose overflow pages SQLite would walk to reach any later column."""
        with self.engine.connect() as conn:
            row = conn.execute(_ROUND_HEAD, {"rid": round_id}).first()
            if row is None:
                raise NotFound(round_id)
            name, current, created, updated, who = row
            asked = {"rid": round_id, "v": version}
            missing = version not in (None, current)
            if missing and conn.execute(_VERSION_EXISTS, asked).first() is None:
                raise NotFound(f"{round_id} v{version}")
        return RoundHead(
            round_id, name, version or current, utc(created) or now(), utc(updated) or now(), who
        )

    async def head_now(self, round_id: str, version: int | None = None) -> RoundHead:
        """:meth:`round_head` from a coroutine, as of a moment after the call: inline for a
        local SQLite file (cheaper than a thread hop); on PostgreSQL one batched query on the
        event loop (:mod:`matcher_service.store.round_heads`), the pool in a thread when that
        path fails or an older version is asked for."""
        if self.local:
            return self.round_head(round_id, version)
        heads = self.heads
        if heads is not None and heads.enabled:
            try:
                row = await heads.read(round_id)
            except Exception:  # connection lost or refused: the pool's read decides
                pass
            else:
                if row is None:
                    raise NotFound(round_id)
                if version in (None, row[2]):
                    _, name, current, created, updated, who = row
                    return RoundHead(
                        round_id, name, current, utc(created) or now(), utc(updated) or now(), who
                    )
        return await anyio.to_thread.run_sync(self.round_head, round_id, version)

    async def exists_now(self, round_id: str) -> None:
        """:class:`NotFound` unless the round is stored, from a coroutine (as
        :meth:`head_now`)."""
        if self.local:
            self.round_exists(round_id)
            return
        await self.head_now(round_id)

    def list_rounds(self, limit: int = 100, offset: int = 0) -> list[RoundInfo]:
        with self.session() as s:
            q = (
                select(RoundRow, RoundVersionRow)
                .join(
                    RoundVersionRow,
                    (RoundVersionRow.round_id == RoundRow.id)
                    & (RoundVersionRow.version == RoundRow.version),
                )
                .order_by(RoundRow.created_at.desc(), RoundRow.id)
                .limit(limit)
                .offset(offset)
            )
            return [_info(r, v, "") for r, v in s.execute(q).all()]


def _info(row: RoundRow, ver: RoundVersionRow, body: str) -> RoundInfo:
    """A round's record from its row and one version's row (``body`` given or left empty)."""
    return RoundInfo(
        row.id,
        row.name,
        ver.version,
        ver.communities,
        ver.cadres,
        utc(row.created_at) or now(),
        utc(row.updated_at) or now(),
        row.created_by,
        body,
    )


def _version(
    rid: str, version: int, body: str, counts: tuple[int, int], t: datetime, who: str
) -> RoundVersionRow:
    return RoundVersionRow(
        round_id=rid,
        version=version,
        body=body,
        communities=counts[0],
        cadres=counts[1],
        created_at=t,
        created_by=who,
    )
