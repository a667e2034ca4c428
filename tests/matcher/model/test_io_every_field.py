"""Every documented community and cadre field (docs/round.md), set to a non-default value,
reads back equal after JSON → XLSX → read and JSON → CSV → read, in every header language.

The private fields (``id_number``, ``private``) have no table column yet (the workbook
reading by meaning adds them): JSON keeps them, the tables are compared without them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matcher.model.attributes import SecretaryType
from matcher.model.io import read_round, write_round_csv, write_round_json, write_round_xlsx
from matcher.model.round import Round

COMMUNITY: dict[str, Any] = {
    "id": "GT01",
    "name": "北街社区",
    "district": {"code": "210702", "name": "古塔区"},
    "street": "北街街道",
    "location": {"lon": 121.13, "lat": 41.13, "crs": "gcj02"},
    "polygon": {
        "rings": [[[121.12, 41.12], [121.14, 41.12], [121.14, 41.14], [121.12, 41.12]]],
        "crs": "gcj02",
    },
    "weak": True,
    "stars": 2,
    "tags": ["conflict-heavy", "new"],
    "posts": {"full_time": 2, "part_time": 3},
    "required_skills": {"full_time": ["party-building"], "part_time": ["finance", "petitions"]},
    "paired_units": ["市财政局", "市交通局"],
    "extra": {"备注": "老旧小区多"},
}


def _cadre(cid: str, name: str, id_number: str, secretary: str) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "unit": "市财政局",
        "level": "county",
        "home_district": "210702",
        "rank": "正科",
        "rank_title": "科长",
        "gender": "女",
        "birth_year": 1988,
        "birth_month": 8,
        "political_status": "中共党员",
        "skills": ["finance", "party-building"],
        "availability": "part-time",
        "location": {"lon": 121.131, "lat": 41.128, "crs": "gcj02"},
        "preferences": ["GT02", "GT01"],
        "disqualifications": [{"code": "D07", "reason": "正在接受纪律审查"}],
        "clearances": [
            {"department": "discipline", "status": "cleared", "date": "2024-05-06"},
            {"department": "petitions", "status": "pending", "note": "待复核"},
        ],
        "party_member": True,
        "education": "大学本科",
        "major": "会计学",
        "post_held": "科长",
        "leading_group": True,
        "secretary_type": secretary,
        "reserve": True,
        "tags": ["reserve-pool", "young"],
        "current_post": {"community": "GT01", "post_type": "part-time"},
        "extra": {"备注": "愿意下沉"},
        "id_number": id_number,
        "private": {"联系电话": "13800000000"},
    }


def every_field_round() -> Round:
    """Two communities (far enough apart to be two) and one cadre per secretary type (four
    people: distinct names and valid ID numbers), each field away from its default."""
    second = {
        **COMMUNITY,
        "id": "GT02",
        "name": "南街社区",
        "weak": False,
        "stars": 5,
        "location": {"lon": 121.15, "lat": 41.11, "crs": "gcj02"},
    }
    people = [("王一", "210702198808010110"), ("李二", "210702198808010217")]
    people += [("张三", "210702198808010313"), ("赵四", "21070219880801041X")]
    types = ("示范型", "骨干型", "潜力型", "守摊型")
    cadres = [
        _cadre(f"K{i}", name, number, zh)
        for i, ((name, number), zh) in enumerate(zip(people, types, strict=True), start=1)
    ]
    return Round.model_validate({"communities": [COMMUNITY, second], "cadres": cadres})


def test_every_secretary_type_reads_from_chinese() -> None:
    """The four documented Chinese secretary types read as the four enum values."""
    rnd = every_field_round()
    assert [c.secretary_type for c in rnd.cadres] == list(SecretaryType)


@pytest.mark.parametrize("headers", ["zh", "en", "both"])
def test_every_documented_field_round_trips(tmp_path: Path, headers: str) -> None:
    """JSON → XLSX → read and JSON → CSV → read give the round back, field for field."""
    write_round_json(every_field_round(), tmp_path / "r.json")
    rnd = read_round(tmp_path / "r.json")
    assert rnd == every_field_round()
    write_round_csv(rnd, tmp_path / "csv", headers=headers)
    write_round_xlsx(rnd, tmp_path / "r.xlsx", headers=headers)
    public = {"id_number", "private"}
    for path in (tmp_path / "csv", tmp_path / "r.xlsx"):
        back = read_round(path)
        for got, want in zip(back.cadres, rnd.cadres, strict=True):
            assert got.model_dump(exclude=public) == want.model_dump(exclude=public)
        for got_c, want_c in zip(back.communities, rnd.communities, strict=True):
            assert got_c.model_dump() == want_c.model_dump()
        assert back.model_dump(exclude={"cadres"}) == rnd.model_dump(exclude={"cadres"})
