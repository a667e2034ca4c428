"""uvicorn's HTTP protocol, answering requests it cannot parse with problem+json too.

A request line or header uvicorn's parser refuses (an absurd ``Content-Length``, a broken
header) never reaches the app: uvicorn answers it itself, as ``text/plain``. Started with
``--http matcher_service.http_protocol:ProblemHttpTools`` (as ``make serve`` does), that
answer is an RFC 9457 problem like every other error of the service.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from matcher_service.problems import PROBLEM_MEDIA_TYPE, TYPE_BASE


def problem_400(msg: str) -> bytes:
    """The body of the 400 problem for a request that could not be parsed."""
    return json.dumps(
        {
            "type": TYPE_BASE + "malformed-http",
            "title": "Bad request",
            "status": 400,
            "detail": f"请求格式错误 / the HTTP request could not be parsed: {msg}",
        },
        ensure_ascii=False,
    ).encode()


def _response(msg: str, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    body = problem_400(msg)
    head = [b"HTTP/1.1 400 Bad Request\r\n"]
    head += [name + b": " + value + b"\r\n" for name, value in default_headers]
    head += [
        b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n",
        b"content-length: " + str(len(body)).encode() + b"\r\n",
        b"connection: close\r\n\r\n",
    ]
    return b"".join(head) + body


class ProblemHttpTools(HttpToolsProtocol):
    """The httptools protocol (uvicorn's default when installed) with problem+json 400s."""

    def send_400_response(self, msg: str) -> None:
        self.transport.write(_response(msg, self.server_state.default_headers))
        self.transport.close()


class ProblemH11(H11Protocol):
    """The pure-Python h11 protocol with problem+json 400s."""

    def send_400_response(self, msg: str) -> None:
        self.transport.write(_response(msg, self.server_state.default_headers))
        self.transport.close()
