"""API keys with roles: created by the CLI, stored salted and hashed, checked in constant time.

A key looks like ``mk_<key id>_<secret>``; the id finds the row, the secret is never stored. The
secret is 32 random bytes, so it cannot be guessed and needs no deliberately slow hash: it is
stored as HMAC-SHA256 under a per-key salt (a salt starting ``hmac:``), and checking a presented
key costs one row read and one hash, microseconds. Keys made before that were stored with
scrypt; such a key is checked with scrypt once and re-stored in the cheap form on its first
good use. Because checking is cheap, every presented key is checked, and only failures are
limited (:mod:`matcher_service.auth_failures`): a valid key is never refused because of anyone
else's failures, from any address. A verified key is remembered for ``key_cache_s``; every
``recheck_s`` a remembered key's row is looked at again (no hashing), so a key revoked by
``python -m matcher_service.keys revoke`` in another process stops working within seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from matcher_service.auth_failures import FailedAuth, key_id_of
from matcher_service.problems import ApiError
from matcher_service.store import Key, Store, now
from matcher_service.store.records import utc

LAST_USED_EVERY_S = 60.0
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class Role(StrEnum):
    """What a key may do (see :data:`PERMISSIONS`)."""

    ADMIN = "admin"
    PLANNER = "planner"
    VIEWER = "viewer"
    ROSTER_SYSTEM = "roster-system"
    UNIT = "unit"  # a nominating unit: nominates its own cadres, sees only its nominees
    VETTER = "vetter"  # a vetting department: sees and answers only its own check
    APPROVER = "approver"  # approves a plan after publicity and publishes it


class Permission(StrEnum):
    READ = "read"  # rounds, jobs, plans
    WRITE = "write"  # create/update/validate rounds, solve, cancel, re-run
    LOCK = "lock"  # set and remove locks
    AUDIT = "audit"  # read the audit log
    NOMINATE = "nominate"  # put a unit's cadres forward (selection workflow)
    VET = "vet"  # answer a department's clearance
    REVIEW = "review"  # open, review, propose, publicise, record objections
    APPROVE = "approve"  # approve and publish a plan
    NOMINEES = "see nominees"  # list nominations (a unit: only its own)
    PERSONAL = "personal"  # read personal files (一人一档) and community histories
    ERASE = "erase"  # delete a round and everything made from it
    RESULTS = "read vetting results"  # 资格联审结果: a vetting department only its own answers
    RECORD = "read approval records"  # 审批记录: who approved, objections and their answers
    PROGRESS = "see where a selection stands"  # units and vetters: stages only
    SIGN_IN = "sign in"  # say who the key is (/me) and follow the selections it takes part in


PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.READ: frozenset(Role) - {Role.UNIT, Role.VETTER},
    Permission.WRITE: frozenset({Role.ADMIN, Role.PLANNER, Role.ROSTER_SYSTEM}),
    Permission.LOCK: frozenset({Role.ADMIN, Role.PLANNER}),
    Permission.AUDIT: frozenset({Role.ADMIN}),
    Permission.NOMINATE: frozenset({Role.ADMIN, Role.UNIT}),
    Permission.VET: frozenset({Role.ADMIN, Role.VETTER}),
    Permission.REVIEW: frozenset({Role.ADMIN, Role.PLANNER}),
    Permission.APPROVE: frozenset({Role.ADMIN, Role.APPROVER}),
    Permission.NOMINEES: frozenset(Role) - {Role.VETTER},
    Permission.PERSONAL: frozenset({Role.ADMIN, Role.PLANNER}),
    Permission.ERASE: frozenset({Role.ADMIN, Role.PLANNER}),
    Permission.RESULTS: frozenset({Role.ADMIN, Role.PLANNER, Role.APPROVER, Role.VETTER}),
    Permission.RECORD: frozenset({Role.ADMIN, Role.PLANNER, Role.APPROVER}),
    Permission.PROGRESS: frozenset(Role),
    Permission.SIGN_IN: frozenset(Role),
}


ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.PLANNER: "组织部干部科",
    Role.VIEWER: "查阅",
    Role.ROSTER_SYSTEM: "干部管理信息系统",
    Role.UNIT: "推荐单位",
    Role.VETTER: "联审部门",
    Role.APPROVER: "部务会",
}
PERMISSION_ZH = {
    Permission.READ: "查阅轮次和方案",
    Permission.WRITE: "修改轮次或求解",
    Permission.LOCK: "锁定岗位",
    Permission.AUDIT: "查阅审计日志",
    Permission.NOMINATE: "推荐人选",
    Permission.VET: "填报资格联审意见",
    Permission.REVIEW: "办理选派流程",
    Permission.APPROVE: "审批方案",
    Permission.NOMINEES: "查阅推荐人选",
    Permission.PERSONAL: "查阅干部档案",
    Permission.ERASE: "删除轮次",
    Permission.RESULTS: "查阅资格联审结果",
    Permission.RECORD: "查阅审批记录",
    Permission.PROGRESS: "查看选派进度",
    Permission.SIGN_IN: "登录",
}


@dataclass(frozen=True)
class Identity:
    """Who is calling: the key's id, its name (shown in the audit log) and role."""

    key_id: str
    name: str
    role: Role


