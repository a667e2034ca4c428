"""Column mapping templates in the store: saved by name (a new save replaces the old body)."""

from __future__ import annotations

from sqlalchemy import select

from matcher_service.store.database import Database
from matcher_service.store.records import now
from matcher_service.tables import MappingTemplateRow


class MappingStore(Database):
    """Named column mappings (:mod:`matcher.model.io.mapping_file` JSON bodies)."""

    def save_mapping(self, name: str, body: str, who: str) -> None:
        """Store ``body`` under ``name``, replacing an earlier template of that name."""
        with self.writing() as s:
            row = s.get(MappingTemplateRow, name)
            if row is None:
                s.add(MappingTemplateRow(name=name, body=body, updated_by=who, updated_at=now()))
            else:
                row.body, row.updated_by, row.updated_at = body, who, now()

    def get_mapping(self, name: str) -> str | None:
        """The body of template ``name``, or None."""
        with self.session() as s:
            row = s.get(MappingTemplateRow, name)
            return None if row is None else row.body

    def list_mappings(self) -> list[str]:
        """Template names, sorted."""
        with self.session() as s:
            return list(
                s.scalars(select(MappingTemplateRow.name).order_by(MappingTemplateRow.name))
            )
