"""One numbering of posts everywhere users see them: roster, explain, maps, plan.json and the
API agree on "the second part-time post of GT02", counted from 1; 0 is refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

import matcher_cli
from geodata.export import plan_features
from geodata.map_html import render_html
from geodata.pipeline import run_round
from matcher.model.io import read_round
from matcher_service.jobs import run_job
from tests.matcher_service.conftest import running, sqlite_settings

TINY = Path(__file__).parent / "data" / "rounds" / "tiny.json"


def two_part_time_posts(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """tiny.json with two part-time posts in GT02 and one more part-time cadre (周七, C07)."""
    raw = json.loads(TINY.read_text(encoding="utf-8"))
    for com in raw["communities"]:
        if com["id"] == "GT02":
            com["posts"] = {"full_time": 1, "part_time": 2}
    c02 = next(c for c in raw["cadres"] if c["id"] == "C02")
    raw["cadres"].append({**c02, "id": "C07", "name": "周七", "skills": []})
    path = tmp_path / "round.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path, raw


def test_roster_explain_map_plan_and_api_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GT02's part-time post 2 names the same cadre in the roster (岗位序号 2, 兼职委员（2）),
    plan.json (slot 2), ``explain --post GT02/part-time/2``, the GeoJSON, the HTML popup and
    the API's post explanation."""
    path, raw = two_part_time_posts(tmp_path)
    out = tmp_path / "out"
    assert matcher_cli.main(["solve", str(path), "-o", str(out), "--format", "json,csv"]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO((out / "roster.csv").read_text("utf-8-sig"))))
    [row] = [r for r in rows if r["社区编号"] == "GT02" and r["岗位序号"] == "2"]
    cadre = row["干部编号"]
    assert cadre and row["岗位"] == "担任兼职委员（2）"
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    [post] = [
        a
        for a in plan["result"]["assignments"]
        if (a["community"], a["post_type"], a["slot"]) == ("GT02", "part-time", 2)
    ]
    assert post["cadre"] == cadre and plan["format_version"] == 2
    assert min(a["slot"] for a in plan["result"]["assignments"]) == 1

    code = matcher_cli.main(["explain", str(path), "--post", "GT02/part-time/2", "--json"])
    [why] = json.loads(capsys.readouterr().out)["posts"]
    assert code == 0 and (why["slot"], why["cadre_id"], why["post"]) == (2, cadre, "兼职委员（2）")

    rnd = read_round(path)
    result = run_round(rnd).result
    gt02 = next(f for f in plan_features(rnd, result)["features"] if f.get("id") == "GT02")
    [geo] = [
        p for p in gt02["properties"]["posts"] if p["post_type"] == "part-time" and p["slot"] == 2
    ]
    assert geo["cadre_id"] == cadre
    name = next(c.name for c in rnd.cadres if c.id == cadre)
    page = render_html(rnd, result)
    assert "兼职委员（2）" in page and name in page

    with running(sqlite_settings(tmp_path / "api")) as api:
        rid = api.create(raw)["id"]
        job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
        assert run_job(api.app.state.store, run_round, job["id"]) == "succeeded"
        pid = api.client.get(f"/rounds/{rid}/plans", headers=api.h("viewer")).json()["items"][-1]
        r = api.client.get(f"/plans/{pid['id']}/posts/GT02/part-time/2", headers=api.h("viewer"))
        assert r.status_code == 200 and r.json()["cadre"] == cadre
        old = api.client.get(f"/plans/{pid['id']}/posts/GT02/part-time/0", headers=api.h("viewer"))
        assert old.status_code == 422 and "numbered from 1" in old.json()["detail"]


def test_old_zero_based_reference_is_refused_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--post GT01/full-time/0`` (the old first post) is an argument error, never post 1."""
    code = matcher_cli.main(["explain", str(TINY), "--post", "GT01/full-time/0", "--lang", "en"])
    assert code == 2 and "old 0-based" in capsys.readouterr().out


def test_stored_zero_based_plans_are_renumbered() -> None:
    """A plan stored before numbering from 1 reads back with its posts counted from 1."""
    from matcher_service.results import result_from_dict

    old = {
        "status": "optimal",
        "assignments": [
            {"community": "GT01", "post_type": "part-time", "slot": s, "cadre": c}
            for s, c in ((0, "C02"), (1, "C05"))
        ],
    }
    assert [a.slot for a in result_from_dict(old).assignments] == [1, 2]
