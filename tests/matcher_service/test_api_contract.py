"""The contract is true (issue 15, item 6): strict number types, problem+json for requests
the HTTP parser refuses, and docs that load nothing from outside."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.matcher_service.conftest import Api, sqlite_settings, tiny
from tests.matcher_service.live import LiveServer

PROBLEM = "application/problem+json"


def test_booleans_are_not_numbers(api: Api) -> None:
    """`lat: false` and `full_time: true` are 422 naming the field; real numbers pass."""
    raw = tiny()
    raw["cadres"][0]["location"]["lat"] = False
    raw["communities"][1]["posts"]["full_time"] = True
    r = api.client.post("/rounds", json=raw, headers=api.h("planner"))
    assert r.status_code == 422
    pointers = {e["pointer"] for e in r.json()["errors"]}
    assert pointers == {"/cadres/0/location/lat", "/communities/1/posts/full_time"}
    raw["cadres"][0]["location"]["lat"] = 41.128
    raw["communities"][1]["posts"]["full_time"] = 1
    assert api.client.post("/rounds", json=raw, headers=api.h("planner")).status_code == 201


def _raw_request(port: int, head: bytes) -> tuple[str, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status, _, rest = data.partition(b"\r\n")
    header_text, _, body = rest.partition(b"\r\n\r\n")
    headers = {}
    for line in header_text.decode().split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status.decode(), headers, body


def test_unparsable_requests_get_problem_json(tmp_path: Path) -> None:
    """An absurd or negative Content-Length, refused by the HTTP parser before the app sees
    it, is still a 400 problem+json from a server started as make serve starts it; a
    merely huge one reaches the app and gets its 413 problem."""
    url = sqlite_settings(tmp_path).database_url
    server = LiveServer(url, "tests.matcher_service.solve_doubles:greedy_run", MATCHER_WORKERS="0")
    server.start()
    try:
        for length in (b"99999999999999999999999999", b"-1", b"12abc"):
            head = b"POST /rounds HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n"
            status, headers, body = _raw_request(server.port, head)
            assert status.startswith("HTTP/1.1 400"), (length, status)
            assert headers["content-type"] == PROBLEM
            assert json.loads(body)["status"] == 400
        head = b"POST /rounds HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n"
        status, headers, body = _raw_request(server.port, head)
        assert status.startswith("HTTP/1.1 413") and headers["content-type"] == PROBLEM
    finally:
        server.stop()


def test_docs_page_loads_nothing_from_outside(api: Api) -> None:
    """/docs references only the service's own assets, and they are served (offline docs)."""
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        r = api.client.get(f"/docs/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 1000, asset
