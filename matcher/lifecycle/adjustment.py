"""A situation in, a replacement out: the adjustment (调整) a planner takes to approval.

:func:`replace` builds the problem of the round after the events (posts may stay vacant:
level 1 counts them), decides the lexicographic replacement (:mod:`matcher.lifecycle.replace`)
and tells it as changes (:mod:`matcher.lifecycle.report`). The new plan is an ordinary
:class:`~matcher.engine.result.Result`, so every roster, map and export works on it; the new
round holds the new plan's posts as current posts, ready for the next adjustment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.engine.assignments import build_assignments, objective_terms, unplaced
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Result, Status
from matcher.engine.side_constraints import group_table
from matcher.lifecycle.events import Situation, plan_posts
from matcher.lifecycle.no_moves import no_move_vacancies
from matcher.lifecycle.replace import Core, Level, solve_replacement
from matcher.lifecycle.report import Change, describe_changes
from matcher.model.round import CurrentPost, PostType, Round
from matcher.model.settings import SolveSettings


@dataclass(frozen=True, slots=True)
class Replacement:
    """The decided replacement: status, proven levels, the new plan and round, the changes."""

    status: Status
    method: str
    levels: tuple[Level, ...]
    result: Result
    round: Round
    changes: tuple[Change, ...]
    start_vacancies: int | None  # proven fewest vacancies without moves (None: not proven)
    forced: int
    paths: int
    notes: tuple[str, ...]
    time_s: float

    def is_feasible(self) -> bool:
        """True when a plan keeping every hard rule was found."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def level(self, name: str) -> Level | None:
        """A level by name (vacancies, moves, cost)."""
        return next((lv for lv in self.levels if lv.name == name), None)

    @classmethod
    def from_report(cls, report: dict[str, Any], rnd: Round) -> Replacement:
        """A stored report (:meth:`to_dict`) with its round, for writers (no plan inside)."""

        def post(p: dict[str, str] | None) -> tuple[str, str] | None:
            return None if p is None else (p["community"], p["post_type"])

        changes = tuple(
            Change(
                c["cadre"],
                c["kind"],
                post(c["from"]),
                post(c["to"]),
                c["reason"],
                tuple(c.get("chain", ())),
                c.get("outcome", ""),
            )
            for c in report.get("changes", [])
        )
        levels = tuple(Level(lv["name"], lv["value"], lv["bound"]) for lv in report["levels"])
        status = Status(report["status"])
        empty = Result(status, None, None, None, {}, report["method"], 0.0)
        return cls(
            status,
            report["method"],
            levels,
            empty,
            rnd,
            changes,
            report["vacancies_if_nobody_moves"],
            report["forced_moves"],
            report["augmenting_paths"],
            tuple(report["notes"]),
            report["time_s"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report (without the plan, which is written as plan.json)."""
        return {
            "status": self.status.value,
            "method": self.method,
            "levels": [
                {"name": lv.name, "value": lv.value, "bound": lv.bound, "proven": lv.proven}
                for lv in self.levels
            ],
            "vacancies_if_nobody_moves": self.start_vacancies,
            "forced_moves": self.forced,
            "augmenting_paths": self.paths,
            "changes": [c.to_dict() for c in self.changes],
            "notes": list(self.notes),
            "time_s": round(self.time_s, 3),
        }


def orig_groups(problem: ProblemData, sitting: dict[str, tuple[str, str]]) -> np.ndarray[Any, Any]:
    """Group each cadre held (−1 none, −2 a post the problem no longer has)."""
    table = group_table(problem)
    com = {c: i for i, c in enumerate(problem.community_ids)}
    out = np.full(len(problem.cadre_ids), -1, dtype=np.int64)
    for i, cid in enumerate(problem.cadre_ids):
        held = sitting.get(cid)
        if held is None:
            continue
        c = com.get(held[0])
        g = -2 if c is None else int(table[c, 0 if held[1] == "full-time" else 1])
        out[i] = g if g >= 0 else -2
    return out


def _no_move_note(core: Core, no_move: int | None) -> str:
    """Whether a plan without moves exists; ``no_move`` is the proven fewest vacancies when
    every sitting cadre who may stay stays (:mod:`matcher.lifecycle.no_moves`)."""
    moves = core.levels[1].value if len(core.levels) > 1 else None
    if moves is None:
        return ""
    extra = moves - core.forced
    vac = core.levels[0].value
    if extra <= 0:
        return (
            f"无需调动其他在岗干部：保持现有人选即可把空缺降到 {vac} 个 / no sitting cadre "
            "beyond those who had to leave needs to move"
        )
    if no_move is None:
        head = (
            "不调动在岗干部时的最少空缺数未能证明 / the vacancies without moves were not proven; "
        )
    else:
        head = f"不调动在岗干部则空缺 {no_move} 个；"
    return (
        f"{head}不存在零调动且空缺为 {vac} 个的方案，"
        f"至少需调动 {extra} 名在岗干部（已证明）/ no plan without moves leaves only {vac} "
        f"vacant"
        + ("" if no_move is None else f": keeping everyone leaves {no_move}")
        + f"; at least {extra} sitting cadres must move (proven)"
    )


def _no_move_vacancies(
    core: Core, problem: ProblemData, orig: np.ndarray[Any, Any], settings: SolveSettings
) -> int | None:
    """The proven no-move optimum: the plan's own vacancies when it moves nobody beyond the
    forced, else one exact level-1 solve with the stayers locked."""
    if len(core.levels) < 2:
        return None
    if core.levels[1].value - core.forced <= 0:
        return core.levels[0].value
    deadline = time.perf_counter() + settings.time_limit_s
    mask = np.ones(problem.n_arcs, dtype=bool)
    return no_move_vacancies(problem, orig, mask, settings, deadline)


def no_plan(
    core: Core, rnd: Round, no_move: int | None, settings: SolveSettings, notes: list[str]
) -> Replacement:
    """The replacement when the levels found no plan: the status, levels and notes alone."""
    result = Result(
        core.status, None, None, None, {}, core.method, core.time_s,
        seed=settings.seed, notes=tuple(notes),
    )  # fmt: skip
    return Replacement(
        core.status, core.method, core.levels, result, rnd, (), no_move, core.forced,
        core.paths, tuple(notes), core.time_s,
    )  # fmt: skip


def replace(
    situation: Situation, pairs: CandidatePairs, settings: SolveSettings | None = None
) -> Replacement:
    """Decide the replacement for a situation (see module docstring)."""
    rnd = situation.round
    settings = settings or rnd.settings
    cov = rnd.rules.coverage.model_copy(update={"allow_vacancies": True})
    relaxed = rnd.model_copy(update={"rules": rnd.rules.model_copy(update={"coverage": cov})})
    problem = build_problem(relaxed, pairs)
    orig = orig_groups(problem, situation.sitting)
    core = solve_replacement(problem, orig, settings)
    no_move = _no_move_vacancies(core, problem, orig, settings)
    start = no_move
    notes = [n for n in (_no_move_note(core, no_move), *situation.notes, *core.notes) if n]
    if core.solution is None:
        return no_plan(core, rnd, start, settings, notes)
    sol = core.solution
    obj = sol.cost(problem)
    result = Result(
        status=core.status,
        objective=obj,
        bound=float(obj) if core.status is Status.OPTIMAL else None,
        gap=0.0 if core.status is Status.OPTIMAL else None,
        terms=objective_terms(problem, sol),
        method=core.method,
        time_s=core.time_s,
        assignments=build_assignments(problem, sol),
        unplaced_cadres=unplaced(problem, sol),
        seed=settings.seed,
        notes=tuple(notes),
    )
    names = {c.id: c.name for c in rnd.cadres}
    changes = describe_changes(
        problem, orig, sol, situation.departures, situation.forced, situation.origin, names
    )
    return Replacement(
        core.status,
        core.method,
        core.levels,
        result,
        with_plan_posts(rnd, result),
        changes,
        start,
        core.forced,
        core.paths,
        tuple(notes),
        core.time_s,
    )


def with_plan_posts(rnd: Round, result: Result) -> Round:
    """The round with every cadre's current post set to its post in ``result`` (or none)."""
    posts = plan_posts(result)
    cadres = [
        c.model_copy(
            update={
                "current_post": CurrentPost(
                    community=posts[c.id][0], post_type=PostType(posts[c.id][1])
                )
                if c.id in posts
                else None
            }
        )
        for c in rnd.cadres
    ]
    return rnd.model_copy(update={"cadres": cadres})
