"""The pixel limit on every image a PDF holds, checked on the file's objects before pdfium decodes anything.

pdfium's page objects (what `raster` checks a page by) are the images a page draws directly or through
forms, but not those it draws otherwise: a soft mask or stencil mask, a tiling pattern's cells, an
annotation's appearance, a Type 3 glyph. And pdfium decodes an inline image (``BI … ID … EI`` in a content
stream) while it parses the page, before any page object can be looked at. So the file is opened with qpdf
(pikepdf), which resolves what a byte scan cannot (an indirect ``/Width 7 0 R``, names written with ``#``
escapes, objects in object streams, resources inherited from a ``/Pages`` node), and:

- every image stream in the file, drawn by a page or not, is held to the limit by its ``/Width`` x
  ``/Height``, by its codec's own header where the decoder believes that rather than the dictionary (the
  JPEG frame, the JPEG 2000 size marker) and by a CCITT image's ``/Columns`` x ``/Rows``;
- every content stream (pages, forms, patterns, Type 3 glyphs) is read for inline images, a bounded chunk at
  a time (a Flate stream is never decoded whole: a content stream can be a bomb too), each held to the
  limit by the ``/W`` x ``/H`` its header declares.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Name

from schemas.errors import TooManyPixels, TruncatedFile
from schemas.settings import PipelineSettings

_CHUNK = 1 << 22  # content streams are read 4 MB of decoded bytes at a time
_OVERLAP = 4096  # an inline image's header cut by a chunk's end is read whole in the next one
_CODEC_HEAD = 1 << 16  # bytes of a JPEG or JPEG 2000 stream looked at for its frame size
# An inline image's header: BI, its dictionary (short: abbreviated keys and names), ID.
_INLINE = re.compile(rb"(?<![^\s\[\]()<>{}/%])BI\s(.{0,2048}?)\sID[\s]", re.DOTALL)
_INLINE_W = re.compile(rb"/W(?:idth)?\s+(\d{1,12})(?![\d.])")
_INLINE_H = re.compile(rb"/H(?:eight)?\s+(\d{1,12})(?![\d.])")


def check_pdf_images(path: Path, label: str, settings: PipelineSettings) -> None:
    """Raise `TooManyPixels` if any image the PDF holds (or any inline image in its content) declares more
    pixels than the limit; `TruncatedFile` if qpdf cannot read the file's objects."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return  # refused as protected by pdfium's check, which comes first
    except pikepdf.PdfError as exc:
        raise TruncatedFile(f"the PDF's structure is damaged, its images cannot be checked ({exc})",
                            file=label) from exc  # fmt: skip
    with pdf:
        try:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    _check_stream(obj, label, settings)
        except (pikepdf.PdfError, ValueError, TypeError) as exc:
            if isinstance(exc, TooManyPixels):
                raise
            raise TruncatedFile(f"an object of the PDF cannot be read ({exc})", file=label) from exc


def _refuse(what: str, width: int, height: int, label: str, settings: PipelineSettings) -> None:
    if width * height > settings.max_pixels:
        raise TooManyPixels(
            f"{what} declares {width}x{height} = {width * height / 1e6:.0f} Mpx, over the limit of "
            f"{settings.max_pixels / 1e6:.0f} Mpx",
            file=label,
        )


