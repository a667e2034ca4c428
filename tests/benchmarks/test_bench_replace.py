"""The replacement benchmark runs end to end on a city round (province is for make bench)."""

from __future__ import annotations

from benchmarks.bench_replace import main


def test_bench_replace_prints_both_methods_per_recall_count(capsys: object) -> None:
    """One row for the replacement (proven) and one for the full re-solve per recall count."""
    table = main(["--scales", "city-tight", "--recalls", "1", "3"])
    assert table.count("| replace (") == 2 and table.count("| full re-solve") == 2
    assert "each level proven" in table
