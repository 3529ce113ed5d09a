"""The API's request and response bodies (the record itself is `schemas.record.Dossier`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydField

from schemas.record import Document
from workers.stores.records import CorrectionRow, DossierRow


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Created(_Body):
    code: str


class PageState(_Body):
    number: int
    state: Literal["pending", "running", "done", "failed"]


class DossierStatusOut(_Body):
    code: str
    status: str
    pages_done: int
    pages_total: int
    pages_failed: int = 0
    pages: list[PageState] = PydField(default_factory=list)
    version: str = PydField("", description="changes whenever the status or a page's state does (for ?since=)")


class DossierSummary(_Body):
    code: str
    status: str
    citizen_name: str | None = None
    procedure: str | None = None
    received_by: str | None = None
    created_at: str = PydField(description="ISO 8601, UTC")
    confidence: float = PydField(description="the weakest type or field confidence of its documents, 0-1")

    @classmethod
    def of(cls, row: DossierRow, confidence: float) -> DossierSummary:
        meta = row.meta
        return cls(
            code=row.code,
            status=row.status,
            citizen_name=_str(meta.get("citizen_name")),
            procedure=_str(meta.get("procedure")),
            received_by=_str(meta.get("received_by")),
            created_at=_iso(row.created_at),
            confidence=round(confidence, 3),
        )


class CorrectionEntry(_Body):
    id: int
    target: str
    document: int | None
    key: str | None
    old: str | None
    new: str | None
    pages: list[int] | None
    who: str
    at: str = PydField(description="ISO 8601, UTC")

    @classmethod
    def of(cls, row: CorrectionRow) -> CorrectionEntry:
        return cls(
            id=row.id,
            target=row.target,
            document=row.document,
            key=row.key,
            old=row.old,
            new=row.new,
            pages=row.pages,
            who=row.who,
            at=_iso(row.at),
        )


# --- corrections a reviewer sends -----------------------------------------------------------------------------


class _Versioned(_Body):
    version: int | None = PydField(
        None,
        ge=0,
        description="the dossier's `version` the correction was made from (in the last CorrectionResult or the "
        "review page): when the dossier has changed since, 409 StaleEdit with the current value; none: not checked",
    )


class FieldFix(_Versioned):
    target: Literal["field"]
    document: int = PydField(ge=0, description="index of the document in the record's `documents`")
    key: str = PydField(description="the field's key, one of the document type's fields (schemas/doctypes.json)")
    value: str = PydField(
        description="the value on the paper: dates dd/mm/yyyy (or YYYY-MM-DD); the machine's value again accepts "
        "it; empty: the paper has no such value"
    )


class TypeFix(_Versioned):
    target: Literal["document_type"]
    document: int = PydField(ge=0)
    type: str = PydField(description="a document type key (schemas/doctypes.json)")


class WordFix(_Versioned):
    target: Literal["word"]
    page: int = PydField(ge=1)
    word: int = PydField(ge=0, description="index in the page's words as read (GET the record with corrected=false)")
    text: str = PydField(description="the word as printed; empty removes it")


class LineFix(_Versioned):
    target: Literal["line"]
    page: int = PydField(ge=1)
    line: int = PydField(ge=0, description="the words' `line` number on the page")
    text: str = PydField(description="the whole line as printed")


class SplitFix(_Versioned):
    target: Literal["split"]
    page: int = PydField(ge=1, description="the page a new document starts at (not the first of its document)")


class MergeFix(_Versioned):
    target: Literal["merge"]
    document: int = PydField(ge=1, description="index of the document to join to the one before it")


Fix = Annotated[FieldFix | TypeFix | WordFix | LineFix | SplitFix | MergeFix, PydField(discriminator="target")]


class CorrectionResult(_Body):
    correction: CorrectionEntry
    status: str
    documents: list[Document]
    version: int = PydField(0, description="the dossier's version after the correction: send it with the next one")


class Me(_Body):
    name: str
    role: str
    lang: str


class LangIn(_Body):
    lang: Literal["vi", "en"]


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
