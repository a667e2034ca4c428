"""Replacement jobs: what ``POST /plans/{id}/replace`` queues, and what a worker does with it.

The request checks the events against the plan and queues an :class:`Order` (the events as
written, who asks, the round's name, the publicity rules and clock reading of the request,
the ``Idempotency-Key``). A worker process decides the replacement
(:func:`geodata.replacement.replace_plan`, reusing the approved plan's prepared network from
its :class:`~geodata.replacement.PlanCache`) and stores round, plan, report, the workflow's
publicity and the job's final state in one transaction
(:meth:`~matcher_service.store.archive.ArchiveStore.add_replacement`), exactly as the request
thread did before: a retry with the same key after a crash stores it once.

A replacement that finds no plan, or events the round cannot take, ends ``failed``; its error
starts with the problem kind (``no-plan:``, ``invalid:``) so a waiting request answers the
same 409/422 it always did.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from geodata.replacement import PreparedPlan
from matcher.engine.progress import Progress
from matcher.lifecycle.events import Events
from matcher.model.io.json_round import round_json
from matcher.model.problems import InvalidInput
from matcher.model.round import Round
from matcher_service.clock import no_pause
from matcher_service.results import result_from_dict
from matcher_service.store import Job, LeaseLost, Plan, Store
from matcher_service.store.archive import ReplacementPublicity
from matcher_service.store.idempotency import Idem, KeyReused, Replayed
from matcher_service.store.workflow import Actor

log = logging.getLogger(__name__)
NO_PLAN = "no-plan: "
INVALID = "invalid: "
KEY_REUSED = "key-reused: "


class Watch(Protocol):
    """The job's progress sink and lease (:class:`matcher_service.job_run._Watch`)."""

    token: str

    def progress(self, p: Progress) -> None: ...


@dataclass(frozen=True)
class Order:
    """A queued replacement: everything the request knew that the worker needs."""

    events: str
    who: str
    round_name: str
    publicity: ReplacementPublicity | None
    idem: Idem | None

    def to_json(self) -> str:
        pub = self.publicity
        return json.dumps(
            {
                "events": self.events,
                "who": self.who,
                "round_name": self.round_name,
                "publicity": None
                if pub is None
                else {
                    "who": pub.actor.who,
                    "role": pub.actor.role,
                    "at": pub.at.isoformat(),
                    "floor": pub.floor,
                    "holidays": sorted(d.isoformat() for d in pub.holidays),
                },
                "idem": None if self.idem is None else self.idem.__dict__,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Order:
        raw: dict[str, Any] = json.loads(text)
        pub = raw["publicity"]
        return cls(
            raw["events"],
            raw["who"],
            raw["round_name"],
            None
            if pub is None
            else ReplacementPublicity(
                Actor(pub["who"], pub["role"]),
                datetime.fromisoformat(pub["at"]),
                int(pub["floor"]),
                frozenset(date.fromisoformat(d) for d in pub["holidays"]),
            ),
            None if raw["idem"] is None else Idem(**raw["idem"]),
        )

    def same_key(self, idem: Idem | None) -> bool:
        """True when ``idem`` is this order's key (a retry of the same request)."""
        return idem is not None and self.idem == idem


class PlanCache:
    """One worker's approved plans, ready to replace: the parsed round and plan and the
    engine's prepared plan (:class:`geodata.replacement.PreparedPlan`: the plan's network and
    potentials), keyed by plan id and round version (a plan never changes; a new version is
    a new key). The ``size`` most recently used are kept (a province plan prepared holds
    its problem and network: hundreds of MB)."""

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int], PreparedPlan] = OrderedDict()

    def get(self, store: Store, plan: Plan) -> PreparedPlan:
        """The prepared plan, built on first use."""
        key = (plan.id, plan.round_version)
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        info = store.get_round(plan.round_id, plan.round_version)
        rnd = Round.model_validate_json(info.body)  # validated in full when it was stored
        made = PreparedPlan(rnd, result_from_dict(json.loads(plan.result)))
        self._items[key] = made
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return made


def replace_and_finish(
    store: Store,
    job: Job,
    watch: Watch,
    plans: PlanCache,
    checkpoint: Callable[[str], None] = no_pause,
) -> str:
    """Run replacement ``job`` and write its final state; that state. A failure is an answer
    (``failed`` with its reason); :class:`~matcher_service.store.LeaseLost` propagates."""
    try:
        state, plan_id, error = _run(store, job, watch, plans, checkpoint)
    except LeaseLost:
        raise
    except Exception as exc:  # a failed job is an answer; the worker lives on
        log.error("job %s failed: %s", job.id, type(exc).__name__)  # no ids in the log
        state, plan_id, error = "failed", None, f"{type(exc).__name__}: {exc}"[:2000]
    if not (state == "succeeded" and plan_id is None):
        store.finish_job(job.id, watch.token, state, None, error, plan_id=plan_id)
    return state


def _run(
    store: Store,
    job: Job,
    watch: Watch,
    plans: PlanCache,
    checkpoint: Callable[[str], None],
) -> tuple[str, str | None, str | None]:
    """(final state, plan id to write, error); ("succeeded", None, None) when the replacement
    and the job's state were written together already."""
    order = Order.from_json(job.payload or "{}")
    assert job.source_plan_id is not None  # a replacement job always names its plan
    source = store.get_plan(job.source_plan_id)
    watch.progress(Progress("preparing", 0.1, "准备原方案 / preparing the approved plan"))
    prepared = plans.get(store, source)
    watch.progress(Progress("replacing", 0.3, "计算调整方案 / deciding the replacement"))
    try:
        # the levels MIP stops within the job's limit (and says how far it got) before the
        # supervisor would kill the worker for overrunning it
        own = prepared.round.settings
        limit = min(own.time_limit_s, 0.9 * job.time_limit_s)
        settings = own.model_copy(update={"time_limit_s": limit})
        rep = prepared.replace(Events.model_validate_json(order.events), settings)[1]
    except InvalidInput as exc:
        return "failed", None, (INVALID + str(exc))[:2000]
    if not rep.is_feasible():
        return "failed", None, (NO_PLAN + "调整后无可行方案: " + "; ".join(rep.notes))[:2000]
    watch.progress(Progress("storing", 0.9, "保存调整方案 / storing the replacement"))
    try:
        store.add_replacement(
            source,
            order.round_name,
            round_json(rep.round),
            (len(rep.round.communities), len(rep.round.cadres)),
            json.dumps(rep.result.to_dict(), ensure_ascii=False),
            rep.status.value,
            rep.result.objective,
            order.events,
            json.dumps(rep.to_dict(), ensure_ascii=False),
            order.who,
            publicity=order.publicity,
            idem=order.idem,
            checkpoint=checkpoint,
            job=(job.id, watch.token),
        )
    except Replayed as again:  # a retry with the same key stored it first
        return "succeeded", str(again.outcome["plan_id"]), None
    except KeyReused as exc:
        return "failed", None, f"{KEY_REUSED}{exc.action} {exc.target}"
    checkpoint("replace:committed")
    return "succeeded", None, None
