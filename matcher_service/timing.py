"""Server-side latency on every response: ``Server-Timing: app;dur=<ms>`` (W3C Server
Timing), measured from the request's arrival to the start of the response. Clients and the
benchmark can tell time spent in the service from time spent on the wire or in the client."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class TimingMiddleware:
    """Adds the Server-Timing header; costs two clock reads per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                headers = [*message.get("headers", ()), (b"server-timing", b"app;dur=%.2f" % ms)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed)
