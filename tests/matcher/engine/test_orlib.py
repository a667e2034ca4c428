"""OR-Library assignment instances solved through the public API to their known optima."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.engine.orlib import orlib_problem, read_orlib
from matcher.engine.result import Status
from matcher.engine.solve import solve

ORLIB = Path(__file__).resolve().parents[3] / ".." / "shared" / "benchmarks" / "orlib-assign"
OPTIMA = {
    "assign100": 305,
    "assign200": 475,
    "assign300": 626,
    "assign400": 804,
    "assign500": 991,
    "assign600": 1176,
    "assign700": 1362,
    "assign800": 1552,
    "assignp800": 2239,
    "assignp1500": 5839,
    "assignp3000": 18696,
    "assignp5000": 48533,
}

needs_orlib = pytest.mark.skipif(
    not ORLIB.is_dir(), reason=f"OR-Library instances not found at {ORLIB} (../shared absent)"
)


@needs_orlib
@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_orlib_instance_reaches_known_optimum(name: str) -> None:
    """The engine proves exactly the published optimum of each OR-Library instance."""
    res = solve(orlib_problem(ORLIB / f"{name}.txt"))
    assert res.status is Status.OPTIMAL
    assert res.objective == OPTIMA[name]
    assert res.bound == OPTIMA[name] and res.gap == 0.0
    assert not res.vacancies and len(res.assignments) == int(name.lstrip("asignp"))


def test_read_orlib_dense_and_sparse(tmp_path: Path) -> None:
    """Both file formats parse to 0-based (row, col, cost) arrays."""
    dense = tmp_path / "d.txt"
    dense.write_text("2\n 1 2\n 3 4\n")
    n, rows, cols, costs = read_orlib(dense)
    assert n == 2 and list(rows) == [0, 0, 1, 1] and list(cols) == [0, 1, 0, 1]
    assert list(costs) == [1, 2, 3, 4]
    sparse = tmp_path / "s.txt"
    sparse.write_text("2\n1 2 5\n2 1 7\n")
    n, rows, cols, costs = read_orlib(sparse)
    assert (n, list(rows), list(cols), list(costs)) == (2, [0, 1], [1, 0], [5, 7])
    res = solve(orlib_problem(sparse))
    assert res.objective == 12


def test_read_orlib_rejects_a_malformed_file(tmp_path: Path) -> None:
    """A file whose numbers fit neither format is refused with the file name and counts."""
    bad = tmp_path / "bad.txt"
    bad.write_text("3\n1 2 3 4\n")
    with pytest.raises(ValueError, match=r"bad\.txt: 4 numbers after n=3"):
        read_orlib(bad)
