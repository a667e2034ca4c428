"""HiGHS keeps one thread scheduler per process: a MIP asking another thread count than the
process's first HiGHS solve must still solve, not fail (e.g. after a committee partition)."""

from __future__ import annotations

import highspy
import numpy as np

from matcher.engine.mip import quiet_highs, run_highs
from matcher.engine.result import Status
from matcher.engine.solve import solve
from matcher.model.settings import SolveSettings
from tests.matcher.engine_fixtures import load_raw, problem_of


def _tiny_mip(threads: int | None) -> highspy.Highs:
    h = quiet_highs()
    h.setOptionValue("output_flag", False)
    if threads is not None:
        h.setOptionValue("threads", threads)
    cols = np.arange(2, dtype=np.int32)
    h.addVars(2, np.zeros(2), np.ones(2))
    h.changeColsCost(2, cols, np.array([1.0, 2.0]))
    h.changeColsIntegrality(2, cols, np.ones(2, dtype=np.uint8))
    h.addRow(1.0, 1.0, 2, cols, np.ones(2))
    return h


def test_mip_solves_after_a_solve_with_another_thread_count() -> None:
    """The scheduler is first started with 2 threads; the engine's MIP asks for 1 and is
    still optimal, and so is a bare model run through run_highs."""
    highspy.Highs.resetGlobalScheduler(True)
    first = _tiny_mip(2)
    run_highs(first)
    assert first.getModelStatus() == highspy.HighsModelStatus.kOptimal
    other = _tiny_mip(1)
    run_highs(other)
    assert other.getModelStatus() == highspy.HighsModelStatus.kOptimal
    run_highs(_tiny_mip(2))  # and back
    _, problem = problem_of(load_raw("tiny.json"))
    result = solve(problem, SolveSettings(method="mip", threads=1, seed=1))
    assert result.status is Status.OPTIMAL
