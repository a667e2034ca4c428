"""Plan diffs: unchanged, moved, new and vacated posts, dropped cadres, KPI deltas."""

from __future__ import annotations

from dataclasses import replace

from matcher.analysis.diff import diff_plans
from matcher.engine.result import Result
from tests.matcher.analysis.explain_fixtures import tiny


def holders(result: Result, changes: dict[tuple[str, str], str | None]) -> Result:
    """The result with the given posts' holders replaced."""
    posts = tuple(
        replace(a, cadre_id=changes[(a.community_id, a.post_type)])
        if (a.community_id, a.post_type) in changes
        else a
        for a in result.assignments
    )
    return replace(result, assignments=posts)


def test_same_plan_has_no_changes() -> None:
    """A plan compared with itself: every post unchanged, every KPI delta zero or n/a."""
    s = tiny()
    d = diff_plans(s.round, s.result, s.round, s.result)
    assert d.counts()["unchanged"] == 5 and not d.changed() and not d.dropped
    assert all(k.delta in (0, None) for k in d.kpis)


def test_moved_new_and_vacated_posts() -> None:
    """C01/C03 swap (moved ×2), C06 replaces C02 (new; C02 dropped), LH01 left empty."""
    s = tiny()
    b = holders(
        s.result,
        {
            ("GT01", "full-time"): "C01",
            ("GT02", "full-time"): "C03",
            ("GT02", "part-time"): "C06",
            ("LH01", "full-time"): None,
        },
    )
    d = diff_plans(s.round, s.result, s.round, b)
    assert d.counts() == {
        "unchanged": 1,
        "moved": 2,
        "new": 1,
        "vacated": 1,
        "added": 0,
        "removed": 0,
    }
    moved = {p.after: p.moved_from for p in d.changed() if p.status == "moved"}
    assert moved == {"C01": "GT02/full-time", "C03": "GT01/full-time"}
    assert d.dropped == ("C02", "C04")
    deltas = {k.name: k for k in d.kpis}
    assert deltas["vacancies"].delta == 1 and deltas["filled"].delta == -1
    assert deltas["weak_mean_rank"].before == 2.0 and deltas["weak_mean_rank"].after == 1.0


def test_diff_table_and_dict_are_plain_data() -> None:
    """The changed-post table lists only changed posts, as dicts with both holders."""
    s = tiny()
    b = holders(s.result, {("LH01", "full-time"): None})
    d = diff_plans(s.round, s.result, s.round, b)
    assert d.table() == [
        {
            "community_id": "LH01",
            "post_type": "full-time",
            "status": "vacated",
            "before": "C04",
            "after": None,
            "moved_from": None,
        }
    ]
    assert d.to_dict()["counts"]["vacated"] == 1