def _number(value: object) -> int:
    """A dictionary's size entry (an indirect one resolved by pikepdf); anything else counts as 0."""
    try:
        return max(0, int(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0


def _filters(stream: pikepdf.Stream) -> list[str]:
    f = stream.get(Name.Filter)
    if f is None:
        return []
    items = list(f) if isinstance(f, pikepdf.Array) else [f]
    return [str(x) for x in items]


def _check_stream(stream: pikepdf.Stream, label: str, settings: PipelineSettings) -> None:
    subtype = stream.get(Name.Subtype)
    if subtype == Name.Image:
        _check_image(stream, label, settings)
    elif subtype == Name.Form or stream.get(Name.PatternType) is not None or _is_content(stream):
        for head in _inline_headers(stream):
            w, h = _INLINE_W.search(head), _INLINE_H.search(head)
            if w and h:
                _refuse("an inline image in the file", int(w.group(1)), int(h.group(1)), label, settings)


def _is_content(stream: pikepdf.Stream) -> bool:
    """A page's content or a Type 3 glyph: a stream with no type of its own, neither font nor metadata."""
    keys = (Name.Type, Name.Subtype, Name.Length1, Name.N, Name.FunctionType, Name.ShadingType)
    return all(stream.get(k) is None for k in keys)


def _check_image(stream: pikepdf.Stream, label: str, settings: PipelineSettings) -> None:
    width, height = _number(stream.get(Name.Width)), _number(stream.get(Name.Height))
    _refuse("an image in the file", width, height, label, settings)
    filters = _filters(stream)
    if "/CCITTFaxDecode" in filters:
        parms = stream.get(Name.DecodeParms)
        parms_list = list(parms) if isinstance(parms, pikepdf.Array) else [parms]
        for p in parms_list:
            if isinstance(p, pikepdf.Dictionary):
                cols, rows = _number(p.get(Name.Columns, 1728)), _number(p.get(Name.Rows, 0))
                _refuse("a CCITT image in the file", cols, rows or height, label, settings)
    if filters and filters[-1] in ("/DCTDecode", "/JPXDecode"):
        head = _raw_head(stream, filters)
        size = _jpeg_size(head) if filters[-1] == "/DCTDecode" else _jpx_size(head)
        if size is not None:
            _refuse("an image's coded data in the file", size[0], size[1], label, settings)


def _raw_head(stream: pikepdf.Stream, filters: list[str]) -> bytes:
    """The first bytes of the codec's data: the raw stream, past any Flate layers decoded a little."""
    if any(f != "/FlateDecode" for f in filters[:-1]):
        return b""
    head = b""
    for chunk in _inflate(bytes(stream.read_raw_bytes()), len(filters) - 1):
        head += chunk
        if len(head) >= _CODEC_HEAD:
            break
    return head[:_CODEC_HEAD]


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2 if data.startswith(b"\xff\xd8") else -1
    while i >= 0 and i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF or marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _jpx_size(data: bytes) -> tuple[int, int] | None:
    """From the codestream's SIZ marker (a raw codestream, or inside a JP2 file's boxes)."""
    at = data.find(b"\xff\x4f\xff\x51")
    if at < 0 or at + 22 > len(data):
        return None
    xsiz, ysiz, xo, yo = struct.unpack(">LLLL", data[at + 8 : at + 24])
    return max(0, xsiz - xo), max(0, ysiz - yo)


def _inline_headers(stream: pikepdf.Stream) -> Iterator[bytes]:
    """The dictionaries of the inline images in a content stream, its data read a chunk at a time."""
    tail = b""
    for chunk in _decoded_chunks(stream):
        data = tail + chunk
        for m in _INLINE.finditer(data):
            yield m.group(1)
        tail = data[-_OVERLAP:]  # a header may be found twice: checking it twice does no harm


def _decoded_chunks(stream: pikepdf.Stream) -> Iterator[bytes]:
    filters = _filters(stream)
    if any(f != "/FlateDecode" for f in filters):
        yield bytes(stream.read_bytes())  # LZW, ASCII85, run length: none expands a thousandfold as Flate can
        return
    yield from _inflate(bytes(stream.read_raw_bytes()), len(filters))


def _inflate(raw: bytes, layers: int) -> Iterator[bytes]:
    """`raw` Flate-decoded `layers` times over, no layer giving more than a chunk at a time."""
    chunks: Iterator[bytes] = iter([raw[at : at + _CHUNK] for at in range(0, len(raw), _CHUNK)] or [b""])
    for _ in range(layers):
        chunks = _inflate_layer(chunks)
    return chunks


def _inflate_layer(source: Iterator[bytes]) -> Iterator[bytes]:
    d = zlib.decompressobj()
    try:
        for data in source:
            while data and not d.eof:
                out = d.decompress(data, _CHUNK)
                data = d.unconsumed_tail
                if out:
                    yield out
            if d.eof:
                return
    except zlib.error:
        return  # damaged: pdfium decodes what it can of it, and so was this read
