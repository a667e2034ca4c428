"""The practice scenarios reproduce their seed reports' numbers, end to end."""

from __future__ import annotations

from geodata.pipeline import run_practice
from geodata.practices import committee_problem, exchange_problem
from geodata.scenarios.practices import datong_mentors, five_precision, shizhong_exchange
from matcher.engine.result import Status


def test_datong_five_mentors_sixteen_mentees() -> None:
    """Datong 2024: 5 mentors take all 16 compound secretaries, 3–4 each, proven optimal."""
    rnd = datong_mentors()
    out = run_practice(rnd)
    assert (len(rnd.mentors), len(rnd.mentees)) == (5, 16)
    assert out.status is Status.OPTIMAL and out.objective == out.bound
    assert len(out.pairs) == 16 and 3 <= out.stats["min_load"] <= out.stats["max_load"] <= 4
    assert run_practice(datong_mentors()).canonical_dict() == out.canonical_dict()


def test_shizhong_two_batches_of_six_with_fresh_hosts() -> None:
    """Shizhong 2023: 6 pairs per batch, 2 batches; the second uses none of the first's hosts."""
    first = run_practice(shizhong_exchange(batch=1))
    used = [p.right for p in first.pairs]
    second_round = shizhong_exchange(batch=2, used_hosts=used)
    second = run_practice(second_round, mode="stable")
    assert len(first.pairs) == len(second.pairs) == 6
    assert not {p.right for p in second.pairs} & set(used)
    assert set(exchange_problem(second_round).host_ids).isdisjoint(used)
    assert second.stats["blocking_pairs"] == 0 and first.status is Status.OPTIMAL


def test_five_precision_mentors_and_four_joint_committees() -> None:
    """Each model secretary mentors 3–4; 14 communities form 4 committees of 3–4, each led by
    a five-star community."""
    mentoring, committees = five_precision()
    m = run_practice(mentoring)
    assert m.status is Status.OPTIMAL
    assert all(s.type == "model" for s in mentoring.mentors)
    assert 3 <= m.stats["min_load"] <= m.stats["max_load"] <= 4
    c = run_practice(committees)
    problem = committee_problem(committees)
    assert c.status is Status.OPTIMAL and len(c.groups) == 4
    assert all(3 <= len(g.members) <= 4 for g in c.groups)
    strong = {problem.ids[i] for i in range(len(problem.ids)) if problem.strong[i]}
    assert all(g.leader in strong for g in c.groups)
    assert sorted(x for g in c.groups for x in g.members) == sorted(problem.ids)
