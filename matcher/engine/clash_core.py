"""The rules that truly cause a clash: a deletion filter over every hard rule in force.

A rule is *relaxed* by giving back what it takes away: a pair rule (``pairing``,
``max_distance``, ``rank_floors[0]`` …) its pruned candidate pairs (those no other enforced
rule forbids), ``one_post_per_cadre`` one slot per post type, ``locks`` their rows,
``coverage`` its required posts, a side rule (``source_quotas[0]``, ``skill_mix[1]``) its row.
Feasibility with a set of rules relaxed is a MIP check
(:func:`matcher.engine.mip.feasible_without`).

The deletion filter relaxes each candidate in turn, for good when the rest still clash; what it
keeps is an irreducible set (IIS over rules): with all of them the round is infeasible, and
relaxing any one of them (the filter's other relaxations kept) makes it feasible — each named
rule is a true cause, none is a bystander. The one exception is ``max_distance``
(:data:`UNTESTABLE`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

import numpy as np

from matcher.engine.problem import ProblemData
from matcher.model.round import Round

#: The engine holds no pairs beyond the radius, so relaxing the distance rule cannot be tried
#: here: it stays named whenever it is in force, and ``geodata.pipeline.run_round`` tests it
#: on the round itself (:func:`round_without`).
UNTESTABLE = "max_distance"


def side_rule_names(problem: ProblemData) -> list[str]:
    """Quota and skill-mix rule names (``source_quotas[i]``, ``skill_mix[k]``)."""
    return [q.source for q in problem.quotas] + [m.source for m in problem.skill_mixes]


def candidate_rules(problem: ProblemData) -> list[str]:
    """Every hard rule in force that could take part in a clash, in a fixed order."""
    out = side_rule_names(problem)
    if problem.pruned_by is not None:
        seen = np.bitwise_or.reduce(problem.pruned_by) if len(problem.pruned_by) else 0
        out += [r for k, r in enumerate(problem.prune_rules[:63]) if int(seen) >> k & 1]
    if UNTESTABLE in problem.prune_rules and UNTESTABLE not in out:
        out.append(UNTESTABLE)  # in force: the pairs beyond the radius are not candidates
    if (problem.group_required > 0).any():
        out.append("coverage")
    if problem.one_post_per_cadre:
        out.append("one_post_per_cadre")
    if any(not s for s in problem.lock_issue):
        out.append("locks")
    return out


def relaxed(problem: ProblemData, rules: Collection[str]) -> ProblemData:
    """``problem`` with the pair rules, ``one_post_per_cadre`` and ``locks`` in ``rules``
    relaxed (side rules and coverage are dropped by the feasibility check itself)."""
    changes: dict[str, object] = {}
    bits = sum(1 << k for k, r in enumerate(problem.prune_rules[:63]) if r in rules)
    if bits and problem.pruned_by is not None and problem.pruned_group is not None:
        back = (problem.pruned_by & ~np.uint64(bits)) == 0
        if back.any():
            assert problem.pruned_cadre is not None
            group = np.concatenate([problem.arc_group, problem.pruned_group[back]])
            cadre = np.concatenate([problem.arc_cadre, problem.pruned_cadre[back]])
            order = np.lexsort((cadre, group))
            changes["arc_group"], changes["arc_cadre"] = group[order], cadre[order]
            for name in (
                "arc_cost",
                "arc_distance_m",
                "arc_distance",
                "arc_skill_fit",
                "arc_weak_priority",
                "arc_preference",
                "arc_change",
            ):
                old = getattr(problem, name)
                extra = np.zeros(int(back.sum()), dtype=old.dtype)
                changes[name] = np.concatenate([old, extra])[order]
    if "one_post_per_cadre" in rules:
        changes["one_post_per_cadre"] = False
    if "locks" in rules:
        changes["lock_cadre"] = problem.lock_cadre[:0]
        changes["lock_community"] = problem.lock_community[:0]
        changes["lock_type"] = problem.lock_type[:0]
        changes["lock_issue"] = ()
    return dataclasses.replace(problem, **changes) if changes else problem  # type: ignore[arg-type]


def feasible_relaxing(problem: ProblemData, rules: Collection[str]) -> bool:
    """True when the round has a plan once ``rules`` are relaxed (see module docstring)."""
    from matcher.engine.mip import feasible_without  # deferred: mip imports side_constraints

    side = [r for r in side_rule_names(problem) if r in rules]
    return feasible_without(relaxed(problem, rules), side, cover="coverage" not in rules)


def clash_core(problem: ProblemData, candidates: list[str] | None = None) -> list[str]:
    """An irreducible set of clashing rules among ``candidates`` (all rules in force by
    default), found by deletion; empty when relaxing none of them is needed (feasible)."""
    names = candidate_rules(problem) if candidates is None else candidates
    if feasible_relaxing(problem, ()):
        return []
    relaxed_set: list[str] = [r for r in candidate_rules(problem) if r not in names]
    core = list(names)
    for name in names:
        if name == UNTESTABLE:
            continue
        if not feasible_relaxing(problem, [*relaxed_set, name]):
            relaxed_set.append(name)
            core.remove(name)
    return core


_LISTED = ("rank_floors", "source_quotas", "skill_mix")
_TOGGLES = (
    "one_post_per_cadre",
    "availability",
    "max_distance",
    "own_district",
    "exclude_disqualified",
    "pairing",
    "clearances",
)


def rules_in_force(rnd: Round) -> set[str]:
    """The round's hard rules in force, by the names conflicts use."""
    r = rnd.rules
    out = {name for name in _TOGGLES if getattr(r, name).enabled}
    if "clearances" in out and not r.clearances.required:
        out.discard("clearances")
    if r.coverage.enabled and not r.coverage.allow_vacancies:
        out.add("coverage")
    out |= {name for name in ("locks", "forbidden_pairs") if getattr(r, name)}
    for key in _LISTED:
        out |= {f"{key}[{k}]" for k, rule in enumerate(getattr(r, key)) if rule.enabled}
    return out


def round_without(rnd: Round, names: Collection[str]) -> Round:
    """The round with the named rules switched off (locks and forbidden pairs emptied)."""
    raw = rnd.rules.model_dump(mode="json")
    for name in names:
        key, _, index = name.partition("[")
        if index:
            raw[key][int(index.rstrip("]"))]["enabled"] = False
        elif key in ("locks", "forbidden_pairs"):
            raw[key] = []
        else:
            raw[key]["enabled"] = False
    return rnd.model_copy(update={"rules": type(rnd.rules).model_validate(raw)})


__all__ = [
    "UNTESTABLE",
    "candidate_rules",
    "clash_core",
    "feasible_relaxing",
    "relaxed",
    "round_without",
    "rules_in_force",
    "side_rule_names",
]
