"""The rows the record database hands out: frozen dataclasses, and the converters from SQLAlchemy rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.corrections import Correction as CorrectionRow  # a reviewer's correction, as stored


@dataclass(frozen=True)
class FileRow:
    position: int
    name: str
    sha256: str | None
    kind: str | None
    pages: int | None
    error_kind: str | None
    error_message: str | None


@dataclass(frozen=True)
class PageTask:
    """What a worker needs to process one page: ids and keys only."""

    code: str
    number: int
    file_name: str
    sha256: str
    kind: str
    source_page: int  # 1-based


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    password_hash: str | None
    lang: str
    active: bool
    created_at: float
    centres: tuple[str, ...] = ()  # the centres served; () for every centre


@dataclass(frozen=True)
class TokenRow:
    """An API token as listed: its id is the start of its SHA-256 (the token itself is never stored)."""

    id: str
    user_name: str
    created_at: float
    expires_at: float | None


@dataclass(frozen=True)
class DossierRow:
    """A dossier's row without its pages: for lists, the review queue and search results."""

    code: str
    status: str
    meta: dict[str, Any]
    documents: list[dict[str, Any]]
    created_at: float
    updated_at: float
    version: int = 0  # raised by every correction: a write made from an older one is refused
    claimed_by: str | None = None  # the reviewer who took it from the queue, while `claimed_until` is ahead
    claimed_until: float | None = None
    centre: str | None = None  # the service centre that received it (None: received outside any centre)
    deleted_at: float | None = None  # in the trash since (hidden from every list; removed for good later)
    deleted_by: str | None = None


@dataclass(frozen=True)
class DossierFilter:
    """Which dossiers a list shows: every criterion given must hold (None: any)."""

    statuses: tuple[str, ...] | None = None
    received_from: float | None = None  # epoch seconds, inclusive
    received_until: float | None = None  # epoch seconds, exclusive
    procedure: str | None = None  # the procedure's key
    received_by: str | None = None  # the user who received it
    doc_type: str | None = None  # holds a document of this type
    centres: tuple[str, ...] | None = None


@dataclass(frozen=True)
class IntakeRow:
    """A file the watch folder took, and how far its intake went."""

    id: int
    root: str
    path: str
    folder: str
    sha256: str
    size: int
    mtime_ns: int
    state: str
    segments: list[dict[str, Any]]
    error_kind: str | None
    error_message: str | None
    settled: bool
    settled_as: str | None
    created_at: float

    @property
    def codes(self) -> list[str]:
        return [str(s["code"]) for s in self.segments]


def _correction_row(r: Any) -> CorrectionRow:
    return CorrectionRow(
        id=int(r["id"]),
        code=r["dossier_code"],
        target=r["target"],
        document=r["document"],
        key=r["key"],
        old=r["old"],
        new=r["new"],
        pages=list(r["pages"]) if r["pages"] is not None else None,
        who=r["who"],
        at=float(r["at"]),
    )


def _user_row(r: Any) -> UserRow:
    return UserRow(
        name=r["name"],
        role=r["role"],
        password_hash=r["password_hash"],
        lang=r["lang"] or "vi",
        active=bool(r["active"]),
        created_at=float(r["created_at"]),
        centres=tuple((r.get("centres") or "").split()),
    )


def _dossier_row(r: Any) -> DossierRow:
    return DossierRow(
        code=r["code"],
        status=r["status"],
        meta=dict(r["meta"] or {}),
        documents=list(r["documents"] or []),
        created_at=float(r["created_at"]),
        updated_at=float(r["updated_at"]),
        version=int(r.get("version") or 0),
        claimed_by=r.get("claimed_by"),
        claimed_until=r.get("claimed_until"),
        centre=r.get("centre"),
        deleted_at=r.get("deleted_at"),
        deleted_by=r.get("deleted_by"),
    )


def _intake_row(r: Any) -> IntakeRow:
    return IntakeRow(
        id=int(r["id"]),
        root=r["root"],
        path=r["path"],
        folder=r["folder"],
        sha256=r["sha256"],
        size=int(r["size"]),
        mtime_ns=int(r["mtime_ns"]),
        state=r["state"],
        segments=list(r["segments"] or []),
        error_kind=r["error_kind"],
        error_message=r["error_message"],
        settled=bool(r["settled"]),
        settled_as=r["settled_as"],
        created_at=float(r["created_at"]),
    )
