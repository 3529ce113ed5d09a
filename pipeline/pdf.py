"""The searchable PDF of a dossier: each straightened page image with an invisible text layer.

Written by hand rather than with reportlab or pikepdf, because what is needed is small and fixed:

- each page image is the stored JPEG passed through as it is (``/DCTDecode``): no decoding, no
  re-encoding, no loss, and no memory beyond one page at a time (pages are written to a stream);
- the words are drawn in text render mode 3 (invisible) with one glyphless font: a Type0 font with
  ``Identity-H`` encoding where each character code is the character's Unicode code point, a
  ``ToUnicode`` map saying so, and an embedded TrueType program of empty glyphs built below. This is
  what Tesseract's and OCRmyPDF's PDF renderers do; it carries Vietnamese (any BMP character) without
  embedding a real font;
- the output is deterministic (no dates, no random ids): the same pages give the same bytes, so the
  artifact can be written again without changing anything.

Each word is placed at its box (pixels on the straightened page, the record's convention) and stretched
horizontally (``Tz``) to span it, with a trailing space up to the next word of the line, so that
selecting, searching and copying the text lines up with the image.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from schemas.record import Word

_EM = 1000
_ADVANCE = 500  # every glyph's width, in 1/1000 em
_FONT_NAME = b"GlyphLessFont"


@dataclass(frozen=True)
class PdfPage:
    """One page to write: the straightened page as JPEG, and the words read on it."""

    jpeg: bytes
    width: int  # pixel size of the image the word boxes refer to (the page record's width/height)
    height: int
    dpi: int
    words: Sequence[Word] = ()


@dataclass(frozen=True)
class JpegInfo:
    width: int
    height: int
    components: int


def jpeg_info(data: bytes) -> JpegInfo:
    """Size and colour components from a JPEG's start-of-frame marker."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise ValueError("bad JPEG marker")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            _precision, height, width, components = struct.unpack(">BHHB", data[i + 4 : i + 10])
            return JpegInfo(width=width, height=height, components=components)
        i += 2 + length
    raise ValueError("JPEG without a frame header")


# --- the glyphless font -----------------------------------------------------------------------------------


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}L", padded)) & 0xFFFFFFFF


def glyphless_truetype() -> bytes:
    """A TrueType program with two empty glyphs of the same width: all an invisible text layer needs.

    Tables: the ones a PDF reader uses for an embedded CIDFontType2 (head, hhea, maxp, loca, glyf, hmtx)
    plus empty cmap, name, OS/2 and post so that FreeType and stricter readers load it without complaint.
    """
    n_glyphs = 2
    head = struct.pack(
        ">LLLLHHqqhhhhHHhhh",
        0x00010000,  # version
        0x00010000,  # fontRevision
        0,  # checkSumAdjustment, set below
        0x5F0F3CF5,  # magic
        0x000B,  # flags: baseline at y=0, lsb at x=0, integer ppem
        _EM,
        0,  # created
        0,  # modified
        0,
        0,
        _ADVANCE,
        _EM,  # bounding box
        0,  # macStyle
        8,  # lowestRecPPEM
        2,  # fontDirectionHint
        0,  # indexToLocFormat: short
        0,  # glyphDataFormat
    )
    hhea = struct.pack(
        ">LhhhHhhhhhhhhhhhH",
        0x00010000,
        800,  # ascender
        -200,  # descender
        0,  # lineGap
        _ADVANCE,  # advanceWidthMax
        0,
        0,
        _ADVANCE,  # minLSB, minRSB, xMaxExtent
        1,
        0,
        0,  # caret slope rise, run, offset
        0,
        0,
        0,
        0,  # reserved
        0,  # metricDataFormat
        n_glyphs,  # numberOfHMetrics
    )
    maxp = struct.pack(">L14H", 0x00010000, n_glyphs, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)
    loca = struct.pack(">HHH", 0, 0, 0)  # every glyph empty
    glyf = b""
    hmtx = struct.pack(">HhHh", _ADVANCE, 0, _ADVANCE, 0)
    # cmap format 4 with only the closing segment: no character maps to a glyph (the PDF maps CIDs itself).
    sub4 = struct.pack(">12H", 4, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1, 0)
    cmap = struct.pack(">HHHHL", 0, 1, 3, 1, 12) + sub4
    name = struct.pack(">HHH", 0, 0, 6)
    os2 = struct.pack(
        ">HhHHHhhhhhhhhhhh10sLLLL4sHHHhhhHH",
        1,  # version
        _ADVANCE,  # xAvgCharWidth
        400,  # usWeightClass
        5,  # usWidthClass
        0,  # fsType: installable embedding
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,  # sub/superscript, strikeout, family class
        b"\0" * 10,  # panose
        0,
        0,
        0,
        0,  # unicode ranges
        b"NONE",
        0x40,  # fsSelection: regular
        0x20,
        0xFFFD,  # first/last char
        800,
        -200,
        0,  # typo ascender, descender, line gap
        1000,
        200,  # win ascent, descent
    ) + struct.pack(">LL", 1, 0)  # code page ranges (version 1)
    post = struct.pack(">LLhhLLLLL", 0x00030000, 0, -100, 50, 1, 0, 0, 0, 0)
    tables = {
        b"OS/2": os2,
        b"cmap": cmap,
        b"glyf": glyf,
        b"head": head,
        b"hhea": hhea,
        b"hmtx": hmtx,
        b"loca": loca,
        b"maxp": maxp,
        b"name": name,
        b"post": post,
    }
    num = len(tables)
    entry_selector = num.bit_length() - 1
    search_range = (1 << entry_selector) * 16
    header = struct.pack(">LHHHH", 0x00010000, num, search_range, entry_selector, num * 16 - search_range)
    offset = len(header) + 16 * num
    directory = b""
    body = b""
    head_offset = 0
    for tag in sorted(tables):
        data = tables[tag]
        if tag == b"head":
            head_offset = offset + len(body)
        directory += struct.pack(">4sLLL", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_offset + 8 : head_offset + 12] = struct.pack(">L", adjustment)
    return bytes(font)


