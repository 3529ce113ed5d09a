"""A reviewer's correction as the record keeps it: who, when, what (target, document, key), old and new value.

Stored apart from what the machine computed and laid over it on every read (`pipeline/corrections.py`)."""

from __future__ import annotations

from dataclasses import dataclass

FIELD = "field"
DOCUMENT_TYPE = "document_type"
WORD = "word"
LINE = "line"
SPLIT = "split"
MERGE = "merge"
STATUS = "status"
TARGETS = (FIELD, DOCUMENT_TYPE, WORD, LINE, SPLIT, MERGE, STATUS)
# the key of a STATUS entry that keeps why a dossier lacking papers was marked reviewed (old: the papers missing)
INCOMPLETE_REASON = "incomplete_reason"


@dataclass(frozen=True)
class Correction:
    """One reviewer's correction as stored."""

    id: int
    code: str
    target: str  # one of TARGETS
    document: int | None
    key: str | None
    old: str | None
    new: str | None
    pages: list[int] | None
    who: str
    at: float
