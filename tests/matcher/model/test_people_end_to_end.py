"""End to end: a roster with a planted duplicate person is refused naming both rows; merged,
the plan posts nobody twice, only Party members as first secretaries, nobody against 本人意愿
and nobody the vetting held back — generated rosters, several seeds."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest

from matcher import InvalidInput, Origin, validate_round
from matcher.analysis.rule_check import check_rules
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
from matcher.model.identity import check_char
from tests.matcher.engine_fixtures import all_pairs

WISHES = ["兼职", "非脱产", "只愿兼职", "脱产", "全职", "服从安排", "均可", "都可以", ""]
STATUSES = ["中共党员"] * 6 + ["中共预备党员", "群众", "共青团员", ""]
SKILLS = ["卫生", "养老", "应急", "城管", "审计", "文字综合", "党建", "财务"]


def _roster(seed: int) -> dict[str, Any]:
    """Six communities (1 脱产 + 2 兼职 posts each) and 40 cadres in the clerk's words."""
    rng = random.Random(seed)
    coms = [
        {
            "id": f"S{j}",
            "name": f"{'东西南北中新'[j]}苑社区",
            "district": {"code": "210702", "name": "古塔区"},
            "location": {"lon": 121.10 + 0.02 * j, "lat": 41.10 + 0.01 * (j % 2)},
            "weak": j < 2,
            "posts": {"full_time": "1名", "part_time": "两名"},
            "required_skills": {"part_time": rng.sample(SKILLS, 2)},
        }
        for j in range(6)
    ]
    cads = []
    for i in range(40):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))
        first17 = f"210702{born:%Y%m%d}{i:03d}"
        cads.append(
            {
                "id": f"K{i:02d}",
                "name": f"干部{i}",
                "unit": f"市{['财政局', '民政局', '卫健委', '应急局', '审计局'][i % 5]}",
                "level": "city",
                "home_district": "210702",
                "rank": "副科",
                "id_number": first17 + check_char(first17),
                "political_status": rng.choice(STATUSES),
                "availability": rng.choice(WISHES),
                "skills": rng.sample(SKILLS, 2),
                "location": {
                    "lon": 121.08 + 0.14 * rng.random(),
                    "lat": 41.08 + 0.05 * rng.random(),
                },
            }
        )
    cads[3]["clearances"] = [{"department": "纪检", "status": "待审"}]
    return {"communities": coms, "cadres": cads, "rules": {"max_distance": {"km": 50}}}


def _plant_duplicate(raw: dict[str, Any]) -> None:
    """K07 nominated again by another unit as K40 (one 序号 more), saying 服从安排."""
    again = copy.deepcopy(raw["cadres"][7]) | {"id": "K40", "unit": "市委办公室"}
    again["availability"] = "服从安排"
    raw["cadres"].append(again)


@pytest.mark.parametrize("seed", range(4))
def test_duplicate_refused_then_merged_and_the_plan_keeps_every_intent(seed: int) -> None:
    """validate names both rows; merged, the plan obeys persons, membership, wishes, vetting."""
    raw = _roster(seed)
    _plant_duplicate(raw)
    origin = Origin("round", rows={"cadres": [("名单.xlsx[干部]", i + 4) for i in range(41)]})
    with pytest.raises(InvalidInput) as err:
        validate_round(raw, origin)
    (dup,) = [p for p in err.value.problems if "同一人" in (p.zh or "")]
    assert (
        dup.where.startswith("row 44")
        and "第 11 行" in (dup.zh or "")
        and "干部7（K07）" in (dup.zh or "")
    )

    raw["identity"] = {"merge_duplicates": True}
    rnd = validate_round(raw, origin)
    assert len(rnd.cadres) == 40
    k07 = next(c for c in rnd.cadres if c.id == "K07")
    res = solve(build_problem(rnd, all_pairs(rnd)), rnd.settings)
    assert res.is_feasible(), res.summary()
    by_id = {c.id: c for c in rnd.cadres}
    posted = [(a.post_type, by_id[a.cadre_id]) for a in res.assignments if a.cadre_id]
    numbers = [c.id_number for _, c in posted]
    assert len(numbers) == len(set(numbers))  # nobody twice
    assert all(c.political_status == "中共党员" for t, c in posted if t == "full-time")
    assert all(c.availability.value in ("either", t) for t, c in posted)
    assert "K03" not in {c.id for _, c in posted}  # 纪检 pending
    alone = validate_round(_roster(seed)).cadres[7]
    assert k07.availability == alone.availability and k07.unit == alone.unit  # first row kept
    assert sum(t == "part-time" for t, _ in posted) == 12  # 两名 per community
    assert all(c.holds for c in check_rules(rnd, res) if c.holds is not None)
