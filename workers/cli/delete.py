"""`hoso delete CODE`: a dossier removed for good, its objects and unshared originals with it, the audit of the
deletion kept (registered by workers/cli/__init__.py)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("delete", help="delete a dossier for good: its record, page images, PDF, unshared originals")
    p.add_argument("code")
    common(p)
    p.set_defaults(handler=cmd_delete)


def cmd_delete(args: argparse.Namespace) -> int:
    from workers.cli import records_of, settings_from_args
    from workers.stores.objects import make_store
    from workers.usecases.deletion import delete_dossier

    settings = settings_from_args(args)
    records = records_of(settings, args.code)
    try:
        done = delete_dossier(records, make_store(settings), args.code, who=f"cli:{getpass.getuser()}")
    finally:
        records.close()
    print(
        f"hoso: dossier {done.code} deleted: {done.objects} objects removed, "
        f"{done.originals_kept} original(s) kept as other dossiers hold them",
        file=sys.stderr,
    )
    return 0
