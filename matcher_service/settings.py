"""Service settings: database, worker pool, limits. Read from the environment on request only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./var/matcher.sqlite3"
DEFAULT_RUNNER = "geodata.pipeline:run_round"


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the service needs to start, with safe defaults (zero setup: SQLite).

    Attributes
    ----------
    database_url:
        SQLAlchemy URL; SQLite file by default, PostgreSQL when ``DATABASE_URL`` says so.
    runner:
        ``"module:function"`` run by the workers: ``(round, *, progress, should_stop)`` returning
        an object with a ``result`` (:func:`geodata.pipeline.run_round`). A dotted path, not a
        callable, so spawned worker processes can import it themselves.
    workers:
        Long-lived worker processes; 0 runs no jobs (read-only replicas, some tests).
    queue_limit:
        Jobs waiting (queued) at most; one more gets 429.
    job_time_limit_s:
        Each job is asked to stop after this; it is killed ``kill_grace_s`` later.
    max_body_bytes:
        Request bodies above this get 413.
    max_communities, max_cadres:
        Entity-count limits of one round (413 above them).
    key_cache_s:
        A verified key is trusted this long without re-hashing it.
    solves_per_minute:
        Solves (and re-runs) one key may start per minute; more get 429.
    failed_auth_per_key, failed_auth_per_client:
        Failed authentications over the last one to two minutes from one client with one key
        id / from one client in all; more failures get 429 (a valid key always passes).
    warm_up:
        Each worker solves a tiny bundled round before its first job (``MATCHER_WARM_UP=0``
        turns it off).
    body_cache_bytes:
        Memory for bodies that never change (plans, round versions, finished jobs).
    lease_s:
        A running job's lease: its worker renews it every third of this; a job whose lease ran
        out (its server and workers died) is marked ``interrupted`` by any server instance.
    claim_poll_s:
        An idle worker looks for queued jobs this often (jobs queued by other server
        processes on the same database; its own server wakes it at once).
    require_if_match:
        Writes to an existing round without ``If-Match`` get 428 (``MATCHER_REQUIRE_IF_MATCH=1``);
        by default such a write replaces whatever version is current
        (:mod:`matcher_service.preconditions`).
    publicity_min_days:
        The shortest publicity period (公示) in working days (Mon–Fri;
        ``MATCHER_PUBLICITY_MIN_DAYS``, default 5, at least 1); a round may ask for longer when
        its workflow is opened.
    holidays:
        Dates that are not working days (``MATCHER_HOLIDAYS=2025-10-01,2025-10-02``). Without
        them only weekends are skipped; make-up working weekends (调休) are not modelled.
    organisation:
        The 落款 of approval records when the approver names none (``MATCHER_ORGANISATION``).
    test_hooks, test_now, test_pause:
        For chaos tests only (``MATCHER_TEST_HOOKS=1``): a fixed clock (``MATCHER_TEST_NOW``,
        ISO time) and a point where a transition pauses inside its transaction
        (``MATCHER_TEST_PAUSE``, e.g. ``approve``) so a test can kill the server there.
        Ignored unless ``test_hooks`` is on.
    """

    database_url: str = DEFAULT_DATABASE_URL
    runner: str = DEFAULT_RUNNER
    workers: int = 2
    queue_limit: int = 16
    job_time_limit_s: float = 600.0
    kill_grace_s: float = 30.0
    max_body_bytes: int = 20 * 1024 * 1024
    max_communities: int = 20_000
    max_cadres: int = 60_000
    key_cache_s: float = 60.0
    solves_per_minute: int = 30
    failed_auth_per_key: int = 10
    failed_auth_per_client: int = 60
    warm_up: bool = True
    body_cache_bytes: int = 64 * 1024 * 1024
    require_if_match: bool = False
    lease_s: float = 30.0
    claim_poll_s: float = 1.0
    publicity_min_days: int = 5
    holidays: frozenset[date] = frozenset()
    organisation: str = ""
    test_hooks: bool = False
    test_now: str = ""
    test_pause: str = ""

    def __post_init__(self) -> None:
        if self.publicity_min_days < 1:
            raise ValueError(
                f"publicity_min_days must be at least 1 working day, not {self.publicity_min_days}"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServiceSettings:
        """Settings from ``DATABASE_URL`` and ``MATCHER_*`` variables (defaults otherwise)."""
        env = os.environ if env is None else env
        base = cls()
        return replace(
            base,
            database_url=env.get("DATABASE_URL", base.database_url),
            runner=env.get("MATCHER_RUNNER", base.runner),
            workers=int(env.get("MATCHER_WORKERS", base.workers)),
            queue_limit=int(env.get("MATCHER_QUEUE_LIMIT", base.queue_limit)),
            job_time_limit_s=float(env.get("MATCHER_JOB_TIME_LIMIT_S", base.job_time_limit_s)),
            max_body_bytes=int(env.get("MATCHER_MAX_BODY_BYTES", base.max_body_bytes)),
            max_communities=int(env.get("MATCHER_MAX_COMMUNITIES", base.max_communities)),
            max_cadres=int(env.get("MATCHER_MAX_CADRES", base.max_cadres)),
            solves_per_minute=int(env.get("MATCHER_SOLVES_PER_MINUTE", base.solves_per_minute)),
            failed_auth_per_key=int(
                env.get("MATCHER_FAILED_AUTH_PER_KEY", base.failed_auth_per_key)
            ),
            failed_auth_per_client=int(
                env.get("MATCHER_FAILED_AUTH_PER_CLIENT", base.failed_auth_per_client)
            ),
            body_cache_bytes=int(env.get("MATCHER_BODY_CACHE_BYTES", base.body_cache_bytes)),
            warm_up=_flag(env.get("MATCHER_WARM_UP", "1")),
            lease_s=float(env.get("MATCHER_LEASE_S", base.lease_s)),
            claim_poll_s=float(env.get("MATCHER_CLAIM_POLL_S", base.claim_poll_s)),
            require_if_match=_flag(env.get("MATCHER_REQUIRE_IF_MATCH", "0")),
            publicity_min_days=int(env.get("MATCHER_PUBLICITY_MIN_DAYS", base.publicity_min_days)),
            holidays=frozenset(
                date.fromisoformat(d.strip())
                for d in env.get("MATCHER_HOLIDAYS", "").split(",")
                if d.strip()
            ),
            organisation=env.get("MATCHER_ORGANISATION", ""),
            test_hooks=_flag(env.get("MATCHER_TEST_HOOKS", "0")),
            test_now=env.get("MATCHER_TEST_NOW", ""),
            test_pause=env.get("MATCHER_TEST_PAUSE", ""),
        )

    def sqlite_path(self) -> Path | None:
        """The SQLite file, when the database is one (its folder is created at start)."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        rest = self.database_url[len(prefix) :].split("?")[0]
        return None if rest in ("", ":memory:") else Path(rest)


def _flag(value: str) -> bool:
    """An on/off environment variable: anything but 0/false/no/off (or empty) is on."""
    return value.strip().lower() not in ("", "0", "false", "no", "off")