def to_unicode_cmap() -> bytes:
    """CID = Unicode code point, for the whole BMP except surrogates (ranges may not cross a high byte)."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF]
    body = []
    for start in range(0, len(ranges), 100):
        chunk = ranges[start : start + 100]
        body.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(body)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return text.encode("ascii")


# --- the text layer ---------------------------------------------------------------------------------------


def _hex(text: str) -> bytes:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp < 0x20:  # tabs and line breaks inside a word: a space
            cp = 0x20
        elif cp > 0xFFFF or 0xD800 <= cp <= 0xDFFF:
            cp = 0xFFFD
        out.append(f"{cp:04X}")
    return ("<" + "".join(out) + ">").encode("ascii")


def _num(v: float) -> bytes:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def text_layer(words: Sequence[Word], scale: float, page_height_pt: float) -> bytes:
    """Content-stream operators drawing the words invisibly; ``scale`` is points per box pixel."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        if w.text.strip():
            lines.setdefault((w.block, w.line), []).append(w)
    ops = [b"BT 3 Tr"]
    for key in sorted(lines, key=lambda k: (k[1], k[0])):
        line = sorted(lines[key], key=lambda w: w.box[0])
        top = min(w.box[1] for w in line)
        bottom = max(w.box[3] for w in line)
        size = max((bottom - top) * scale, 1.0)
        # The baseline a little above the line's bottom, where descenders hang.
        baseline = page_height_pt - bottom * scale + 0.2 * size
        ops.append(b"/F1 " + _num(size) + b" Tf")
        for i, w in enumerate(line):
            x0, _y0, x1, _y1 = w.box
            last = i == len(line) - 1
            text = w.text if last else w.text + " "
            end = x1 if last else max(line[i + 1].box[0], x1)
            span = max((end - x0) * scale, 0.1)
            natural = len(text) * size * _ADVANCE / _EM
            stretch = 100.0 * span / natural
            ops.append(
                b"1 0 0 1 "
                + _num(x0 * scale)
                + b" "
                + _num(baseline)
                + b" Tm "
                + _num(stretch)
                + b" Tz "
                + _hex(text)
                + b" Tj"
            )
    ops.append(b"ET")
    return b"\n".join(ops)


