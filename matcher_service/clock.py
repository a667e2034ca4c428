"""The service's clock and the chaos tests' pause points.

Transitions read the time from the app (``app.state.clock``, a function returning an aware
datetime) rather than the system clock, so a test moves time past a publicity period by setting
it, never by sleeping. A live server started with ``MATCHER_TEST_HOOKS=1`` takes a fixed time
from ``MATCHER_TEST_NOW`` and may pause at ``MATCHER_TEST_PAUSE`` (a point such as
``approve``: inside the approving transaction, before it commits), logging
``test hook: paused at <point>`` so the test can kill it there. Without the hooks setting
both variables are ignored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from fastapi import Request

from matcher_service.settings import ServiceSettings
from matcher_service.store import now

Clock = Callable[[], datetime]
Checkpoint = Callable[[str], None]
log = logging.getLogger(__name__)


def clock(request: Request) -> Clock:
    """The app's clock: ``app.state.clock`` if a test set one, else the system's (or the
    fixed test time of a server started with the test hooks)."""
    given: Clock | None = getattr(request.app.state, "clock", None)
    if given is not None:
        return given
    cfg: ServiceSettings = request.app.state.settings
    if cfg.test_hooks and cfg.test_now:
        fixed = datetime.fromisoformat(cfg.test_now)
        return lambda: fixed
    return now


def no_pause(point: str) -> None:
    return None


def checkpoint(request: Request) -> Checkpoint:
    """A function the store calls at named points of a transition; it pauses for ever at the
    configured point when the test hooks are on, and does nothing otherwise."""
    return pause_at(pause_point(request.app.state.settings))


def pause_point(cfg: ServiceSettings) -> str:
    """The point to pause at ("" for none): only with the test hooks on."""
    return cfg.test_pause if cfg.test_hooks and cfg.test_pause else ""


def pause_at(wanted: str) -> Checkpoint:
    """A checkpoint pausing for ever at ``wanted`` (logging it), or at no point ("").
    Worker processes get theirs from the server's settings (:func:`pause_point`)."""
    if not wanted:
        return no_pause

    def pause(point: str) -> None:
        if point == wanted:
            log.warning("test hook: paused at %s", point)
            threading.Event().wait()

    return pause
