"""Who reads a round's personal data: a round body goes out without its cadres' ``id_number``
(公民身份号码) and ``private`` columns (phones, home addresses: 不得外传), unless a key with the
right to personal files (:data:`~matcher_service.auth.Permission.PERSONAL`: planner, admin)
asks for them with ``?include=private`` — and that read is audited with whose data it gave.

The two forms of one version are two read classes: each has its own cached body (and so its
own compressed copy) and its own ETag, ``"3"`` without and ``"3-private"`` with the private
fields, so a cache or a client never answers one with the other. A body read without them and
written back (``PUT /rounds/{id}``) keeps the stored values of the cadres it names
(:func:`keep_private`): leaving the fields out means "unchanged", never "erase".
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from matcher_service.auth import PERMISSIONS, ROLE_ZH, Identity, Permission
from matcher_service.body_cache import BodyCache, Cached
from matcher_service.problems import ApiError

#: Cadre fields that only a reader with the right to personal files gets, when asking.
PRIVATE_FIELDS = ("id_number", "private")
INCLUDE = "private"  # the ``include`` query value that asks for them
SUFFIX = "-private"  # the ETag suffix of a body with them


def etag(version: int, private: bool) -> str:
    """The ETag of a version's body in one read class (the If-Match form of both is read by
    :func:`matcher_service.preconditions.expected_versions`)."""
    return f'"{version}{SUFFIX}"' if private else f'"{version}"'


def asked(request: Request, who: Identity, include: str | None) -> bool:
    """Does this read get the private fields? Only when asked; 403 when the key's role may not
    read personal files. The reason a caller gives (``reason``) goes into the audit row."""
    if include != INCLUDE:
        return False
    if who.role not in PERMISSIONS[Permission.PERSONAL]:
        raise ApiError(
            403,
            f"「{ROLE_ZH[who.role]}」密钥无权查阅干部身份证号和联系方式 "
            f"(role '{who.role.value}' may not read cadres' private fields)",
            kind="forbidden",
        )
    if not getattr(request.state, "audit_reason", None):
        request.state.audit_reason = "include=private"
    return True


def public_body(body: bytes) -> tuple[bytes, list[str]]:
    """A round's JSON without its cadres' private fields, and the ids of the cadres that had
    any (whose data a private read hands out)."""
    raw = json.loads(body)
    holders: list[str] = []
    for cadre in raw.get("cadres") or []:
        if not isinstance(cadre, dict):
            continue
        had = [cadre.pop(f, None) for f in PRIVATE_FIELDS]
        if any(had):
            holders.append(str(cadre.get("id")))
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode(), holders


def keep_private(raw: Any, stored: str) -> Any:
    """A round body to write, with each cadre that leaves a private field out given the value
    stored for the same cadre id (a body read without them and sent back loses nothing). A
    field sent, even as ``null`` or ``{}``, is taken as sent."""
    if not isinstance(raw, dict) or not isinstance(raw.get("cadres"), list):
        return raw
    missing = [
        c for c in raw["cadres"] if isinstance(c, dict) and any(f not in c for f in PRIVATE_FIELDS)
    ]
    if not missing:
        return raw
    before = {
        str(c.get("id")): c for c in json.loads(stored).get("cadres") or [] if isinstance(c, dict)
    }
    for cadre in missing:
        old = before.get(str(cadre.get("id")))
        if old is None:
            continue
        for f in PRIVATE_FIELDS:
            if f not in cadre and old.get(f):
                cadre[f] = old[f]
    return raw


def needs_stored(raw: Any) -> bool:
    """Does any cadre of ``raw`` leave a private field out (so the stored round is needed)?"""
    cadres = raw.get("cadres") if isinstance(raw, dict) else None
    return isinstance(cadres, list) and any(
        isinstance(c, dict) and any(f not in c for f in PRIVATE_FIELDS) for c in cadres
    )


def _keys(round_id: str, version: int) -> tuple[tuple[str, str, int, str], ...]:
    return ("round", round_id, version, "public"), ("round", round_id, version, "who")


def prepared(cache: BodyCache, round_id: str, version: int) -> bool:
    """Is the version's public body (and its holders) in memory already?"""
    return all(cache.get(k) is not None for k in _keys(round_id, version))


def public_round(
    cache: BodyCache, round_id: str, version: int, full: bytes
) -> tuple[bytes, list[str]]:
    """:func:`public_body` of a version, made once and kept in the body cache beside the full
    body (its holders too: a private read names them in its audit row)."""
    key, holders_key = _keys(round_id, version)
    hit, who = cache.get(key), cache.get(holders_key)
    if hit is None or who is None:
        body, holders = public_body(full)
        hit = cache.put(key, Cached(body, round_id, ""))
        who = cache.put(holders_key, Cached("\n".join(holders).encode(), round_id, ""))
    return hit.body, [h for h in who.body.decode().split("\n") if h]
