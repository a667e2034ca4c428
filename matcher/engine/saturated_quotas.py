"""Quotas that decide every post of their type: turned into closed arcs before the network.

A source quota counts the filled posts of one type held by its members. When its minimum
equals the number of posts of that type, every such post must be filled and by a member, so
the non-members' arcs into those posts can be closed and the posts made compulsory; when
its maximum is 0, the members' arcs of that type can be closed. Both are exact: every plan
that keeps the quota keeps the reduction and back, so the network over the remaining arcs
is still a relaxation of the full round (and the quota holds in every plan of it). Datong's
"part-time posts to local candidates only" (min = max = all part-time posts) is one; the
other quota is then the only side row left and :mod:`matcher.engine.quota_search` prices it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.problem import ProblemData


@dataclass(frozen=True, slots=True)
class Saturated:
    """Arcs closed and groups made compulsory by saturated quotas, and the quota names."""

    closed: NDArray[np.bool_]
    full: NDArray[np.bool_]
    names: tuple[str, ...]


def saturated_quotas(problem: ProblemData) -> Saturated:
    """The exact reductions of the module docstring, for every quota they apply to."""
    p = problem
    closed = np.zeros(p.n_arcs, dtype=bool)
    full = np.zeros(p.n_groups, dtype=bool)
    names: list[str] = []
    a_type = p.group_type[p.arc_group]
    for q in p.quotas:
        scope = p.group_type == q.post_type
        posts = int(p.group_capacity[scope].sum())
        if posts > 0 and q.lo == posts:
            closed |= (a_type == q.post_type) & ~q.member[p.arc_cadre]
            full |= scope
            names.append(q.name)
        elif q.hi == 0:
            closed |= (a_type == q.post_type) & q.member[p.arc_cadre]
            names.append(q.name)
    return Saturated(closed, full, tuple(names))
