"""The `hoso` command line. Errors become exit codes here, and only here."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.errors import INTERNAL_EXIT_CODE, INTERNAL_MESSAGE, HosoError

if TYPE_CHECKING:
    from schemas.record import Dossier

log = logging.getLogger("hoso.cli")


def write_record(dossier: Dossier, json_path: str | None) -> None:
    text = dossier.to_json()
    if json_path:
        from workers.private import write_text

        write_text(Path(json_path), text + "\n")  # 0600: the record holds names and ID numbers
    else:
        sys.stdout.write(text + "\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="where objects and records are kept (env HOSO_DATA_DIR, default ./hoso-data)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hoso", description="Scanned dossiers to structured dossier records.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each page")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("process", help="process files as one dossier and print its record")
    p.add_argument("files", nargs="+", type=Path, help="PDF, TIFF, JPEG or PNG files, or folders of them")
    p.add_argument("--json", dest="json_path", help="write the record to this file instead of stdout")
    p.add_argument("--code", help="the dossier code (default: a new one)")
    p.add_argument("--centre", help="the service centre receiving it (its staff alone see it in the web app)")
    p.add_argument("--procedure", metavar="KEY", help="the procedure (schemas/procedures.json): its papers are checked")
    p.add_argument("--jobs", type=int, help="page processes (default: one per core)")
    p.add_argument("--lang", help="Tesseract language (default vie)")
    p.add_argument("--max-pages", type=int, help="refuse PDFs/TIFFs with more pages (default 500)")
    p.add_argument("--max-pixels", type=int, help="refuse images with more pixels (default 100000000)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _common(p)

    t = sub.add_parser("train", help="rebuild the document-type classifier (generated corpus + corrections)")
    t.add_argument("--docs-per-type", type=int, default=24, help="generated documents per type")
    t.add_argument("--out", type=Path, help="write the model here only (default: DATA_DIR/models/, S3 on the cluster)")
    _common(t)

    s = sub.add_parser("show", help="print a stored dossier record")
    s.add_argument("code")
    s.add_argument("--json", dest="json_path", help="write the record to this file instead of stdout")
    _common(s)

    # Commands of the other entry points (cluster, watch folder, web app) register themselves here.
    for module in _EXTENSIONS:
        try:
            ext = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        ext.register(sub, _common)
    return parser


_EXTENSIONS = (
    "workers.cli.cluster",
    "workers.cli.watch",
    "workers.cli.web",
    "workers.cli.db",
    "workers.cli.delete",
    "workers.cli.export",
    "workers.cli.outbox",
)


def settings_from_args(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Settings from the environment, overridden by the command line's options."""
    from workers.private import warn_if_shared
    from workers.settings import from_env

    settings = from_env(
        data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
        jobs=getattr(args, "jobs", None),
        lang=getattr(args, "lang", None),
        max_pages=getattr(args, "max_pages", None),
        max_pixels=getattr(args, "max_pixels", None),
    )
    warn_if_shared(settings.data_dir)
    return settings


def cmd_process(args: argparse.Namespace) -> int:
    from schemas.codes import checked_centres
    from workers.runners import head_start

    # A one-page scan: its page is read in a process of its own from now on, beside everything below.
    with head_start.begin(args.files) or contextlib.nullcontext() as ahead:
        settings = settings_from_args(args)
        if ahead is not None:
            ahead.send(settings.pipeline, settings.workers)
        from workers.progress import ProgressBar
        from workers.runners import embedded
        from workers.usecases.procedures import resolve

        procedure = resolve(settings, args.procedure) if args.procedure else None
        with ProgressBar(enabled=not args.no_progress) as bar:
            meta: dict[str, object] | None = {"centre": checked_centres([args.centre])[0]} if args.centre else None
            result = embedded.process(
                settings, args.files, code=args.code, meta=meta, progress=bar.update, head_start=ahead,
                procedure=procedure,
            )  # fmt: skip
    write_record(result.dossier, args.json_path)
    others = [d for d in result.dossiers if d.code != result.dossier.code]
    if others:  # the stack was split at its receipt sheets: one record per dossier
        print(f"hoso: split at receipt sheets into {1 + len(others)} dossiers: {result.dossier.code} "
              + " ".join(d.code for d in others), file=sys.stderr)  # fmt: skip
        for d in others:
            write_record(d, str(Path(args.json_path).with_suffix(f".{d.code}.json")) if args.json_path else None)
    return problems_exit_code(result.problems)


