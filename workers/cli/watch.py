"""`hoso watch DIR`: the watch folder for bulk scanners (workers/watch/)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.watch import WatchReport


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "watch",
        help="take every scan that lands in a folder (receipt sheets split a stack into dossiers)",
        description=(
            "Take every complete file in DIR and its subfolders: store the original, split the scanned stack "
            "into dossiers at its receipt sheets, process the pages, then move the file to DIR/done/ "
            "(unreadable files to DIR/failed/ with a .reason.txt). Stop it at any time: started again, it resumes."
        ),
    )
    p.add_argument("folder", type=Path, help="the folder the scanners save to")
    p.add_argument("--once", action="store_true", help="take what is there, wait until it is processed, and exit")
    p.add_argument(
        "--stable-seconds",
        type=float,
        help="a file is complete when unchanged this long (env HOSO_WATCH_STABLE_SECONDS, default 5)",
    )
    p.add_argument(
        "--poll-seconds", type=float, help="rescan the whole folder this often (env HOSO_WATCH_POLL_SECONDS, default 5)"
    )
    p.add_argument(
        "--delete",
        action="store_true",
        default=None,
        help="delete files once recorded instead of moving them to DIR/done/ (env HOSO_WATCH_DELETE)",
    )
    p.add_argument("--no-inotify", action="store_true", help="poll only (inotify is used where it works)")
    p.add_argument("--jobs", type=int, help="page processes (default: one per core)")
    p.add_argument("--lang", help="Tesseract language (default vie)")
    common(p)
    p.set_defaults(handler=cmd_watch)


def cmd_watch(args: argparse.Namespace) -> int:
    from workers.cli import settings_from_args
    from workers.watch import Watcher

    settings = settings_from_args(args)
    watch = settings.watch
    changes: dict[str, Any] = {}
    if args.stable_seconds is not None:
        changes["stable_seconds"] = max(0.0, args.stable_seconds)
    if args.poll_seconds is not None:
        changes["poll_seconds"] = max(0.1, args.poll_seconds)
    if args.delete:
        changes["delete"] = True
    if args.no_inotify:
        changes["inotify"] = False
    if changes:
        settings = settings.with_overrides(watch=replace(watch, **changes))
    # The per-file summaries are what a watch folder's log is for: shown without -v.
    logging.getLogger("hoso.watch").setLevel(logging.INFO)

    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        logging.getLogger("hoso.watch").info("stopping after the files in hand (signal %d)", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    report = Watcher(args.folder, settings).run(once=args.once, stop=stop)
    for code in report.dossiers:
        sys.stdout.write(code + "\n")
    if args.once:
        print(
            f"hoso watch: {len(report.files)} file(s): {len(report.dossiers)} dossier(s), "
            f"{sum(f.pages for f in report.files)} pages ({sum(f.blanks for f in report.files)} blank), "
            f"{report.count('duplicate')} duplicate(s), {report.count('failed')} failed, "
            f"{report.retry_later} left to retry",
            file=sys.stderr,
        )
    return exit_code(report)


def exit_code(report: WatchReport) -> int:
    """The command line's exit code for a watch run: files left to retry, else files failed, else 0."""
    from schemas.errors import InputError, TransientError

    if report.retry_later:
        return TransientError.exit_code
    return InputError.exit_code if report.failed else 0