_HMAC = "hmac:"  # the salt's prefix for keys stored with HMAC-SHA256 (no prefix: scrypt)


def _hash(secret: str, salt: str) -> str:
    """The stored hash of ``secret`` under ``salt`` (its prefix names the scheme)."""
    if salt.startswith(_HMAC):
        raw = bytes.fromhex(salt.removeprefix(_HMAC))
        return hmac.new(raw, secret.encode(), hashlib.sha256).hexdigest()
    return hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), **_SCRYPT).hex()


def legacy(key: Key) -> bool:
    """Is the key stored with scrypt (made before keys were hashed cheaply)?"""
    return not key.salt.startswith(_HMAC)


def create_key(store: Store, name: str, role: Role, expires_at: datetime | None = None) -> str:
    """Store a new key for ``name`` with ``role`` (valid until ``expires_at``, if given);
    return the full key (shown only once)."""
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    salt = _HMAC + secrets.token_bytes(16).hex()
    digest = _hash(secret, salt)
    store.add_key(Key(key_id, name, role.value, salt, digest, now(), None, expires_at))
    return f"mk_{key_id}_{secret}"


def usable(key: Key | None) -> bool:
    """Neither missing, revoked nor expired."""
    if key is None or key.revoked_at is not None:
        return False
    return key.expires_at is None or (utc(key.expires_at) or now()) > now()


