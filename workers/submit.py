"""Submitting a dossier to the cluster, and waiting for its record.

`submit` stores each original unchanged in object storage under its SHA-256 and records the dossier and
its files; the caller then sends the intake message (it carries the dossier code only). Workers on other
machines find everything they need in storage and the database. A file that does not exist is recorded
as a problem at once; whether the others can be read is the intake's business.

`wait` follows the record database until the dossier's record is final and its artifacts are written,
reporting progress; storage or database being away for a while is waited out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.errors import HosoError, MissingFile, TransientError
from schemas.record import Dossier, DossierStatus
from workers.artifacts import pdf_key
from workers.embedded import expand_inputs, new_code
from workers.records import Records
from workers.storage import ObjectStore, original_key, sha256_file

FINAL = frozenset({DossierStatus.processed, DossierStatus.needs_review, DossierStatus.reviewed, DossierStatus.failed})

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Submitted:
    code: str
    files: int = 0
    problems: list[HosoError] = field(default_factory=list)


def submit(
    records: Records,
    store: ObjectStore,
    inputs: Sequence[Path],
    *,
    code: str | None = None,
    meta: dict[str, object] | None = None,
) -> Submitted:
    """Store the originals and record the dossier and its files, in the order given. Send no message."""
    code = code or new_code()
    records.create_dossier(code, dict(meta or {}))
    if records.status(code) == DossierStatus.reviewed:
        return Submitted(code=code)
    result = Submitted(code=code)
    for position, path in enumerate(expand_inputs(inputs), start=1):
        result.files += 1
        if not path.is_file():
            err = MissingFile("no such file", file=str(path))
            records.add_file(code, position, path.name, sha256=None, error_kind=err.kind, error_message=err.message)
            result.problems.append(err)
            continue
        sha = sha256_file(path)
        key = original_key(sha)
        if not store.exists(key):
            store.put_file(key, path)
        records.add_original(sha, path.stat().st_size, key, path.name)
        records.add_file(code, position, path.name, sha256=sha)
    # Received (again): the intake takes it from here; a finished dossier given more files is reopened.
    records.set_status(code, DossierStatus.received)
    return result


def wait(
    records: Records,
    store: ObjectStore,
    code: str,
    *,
    progress: Progress = _no_progress,
    poll_s: float = 0.5,
    timeout_s: float | None = None,
) -> Dossier:
    """The dossier's record once final (and its searchable PDF written, when it has pages)."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    last_error: TransientError | None = None
    while True:
        try:
            counts = records.page_counts(code)
            total = sum(counts.values())
            finished = counts.get("done", 0) + counts.get("failed", 0)
            status = records.status(code)
            if status in FINAL:
                progress("dossier", finished, total)
                if not counts.get("done", 0) or store.exists(pdf_key(code)):
                    return records.dossier(code)
            else:
                progress("pages", finished, total)
            last_error = None
        except TransientError as exc:  # storage or database away: the workers wait it out, so do we
            last_error = exc
        if deadline is not None and time.monotonic() > deadline:
            if last_error is not None:
                raise last_error
            raise TimeoutError(f"dossier {code} was not finished within {timeout_s:g} s")
        time.sleep(poll_s)
