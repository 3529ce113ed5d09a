"""A dossier as the National Public Service Portal takes it: one PDF/A-2b per document, signed, in one zip.

The zip holds, for each document with page images, a searchable PDF/A-2b (pipeline/pdfa.py) named by the
procedure's component it fills when the dossier has a completeness, else by its document type (ASCII, Vietnamese
marks dropped: `giay-khai-sinh.pdf`, `giay-khai-sinh-2.pdf` for a second one), each signed by the centre
(workers/usecases/signing.py) when a certificate is configured; and `manifest.json`: the dossier code, the
procedure, whether and by whom the files are signed (or why not), and for each file its component, document
type, pages, SHA-256 and fields. PDFs go into the zip one at a time, as made: one document's images in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.pdf import PdfPage
from pipeline.pdfa import PdfaInfo, PdfaResources, pdfa_document
from schemas.doctypes import load_catalog
from schemas.errors import DossierBusy, ExportResourceMissing, NoPagesToExport
from schemas.record import Dossier, DossierStatus
from workers.settings import Settings
from workers.stores.objects import ObjectStore
from workers.usecases.signing import CentreSigner, load_signer, sign_pdf

log = logging.getLogger("hoso.export")

MANIFEST = "manifest.json"
NO_CERTIFICATE = "no signing certificate configured (HOSO_SIGNING_P12)"


def component_of(dossier: Dossier, doc_index: int) -> tuple[str, str] | None:
    """The (key, name) of the procedure's component that document `doc_index` (0-based) fills, if the dossier
    has a completeness naming it. Read defensively: records made before completeness existed have none."""
    completeness: Any = getattr(dossier, "completeness", None)
    if completeness is None:
        return None
    components = _get(completeness, "components") or []
    for comp in components:
        if doc_index in (_get(comp, "documents") or []):
            key = str(_get(comp, "key") or "")
            return key, str(_get(comp, "name") or key)
    return None


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def ascii_name(text: str, fallback: str = "tai-lieu") -> str:
    """A file name's stem from Vietnamese text: marks dropped (đ -> d), lower case, words joined by '-'."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60].strip("-")
    return stem or fallback


def type_name(doc_type: str) -> str:
    try:
        return load_catalog().get(doc_type).name_vi
    except KeyError:
        return doc_type


@dataclass(frozen=True)
class ExportedFile:
    name: str
    document: int  # index in the record's documents
    component: tuple[str, str] | None
    type: str
    pages: list[int]
    sha256: str
    size: int


@dataclass(frozen=True)
class Export:
    code: str
    files: list[ExportedFile]
    signed_by: str | None  # "CN, O" of the certificate; None: not signed
    unsigned_reason: str | None
    skipped: list[dict[str, object]] = field(default_factory=list)
    seconds: float = 0.0


def pdfa_resources(settings: Settings) -> PdfaResources:
    """The glyphless font (Tesseract's pdf.ttf, beside its language data) and the sRGB profile, read once."""
    font = Path(settings.pipeline.tessdata) / "pdf.ttf"
    icc = settings.export.icc_profile
    try:
        return PdfaResources(font=font.read_bytes(), icc=Path(icc).read_bytes())
    except OSError as exc:
        raise ExportResourceMissing(f"{exc.filename} cannot be read ({exc.strerror})") from None


def export_dossier(settings: Settings, store: ObjectStore, dossier: Dossier, out: BinaryIO) -> Export:
    """Write the dossier's export zip to `out`. The certificate is loaded first: a bad one (SigningCertificateError)
    stops the export before anything is written."""
    signer = load_signer(settings.export)
    return write_export(store, dossier, pdfa_resources(settings), signer, out)


def _file_names(dossier: Dossier) -> list[str]:
    used: dict[str, int] = {}
    names = []
    for i, doc in enumerate(dossier.documents):
        comp = component_of(dossier, i)
        stem = ascii_name(comp[1]) if comp else ascii_name(type_name(doc.type))
        used[stem] = used.get(stem, 0) + 1
        names.append(f"{stem}.pdf" if used[stem] == 1 else f"{stem}-{used[stem]}.pdf")
    return names