class Authenticator:
    """Verifies presented keys against the store, with a short-lived cache of good ones."""

    def __init__(self, store: Store, cache_s: float = 60.0, recheck_s: float = 2.0) -> None:
        self.store = store
        self.cache_s, self.recheck_s = cache_s, recheck_s
        # sha256 of the key -> (identity, hash verified until, revocation checked until)
        self._cache: dict[bytes, tuple[Identity, float, float]] = {}
        self._touched: dict[str, float] = {}  # key id -> when its last use was stored
        self._lock = threading.Lock()

    def _touch(self, key_id: str) -> None:
        """Store the key's last use, at most once a minute per key."""
        t = time.monotonic()
        with self._lock:
            if t - self._touched.get(key_id, -LAST_USED_EVERY_S) < LAST_USED_EVERY_S:
                return
            if len(self._touched) > 10_000:
                self._touched.clear()
            self._touched[key_id] = t
        self.store.touch_key(key_id, now())

    def _entry(self, presented: str) -> tuple[bytes, tuple[Identity, float, float] | None]:
        digest = hashlib.sha256(presented.encode()).digest()
        with self._lock:
            return digest, self._cache.get(digest)

    def cached(self, presented: str) -> Identity | None:
        """The identity of a key verified and checked recently (no database, no hashing)."""
        _, hit = self._entry(presented)
        t = time.monotonic()
        return hit[0] if hit and hit[1] > t and hit[2] > t else None

    def stored(self, presented: str) -> Key | None:
        """The row of the key id a presented key names (None for none or a malformed key)."""
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != "mk":
            return None
        return self.store.get_key(parts[1])

    def verify(self, presented: str, key: Key | None = None, read: bool = False) -> Identity | None:
        """The identity behind a key, or None when it is unknown, wrong or revoked (``read``:
        the caller looked its row up already, and ``key`` is what it found)."""
        digest, hit = self._entry(presented)
        t = time.monotonic()
        if hit is not None and hit[1] > t:
            if hit[2] > t:
                return hit[0]
            key = self.store.get_key(hit[0].key_id)  # a row read, no hashing
            with self._lock:
                if not usable(key):
                    self._cache.pop(digest, None)
                    return None
                self._cache[digest] = (hit[0], hit[1], t + self.recheck_s)
            self._touch(hit[0].key_id)
            return hit[0]
        key = key if read else self.stored(presented)
        if key is None or not usable(key):
            return None
        secret = presented.split("_", 2)[2]
        if not hmac.compare_digest(_hash(secret, key.salt), key.hash):
            return None
        if legacy(key):  # checked with scrypt once: from now on with one cheap hash
            salt = _HMAC + secrets.token_bytes(16).hex()
            self.store.rehash_key(key.id, key.hash, _hash(secret, salt), salt)
        ident = Identity(key.id, key.name, Role(key.role))
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            t = time.monotonic()
            self._cache[digest] = (ident, t + self.cache_s, t + self.recheck_s)
        self._touch(key.id)
        return ident


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _too_many(wait: int) -> ApiError:
    return ApiError(
        429,
        f"认证失败次数过多，请 {wait} 秒后重试 / too many failed authentications; "
        f"retry in {wait} s",
        kind="too-many-failures",
        headers={"Retry-After": str(wait)},
    )


def _unauthenticated(detail: str) -> ApiError:
    return ApiError(401, detail, kind="unauthenticated", headers={"WWW-Authenticate": "Bearer"})


async def _failed(request: Request, key_id: str | None, detail: str) -> ApiError:
    """Count a failed authentication (shared by every server process through the database)
    and say so: 429 once this client, or this client with this key id, failed too often."""
    failures: FailedAuth = request.app.state.auth_failures
    wait = await run_in_threadpool(failures.failed, key_id, _client(request))
    return _too_many(wait) if wait is not None else _unauthenticated(detail)


async def _verify(request: Request, auth: Authenticator, presented: str) -> Identity:
    """Verify a key not in the cache. A valid key passes whatever failed before it; a wrong
    one is counted and limited. Only a key still stored with scrypt (made before keys were
    hashed cheaply, and not used since) is refused before hashing while its id is over the
    limit from this client, so failures cannot buy scrypt work."""
    failures: FailedAuth = request.app.state.auth_failures
    key_id = key_id_of(presented)

    def check() -> tuple[Identity | None, int | None]:
        key = auth.stored(presented)
        if key is not None and legacy(key):
            wait = failures.retry_after(key_id, _client(request))
            if wait is not None:
                return None, wait
        return auth.verify(presented, key, read=True), None

    ident, wait = await run_in_threadpool(check)
    if wait is not None:
        raise _too_many(wait)
    if ident is None:
        raise await _failed(request, key_id, "the API key is unknown, revoked or expired")
    return ident


_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


def require(permission: Permission) -> object:
    """A dependency: 401 without a valid key, 403 when its role lacks ``permission``."""

    async def check(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> Identity:
        presented = bearer.credentials if bearer else header
        if not presented:
            raise await _failed(request, None, "send an API key: Authorization: Bearer <key>")
        auth: Authenticator = request.app.state.auth
        ident = auth.cached(presented)
        if ident is None:
            ident = await _verify(request, auth, presented)
        request.state.identity = ident
        if ident.role not in PERMISSIONS[permission]:
            zh = f"「{ROLE_ZH[ident.role]}」密钥无权{PERMISSION_ZH[permission]}"
            raise ApiError(
                403,
                f"{zh} (role '{ident.role.value}' may not {permission.value})",
                kind="forbidden",
            )
        return ident

    return Depends(check)
