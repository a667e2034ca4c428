"""What happened since a plan was approved, and the round it leaves behind.

Events are stated the way an organisation department records them: cadres recalled (召回),
promoted (提拔), withdrawn (退出) or found unsuitable for their post (人岗不适, with the
communities they must not return to); new cadres added to the pool; communities added,
merged or closed; the rules changed. :func:`apply_events` turns the approved plan and the
events into a :class:`Situation`: the new round (sitting cadres hold their posts as current
posts), who leaves, and which sitting cadres cannot keep their post and why.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matcher.engine.result import Result
from matcher.lifecycle.terms import Outcome
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Cadre, Community, Id, Round
from matcher.model.rules import Rules
from matcher.model.validate import Origin, validate_round


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Unsuitable(_Model):
    """A cadre found unsuitable for the post (人岗不适): leaves it, and never returns to it nor
    to the communities listed."""

    cadre: Id
    not_back_to: list[Id] = Field(default_factory=list)
    reason: str = ""


class Merge(_Model):
    """Community ``community`` is merged into ``into``: its posts move there with their holders."""

    community: Id
    into: Id


class Events(_Model):
    """Everything that changed since the plan was approved."""

    recall: list[Id] = Field(default_factory=list, description="召回")
    promote: list[Id] = Field(default_factory=list, description="提拔")
    withdraw: list[Id] = Field(default_factory=list, description="退出 (illness, resignation …)")
    unsuitable: list[Unsuitable] = Field(default_factory=list)
    reasons: dict[str, str] = Field(default_factory=dict, description="cadre id → reason")
    add_cadres: list[Cadre] = Field(default_factory=list)
    add_communities: list[Community] = Field(default_factory=list)
    close_communities: list[Id] = Field(default_factory=list)
    merge: list[Merge] = Field(default_factory=list)
    rules: Rules | None = None
    effective: date | None = Field(default=None, description="date the adjustment takes effect")

    def leaving(self) -> dict[str, Outcome]:
        """Cadres who leave the pool, with the outcome of their posting."""
        out = {c: Outcome.RECALLED for c in self.recall}
        out |= {c: Outcome.PROMOTED for c in self.promote}
        out |= {c: Outcome.WITHDRAWN for c in self.withdraw}
        return out


@dataclass(frozen=True, slots=True)
class Departure:
    """A cadre who leaves a post (or the pool) because of an event."""

    cadre_id: str
    community_id: str | None
    post_type: str | None
    outcome: Outcome
    reason: str
    name: str = ""  # for the adjustment list, which names people (the cadre may leave the pool)


@dataclass(frozen=True, slots=True)
class Situation:
    """The round after the events and what the plan's sitting cadres hold.

    ``sitting`` maps every cadre still in the pool who held a post in the plan to (community,
    post type) *after* merges; ``origin`` to the post the plan gave it (before merges);
    ``forced`` says why a sitting cadre cannot keep that post; ``notes`` what the events
    changed besides posts (wishes and locks dropped, and why)."""

    round: Round
    sitting: dict[str, tuple[str, str]]
    departures: tuple[Departure, ...]
    forced: dict[str, str]
    origin: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    notes: tuple[str, ...] = ()


def plan_posts(result: Result) -> dict[str, tuple[str, str]]:
    """Cadre id → (community, post type) of every filled post of a plan (first post wins)."""
    out: dict[str, tuple[str, str]] = {}
    for a in result.assignments:
        if a.cadre_id is not None and a.cadre_id not in out:
            out[a.cadre_id] = (a.community_id, a.post_type)
    return out


def _check(rnd: Round, posts: dict[str, tuple[str, str]], ev: Events) -> list[InputProblem]:
    cadres, coms = rnd.cadre_index(), rnd.community_index()
    out: list[InputProblem] = []
    seen: set[str] = set()
    named = [("recall", c) for c in ev.recall] + [("promote", c) for c in ev.promote]
    named += [("withdraw", c) for c in ev.withdraw] + [
        ("unsuitable", u.cadre) for u in ev.unsuitable
    ]
    for _i, (field, cid) in enumerate(named):
        if cid not in cadres:
            out.append(
                InputProblem("events", field, "no such cadre in the plan's round", cid, field)
            )
        elif cid in seen:
            out.append(InputProblem("events", field, "named by two events", cid, field))
        seen.add(cid)
    for u in ev.unsuitable:
        if u.cadre in cadres and u.cadre not in posts:
            msg = "holds no post in the plan, so cannot be unsuitable for one"
            out.append(InputProblem("events", "unsuitable", msg, u.cadre, "cadre"))
        for c in u.not_back_to:
            if c not in coms:
                out.append(InputProblem("events", "unsuitable.not_back_to", "no such community", c))
    gone = set(ev.close_communities) | {m.community for m in ev.merge}
    for c in ev.close_communities + [m.community for m in ev.merge] + [m.into for m in ev.merge]:
        if c not in coms:
            out.append(InputProblem("events", "communities", "no such community in the round", c))
    for m in ev.merge:
        if m.into in gone:
            msg = "merged into a community that is itself closed or merged"
            out.append(InputProblem("events", "merge", msg, m.into, "into"))
    return out


def _reason(ev: Events, cid: str, default: str) -> str:
    return ev.reasons.get(cid, "") or default


def check_events(rnd: Round, result: Result, ev: Events) -> None:
    """:class:`InvalidInput` with every event naming what the plan's round has not (unknown
    cadres and communities, a cadre named twice …): what a service checks before it queues
    the replacement (the new round itself is validated when it is made)."""
    problems = _check(rnd, plan_posts(result), ev)
    if problems:
        raise InvalidInput(problems)


def apply_events(rnd: Round, result: Result, ev: Events) -> Situation:
    """The new round and who must leave, or :class:`InvalidInput` with every problem."""
    posts = plan_posts(result)
    check_events(rnd, result, ev)
    leaving = ev.leaving()
    merged = {m.community: m.into for m in ev.merge}
    closed = set(ev.close_communities)
    departures: list[Departure] = []
    names = {c.id: c.name for c in rnd.cadres}
    com_names = {c.id: c.name for c in rnd.communities}
    for cid, outcome in leaving.items():
        com, typ = posts.get(cid, (None, None))
        why = _reason(ev, cid, outcome.zh)
        departures.append(Departure(cid, com, typ, outcome, why, names.get(cid, "")))
    sitting: dict[str, tuple[str, str]] = {}
    forced: dict[str, str] = {}
    for cid, (com, typ) in posts.items():
        if cid in leaving:
            continue
        if com in closed:
            sitting[cid] = (com, typ)
            forced[cid] = f"{com_names.get(com, com)}撤销"
            continue
        sitting[cid] = (merged.get(com, com), typ)
    unsuitable = {u.cadre: u for u in ev.unsuitable}
    for cid, u in unsuitable.items():
        why = u.reason or _reason(ev, cid, Outcome.UNSUITABLE.zh)
        forced[cid] = f"{Outcome.UNSUITABLE.zh}：{why}" if why != Outcome.UNSUITABLE.zh else why
        com, typ = posts[cid]
        departures.append(Departure(cid, com, typ, Outcome.UNSUITABLE, why, names.get(cid, "")))

    raw = rnd.model_dump(mode="json")
    coms = [c for c in raw["communities"] if c["id"] not in closed and c["id"] not in merged]
    by_id = {c["id"]: c for c in coms}
    for m in ev.merge:
        src = next(c for c in raw["communities"] if c["id"] == m.community)
        into = by_id[m.into]
        into["posts"] = {k: into["posts"][k] + src["posts"][k] for k in into["posts"]}
    coms += [c.model_dump(mode="json") for c in ev.add_communities]
    cads: list[dict[str, Any]] = []
    for c in raw["cadres"]:
        if c["id"] in leaving:
            continue
        held = sitting.get(c["id"])
        c["current_post"] = None
        if held is not None and held[0] in by_id:
            c["current_post"] = {"community": held[0], "post_type": held[1]}
        cads.append(c)
    cads += [{**c.model_dump(mode="json"), "current_post": None} for c in ev.add_cadres]
    notes = _rewish(cads, closed, merged)
    rules = (ev.rules or rnd.rules).model_dump(mode="json")
    live = {c["id"] for c in coms}
    notes += _dropped_locks(rules["locks"], ev, live, set(unsuitable))
    notes += _reselect(rules, closed, merged, {c["district"]["code"] for c in coms})
    for key in ("locks", "forbidden_pairs"):
        rules[key] = [r for r in rules[key] if r["cadre"] not in leaving and r["community"] in live]
    rules["locks"] = [r for r in rules["locks"] if r["cadre"] not in unsuitable]
    for cid, u in unsuitable.items():
        why = forced[cid]
        was = posts[cid][0]  # after a merge the post (and the ban) moved with it
        for com in dict.fromkeys([merged.get(was, was), *u.not_back_to]):
            if com in live:
                rules["forbidden_pairs"].append({"cadre": cid, "community": com, "reason": why})
    raw.update(communities=coms, cadres=cads, rules=rules)
    new = validate_round(raw, Origin("events"))
    origin = {cid: post for cid, post in posts.items() if cid not in leaving}
    return Situation(new, sitting, tuple(departures), forced, origin, tuple(notes))


def _rewish(cads: list[dict[str, Any]], closed: set[str], merged: dict[str, str]) -> list[str]:
    """Wishes (志愿) for a closed community are dropped, for a merged one they point to the
    community it joined; one note per community saying how many cadres' wishes changed."""
    touched: dict[str, int] = {}
    for c in cads:
        wishes: list[str] = c.get("preferences") or []
        if not any(w in closed or w in merged for w in wishes):
            continue
        for w in wishes:
            if w in closed or w in merged:
                touched[w] = touched.get(w, 0) + 1
        kept = [merged.get(w, w) for w in wishes if w not in closed]
        c["preferences"] = list(dict.fromkeys(kept))
    out = []
    for com, n in sorted(touched.items()):
        if com in closed:
            out.append(
                f"社区{com}撤销：已从 {n} 名干部的志愿中删除 / community {com} closed: removed "
                f"from the wishes of {n} cadres"
            )
        else:
            out.append(
                f"社区{com}并入{merged[com]}：{n} 名干部的志愿改为{merged[com]} / community {com} "
                f"merged into {merged[com]}: {n} cadres' wishes now name it"
            )
    return out


