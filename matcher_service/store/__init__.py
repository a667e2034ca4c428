"""Persistence: SQLAlchemy 2 tables (:mod:`matcher_service.tables`) and the repository the service
and workers use.

:class:`Store` is one repository over one database, assembled from a part per concept: keys
(:mod:`matcher_service.store.keys`), rounds and their versions
(:mod:`matcher_service.store.rounds`), jobs (:mod:`matcher_service.store.jobs`) and how
workers run them under leases, writing their plans (:mod:`matcher_service.store.leases`), plans
(:mod:`matcher_service.store.plans`), the audit log (:mod:`matcher_service.store.audit`) the
selection workflow (:mod:`matcher_service.store.workflow`) and the posting archive
(:mod:`matcher_service.store.archive`) and column mapping templates
(:mod:`matcher_service.store.mappings`).
(:mod:`matcher_service.store.archive`); the selection's gated transitions
(:mod:`matcher_service.store.transitions`), approval in one transaction
(:mod:`matcher_service.store.approval`) and idempotency keys
(:mod:`matcher_service.store.idempotency`).
Rows leave the store as frozen records (:mod:`matcher_service.store.records`), never as ORM
objects.
"""

from __future__ import annotations

from matcher_service.store.approval import ApprovalStore
from matcher_service.store.archive import ArchiveStore
from matcher_service.store.audit import AuditStore
from matcher_service.store.auth_failures import AuthFailureStore
from matcher_service.store.erasure import ErasureStore, RoundBusy
from matcher_service.store.idempotency import IdempotencyStore
from matcher_service.store.jobs import JobStore
from matcher_service.store.keys import KeyStore
from matcher_service.store.leases import LeaseStore
from matcher_service.store.mappings import MappingStore
from matcher_service.store.objections import ObjectionStore
from matcher_service.store.plans import PlanStore
from matcher_service.store.records import (
    ACTIVE,
    TERMINAL,
    AuditEntry,
    Job,
    Key,
    LeaseLost,
    NotFound,
    Plan,
    QueueFull,
    RoundHead,
    RoundInfo,
    Stale,
    new_id,
    now,
)
from matcher_service.store.rounds import RoundStore
from matcher_service.store.transitions import TransitionStore
from matcher_service.store.workflow import WorkflowStore

__all__ = [
    "ACTIVE",
    "TERMINAL",
    "AuditEntry",
    "Job",
    "Key",
    "LeaseLost",
    "NotFound",
    "Plan",
    "QueueFull",
    "RoundBusy",
    "RoundHead",
    "RoundInfo",
    "Stale",
    "Store",
    "new_id",
    "now",
]


class Store(
    KeyStore,
    RoundStore,
    JobStore,
    LeaseStore,
    PlanStore,
    AuditStore,
    ArchiveStore,
    ErasureStore,
    AuthFailureStore,
    WorkflowStore,
    MappingStore,
    ObjectionStore,
    TransitionStore,
    ApprovalStore,
    IdempotencyStore,
):
    """Repository over one database. Safe to use from threads; each process makes its own."""
