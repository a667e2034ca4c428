"""The page's own files and its district outlines go out once per version: an ETag, 304 to
it, gzip when the client takes it; the outlines of an erased round are a 404."""

from __future__ import annotations

import gzip
import json
from typing import Any

from tests.matcher_service.conftest import Api

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


def test_scripts_come_compressed_with_an_etag_and_304(api: Api) -> None:
    """A script is gzip-compressed when asked (the same bytes once unpacked), plain otherwise,
    and a reload that names its ETag gets 304 with no body."""
    packed = api.client.get("/static/i18n.js", headers=GZIP)
    plain = api.client.get("/static/i18n.js", headers=PLAIN)
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert packed.headers["content-type"].startswith("text/javascript")
    assert packed.text == plain.text and "export function t(" in plain.text
    assert packed.headers["etag"] == plain.headers["etag"]
    assert packed.headers["cache-control"] == "no-cache"  # revalidated on every load
    again = api.client.get(
        "/static/i18n.js", headers={**GZIP, "If-None-Match": plain.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


def test_small_and_unknown_assets(api: Api) -> None:
    """The page itself keeps its security headers; an unknown file or a path out of the folder
    is a 404 problem, never a file of the server."""
    page = api.client.get("/", headers=GZIP)
    assert (
        page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    )
    assert page.headers["etag"]
    for name in ("nothing.js", "../../service.py", "..%2F..%2Fservice.py"):
        missing = api.client.get(f"/static/{name}")
        assert missing.status_code == 404, name
        assert missing.headers["content-type"].startswith("application/problem+json")


def test_a_changed_etag_sends_the_body(api: Api) -> None:
    """An ETag of another version of the file is not a 304."""
    res = api.client.get("/static/table.js", headers={"If-None-Match": '"not-this-one"'})
    assert res.status_code == 200 and "export class Table" in res.text


def test_district_outlines_once_per_round_version(api: Api) -> None:
    """The outlines carry an ETag, answer 304 to it, come gzip-compressed when large, are
    built once per version (the cache holds the same item), and name the round's districts."""
    made = api.create()
    url, h = f"/rounds/{made['id']}/districts", api.h("viewer")
    first = api.client.get(url, headers={**h, **GZIP})
    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("application/geo+json")
    outlines: dict[str, Any] = first.json()
    names = {f["properties"]["name"] for f in outlines["features"]}
    wanted = {c["district"]["name"] for c in made["round"]["communities"]}
    assert names and names <= wanted
    if len(first.content) > 8 * 1024:
        assert first.headers["content-encoding"] == "gzip"
    etag = first.headers["etag"]
    held = len(api.app.state.cache)
    same = api.client.get(url, headers={**h, "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    plain = api.client.get(url, headers={**h, **PLAIN})
    assert "content-encoding" not in plain.headers and json.loads(plain.content) == outlines
    assert len(api.app.state.cache) == held
    if first.headers.get("content-encoding") == "gzip":
        assert gzip.decompress(api.client.get(url, headers={**h, **GZIP}).content) == plain.content


def test_district_outlines_need_a_key_and_a_stored_round(api: Api) -> None:
    """No key: 401; a round that is not stored (or erased): 404, even with an ETag held."""
    made = api.create()
    url = f"/rounds/{made['id']}/districts"
    assert api.client.get(url).status_code == 401
    etag = api.client.get(url, headers=api.h("viewer")).headers["etag"]
    gone = api.client.get(
        "/rounds/r_nothing/districts", headers={**api.h("viewer"), "If-None-Match": etag}
    )
    assert gone.status_code == 404