def _reselect(
    rules: dict[str, Any], closed: set[str], merged: dict[str, str], districts: set[str]
) -> list[str]:
    """Rule selectors lose closed communities (``where.communities``, merged ones follow the
    community they joined) and districts left without a community (``where.districts``); a
    rule left selecting nothing it named is switched off (an empty list would select every
    community), with a note."""
    out: list[str] = []
    for key in ("rank_floors", "skill_mix"):
        for k, rule in enumerate(rules.get(key, [])):
            where = rule.get("where") or {}
            coms: list[str] = where.get("communities") or []
            dists: list[str] = where.get("districts") or []
            new_coms = list(dict.fromkeys(merged.get(c, c) for c in coms if c not in closed))
            new_dists = [d for d in dists if d in districts]
            if new_coms == coms and new_dists == dists:
                continue
            where["communities"], where["districts"] = new_coms, new_dists
            if (coms and not new_coms) or (dists and not new_dists):
                rule["enabled"] = False
                out.append(
                    f"规则 {key}[{k}]（{rule.get('name', '')}）所指社区已全部撤销，已停用 / rule "
                    f"{key}[{k}] named only communities that are gone: switched off"
                )
    return out


def _dropped_locks(
    locks: list[dict[str, Any]], ev: Events, live: set[str], unsuitable: set[str]
) -> list[str]:
    """One note per lock the events void, naming the lock and why it is dropped."""
    leaving = ev.leaving()
    merged = {m.community: m.into for m in ev.merge}
    out: list[str] = []
    for lock in locks:
        cid, com = lock["cadre"], lock["community"]
        if cid in leaving:
            zh, en = leaving[cid].zh, leaving[cid].value
        elif cid in unsuitable:
            zh, en = Outcome.UNSUITABLE.zh, "unsuitable"
        elif com in merged:
            zh, en = f"社区{com}并入{merged[com]}", f"community merged into {merged[com]}"
        elif com not in live:
            zh, en = f"社区{com}撤销", "community closed"
        else:
            continue
        out.append(f"锁定 {cid}→{com} 已取消：{zh} / lock {cid} → {com} dropped: {en}")
    return out
