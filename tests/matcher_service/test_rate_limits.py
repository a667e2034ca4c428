"""The rate limiter is a sliding window: no reset at a clock boundary, bounded memory."""

from __future__ import annotations

import pytest

from matcher_service import rate_limits
from matcher_service.rate_limits import OTHER, RateLimiter


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_limit_holds_across_what_was_a_window_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten events straddling t = 60 s still block the eleventh until the first is 60 s old."""
    clock = Clock(55.0)
    monkeypatch.setattr(rate_limits.time, "monotonic", clock)
    lim = RateLimiter(10)
    for i in range(10):
        clock.t = 55.0 + i  # 55 … 64: a fixed one-minute window would have reset at 60
        assert lim.retry_after("k") is None
        lim.hit("k")
    assert lim.retry_after("k") == 51  # the oldest (55 s) leaves the window at 115 s
    clock.t = 115.0
    assert lim.retry_after("k") is None
    assert lim.retry_after("other key") is None


def test_invented_keys_share_one_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past max_keys active keys, new ones count under "other"; idle keys are forgotten."""
    clock = Clock(0.0)
    monkeypatch.setattr(rate_limits.time, "monotonic", clock)
    lim = RateLimiter(2, max_keys=3)
    for key in ("a", "b", "c", "d", "e"):
        lim.hit(key)
    assert set(lim._events) == {"a", "b", "c", OTHER}
    assert lim.retry_after("z") is not None  # "d" and "e" filled the shared log
    clock.t = 61.0
    lim.hit("f")  # the idle keys are dropped, so "f" gets its own log
    assert "f" in lim._events and "a" not in lim._events
