"""Large JSON bodies go out gzip-compressed, each compressed once and kept beside its body.

A province round is ≈ 28 MB of JSON and a plan several MB; gzip shrinks them 6–10×, which
is most of a page's first view over a department's network. Compressing per request (a
middleware) would spend ≈ 0.1–0.5 s of CPU on every read of the same bytes, so the
compressed copy is kept in the body cache (:mod:`matcher_service.body_cache`) under the
digest of the bytes it compresses: content-addressed, it can never be stale, and it carries
the round id, so erasing a round drops it with the rest. Only bodies a route has already
decided to send are compressed (after its database check), so no erased round is served.
"""

from __future__ import annotations

import gzip
import hashlib

from fastapi import Request

from matcher_service.body_cache import BodyCache, Cached

#: Bodies smaller than this go out as they are (compression would not pay for its headers).
MIN_BYTES = 8 * 1024
#: zlib level: 6 gives nearly level 9's ratio on JSON at a third of the time.
LEVEL = 6


def accepts_gzip(request: Request) -> bool:
    """Does ``Accept-Encoding`` allow gzip (not refused with ``q=0``)?"""
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip()
            try:
                return not params or float(q) > 0
            except ValueError:
                return True
    return False


def encoded(request: Request, cache: BodyCache, item: Cached) -> tuple[bytes, dict[str, str]]:
    """The bytes to send for ``item`` and the headers that say how they are encoded."""
    if len(item.body) < MIN_BYTES:
        return item.body, {}
    vary = {"Vary": "Accept-Encoding"}
    if not accepts_gzip(request):
        return item.body, vary
    key = ("gzip", hashlib.blake2b(item.body, digest_size=16).digest())
    hit = cache.get(key)
    if hit is None:
        packed = gzip.compress(item.body, compresslevel=LEVEL, mtime=0)
        hit = cache.put(key, Cached(packed, item.round_id, item.etag))
    return hit.body, {**vary, "Content-Encoding": "gzip"}
