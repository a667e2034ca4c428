"""Persistence: SQLAlchemy 2 tables (:mod:`api.tables`) and the repository the service and
workers use.

:class:`Store` is one repository over one database, assembled from a part per concept: keys
(:mod:`api.store.keys`), rounds and their versions (:mod:`api.store.rounds`), jobs and the plans
they write (:mod:`api.store.jobs`), plans (:mod:`api.store.plans`) and the audit log
(:mod:`api.store.audit`). Rows leave the store as frozen records (:mod:`api.store.records`),
never as ORM objects.
"""

from __future__ import annotations

from api.store.audit import AuditStore
from api.store.jobs import JobStore
from api.store.keys import KeyStore
from api.store.plans import PlanStore
from api.store.records import (
    ACTIVE,
    TERMINAL,
    AuditEntry,
    Job,
    Key,
    NotFound,
    Plan,
    QueueFull,
    RoundHead,
    RoundInfo,
    new_id,
    now,
)
from api.store.rounds import RoundStore

__all__ = [
    "ACTIVE",
    "TERMINAL",
    "AuditEntry",
    "Job",
    "Key",
    "NotFound",
    "Plan",
    "QueueFull",
    "RoundHead",
    "RoundInfo",
    "Store",
    "new_id",
    "now",
]


class Store(KeyStore, RoundStore, JobStore, PlanStore, AuditStore):
    """Repository over one database. Safe to use from threads; each process makes its own."""
