"""One document's pages as a searchable PDF/A-2b, built with pikepdf (qpdf), for the export to the portal.

What PDF/A-2b asks of it, and where it is done:

- every font embedded: the text layer's font is Tesseract's glyphless font (``pdf.ttf``, one empty glyph half
  an em wide), a Type0/CIDFontType2 font whose character codes are Unicode code points (``Identity-H``),
  every code mapped to that glyph (``CIDToGIDMap``) and back to its character (``ToUnicode``), so its widths
  agree with the program's and the text copies out in Vietnamese;
- an output intent (``GTS_PDFA1``) carrying an sRGB ICC profile, which makes the page images' DeviceRGB and
  DeviceGray device-independent;
- XMP metadata naming the conformance (``pdfaid:part`` 2, ``pdfaid:conformance`` B), unfiltered, and no
  document information dictionary to disagree with it;
- a file identifier and a version no newer than 1.7 (qpdf writes both).

The page images are the stored JPEGs passed through as they are (``/DCTDecode``) and the page is drawn as the
dossier's searchable PDF draws it (``pipeline.pdf.page_layout``). The font and the profile come in as
bytes: this module reads no file. The output is deterministic (the identifier is a hash of the content).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pikepdf
from pikepdf import Array, Dictionary, Name

from pipeline.pdf import PdfPage, page_layout, to_unicode_cmap

_FONT_NAME = "/GlyphLessFont"
_ADVANCE = 500  # the glyphless glyph's width in 1/1000 em, as text_layer assumes (pdf.ttf: 1024 of 2048)


@dataclass(frozen=True)
class PdfaResources:
    """What every PDF/A file embeds: the glyphless font program and the output intent's ICC profile."""

    font: bytes  # a TrueType program whose glyph 1 is empty and _ADVANCE wide (Tesseract's pdf.ttf)
    icc: bytes  # an RGB ICC profile (sRGB)
    icc_name: str = "sRGB IEC61966-2.1"


@dataclass(frozen=True)
class PdfaInfo:
    """The document's metadata, written to its XMP packet."""

    title: str
    created: datetime  # timezone-aware
    subject: str = ""
    keywords: str = ""
    producer: str = "hoso"


def _font(pdf: pikepdf.Pdf, resources: PdfaResources) -> pikepdf.Object:
    program = pikepdf.Stream(pdf, resources.font)
    program.Length1 = len(resources.font)
    every_code_to_glyph_1 = pikepdf.Stream(pdf, b"\x00\x01" * 65536)
    descriptor = pdf.make_indirect(
        Dictionary(
            Type=Name.FontDescriptor,
            FontName=Name(_FONT_NAME),
            Flags=5,
            FontBBox=Array([0, 0, _ADVANCE, 1000]),
            ItalicAngle=0,
            Ascent=1000,
            Descent=-1,
            CapHeight=1000,
            StemV=80,
            FontFile2=program,
        )
    )
    cid_font = pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.CIDFontType2,
            BaseFont=Name(_FONT_NAME),
            CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
            FontDescriptor=descriptor,
            DW=_ADVANCE,
            CIDToGIDMap=every_code_to_glyph_1,
        )
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name(_FONT_NAME),
            Encoding=Name("/Identity-H"),
            DescendantFonts=Array([cid_font]),
            ToUnicode=pikepdf.Stream(pdf, to_unicode_cmap()),
        )
    )


def _page(pdf: pikepdf.Pdf, page: PdfPage, font: pikepdf.Object) -> None:
    layout = page_layout(page)
    info = layout.image
    image = pikepdf.Stream(pdf, b"")
    image.write(page.jpeg, filter=Name.DCTDecode)
    image.Type = Name.XObject
    image.Subtype = Name.Image
    image.Width = info.width
    image.Height = info.height
    image.ColorSpace = Name.DeviceGray if info.components == 1 else Name.DeviceRGB
    image.BitsPerComponent = 8
    pdf.pages.append(
        pikepdf.Page(
            Dictionary(
                Type=Name.Page,
                MediaBox=Array([0, 0, round(layout.width_pt, 3), round(layout.height_pt, 3)]),
                Resources=Dictionary(XObject=Dictionary(Im0=image), Font=Dictionary(F1=font)),
                Contents=pikepdf.Stream(pdf, layout.content),
            )
        )
    )


def _output_intent(pdf: pikepdf.Pdf, resources: PdfaResources) -> None:
    profile = pikepdf.Stream(pdf, resources.icc)
    profile.N = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=resources.icc_name,
        Info=resources.icc_name,
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


def _metadata(pdf: pikepdf.Pdf, info: PdfaInfo) -> None:
    stamp = info.created.isoformat(timespec="seconds")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = info.title
        if info.subject:
            meta["dc:description"] = info.subject
        if info.keywords:
            meta["pdf:Keywords"] = info.keywords
        meta["pdf:Producer"] = info.producer
        meta["xmp:CreatorTool"] = info.producer
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp


def pdfa_document(pages: Iterable[PdfPage], resources: PdfaResources, info: PdfaInfo) -> bytes:
    """The pages, in the order given, as one PDF/A-2b file (ValueError when there is none)."""
    pdf = pikepdf.Pdf.new()
    font = _font(pdf, resources)
    for page in pages:
        _page(pdf, page, font)
    if len(pdf.pages) == 0:
        raise ValueError("a PDF needs at least one page")
    _output_intent(pdf, resources)
    _metadata(pdf, info)
    if "/Info" in pdf.trailer:
        del pdf.trailer.Info
    out = io.BytesIO()
    pdf.save(out, min_version="1.7", force_version="1.7", deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()