def write_export(
    store: ObjectStore,
    dossier: Dossier,
    resources: PdfaResources,
    signer: CentreSigner | None,
    out: BinaryIO,
    *,
    now: datetime | None = None,
) -> Export:
    """The zip of the dossier's documents as PDF/A-2b (signed when `signer` is given) and its manifest."""
    t0 = time.perf_counter()
    now = now or datetime.now(UTC)
    if dossier.status in (DossierStatus.received, DossierStatus.processing):
        raise DossierBusy(f"dossier {dossier.code} is still being processed: it cannot be exported yet")
    pages = {p.number: p for p in dossier.pages}
    if not any(p.image_key for p in dossier.pages):
        raise NoPagesToExport(f"dossier {dossier.code} has no readable page: every file was refused")
    files: list[ExportedFile] = []
    entries: list[dict[str, object]] = []
    skipped: list[dict[str, object]] = []
    stamp = now.astimezone(UTC).timetuple()[:6]
    with zipfile.ZipFile(out, "w") as zf:
        for i, (doc, name) in enumerate(zip(dossier.documents, _file_names(dossier), strict=True)):
            with_image = [pages[n] for n in doc.pages if n in pages and pages[n].image_key]
            if not with_image:
                skipped.append({"document": i, "type": doc.type, "reason": "no page image"})
                continue

            def pdf_pages(chosen: list[Any] = with_image) -> Iterator[PdfPage]:
                for p in chosen:
                    yield PdfPage(jpeg=store.get_bytes(p.image_key), width=p.width, height=p.height, dpi=p.dpi,
                                  words=p.words)  # fmt: skip

            comp = component_of(dossier, i)
            title = f"{dossier.code}: {comp[1] if comp else type_name(doc.type)}"
            data = pdfa_document(pdf_pages(), resources, PdfaInfo(title=title, created=now, subject=dossier.code))
            if signer is not None:
                data = sign_pdf(data, signer, reason=f"Bản sao điện tử, hồ sơ {dossier.code}")
            info = zipfile.ZipInfo(name, date_time=stamp)
            zf.writestr(info, data, compress_type=zipfile.ZIP_STORED)  # JPEGs: deflate gains nothing
            exported = ExportedFile(
                name=name,
                document=i,
                component=comp,
                type=doc.type,
                pages=[p.number for p in with_image],
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
            )
            files.append(exported)
            entries.append(
                {
                    "file": name,
                    "document": i,
                    "component": {"key": comp[0], "name": comp[1]} if comp else None,
                    "type": doc.type,
                    "type_name": type_name(doc.type),
                    "pages": exported.pages,
                    "page_count": len(exported.pages),
                    "sha256": exported.sha256,
                    "bytes": exported.size,
                    "fields": {k: {"value": f.value, "confidence": f.confidence} for k, f in doc.fields.items()},
                }
            )
        manifest = {
            "code": dossier.code,
            "procedure": getattr(dossier, "procedure", None),
            "status": dossier.status.value,
            "exported_at": now.astimezone(UTC).isoformat(timespec="seconds"),
            "format": "PDF/A-2b",
            "signed": signer is not None,
            "signed_by": signer.who if signer else None,
            "unsigned_reason": None if signer else NO_CERTIFICATE,
            "files": entries,
            "skipped": skipped,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        zf.writestr(
            zipfile.ZipInfo(MANIFEST, date_time=stamp), text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED
        )
    seconds = time.perf_counter() - t0
    log.info(
        "dossier exported",
        extra={
            "dossier": dossier.code,
            "stage": "export",
            "count": len(files),
            "signed": signer is not None,
            "seconds": round(seconds, 3),
        },
    )
    return Export(
        code=dossier.code,
        files=files,
        signed_by=signer.who if signer else None,
        unsigned_reason=None if signer else NO_CERTIFICATE,
        skipped=skipped,
        seconds=seconds,
    )
