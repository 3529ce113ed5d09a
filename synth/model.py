"""The records the generator hands back: pages, documents and dossiers with their ground truth."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class TruthField:
    """One extracted field as a benchmark expects it.

    Values are normalised: dates ``YYYY-MM-DD``; identity numbers and phones digits only; names in
    capitals as printed (NFC); areas with a decimal point (``"150.5"``); serial numbers without spaces
    (``"CS123456"``); everything else as printed with runs of white space folded to one space.
    """

    key: str
    value: str


@dataclass(frozen=True)
class GeneratedPage:
    """One page image with the truth of what is printed on it.

    ``lines`` are the text lines of the upright page in reading order: top to bottom, and where the
    page has blocks side by side (header, two-column sections, signature blocks) the left block's lines
    come before the right block's. A table row is one line, its cells joined by a space.
    """

    image: Image.Image
    dpi: int
    skew_deg: float
    rotation: int
    lines: tuple[str, ...]
    doc_type: str
    doc_index: int
    blank: bool
    separator: bool
    qr_text: str | None
    photo: bool = False  # a phone photo of the sheet on a desk, not a scan
    stamps: tuple[str, ...] = ()  # stamps pressed over the text (synth.STAMPS)

    @property
    def words(self) -> list[str]:
        """Every white-space separated word of ``lines``, leaving out dotted leaders (runs of dots)."""
        return [w for line in self.lines for w in line.split() if w.strip(".…")]


@dataclass(frozen=True)
class GeneratedDocument:
    """One paper of the dossier: its type, the dossier pages it covers and its field truth."""

    doc_type: str
    page_indexes: tuple[int, ...]
    fields: tuple[TruthField, ...]

    def field(self, key: str) -> str | None:
        """The value of field ``key`` or None."""
        for f in self.fields:
            if f.key == key:
                return f.value
        return None


@dataclass(frozen=True)
class GeneratedDossier:
    """A scanned dossier: the dossier code, the pages in scan order and the documents they make up."""

    code: str
    pages: tuple[GeneratedPage, ...]
    documents: tuple[GeneratedDocument, ...]
