"""`hoso serve` (the web app and API) and `hoso user` (staff accounts and API tokens)."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
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

    u = sub.add_parser("user", help="staff accounts: add, list, new API token, new password")
    usub = u.add_subparsers(dest="user_command", required=True)
    add = usub.add_parser("add", help="create a user; prints an API token as its last line")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("counter", "reviewer", "admin"))
    add.add_argument("--lang", default="vi", choices=("vi", "en"), help="the pages' language (default vi)")
    _password_options(add)
    add.add_argument("--no-password", action="store_true", help="API token only: cannot sign in to the pages")
    common(add)
    add.set_defaults(handler=cmd_user_add)

    lst = usub.add_parser("list", help="list users")
    common(lst)
    lst.set_defaults(handler=cmd_user_list)

    tok = usub.add_parser("token", help="make another API token for a user (printed as the last line)")
    tok.add_argument("name")
    common(tok)
    tok.set_defaults(handler=cmd_user_token)

    pw = usub.add_parser("passwd", help="set a user's password")
    pw.add_argument("name")
    _password_options(pw)
    common(pw)
    pw.set_defaults(handler=cmd_user_passwd)


def _password_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")


def _records(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from workers.cli import settings_from_args
    from workers.stores.records import Records

    settings = settings_from_args(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Records(settings.db_url)


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

    settings = settings_from_args(args)
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port} is not a port")
    app = create_app(settings)
    print(f"hoso: serving http://{args.host}:{args.port}/ (API description at /docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if args.verbose else "warning")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from workers.usecases.users import create_user

    password, made = (None, False) if args.no_password else _read_password(args)
    records = _records(args)
    try:
        token = create_user(records, args.name, role=args.role, password=password, lang=args.lang)
    finally:
        records.close()
    print(f"user {args.name} ({args.role}) created")
    if made:
        print(f"password: {password}  (change it with: hoso user passwd {args.name})")
    print(token)
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from workers.web.i18n import fmt_time

    records = _records(args)
    try:
        for u in records.users_list():
            state = "" if u.active else " (disabled)"
            print(f"{u.name}\t{u.role}\t{u.lang}\t{fmt_time(u.created_at)}{state}")
    finally:
        records.close()
    return 0


def cmd_user_token(args: argparse.Namespace) -> int:
    from workers.usecases.users import issue_token

    records = _records(args)
    try:
        print(issue_token(records, args.name))
    finally:
        records.close()
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from workers.usecases.users import hash_password

    records = _records(args)
    try:
        if records.user(args.name) is None:
            raise RequestError(f"no user {args.name!r}")
        password, made = _read_password(args)
        records.update_user(args.name, password_hash=hash_password(password))
    finally:
        records.close()
    if made:
        print(f"password: {password}")
    print(f"password of {args.name} changed")
    return 0
