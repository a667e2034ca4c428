"""The collector pause nests, survives errors and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from geodata.heap import collector_paused


def test_nested_pauses_restore_the_collector_at_the_last_exit() -> None:
    """Inside any pause the collector is off; after the outermost it is on again."""
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restores() -> None:
    """An exception in the body does not leave the collector off."""
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    """A caller who turned the collector off keeps it off after the pause."""
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
