"""API keys in the store: added, listed, revoked (never deleted, so the audit log keeps sense)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from matcher_service.store.database import Database, changed
from matcher_service.store.records import Key, columns, now
from matcher_service.tables import KeyRow


class KeyStore(Database):
    """API keys (salted hashes only; see :mod:`matcher_service.auth`)."""

    def add_key(self, key: Key) -> None:
        with self.session() as s:
            s.add(KeyRow(**key.__dict__))

    def get_key(self, key_id: str) -> Key | None:
        with self.session() as s:
            row = s.get(KeyRow, key_id)
            return None if row is None else Key(**columns(Key, row))

    def list_keys(self) -> list[Key]:
        with self.session() as s:
            rows = s.scalars(select(KeyRow).order_by(KeyRow.created_at)).all()
            return [Key(**columns(Key, r)) for r in rows]

    def touch_key(self, key_id: str, when: datetime) -> None:
        """Record the key's last use."""
        with self.session() as s:
            s.execute(update(KeyRow).where(KeyRow.id == key_id).values(last_used_at=when))

    def rehash_key(self, key_id: str, old: str, new: str, salt: str) -> None:
        """Replace a key's stored hash ``old`` by ``new`` under ``salt`` (the cheap scheme; see
        :mod:`matcher_service.auth`); nothing happens if another process did it first."""
        with self.session() as s:
            q = update(KeyRow).where(KeyRow.id == key_id, KeyRow.hash == old)
            s.execute(q.values(hash=new, salt=salt))

    def revoke_key(self, key_id: str) -> bool:
        with self.session() as s:
            res = s.execute(
                update(KeyRow)
                .where(KeyRow.id == key_id, KeyRow.revoked_at.is_(None))
                .values(revoked_at=now())
            )
            return changed(res)
