"""The one intake every channel calls: counter upload, API, `hoso process`, `hoso submit`, the watch folder.

A `Submission` (the files, where they came from, the dossier asked for) goes through the same steps, each
safe to repeat:

1. `receive` — each original stored unchanged under its SHA-256 and recorded with the dossier's files;
   a file already stored in another dossier is found (same SHA-256) and reported as a duplicate; a file
   that does not exist or cannot be read is recorded with its reason. The dossier is `received`.
   This needs the files themselves, so the channel runs it.
2. `prepare` — each received file checked and its pages counted (`raster.inspect`); the stack (the pages of
   all the files, in order) **split at its receipt sheets** (a QR holding a dossier code, read on a cheap
   low-resolution decode of the page: `raster.load_preview`); page rows made for each part. This needs
   only the stored originals, so the runner runs it (in process, or the cluster's intake actor).

Parts: the first part of the stack (the pages before the second receipt sheet, or every page when there is
at most one) stays in the dossier the files were received into, whose code the channel has given out
already; each later sheet starts a dossier whose code is its QR's (`CODE_2`… when another dossier has it),
the sheet its first page. The watch folder, which gives out no code, names its first part by its sheet too
(`take_in` without `first_code`). Each part records where it came from (`source`).
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from schemas.codes import checked_code
from schemas.errors import (
    DossierBusy,
    DossierExists,
    HosoError,
    InputError,
    MissingFile,
    NotARefusedFile,
    NotARegularFile,
    TooManyPages,
)
from schemas.procedures import Procedure
from schemas.record import DossierStatus
from schemas.settings import PipelineSettings
from workers.stores.objects import ObjectStore, original_key, sha256_file
from workers.stores.records import FileRow, Records

log = logging.getLogger("hoso.intake")


class Channel(StrEnum):
    """Where a submission came from (recorded in each dossier's `source`)."""

    counter = "counter"  # the web app's upload page
    api = "api"  # POST /api/dossiers
    process = "process"  # hoso process
    submit = "submit"  # hoso submit
    watch = "watch"  # hoso watch


@dataclass(frozen=True)
class Submission:
    """Files given as one stack, in page order, and where they came from."""

    files: tuple[Path, ...]
    channel: Channel
    code: str | None = None  # the dossier asked for; None: a new code (or the first receipt sheet's)
    meta: Mapping[str, Any] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the names to record (default: each file's own name)
    procedure: Procedure | None = None  # the procedure the dossier is for (its papers are checked against it)
    # files added to an existing dossier after its own (the clerk's "add files"), not in their place: receiving
    # the same submission again (a retry) would add them twice, so only an explicit addition sets it
    append: bool = False
    replaces: str | None = None  # with `append`: the refused file (by name) the new files replace
    # the files' SHA-256 where the channel has hashed them already (the web app's duplicate check): read once
    hashes: Mapping[Path, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Duplicate:
    name: str
    sha256: str
    dossiers: tuple[str, ...]  # the other dossiers that hold the same content


@dataclass(frozen=True)
class Received:
    code: str
    files: int
    problems: tuple[HosoError, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()


@dataclass(frozen=True)
class Part:
    """One dossier made from the stack: its code, the stack's pages it holds (1-based), its receipt code."""

    code: str
    first: int
    last: int
    receipt: str | None


@dataclass(frozen=True)
class Prepared:
    code: str
    parts: tuple[Part, ...] = ()
    pages: int = 0
    problems: tuple[HosoError, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.parts] or [self.code]


def new_code() -> str:
    return f"HS-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(3).upper()}"


def expand_inputs(paths: Iterable[Path]) -> list[tuple[Path, HosoError | None]]:
    """Files in the order given; a folder counts as its entries sorted by name (hidden ones and subfolders
    skipped). A link, pipe or device in a folder is never followed or opened: it comes with its refusal (a
    file named itself is taken as named, through a link too)."""
    out: list[tuple[Path, HosoError | None]] = []
    for p in paths:
        if not p.is_dir():
            out.append((p, None))
            continue
        for c in sorted(p.iterdir(), key=lambda c: c.name):
            if c.name.startswith(".") or (c.is_dir() and not c.is_symlink()):
                continue
            refused = None
            if c.is_symlink() or not c.is_file():
                what = "a symbolic link" if c.is_symlink() else "not a regular file"
                refused = NotARegularFile(f"{what} in the folder {p}: not followed", file=c.name)
            out.append((c, refused))
    return out


# --- 1. receive: the originals stored, the files recorded ------------------------------------------------------


def store_original(records: Records, store: ObjectStore, path: Path, name: str, sha: str, size: int) -> str:
    """Store one original under its SHA-256 (once) and record it; its object key."""
    key = original_key(sha)
    if not store.exists(key):
        store.put_file(key, path)
    records.add_original(sha, size, key, name)
    return key


def _nfc_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The submission's words (a citizen's name typed on a Mac keyboard, a folder name) in NFC, as search and
    the record compare them."""
    return {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in meta.items()}


def refused_names(records: Records, code: str) -> set[str]:
    """The names of the dossier's files that were refused (what `replaces` may name)."""
    return {f.name for f in records.files(code) if f.error_kind}


def not_open_to_files(code: str, status: DossierStatus) -> DossierBusy:
    """Why a dossier in `status` takes no files now."""
    if status == DossierStatus.reviewed:
        return DossierBusy(f"dossier {code} is reviewed: a reviewer's verdict stands (ask a reviewer to reopen it)")
    return DossierBusy(f"dossier {code} is {status.value}: add files once it is processed")


def receive(records: Records, store: ObjectStore, submission: Submission, *, new: bool = False) -> Received:
    """Store the originals and record the dossier and its files, in the order given. With `new`, the code
    asked for must not exist yet (`DossierExists`)."""
    code = checked_code(submission.code) if submission.code is not None else new_code()
    meta = {"channel": submission.channel.value, **_nfc_meta(submission.meta)}
    created = records.create_dossier(code, meta)
    if new and not created:
        raise DossierExists(f"dossier {code} exists already")
    if submission.append and not created:  # files added: checked and reopened at once (no processing between)
        if submission.replaces is not None and submission.replaces not in refused_names(records, code):
            raise NotARefusedFile(f"dossier {code} has no refused file named {submission.replaces!r} to replace")
        busy = records.reopen_for_files(code)
        if busy is not None:
            raise not_open_to_files(code, busy)
    elif not created and records.status(code) == DossierStatus.reviewed:
        return Received(code=code, files=0)  # a reviewer's verdict stands
    if submission.procedure is not None:
        records.set_procedure(code, submission.procedure)
    problems: list[HosoError] = []
    duplicates: list[Duplicate] = []
    paths = expand_inputs(submission.files)
    start = 1
    if submission.append and not created:
        if submission.replaces is not None:
            records.remove_refused_file(code, submission.replaces)
        start = 1 + max((f.position for f in records.files(code)), default=0)
    for position, (path, refused) in enumerate(paths, start=start):
        name = submission.names[position - 1] if len(submission.names) >= position else path.name
        name = unicodedata.normalize("NFC", name)  # a Mac's or a phone's NFD file name is found by its NFC spelling
        err: HosoError | None = refused
        sha = ""
        if err is None and not path.is_file():
            err = MissingFile("no such file", file=str(path))
        elif err is None:
            try:
                sha = submission.hashes.get(path) or sha256_file(path)
            except OSError as exc:
                err = MissingFile(f"the file cannot be read ({exc.strerror or exc})", file=str(path))
        if err is not None:
            records.add_file(code, position, name, sha256=None, error_kind=err.kind, error_message=err.message)
            problems.append(err)
            continue
        holders = tuple(c for c in records.dossiers_with_file(sha) if c != code)
        if holders:
            duplicates.append(Duplicate(name, sha, holders))
            log.warning("duplicate file", extra={"dossier": code, "stage": "intake", "error": "DuplicateFile"})
        store_original(records, store, path, name, sha, path.stat().st_size)
        records.add_file(code, position, name, sha256=sha)
    # Received (again): `prepare` takes it from here; a finished dossier given more files is reopened.
    records.set_status(code, DossierStatus.received)
    return Received(code=code, files=len(paths), problems=tuple(problems), duplicates=tuple(duplicates))


# --- 2. prepare: the files checked, the stack split at its receipt sheets, page rows made ----------------------


@dataclass(frozen=True)
class _StackPage:
    file: FileRow
    source_page: int  # 1-based, in its file


def receipt_code(path: Path, kind: str, index: int, settings: PipelineSettings, name: str) -> str | None:
    """The page's receipt-sheet code from its QR alone, on a cheap decode (a few ms beside OCR)."""
    from pipeline import raster
    from pipeline.separators import read_qr, separator_code

    try:
        image = raster.load_preview(path, kind, index, settings, name=name)  # type: ignore[arg-type]
    except InputError:
        return None  # the page stage records why
    return separator_code(read_qr(image.pixels, image.dpi), None)


def _inspect(
    records: Records, store: ObjectStore, settings: PipelineSettings, code: str
) -> tuple[list[FileRow], list[HosoError]]:
    """The dossier's files, each checked and its pages counted once (a bad one recorded with its reason)."""
    from pipeline import raster

    out: list[FileRow] = []
    problems: list[HosoError] = []
    total = 0  # the dossier's pages so far: the page limit holds for the dossier, not only for each file
    for f in records.files(code):
        if f.error_kind or f.sha256 is None:
            continue
        if f.kind is None or f.pages is None:
            try:
                info = raster.inspect(store.local_path(original_key(f.sha256)), settings, name=f.name)
            except FileNotFoundError:
                missing = MissingFile("the original is not in object storage", file=f.name)
                records.add_file(code, f.position, f.name, sha256=f.sha256, error_kind=missing.kind,
                                 error_message=missing.message)  # fmt: skip
                log.warning("file refused", extra={"dossier": code, "stage": "intake", "error": missing.kind})
                problems.append(missing)
                continue
            except InputError as exc:
                records.add_file(code, f.position, f.name, sha256=f.sha256, error_kind=exc.kind,
                                 error_message=exc.message)  # fmt: skip
                log.warning("file refused", extra={"dossier": code, "stage": "intake", "error": exc.kind})
                problems.append(exc)
                continue
            records.add_file(code, f.position, f.name, sha256=f.sha256, kind=info.kind, page_count=info.pages)
            f = FileRow(f.position, f.name, f.sha256, info.kind, info.pages, None, None)
        if total + (f.pages or 0) > settings.max_pages:
            over = TooManyPages(f"the dossier would have {total + (f.pages or 0)} pages with this file, over the "
                                f"limit of {settings.max_pages} a dossier", file=f.name)  # fmt: skip
            records.add_file(code, f.position, f.name, sha256=f.sha256, kind=f.kind, page_count=f.pages,
                             error_kind=over.kind, error_message=over.message)  # fmt: skip
            log.warning("file refused", extra={"dossier": code, "stage": "intake", "error": over.kind})
            problems.append(over)
            total = settings.max_pages  # the files after it are refused too: the stack's order is kept
            continue
        total += f.pages or 0
        out.append(f)
    return out, problems


def split_codes(
    store: ObjectStore, settings: PipelineSettings, stack: Sequence[tuple[FileRow, int]]
) -> list[str | None]:
    """Each stack page's receipt-sheet code (None for most). A one-page stack splits nothing: not read."""
    if len(stack) < 2:
        return [None] * len(stack)
    assert all(f.sha256 and f.kind for f, _ in stack)
    return [
        receipt_code(store.local_path(original_key(f.sha256 or "")), f.kind or "", page - 1, settings, f.name)
        for f, page in stack
    ]


def claim_code(records: Records, candidate: str, source: Mapping[str, Any]) -> str:
    """The dossier code for a part: `candidate`, or `candidate_2`… when another dossier has it (the same
    dossier scanned again). Ours already, after a restart, when its source is this same part."""
    for n in range(1, 1000):
        code = candidate if n == 1 else f"{candidate}_{n}"
        if records.create_dossier(code, {"source": dict(source)}):
            if n > 1:
                log.warning("dossier code taken; renamed", extra={"stage": "intake", "dossier": code})
            return code
        theirs = (records.dossier_meta(code) or {}).get("source") or {}
        if (theirs.get("sha256"), theirs.get("first_page")) == (source["sha256"], source["first_page"]):
            return code
    raise DossierExists(f"no free dossier code like {candidate}")


def place_part(records: Records, code: str, stack: Sequence[tuple[FileRow, int]], *, keep_files: bool) -> None:
    """Page rows for a part of the stack (numbered from 1), and its file rows unless the dossier has them."""
    positions: dict[str, int] = {}
    runs: list[list[int]] = []  # [position, first source page, count, first number]
    for number, (f, page) in enumerate(stack, start=1):
        key = f"{f.position}:{f.sha256}"
        if key not in positions:
            positions[key] = f.position if keep_files else len(positions) + 1
            if not keep_files:
                records.add_file(code, positions[key], f.name, sha256=f.sha256, kind=f.kind, page_count=f.pages)
        pos = positions[key]
        if runs and runs[-1][0] == pos and runs[-1][1] + runs[-1][2] == page:
            runs[-1][2] += 1
        else:
            runs.append([pos, page, 1, number])
    for pos, first_page, count, first_number in runs:
        records.add_page_range(code, pos, first_number, first_page, count)


def take_in(
    records: Records,
    store: ObjectStore,
    settings: PipelineSettings,
    files: Sequence[FileRow],
    *,
    first_code: str | None,
    fallback_code: str,
    source: Mapping[str, Any],
) -> list[Part]:
    """The stack of `files` (checked, pages counted) split at its receipt sheets into dossiers with page rows,
    each `processing`. The first part goes to `first_code` when given (its files recorded there already);
    any other part to its sheet's code, or `fallback_code` (pages before the first sheet), with `source`
    (`schemas.record.DossierSource`) naming its first file and pages: a part made before a restart is
    recognised by that file's SHA-256 and first page."""
    from pipeline.separators import split_at_separators

    stack = [(f, page) for f in files for page in range(1, (f.pages or 0) + 1)]
    parts: list[Part] = []
    for receipt, first, last in split_at_separators(split_codes(store, settings, stack)):
        pages = stack[first - 1 : last]
        if first == 1 and first_code is not None:
            code = first_code
            place_part(records, code, pages, keep_files=True)
        else:
            head, head_page = pages[0]
            in_head = [p for f, p in pages if f is head]
            part_source = {**source, "file": source.get("file") or head.name, "sha256": head.sha256,
                           "first_page": head_page, "last_page": in_head[-1]}  # fmt: skip
            code = claim_code(records, receipt or fallback_code, part_source)
            place_part(records, code, pages, keep_files=False)
        records.set_status(code, DossierStatus.processing)
        parts.append(Part(code, first, last, receipt))
    if len(parts) > 1:
        log.info("stack split at receipt sheets", extra={"stage": "intake", "count": len(parts),
                                                         "dossier": " ".join(p.code for p in parts)})  # fmt: skip
    return parts


def prepare(records: Records, store: ObjectStore, settings: PipelineSettings, code: str) -> Prepared:
    """Take in a received dossier: its files checked, the stack split at its receipt sheets (the first part
    stays in this dossier), page rows made. A dossier taken in already is left as it is (its parts named)."""
    status = records.status(code)
    meta = records.dossier_meta(code) or {}
    if status != DossierStatus.received:
        return Prepared(code=code, parts=tuple(Part(c, 0, 0, None) for c in meta.get("parts") or [code]))
    files, problems = _inspect(records, store, settings, code)
    source = {"channel": str(meta.get("channel") or Channel.process.value), "folder": ""}
    parts = take_in(records, store, settings, files, first_code=code, fallback_code=code, source=source)
    if len(parts) > 1:
        records.merge_meta(code, parts=[p.code for p in parts])
    records.set_status(code, DossierStatus.processing)
    return Prepared(code=code, parts=tuple(parts), pages=sum(f.pages or 0 for f in files), problems=tuple(problems))
