"""Submitting a dossier to the cluster, and waiting for its record.

`submit` is the intake's first step (`workers.usecases.intake.receive`): each original stored unchanged in object
storage under its SHA-256, the dossier and its files recorded; the caller then sends the intake message
(it carries the dossier code only). Workers on other
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

from schemas.errors import HosoError, TransientError
from schemas.procedures import Procedure
from schemas.record import Dossier, DossierStatus
from workers.stores.objects import ObjectStore
from workers.stores.records import Records
from workers.usecases.artifacts import pdf_key
from workers.usecases.intake import Channel, Submission, receive

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
    channel: Channel = Channel.submit,
    procedure: Procedure | None = None,
) -> Submitted:
    """Store the originals and record the dossier and its files, in the order given (`intake.receive`).
    Send no message: the intake actor takes it in (and splits it at its receipt sheets)."""
    submission = Submission(tuple(inputs), channel, code, dict(meta or {}), procedure=procedure)
    received = receive(records, store, submission)
    return Submitted(code=received.code, files=received.files, problems=list(received.problems))


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
