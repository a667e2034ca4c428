"""Downloads are named for the clerk's folder: the round's name, its version and what the
file is, sent as RFC 5987 ``filename*`` (Chinese) with an ASCII fallback; never a plan id."""

from __future__ import annotations

import json
from urllib.parse import unquote

from matcher.model.validate import validate_round
from matcher_service.filenames import content_disposition, download_name
from matcher_service.jobs import run_job
from matcher_service.store import Store
from tests.matcher_service.conftest import Api, tiny
from tests.matcher_service.solve_doubles import greedy_run


def test_names_come_from_round_and_version() -> None:
    """Chinese and English names; characters a file system refuses become underscores."""
    assert (
        download_name("古塔区/2024", 3, "xlsx", ".xlsx", "zh") == "古塔区_2024-第3版-选派名单.xlsx"
    )
    assert download_name("Guta 2024", 2, "pdf", ".pdf", "en") == "Guta 2024-v2-roster.pdf"
    header = content_disposition("古塔区-第1版-选派名单.pdf")
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''" in header
    assert unquote(header.split("UTF-8''")[1]) == "古塔区-第1版-选派名单.pdf"
    assert header.split('"')[1].isascii()


def test_export_is_named_for_the_round(api: Api) -> None:
    """A solved plan's roster downloads as <round>-第<v>版-选派名单.xlsx, no plan id."""
    store: Store = api.app.state.store
    body = json.loads(validate_round(tiny()).model_dump_json())
    body["name"] = "古塔区2024年第一书记选派"
    info = store.create_round(body["name"], json.dumps(body), (3, 6), "test")
    job = api.client.post(f"/rounds/{info.id}/solve", headers=api.h("planner")).json()
    assert run_job(store, greedy_run, job["id"]) == "succeeded"
    plan_id = store.get_job(job["id"]).plan_id
    for fmt, what in (("xlsx", "选派名单"), ("pdf", "选派名单"), ("geojson", "地图数据")):
        r = api.client.get(f"/plans/{plan_id}/export/{fmt}", headers=api.h("viewer"))
        assert r.status_code == 200
        name = unquote(r.headers["content-disposition"].split("UTF-8''")[1])
        assert name == f"古塔区2024年第一书记选派-第{info.version}版-{what}.{fmt}"
        assert str(plan_id) not in r.headers["content-disposition"]