@dataclass(frozen=True)
class PageLayout:
    """A page as drawn: its image's JPEG header, its size in points, and its content stream."""

    image: JpegInfo
    width_pt: float
    height_pt: float
    content: bytes  # draws the image (XObject /Im0) over the page and the words (font /F1) invisibly


def page_layout(page: PdfPage) -> PageLayout:
    """The page's size from its image and resolution, and what it draws (ValueError for a CMYK JPEG)."""
    info = jpeg_info(page.jpeg)
    if info.components not in (1, 3):
        raise ValueError(f"JPEG with {info.components} colour components")
    dpi = page.dpi if page.dpi > 0 else 300
    w_pt = info.width * 72.0 / dpi
    h_pt = info.height * 72.0 / dpi
    # Points per box pixel: boxes are on the record's image size, the JPEG normally has that size.
    scale = w_pt / page.width if page.width > 0 else 72.0 / dpi
    ops = b"q " + _num(w_pt) + b" 0 0 " + _num(h_pt) + b" 0 0 cm /Im0 Do Q\n" + text_layer(page.words, scale, h_pt)
    return PageLayout(image=info, width_pt=w_pt, height_pt=h_pt, content=ops)


# --- the file ---------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.pos = 0
        self.offsets: dict[int, int] = {}
        self.next_number = 1

    def reserve(self) -> int:
        n = self.next_number
        self.next_number += 1
        return n

    def raw(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def obj(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.pos
        self.raw(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def stream(self, number: int, data: bytes, extra: bytes = b"", *, compress: bool = True) -> None:
        if compress:
            data = zlib.compress(data, 6)
            extra += b" /Filter /FlateDecode"
        self.offsets[number] = self.pos
        self.raw(b"%d 0 obj\n<< /Length %d%s >>\nstream\n" % (number, len(data), extra))
        self.raw(data)
        self.raw(b"\nendstream\nendobj\n")

    def finish(self, root: int) -> None:
        xref = self.pos
        count = self.next_number
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % count]
        for n in range(1, count):
            lines.append(b"%010d 00000 n \n" % self.offsets[n])
        self.raw(b"".join(lines))
        self.raw(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, root, xref))


def write_searchable_pdf(pages: Iterable[PdfPage], out: BinaryIO) -> int:
    """Write the PDF to ``out``, one page per item in the order given; return the number of pages.

    Pages are consumed one at a time, so ``pages`` may be a generator reading each image when needed.
    """
    w = _Writer(out)
    w.raw(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    catalog, tree, font, cid_font, descriptor, font_file, to_unicode = (w.reserve() for _ in range(7))
    program = glyphless_truetype()
    w.stream(font_file, program, b" /Length1 %d" % len(program))
    w.stream(to_unicode, to_unicode_cmap())
    w.obj(
        descriptor,
        b"<< /Type /FontDescriptor /FontName /%s /Flags 5 /FontBBox [0 -200 %d 800] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>" % (_FONT_NAME, _ADVANCE, font_file),
    )
    w.obj(
        cid_font,
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor %d 0 R /DW %d /CIDToGIDMap /Identity >>" % (_FONT_NAME, descriptor, _ADVANCE),
    )
    w.obj(
        font,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (_FONT_NAME, cid_font, to_unicode),
    )
    kids: list[int] = []
    for page in pages:
        layout = page_layout(page)
        info, w_pt, h_pt = layout.image, layout.width_pt, layout.height_pt
        image, content, page_obj = w.reserve(), w.reserve(), w.reserve()
        space = b"/DeviceGray" if info.components == 1 else b"/DeviceRGB"
        w.stream(
            image,
            page.jpeg,
            b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
            b"/Filter /DCTDecode" % (info.width, info.height, space),
            compress=False,
        )
        w.stream(content, layout.content)
        w.obj(
            page_obj,
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 %d 0 R >> "
            b"/Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (tree, _num(w_pt), _num(h_pt), image, font, content),
        )
        kids.append(page_obj)
    w.obj(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    w.obj(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    w.finish(catalog)
    return len(kids)


def searchable_pdf(pages: Iterable[PdfPage]) -> bytes:
    """The whole PDF as bytes (see ``write_searchable_pdf``)."""
    buf = io.BytesIO()
    write_searchable_pdf(pages, buf)
    return buf.getvalue()
