"""Who leaves, who comes, who moves and why: the replacement told as chains of moves.

The optimal replacement differs from "everyone stays" by disjoint chains of moves:
a post left empty by an event is taken by a sitting cadre, whose post is taken by the next,
…, until a free or new cadre fills the last one. Each move's reason is its chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import Solution
from matcher.engine.problem import ProblemData
from matcher.lifecycle.events import Departure

_TYPE_ZH = {"full-time": "第一书记", "part-time": "兼职委员"}


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the adjustment list (调整名单).

    ``kind``: ``leaves`` (an event takes the cadre off the post), ``moves`` (a sitting cadre
    changes post), ``released`` (a sitting cadre loses the post), ``comes`` (a cadre without
    a post takes one), ``follows`` (the cadre keeps the post, which moved with a merged
    community: not a move). ``chain`` lists the cadres of the move chain, origin first."""

    cadre_id: str
    kind: str
    from_post: tuple[str, str] | None
    to_post: tuple[str, str] | None
    reason: str
    chain: tuple[str, ...] = ()
    outcome: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON."""

        def post(p: tuple[str, str] | None) -> dict[str, str] | None:
            return None if p is None else {"community": p[0], "post_type": p[1]}

        return {
            "cadre": self.cadre_id,
            "kind": self.kind,
            "from": post(self.from_post),
            "to": post(self.to_post),
            "reason": self.reason,
            "chain": list(self.chain),
            "outcome": self.outcome,
        }


def post_label(post: tuple[str, str] | None, communities: dict[str, str] | None = None) -> str:
    """``北街社区 第一书记`` (the community by name when ``communities`` maps its id)."""
    if post is None:
        return "—"
    name = (communities or {}).get(post[0], post[0])
    return f"{name} {_TYPE_ZH.get(post[1], post[1])}"


def describe_changes(
    problem: ProblemData,
    orig_group: NDArray[np.int64],
    sol: Solution,
    departures: tuple[Departure, ...],
    forced: dict[str, str],
    origin: dict[str, tuple[str, str]] | None = None,
    names: dict[str, str] | None = None,
) -> tuple[Change, ...]:
    """Every change of the replacement against the approved plan, with its reason; the
    reasons name the cadres they mention by ``names`` (id → name), never by id.

    ``origin`` is the post each sitting cadre held in the approved plan (before merges): a
    cadre whose community was closed is listed from it, and the holders of a merged
    community who keep their post are listed too (``follows``: the post moved with them)."""
    p = problem
    origin = origin or {}
    known = {**{d.cadre_id: d.name for d in departures if d.name}, **(names or {})}

    def who(cid: str) -> str:
        return known.get(cid, cid)

    def post(g: int) -> tuple[str, str]:
        return (
            p.community_ids[p.group_community[g]],
            ("full-time", "part-time")[p.group_type[g]],
        )

    final = np.full(len(p.cadre_ids), -1, dtype=np.int64)
    final[p.arc_cadre[sol.chosen]] = p.arc_group[sol.chosen]
    ids = p.cadre_ids
    # who left each post (origin of a chain): events first, then sitting cadres moving out
    left: dict[tuple[str, str], list[str]] = {}
    why_left: dict[str, str] = {}
    for d in departures:
        if d.community_id is not None and d.post_type is not None and d.cadre_id not in forced:
            left.setdefault((d.community_id, d.post_type), []).append(d.cadre_id)
            why_left[d.cadre_id] = d.reason
    movers = [i for i in range(len(ids)) if orig_group[i] != -1 and final[i] != orig_group[i]]
    own = p.arc_group == orig_group[p.arc_cadre]
    may_stay = set(np.unique(p.arc_cadre[own]).tolist())  # the rules still allow their post
    for i in movers:
        if orig_group[i] >= 0:
            left.setdefault(post(int(orig_group[i])), []).append(ids[i])
            why_left.setdefault(ids[i], forced.get(ids[i], "调整岗位"))
    arrivals = [i for i in range(len(ids)) if final[i] >= 0 and final[i] != orig_group[i]]
    replaced: dict[str, str | None] = {}  # arriving cadre → cadre whose post it took (None: vacant)
    successor: dict[str, str] = {}
    queues = {k: list(v) for k, v in left.items()}
    for i in arrivals:
        q = queues.get(post(int(final[i])), [])
        prev = q.pop(0) if q else None
        replaced[ids[i]] = prev
        if prev is not None:
            successor[prev] = ids[i]

    def chain_of(cid: str) -> tuple[str, ...]:
        back: list[str] = []
        cur: str | None = cid
        while cur is not None and cur not in back:
            back.insert(0, cur)
            cur = replaced.get(cur)
        fwd = successor.get(cid)
        while fwd is not None and fwd not in back:
            back.append(fwd)
            fwd = successor.get(fwd)
        return tuple(back)

    out: list[Change] = []
    outcome = {d.cadre_id: d.outcome.value for d in departures}
    for d in departures:
        if d.cadre_id in forced:
            continue  # told with its move below
        frm = None if d.community_id is None else (d.community_id, d.post_type or "full-time")
        succ = successor.get(d.cadre_id)
        tail = f"；由 {who(succ)} 接任" if succ else "；岗位暂空缺" if frm else ""
        why, chain = f"{d.reason}{tail}", chain_of(d.cadre_id)
        out.append(Change(d.cadre_id, "leaves", frm, None, why, chain, d.outcome.value))
    leaving = {d.cadre_id for d in departures if d.cadre_id not in forced}
    for i in movers:
        cid = ids[i]
        frm = origin.get(cid) or (post(int(orig_group[i])) if orig_group[i] >= 0 else None)
        to = post(int(final[i])) if final[i] >= 0 else None
        chain = chain_of(cid)
        if cid in forced:
            why = forced[cid]
        elif orig_group[i] >= 0 and i not in may_stay:
            why = "按现行规则不再符合原岗位条件"
        else:
            prev = replaced.get(cid)
            took = (
                f"接替 {who(prev)}（{why_left.get(prev, '调整岗位')}）" if prev else "填补空缺岗位"
            )
            why = f"{took}，以最少调整补齐岗位"
        ended = outcome.get(cid, "moved")
        if to is None:
            out.append(Change(cid, "released", frm, None, why, chain, ended))
            continue
        succ = successor.get(cid)
        tail = f"；原岗位由 {who(succ)} 接任" if succ else ""
        out.append(Change(cid, "moves", frm, to, f"{why}{tail}", chain, ended))
    for i in np.nonzero((orig_group >= 0) & (final == orig_group))[0].tolist():
        cid, now = ids[i], post(int(final[i]))
        was = origin.get(cid)
        if was is not None and was[0] != now[0]:
            why = f"社区{was[0]}并入{now[0]}，随岗位转入 / community {was[0]} merged into {now[0]}"
            out.append(Change(cid, "follows", was, now, why, (cid,), "serving"))
    for i in arrivals:
        cid = ids[i]
        if orig_group[i] != -1 or cid in leaving:
            continue
        prev = replaced.get(cid)
        why = f"接替 {who(prev)}（{why_left.get(prev, '调整岗位')}）" if prev else "填补空缺岗位"
        out.append(Change(cid, "comes", None, post(int(final[i])), why, chain_of(cid), "serving"))
    return tuple(out)
