"""Optimistic concurrency for writes to a round: ``If-Match`` with the round's ETag.

A round's ETag is its version (``"3"``; ``"3-private"`` for the body read with its cadres'
private fields). A writer that read version 3 sends
``If-Match: "3"``; if someone wrote in between, the write is refused with 412 and the current
ETag, and nothing is stored — the writer re-reads and decides again, instead of silently
overwriting. ``If-Match: *`` (or, unless the service requires the header, no header) writes
whatever the current version is: a blind replace, still added as a new version, never
overwriting one. With ``MATCHER_REQUIRE_IF_MATCH=1`` a write without the header gets 428.
"""

from __future__ import annotations

from fastapi import Request

from matcher_service.problems import ApiError


def expected_versions(request: Request, required: bool) -> frozenset[int] | None:
    """The round versions the request's If-Match names; None when it names any (``*``) or,
    unless ``required``, is absent. Weak tags never match (RFC 9110 strong comparison)."""
    given = request.headers.get("if-match")
    if given is None:
        if required:
            raise ApiError(
                428,
                "修改轮次须带 If-Match（先读取得到的 ETag）/ "
                "send If-Match with the ETag you read before changing a round",
                kind="if-match-required",
            )
        return None
    tags = [t.strip() for t in given.split(",")]
    if "*" in tags:
        return None
    versions = (_strong_version(t) for t in tags)
    return frozenset(v for v in versions if v is not None)


def _strong_version(tag: str) -> int | None:
    """The version a strong ETag names: ``"3"``, or ``"3-private"`` (the same version read
    with its private fields, :mod:`matcher_service.round_privacy`)."""
    if len(tag) < 3 or tag[0] != '"' or tag[-1] != '"':
        return None
    digits = tag[1:-1].removesuffix("-private")
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def stale(current: int) -> ApiError:
    """412: the round moved on since the writer read it."""
    return ApiError(
        412,
        f"轮次已被他人修改（当前版本 {current}），请重新读取后再提交 / "
        f"the round was changed meanwhile (now version {current}); read it again and retry",
        kind="stale-version",
        headers={"ETag": f'"{current}"'},
    )
