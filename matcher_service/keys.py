"""Create, list and revoke API keys: ``python -m matcher_service.keys create --role planner --name
NAME``.

The key is printed once and never stored (only its salted HMAC-SHA256 hash is; see
:mod:`matcher_service.auth`). The database is ``DATABASE_URL`` (default: the service's SQLite
file), migrated first if needed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from matcher_service.auth import Role, create_key, usable
from matcher_service.migrate import upgrade
from matcher_service.settings import ServiceSettings
from matcher_service.store import Store, now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matcher_service.keys", description=__doc__)
    parser.add_argument("--database-url", help="default: $DATABASE_URL or the SQLite file")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="create a key and print it once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True, help="who holds the key (shown in the audit)")
    create.add_argument(
        "--scope", help="unit keys: the unit (派出单位); vetter keys: the department (纪检监察 …)"
    )
    create.add_argument(
        "--expires-days",
        type=int,
        default=365,
        help="the key stops working after this many days (default 365; 0: never)",
    )
    sub.add_parser("list", help="list keys (ids, names, roles, expiry, last use; never the keys)")
    revoke = sub.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")
    args = parser.parse_args(argv)

    url = args.database_url or ServiceSettings.from_env().database_url
    store = Store.connect(url)
    try:
        upgrade(store.engine)
        if args.command == "create":
            name = args.name.strip()
            if not name or len(name) > 200:
                parser.error("--name must be 1 to 200 characters")
            if args.role in ("unit", "vetter") and not (args.scope or "").strip():
                parser.error(f"a {args.role} key needs --scope")
            if args.expires_days < 0:
                parser.error("--expires-days must be 0 (never) or more")
            expires = now() + timedelta(days=args.expires_days) if args.expires_days else None
            key = create_key(store, name, Role(args.role), expires)
            if args.scope:
                store.set_key_scope(key.split("_", 2)[1], args.scope.strip())
            print(key)
            print(f"role {args.role}; this key is shown only now, keep it safe", file=sys.stderr)
        elif args.command == "list":
            for k in store.list_keys():
                state = "revoked" if k.revoked_at else "active" if usable(k) else "expired"
                until = f"{k.expires_at:%Y-%m-%d}" if k.expires_at else "never"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never used"
                print(
                    f"{k.id}\t{k.role}\t{state}\t{k.created_at:%Y-%m-%d}\texpires {until}"
                    f"\t{used}\t{k.name}"
                )
        else:
            if not store.revoke_key(args.key_id):
                print(f"no active key with id {args.key_id}", file=sys.stderr)
                return 1
            print(f"revoked {args.key_id}")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
