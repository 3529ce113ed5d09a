"""`hoso db upgrade` and `hoso db revision`: the record database's schema (registered by workers/cli/__init__.py).

Every start upgrades the database anyway; `hoso db upgrade` does it on its own, before the services start
(one step of a deployment), and says from which revision to which.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    d = sub.add_parser("db", help="the record database's schema: upgrade it, show its revision")
    dsub = d.add_subparsers(dest="db_command", required=True)
    up = dsub.add_parser("upgrade", help="bring the record database to the newest schema revision")
    common(up)
    up.set_defaults(handler=cmd_db_upgrade)
    rev = dsub.add_parser("revision", help="print the record database's schema revision")
    common(rev)
    rev.set_defaults(handler=cmd_db_revision)
    pr = dsub.add_parser(
        "prune", help="delete audits past their retention, and dossiers whose days in the trash are over"
    )
    pr.add_argument("--days", type=int, help="keep this many days (default HOSO_AUDIT_DAYS, 365)")
    common(pr)
    pr.set_defaults(handler=cmd_db_prune)


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from workers.cli import settings_from_args

    settings = settings_from_args(args)
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(settings.db_url)


def _revision(engine: Any) -> str | None:
    from workers.stores.records.migrate import current_revision

    with engine.connect() as conn:
        return current_revision(conn)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from schemas.errors import DatabaseUnavailable
    from workers.stores.records.migrate import upgrade

    engine = _engine(args)
    try:
        before = _revision(engine)
        upgrade(engine)
        after = _revision(engine)
    except OperationalError as exc:
        raise DatabaseUnavailable(f"the record database failed: {exc.orig}") from exc
    finally:
        engine.dispose()
    print(f"record database at revision {after}" + ("" if before == after else f" (was {before or 'none'})"))
    return 0


def cmd_db_revision(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from schemas.errors import DatabaseUnavailable
    from workers.stores.records.migrate import HEAD

    engine = _engine(args)
    try:
        current = _revision(engine)
    except OperationalError as exc:
        raise DatabaseUnavailable(f"the record database failed: {exc.orig}") from exc
    finally:
        engine.dispose()
    print(f"{current or 'none'} (newest: {HEAD})")
    return 0


def cmd_db_prune(args: argparse.Namespace) -> int:
    from workers.cli import settings_from_args
    from workers.stores.objects import make_store
    from workers.stores.records import Records
    from workers.usecases.deletion import purge_trash
    from workers.usecases.retention import prune

    settings = settings_from_args(args)
    days = settings.audit_days if args.days is None else args.days
    records = Records(settings.db_url)
    try:
        gone = prune(records, days)
        purged = purge_trash(records, make_store(settings), settings.delete_grace_days)
    finally:
        records.close()
    if purged:
        print(f"removed for good from the trash: {' '.join(d.code for d in purged)}")
    if gone is None:
        print("nothing pruned: audits are kept for ever (HOSO_AUDIT_DAYS=0)")
    else:
        print(f"pruned past {days} days: " + ", ".join(f"{n} {what}" for what, n in gone.items()))
    return 0
