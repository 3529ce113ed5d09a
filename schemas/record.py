"""The dossier record: what hoso produces and other tools read.

The keys are a contract (see README, "The record"): add beside them, never rename.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydField

SCHEMA_VERSION = 1

Box = Annotated[list[int], PydField(min_length=4, max_length=4, description="[x0, y0, x1, y1] in pixels")]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class DossierStatus(StrEnum):
    received = "received"
    processing = "processing"
    processed = "processed"
    needs_review = "needs_review"
    reviewed = "reviewed"
    failed = "failed"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Word(_Frozen):
    text: str
    conf: float = PydField(ge=0, le=100, description="Tesseract word confidence, 0-100")
    box: Box = PydField(description="[x0, y0, x1, y1] on the straightened page image")
    line: int = PydField(0, description="text line on the page, in reading order (columns one after another)")
    block: int = PydField(0, description="text block on the page, in reading order")
    read_as: str | None = PydField(
        None, description="the OCR engine's own reading, when the Vietnamese marks rescoring changed the word"
    )
    read_conf: float | None = PydField(
        None, ge=0, le=100, description="the engine's confidence in its own reading (read_as), 0-100"
    )

    @field_validator("text", "read_as")
    @classmethod
    def _nfc(cls, v: str | None) -> str | None:
        return None if v is None else nfc(v)


class PageSource(_Frozen):
    file: str = PydField(description="name of the input file the page came from")
    page: int = PydField(ge=1, description="1-based page within that file")


class Page(_Frozen):
    number: int = PydField(ge=1, description="1-based across the dossier")
    source: PageSource
    sha256: str = PydField(description="SHA-256 of the original file holding this page")
    width: int = PydField(description="width of the straightened page image, pixels")
    height: int
    dpi: int = PydField(
        description="resolution stated by the file, 300 when it states none; a photo's: its sheet's, taken for A4"
    )
    dpi_stated: bool = True
    rotation: int = PydField(description="counter-clockwise quarter turn found in the scan and undone: 0/90/180/270")
    skew_deg: float = PydField(description="small counter-clockwise angle of the content, degrees, undone")
    blank: bool = False
    photo: bool = PydField(False, description="a phone photo of the sheet: its perspective and light were undone")
    separator: bool = PydField(False, description="a receipt sheet separating dossiers; in no document")
    separator_code: str | None = PydField(None, description="the dossier code read from the receipt sheet")
    separator_procedure: str | None = PydField(None, description="the procedure key the receipt's QR carries")
    text: str = ""
    confidence: float = PydField(0.0, ge=0, le=100, description="mean word confidence, 0-100")
    words: list[Word] = PydField(default_factory=list)
    image_key: str | None = PydField(None, description="object key of the straightened page image")

    @field_validator("text")
    @classmethod
    def _nfc(cls, v: str) -> str:
        return nfc(v)


class CurrentUnits(_Frozen):
    """Today's (2025 map) ward and province of an address, with their official codes."""

    ward: str | None = None
    province: str | None = None
    codes: dict[str, str | None] = PydField(default_factory=dict)  # {"ward", "province"}
    also: list[str] = PydField(default_factory=list)  # other new wards an old ward was split between


class AddressUnits(_Frozen):
    """An address field's units on the map it was printed on ("2025" or "legacy", districts on the legacy map
    only), their codes, and today's units (`current`). `suggestions`: the province's wards nearest a ward that
    is not in it."""

    printed_map: Literal["2025", "legacy"]
    street: str | None = None
    ward: str | None = None
    district: str | None = None
    province: str | None = None
    codes: dict[str, str | None] = PydField(default_factory=dict)  # {"ward", "district", "province"}
    current: CurrentUnits = PydField(default_factory=CurrentUnits)
    suggestions: list[str] = PydField(default_factory=list)


class Field(_Frozen):
    value: str
    confidence: float = PydField(ge=0, le=1)
    page: int | None = None
    box: Box | None = None
    suggestion: str | None = None  # another paper of the dossier reads this person's value so: for the reviewer
    units: AddressUnits | None = None  # an address's administrative units, printed and today's


class Document(_Frozen):
    type: str
    type_confidence: float = PydField(ge=0, le=1)
    pages: list[int]
    fields: dict[str, Field] = PydField(default_factory=dict)
    needs_review: bool = False


class FileProblem(_Frozen):
    """An input file, or one page of it, that could not be taken, and why; the original is kept."""

    file: str
    sha256: str | None = None
    page: int | None = PydField(default=None, description="the dossier page that failed, when only one page did")
    error: str
    message: str


class DossierSource(_Frozen):
    """Where a dossier's scans came from, when they came through an intake channel such as a watch folder."""

    channel: str = PydField(description="the intake channel: 'watch' (a watch folder)")
    folder: str = PydField("", description="subfolder the file was in (a procedure or a counter); '' at the top")
    file: str = PydField(description="the file's path inside the watch folder")
    sha256: str | None = PydField(None, description="SHA-256 of that file")
    first_page: int | None = PydField(None, ge=1, description="the file's first page in this dossier (1-based)")
    last_page: int | None = PydField(None, ge=1, description="the file's last page in this dossier")


class ComponentStatus(_Frozen):
    """One paper the dossier's procedure requires, and the documents of the dossier that are it."""

    key: str = PydField(description="the component's key in the procedure (schemas/procedures.json)")
    name: str = PydField(description="the paper as the clerk names it, in Vietnamese")
    required: bool = PydField(description="false: needed only under `condition`")
    documents: list[int] = PydField(default_factory=list, description="indexes into the record's documents")
    missing: bool = PydField(description="a required paper not found (or fewer than `count` of it)")
    pages: list[int] = PydField(default_factory=list, description="the pages of those documents")
    count: int = PydField(1, description="how many such papers the procedure asks for")
    condition: str | None = None
    portal_name: str = PydField("", description="the component's name on the National Public Service Portal")
    uncertain: bool = PydField(False, description="found only in documents whose type is not sure: check them")


class Completeness(_Frozen):
    """Whether the dossier holds every paper its procedure requires (`complete`), paper by paper."""

    complete: bool
    components: list[ComponentStatus] = PydField(default_factory=list)
    missing: list[str] = PydField(default_factory=list, description="the names of the required papers not found")
    other_documents: list[int] = PydField(default_factory=list, description="documents that are no component")


class Dossier(_Frozen):
    code: str
    status: DossierStatus
    pages: list[Page] = PydField(default_factory=list)
    documents: list[Document] = PydField(default_factory=list)
    problems: list[FileProblem] = PydField(default_factory=list)
    source: DossierSource | None = None
    procedure: str | None = PydField(default=None, description="the dossier's procedure (schemas/procedures.json key)")
    completeness: Completeness | None = PydField(default=None, description="the procedure's papers found and missing")
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)