def records_of(settings, code: str):  # type: ignore[no-untyped-def]
    """The record database holding dossier `code`; DossierNotFound when there is no data at all (no database is
    made just to find nothing in it)."""
    from workers.stores.records import Records

    if not Path(settings.data_dir).exists() and settings.database_url is None:
        from schemas.errors import DossierNotFound

        raise DossierNotFound(f"no dossier with code {code!r} (no data in {settings.data_dir})")
    return Records(settings.db_url)


def cmd_show(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    records = records_of(settings, args.code)
    try:
        write_record(records.dossier(args.code), args.json_path)
    finally:
        records.close()
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from workers.stores.records import Records
    from workers.usecases.train import Example, learn_labels, retrain

    settings = settings_from_args(args)
    corrections: list[Example] = []
    if settings.database_url or (settings.data_dir / "hoso.db").exists():
        records = Records(settings.db_url)
        try:
            corrections = [Example(text, label) for text, label in records.type_corrections()]
        finally:
            records.close()
    stats, places = retrain(settings, corrections, docs_per_type=args.docs_per_type, out=args.out)
    print(
        f"trained on {int(stats['examples'])} pages ({int(stats['corrections'])} reviewers' corrections), "
        f"{int(stats['features'])} features, in {stats['seconds']:.1f} s -> {', '.join(places)}"
    )
    print(learn_labels(settings, out_dir=args.out.parent if args.out else None).report())
    return 0


def exit_code(error: BaseException) -> int:
    """The one place an error becomes the command line's exit code, with its message on stderr. A HosoError
    says what to do; anything else is a bug: logged with its traceback, a generic message, exit code 70."""
    if isinstance(error, KeyboardInterrupt):
        print("hoso: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    if isinstance(error, HosoError):
        print(f"hoso: error: {error}", file=sys.stderr)
        return error.exit_code
    log.error("internal error", exc_info=error)
    print(f"hoso: {INTERNAL_MESSAGE} ({type(error).__name__})", file=sys.stderr)
    return INTERNAL_EXIT_CODE


def problems_exit_code(problems: Sequence[HosoError]) -> int:
    """A command that recorded problems and went on: each named on stderr, the highest exit code (0: none)."""
    for problem in problems:
        print(f"hoso: error: {problem}", file=sys.stderr)
    return max((p.exit_code for p in problems), default=0)


def main(argv: Sequence[str] | None = None) -> int:
    program = argv is None  # the program itself (console script, python -m), not a caller that goes on after
    if program:
        # A command starts by importing much (SQLAlchemy, pydantic, numpy): collect garbage less often meanwhile
        # (some 40 ms of a one-page run); the limit stays, so a long command's memory stays bounded.
        gc.set_threshold(100_000, 50, 100)
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    commands = {"process": cmd_process, "show": cmd_show, "train": cmd_train}
    try:
        from workers.extras import require_for_command  # "`hoso serve` needs the [web] extra: install hoso[web]"

        require_for_command(args.command)
        if args.command not in commands:
            return int(args.handler(args))  # set by an extension's subcommand
        return commands[args.command](args)
    except (Exception, KeyboardInterrupt) as exc:  # SystemExit (argparse, --help) passes
        return exit_code(exc)
    finally:
        if program:
            gc.freeze()  # the interpreter ends next: its last collection need not walk every object (~0.1 s)


if __name__ == "__main__":
    sys.exit(main())
