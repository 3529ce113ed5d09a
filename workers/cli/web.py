"""`hoso serve` (the web app and API) and `hoso user` (staff accounts and API tokens)."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
import time
from collections.abc import Callable
from typing import Any

from schemas.errors import ConfigError, RequestError


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    s = sub.add_parser("serve", help="serve the web app for counter staff and reviewers, and the API (/docs)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--jobs", type=int, help="page processes (default: one per core)")
    common(s)
    s.set_defaults(handler=cmd_serve)

    u = sub.add_parser(
        "user", help="staff accounts: add, list, API tokens (new, list, revoke), password, disable, unlock"
    )
    usub = u.add_subparsers(dest="user_command", required=True)
    add = usub.add_parser("add", help="create a user; prints an API token as its last line")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("counter", "reviewer", "admin"))
    add.add_argument("--lang", default="vi", choices=("vi", "en"), help="the pages' language (default vi)")
    _password_options(add)
    add.add_argument("--no-password", action="store_true", help="API token only: cannot sign in to the pages")
    add.add_argument(
        "--centre", action="append", default=[], help="a service centre the user serves (repeat; none: every centre)"
    )
    _days_option(add)
    common(add)
    add.set_defaults(handler=cmd_user_add)

    cen = usub.add_parser("centres", help="set the centres whose dossiers a user sees (none given: every centre)")
    cen.add_argument("name")
    cen.add_argument("centres", nargs="*", metavar="CENTRE")
    common(cen)
    cen.set_defaults(handler=cmd_user_centres)

    lst = usub.add_parser("list", help="list users")
    common(lst)
    lst.set_defaults(handler=cmd_user_list)

    tok = usub.add_parser("token", help="make another API token for a user (printed as the last line)")
    tok.add_argument("name")
    _days_option(tok)
    common(tok)
    tok.set_defaults(handler=cmd_user_token)

    toks = usub.add_parser("tokens", help="list a user's API tokens: id, made, expires")
    toks.add_argument("name")
    common(toks)
    toks.set_defaults(handler=cmd_user_tokens)

    rev = usub.add_parser("revoke", help="revoke API tokens of a user by id (from `hoso user tokens`), or --all")
    rev.add_argument("name")
    rev.add_argument("ids", nargs="*", metavar="ID")
    rev.add_argument("--all", action="store_true", help="every token of the user")
    common(rev)
    rev.set_defaults(handler=cmd_user_revoke)

    dis = usub.add_parser("disable", help="disable a user: their sessions end, their tokens stop working")
    dis.add_argument("name")
    common(dis)
    dis.set_defaults(handler=cmd_user_active, active=False)

    ena = usub.add_parser("enable", help="enable a disabled user again")
    ena.add_argument("name")
    common(ena)
    ena.set_defaults(handler=cmd_user_active, active=True)

    unl = usub.add_parser("unlock", help="lift the lock of an account (or --address) after failed sign-ins")
    unl.add_argument("name", nargs="?")
    unl.add_argument("--address", help="the client address to unlock (as the sign-in audit shows it)")
    common(unl)
    unl.set_defaults(handler=cmd_user_unlock)

    rd = usub.add_parser("reads", help="who read which dossier, newest first: when, who, dossier, what, page")
    rd.add_argument("name", nargs="?", help="this user's reads only")
    rd.add_argument("--dossier", help="this dossier's reads only")
    rd.add_argument("--limit", type=int, default=50)
    common(rd)
    rd.set_defaults(handler=cmd_user_reads)

    aud = usub.add_parser("logins", help="the sign-in audit, newest first: when, who, address, outcome")
    aud.add_argument("name", nargs="?")
    aud.add_argument("--limit", type=int, default=50)
    common(aud)
    aud.set_defaults(handler=cmd_user_logins)

    pw = usub.add_parser("passwd", help="set a user's password")
    pw.add_argument("name")
    _password_options(pw)
    common(pw)
    pw.set_defaults(handler=cmd_user_passwd)


def _days_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--days", type=int, help="the API token's life in days, 0: never expires (default HOSO_TOKEN_DAYS, 90)"
    )


def _password_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")


def _records(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from workers.cli import settings_from_args
    from workers.stores.records import Records

    settings = settings_from_args(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Records(settings.db_url)


def _token_days(args: argparse.Namespace) -> int:
    from workers.cli import settings_from_args

    days = getattr(args, "days", None)
    return settings_from_args(args).web.token_days if days is None else int(days)


def _read_password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, made here): from stdin, typed twice at a terminal, else a random one to print."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if first != getpass.getpass("again: "):
            raise RequestError("the two passwords differ")
        return first, False
    return secrets.token_urlsafe(12), True


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from workers.cli import settings_from_args
    from workers.web.app import create_app
    from workers.web.logs import uvicorn_log_config

    settings = settings_from_args(args)
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port} is not a port")
    app = create_app(settings)
    print(f"hoso: serving http://{args.host}:{args.port}/ (API description at /docs)", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info" if args.verbose else "warning",
        log_config=uvicorn_log_config(),  # the access log without query strings: they carry what staff searched
    )
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from workers.usecases.users import create_user

    password, made = (None, False) if args.no_password else _read_password(args)
    records = _records(args)
    try:
        token = create_user(
            records, args.name, role=args.role, password=password, lang=args.lang, token_days=_token_days(args),
            centres=args.centre,
        )  # fmt: skip
    finally:
        records.close()
    print(f"user {args.name} ({args.role}) created")
    if made:
        print(f"password: {password}  (change it with: hoso user passwd {args.name})")
    print(token)
    return 0


def cmd_user_centres(args: argparse.Namespace) -> int:
    from workers.usecases.users import set_centres

    records = _records(args)
    try:
        centres = set_centres(records, args.name, args.centres)
    finally:
        records.close()
    print(f"user {args.name} serves " + (" ".join(centres) if centres else "every centre"))
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from workers.web.i18n import fmt_time

    records = _records(args)
    try:
        for u in records.users_list():
            state = ("" if u.active else " (disabled)") + (f" [centres: {' '.join(u.centres)}]" if u.centres else "")
            print(f"{u.name}\t{u.role}\t{u.lang}\t{fmt_time(u.created_at)}{state}")
    finally:
        records.close()
    return 0


def cmd_user_token(args: argparse.Namespace) -> int:
    from workers.usecases.users import issue_token

    records = _records(args)
    try:
        print(issue_token(records, args.name, days=_token_days(args)))
    finally:
        records.close()
    return 0


def cmd_user_tokens(args: argparse.Namespace) -> int:
    from workers.usecases.users import tokens_of
    from workers.web.i18n import fmt_time

    records = _records(args)
    try:
        rows = tokens_of(records, args.name)
    finally:
        records.close()
    for tok in rows:
        if tok.expires_at is None:
            expires = "never expires"
        else:
            word = "expired" if tok.expires_at <= time.time() else "expires"
            expires = f"{word} {fmt_time(tok.expires_at)}"
        print(f"{tok.id}\tmade {fmt_time(tok.created_at)}\t{expires}")
    return 0


def cmd_user_revoke(args: argparse.Namespace) -> int:
    from workers.usecases.users import revoke_tokens

    if args.all == bool(args.ids):
        raise RequestError("name the token ids to revoke (from `hoso user tokens NAME`), or --all")
    records = _records(args)
    try:
        n = revoke_tokens(records, args.name, None if args.all else list(args.ids))
    finally:
        records.close()
    print(f"{n} token(s) of {args.name} revoked")
    return 0 if n or args.all else 2


def cmd_user_active(args: argparse.Namespace) -> int:
    from workers.usecases.users import set_active

    records = _records(args)
    try:
        ended = set_active(records, args.name, args.active)
    finally:
        records.close()
    if args.active:
        print(f"user {args.name} enabled")
    else:
        print(f"user {args.name} disabled ({ended} session(s) ended; their tokens refused while disabled)")
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    from workers.usecases.sign_in import unlock

    if not args.name and not args.address:
        raise RequestError("name the user to unlock, or --address")
    records = _records(args)
    try:
        if args.name and records.user(args.name) is None:
            raise RequestError(f"no user {args.name!r}")
        n = unlock(records, name=args.name, address=args.address)
    finally:
        records.close()
    what = " and ".join(x for x in (args.name, args.address and f"address {args.address}") if x)
    print(f"{what} unlocked" if n else f"{what}: no failed sign-ins recorded")
    return 0


def cmd_user_logins(args: argparse.Namespace) -> int:
    from workers.web.i18n import fmt_time

    records = _records(args)
    try:
        rows = records.login_audit(user_name=args.name, limit=max(1, args.limit))
    finally:
        records.close()
    for r in rows:
        print(f"{fmt_time(r.at)}\t{r.user_name}\t{r.address}\t{r.outcome}")
    return 0


def cmd_user_reads(args: argparse.Namespace) -> int:
    from workers.web.i18n import fmt_time

    records = _records(args)
    try:
        rows = records.reads(who=args.name, code=args.dossier, limit=max(1, args.limit))
    finally:
        records.close()
    for r in rows:
        print(f"{fmt_time(r.at)}\t{r.who}\t{r.dossier_code}\t{r.what}\t{'' if r.page is None else r.page}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from workers.usecases.users import set_password

    records = _records(args)
    try:
        if records.user(args.name) is None:
            raise RequestError(f"no user {args.name!r}")
        password, made = _read_password(args)
        ended = set_password(records, args.name, password)
    finally:
        records.close()
    if made:
        print(f"password: {password}")
    print(f"password of {args.name} changed ({ended} session(s) ended)")
    return 0
