"""Sweeps in local processes and on a local Ray cluster: trade-off curve and dropout study."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from matcher.analysis.scenario import Scenario, apply_scenario
from matcher.analysis.sweeps import dropout_study, weight_sweep, withdrawals
from matcher.engine.result import Status
from matcher.model.validate import validate_round
from tests.matcher.analysis.explain_fixtures import solve_round, tiny, tiny_raw

REPO = Path(__file__).resolve().parents[3]


def test_weight_sweep_traces_the_trade_off_in_local_processes() -> None:
    """Raising weak_priority sends the 正科 to weak GT01: more travel, stronger secretary."""
    s = tiny()
    points = weight_sweep(s.round, s.pairs, "weak_priority", [0, 100, 400], workers=2)
    assert [p.value for p in points] == [0, 100, 400]
    assert all(p.status == "optimal" and p.kpis is not None for p in points)
    km = [p.kpis.total_km for p in points if p.kpis]
    rank = [p.kpis.weak_mean_rank for p in points if p.kpis]
    assert km == sorted(km) and km[0] < km[-1]
    assert rank == [1.0, 2.0, 2.0]
    # Each point is the optimum an in-process solve finds for the same weights.
    direct = solve_round(apply_scenario(s.round, Scenario(weights={"weak_priority": 0})), s.pairs)
    assert points[0].objective == direct.result.objective


def test_weight_sweep_rejects_unknown_weights() -> None:
    """A misspelt weight is refused before any process starts."""
    s = tiny()
    with pytest.raises(ValueError, match="unknown weight 'weak'"):
        weight_sweep(s.round, s.pairs, "weak", [1])


def test_withdrawals_are_reproducible_and_sized() -> None:
    """Same seed, same withdrawals; each trial draws round(fraction·n) distinct cadres."""
    ids = [f"C{i:03d}" for i in range(40)]
    a = withdrawals(ids, 0.1, 3, seed=5)
    assert a == withdrawals(list(reversed(ids)), 0.1, 3, seed=5)
    assert all(len(set(t)) == 4 and set(t) <= set(ids) for t in a)
    assert a != withdrawals(ids, 0.1, 3, seed=6)


def test_dropout_study_fills_gaps_from_the_base_plan() -> None:
    """Withdrawn cadres leave the plan; their posts change; the rest re-plan from the base."""
    raw = tiny_raw()
    raw["rules"]["skill_mix"] = []
    raw["rules"]["coverage"] = {"allow_vacancies": True}
    s = solve_round(validate_round(raw))
    placed = [a.cadre_id for a in s.result.assignments if a.cadre_id is not None]
    trials = dropout_study(
        s.round, s.pairs, s.result, fraction=0.2, trials=3, seed=11, change=5000, workers=2
    )
    assert [t.withdrawn for t in trials] == withdrawals(placed, 0.2, 3, seed=11)
    for t in trials:
        assert t.status == "optimal" and t.kpis is not None
        assert len(t.withdrawn) == 1
        assert t.posts_changed >= 1
        assert t.kpis.vacancies == t.vacancies
        assert t.posts_changed >= t.moves + t.newcomers


def test_dropout_study_checks_its_arguments() -> None:
    """Fractions outside (0, 1), a zero change weight and a base without a plan are refused."""
    s = tiny()
    with pytest.raises(ValueError, match="fraction"):
        dropout_study(s.round, s.pairs, s.result, fraction=1.5, trials=1, seed=0)
    with pytest.raises(ValueError, match="change"):
        dropout_study(s.round, s.pairs, s.result, fraction=0.2, trials=1, seed=0, change=0)
    stopped = replace(s.result, status=Status.UNKNOWN, assignments=())
    with pytest.raises(ValueError, match="base plan is unknown"):
        dropout_study(s.round, s.pairs, stopped, fraction=0.2, trials=1, seed=0)


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """Start a one-CPU local Ray cluster in a child process; yield its address; stop it."""
    pytest.importorskip("ray")
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "PYTHONPATH": str(REPO)}
    head = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("ray_head.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(head.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=90)
    if not line or not line[0].strip():
        head.kill()
        _, err = head.communicate(timeout=30)
        pytest.skip(f"Ray could not start a local cluster: {err[-500:]}")
    try:
        yield line[0].strip()
    finally:
        head.stdin.close()  # type: ignore[union-attr]
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()
            head.wait(timeout=30)


def test_weight_sweep_on_ray_matches_local_processes(
    ray_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same sweep call, given a Ray address, returns the same plans as local processes."""
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    s = tiny()
    remote = weight_sweep(s.round, s.pairs, "weak_priority", [0, 400], address=ray_address)
    local = weight_sweep(s.round, s.pairs, "weak_priority", [0, 400], workers=1)
    assert [(p.status, p.objective, p.kpis) for p in remote] == [
        (p.status, p.objective, p.kpis) for p in local
    ]
