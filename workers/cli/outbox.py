"""`hoso outbox list | resend | deliver`: the status changes waiting for the portal, those that failed, sending
them (registered by workers/cli/__init__.py; the delivery itself: workers/usecases/outbox.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from schemas.errors import TransientError


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    o = sub.add_parser("outbox", help="status changes for the portal: list them, resend failed ones, deliver now")
    osub = o.add_subparsers(dest="outbox_command", required=True)
    ls = osub.add_parser("list", help="the changes in the outbox, oldest first (default: those not delivered)")
    ls.add_argument("--state", choices=("pending", "delivered", "failed", "all"), help="only changes in this state")
    ls.add_argument("--code", help="only this dossier's changes")
    ls.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    common(ls)
    ls.set_defaults(handler=cmd_list)
    rs = osub.add_parser("resend", help="send failed changes again (their attempts counted afresh)")
    rs.add_argument("ids", nargs="*", type=int, help="the changes' numbers (`hoso outbox list --state failed`)")
    rs.add_argument("--failed", action="store_true", help="every failed change")
    common(rs)
    rs.set_defaults(handler=cmd_resend)
    dv = osub.add_parser("deliver", help="send what is due now to HOSO_PORTAL_URL, then exit")
    common(dv)
    dv.set_defaults(handler=cmd_deliver)


def _records(args: argparse.Namespace) -> Any:
    from workers.cli import settings_from_args
    from workers.stores.records import Records

    settings = settings_from_args(args)
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings, Records(settings.db_url)


def cmd_list(args: argparse.Namespace) -> int:
    from workers.web.i18n import fmt_time

    _settings, records = _records(args)
    try:
        states = None if args.state == "all" else [args.state] if args.state else ["pending", "failed"]
        rows = records.deliveries(states=states, code=args.code, limit=args.limit)
        counts = records.delivery_counts()
    finally:
        records.close()
    print(
        f"{counts['pending']} pending ({counts['waiting']} behind a failed change), {counts['failed']} failed, "
        f"{counts['delivered']} delivered"
    )
    for r in rows:
        error = f"  {r.last_error}" if r.last_error else ""
        print(f"{r.id}\t{r.state}\t{r.code}\t{r.status}\t{fmt_time(r.at)}\t{r.attempts} attempt(s){error}")
    return 0


def cmd_resend(args: argparse.Namespace) -> int:
    from schemas.errors import RequestError

    if not args.ids and not args.failed:
        raise RequestError("name the changes to send again (their numbers), or give --failed")
    _settings, records = _records(args)
    try:
        count = records.resend_failed() if args.failed else records.resend(args.ids)
    finally:
        records.close()
    print(f"hoso: {count} change(s) put back in the outbox; they go with the next delivery", file=sys.stderr)
    return 0


def cmd_deliver(args: argparse.Namespace) -> int:
    from workers.usecases.outbox import Deliverer

    settings, records = _records(args)
    try:
        report = Deliverer(records, settings.portal).drain(budget_s=float("inf"))
        counts = records.delivery_counts()
    finally:
        records.close()
    print(
        f"hoso: {report.delivered} delivered, {report.retried} to try again later, {report.failed} failed; "
        f"{counts['pending']} pending, {counts['failed']} failed in the outbox",
        file=sys.stderr,
    )
    return TransientError.exit_code if report.retried or report.failed else 0
