"""Files to page images: PDF (pdfium, in-process), multi-page TIFF, JPEG, PNG.

The file type is decided by content, never by extension. Every refusal is a specific `InputError`.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from schemas.errors import (
    EmptyFile,
    NotADocument,
    PasswordProtected,
    TooManyPages,
    TooManyPixels,
    TruncatedFile,
    UndecodableImage,
)
from schemas.settings import PipelineSettings

if TYPE_CHECKING:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
else:

    class _OnFirstUse:
        """A module imported when first used: pdfium (30 ms) is needed only for a PDF."""

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            import importlib

            return getattr(importlib.import_module(self._name), attr)

    pdfium = _OnFirstUse("pypdfium2")
    pdfium_c = _OnFirstUse("pypdfium2.raw")

Kind = Literal["pdf", "tiff", "jpeg", "png"]

# Resolutions scanners use; a computed dpi within 2 % of one of these is snapped to it.
_COMMON_DPI = (100, 150, 200, 240, 300, 400, 600)
_PDF_MAX_RENDER_DPI = 600
_FORM_DEPTH = 8  # images inside forms inside forms...: looked for this deep
_ZLIB_CHUNK = 1 << 22  # a Flate image is checked for completeness 4 MB of output at a time, never held whole
_DECODED_TO_CHECK = frozenset({"JBIG2Decode", "JPXDecode"})  # codecs whose failure pdfium renders as blank


@dataclass(frozen=True)
class SourceInfo:
    kind: Kind
    pages: int


@dataclass(frozen=True)
class PageImage:
    """One page as decoded from its file, before any correction."""

    pixels: np.ndarray  # uint8, HxW (gray) or HxWx3 (RGB)
    dpi: int
    dpi_stated: bool


def sniff(head: bytes) -> Kind | None:
    """The document type from the first bytes of a file, or None."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):  # at the start: not an HTML page or a ZIP
        return "pdf"  # that carries a PDF somewhere inside (readers that look further are lenient, hoso is not)
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def inspect(path: Path, settings: PipelineSettings, *, name: str | None = None) -> SourceInfo:
    """Check that a file is a document image hoso can read and count its pages.

    Raises the specific `InputError` that says what is wrong with it.
    """
    label = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile("the file is empty (0 bytes)", file=label)
    with path.open("rb") as fh:
        head = fh.read(2048)
    kind = sniff(head)
    if kind is None:
        raise NotADocument("not a PDF, TIFF, JPEG or PNG (its content says otherwise)", file=label)
    if kind == "pdf":
        pages = _pdf_page_count(path, label)
        from pipeline.pdf_limits import check_pdf_images  # pikepdf: only a PDF needs it

        check_pdf_images(path, label, settings)  # every image in the file, before anything decodes one
    else:
        pages = _image_frame_count(path, label, settings)
    if pages == 0:
        raise EmptyFile("the document has no pages", file=label)
    if pages > settings.max_pages:
        raise TooManyPages(f"{pages} pages, over the limit of {settings.max_pages}", file=label)
    return SourceInfo(kind=kind, pages=pages)


def load_page(path: Path, kind: Kind, index: int, settings: PipelineSettings, *, name: str | None = None) -> PageImage:
    """Decode page `index` (0-based) of a file already accepted by `inspect`."""
    label = name or path.name
    if kind == "pdf":
        with _open_pdf(path, label) as doc:
            return _render_pdf_page(_pdf_page(doc, index, label), label, settings)
    return _load_image_frame(path, index, label, settings)


def load_preview(
    path: Path, kind: Kind, index: int, settings: PipelineSettings, *, dpi: int = 100, name: str | None = None
) -> PageImage:
    """Page `index` decoded cheaply at about `dpi` (never finer than the scan): enough to read a receipt
    sheet's QR code before the page is rendered in full for OCR. JPEG is decoded at a reduced scale, a PDF
    page rendered at `dpi`; other images are decoded and reduced."""
    label = name or path.name
    if kind == "pdf":
        with _open_pdf(path, label) as doc:
            page = _pdf_page(doc, index, label)
            _check_embedded_pixels(page, label, settings)
            stated, _gray = _pdf_page_dpi(page)
            if stated is not None and (scanned := _scan_preview(page, stated, dpi)) is not None:
                return scanned
            render_dpi = min(dpi, stated or settings.default_dpi)
            try:
                bitmap = page.render(scale=render_dpi / 72, grayscale=True)
            except pdfium.PdfiumError as exc:
                raise TruncatedFile(f"a page cannot be rendered ({exc})", file=label) from exc
            arr = bitmap.to_numpy()
            if arr.ndim == 3:
                arr = arr[:, :, 0]
            return PageImage(pixels=np.ascontiguousarray(arr), dpi=render_dpi, dpi_stated=stated is not None)
    im = _open_image(path, label, settings)
    with im:
        try:
            im.seek(index)
            _check_pixels(im, label, settings)
            scan_dpi = round(_stated_dpi(im) or settings.default_dpi)
            full_width = im.size[0]
            factor = max(1, scan_dpi // dpi)
            if kind == "jpeg" and factor > 1:
                im.draft("L", (im.size[0] // factor, im.size[1] // factor))  # decoded at 1/2, 1/4 or 1/8
            im.load()
            gray = im.convert("L")
            left = max(1, round(gray.size[0] * factor / full_width))  # what the JPEG draft did not reduce
            if left > 1:
                gray = gray.reduce(left)
        except Image.DecompressionBombError as exc:
            raise TooManyPixels("the image is too large", file=label) from exc
        except (OSError, SyntaxError, EOFError) as exc:
            raise TruncatedFile(f"the image data is incomplete ({exc})", file=label) from exc
        arr = np.asarray(gray)
    return PageImage(pixels=np.ascontiguousarray(arr), dpi=max(1, round(scan_dpi * arr.shape[1] / full_width)),
                     dpi_stated=False)  # fmt: skip


# --- PDF ------------------------------------------------------------------------------------------------


@contextmanager
def _open_pdf(path: Path, label: str) -> Iterator[pdfium.PdfDocument]:
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise TruncatedFile("the PDF is cut short (no end-of-file marker)", file=label)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PasswordProtected("the PDF is protected by a password", file=label) from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise PasswordProtected("the PDF uses an unsupported security handler", file=label) from exc
        raise TruncatedFile(f"the PDF cannot be read ({exc})", file=label) from exc
    try:
        yield doc
    finally:
        doc.close()


def _scan_preview(page: pdfium.PdfPage, stated: int, dpi: int) -> PageImage | None:
    """A scanner's page (one JPEG drawn upright over the whole page, nothing else) decoded at a reduced
    scale straight from its JPEG data: a sixth of the CPU of pdfium rendering it, which decodes the JPEG in
    full first. None for any other page (pdfium renders it). The pixel limit was checked before."""
    return _scanned_jpeg(page, stated, dpi, gray=True)


def _scanned_jpeg(page: pdfium.PdfPage, stated: int, dpi: int, *, gray: bool) -> PageImage | None:
    """A scanner's page (one JPEG drawn upright over the whole page) decoded by libjpeg-turbo (`_decode_jpeg`)
    at the largest of 1/8, 1/4, 1/2 or all of its size that is at least `dpi`, in gray or as stored; None for
    another page.

    For the page read in full this is also what reads best: libjpeg-turbo (smooth upsampling of the
    colour planes, the accurate DCT) against pdfium's render of the same page, 24 generated 300-dpi pages of
    two layout families: 3263 -> 3283 of 3339 words found, at half the decoding CPU (0.056 -> 0.030 s)."""
    if page.get_rotation() % 360:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    assert isinstance(image, pdfium.PdfImage)
    a, b, c, d, e, f = image.get_matrix().get()
    w_pt, h_pt = page.get_size()
    if b or c or abs(e) > 1 or abs(f) > 1 or abs(a - w_pt) > 1 or abs(d - h_pt) > 1:
        return None  # placed otherwise (turned, flipped, part of the page): what pdfium draws is not the JPEG
    if image.get_filters() != ["DCTDecode"] or image.get_metadata().colorspace not in (
        pdfium_c.FPDF_COLORSPACE_DEVICEGRAY,
        pdfium_c.FPDF_COLORSPACE_DEVICERGB,
    ):
        return None
    width, height = image.get_px_size()
    data = bytes(image.get_data(decode_simple=False))
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format != "JPEG" or im.size != (width, height) or im.mode not in ("L", "RGB"):
                return None  # the JPEG is not what the page's dictionary says: pdfium decides
            factor = next(k for k in (8, 4, 2, 1) if k == 1 or stated / k >= dpi)
            pixels = _decode_jpeg(data, gray or im.mode == "L", factor)
            if pixels is None:
                if gray or factor > 1:  # decoded at 1/2, 1/4 or 1/8 of its size, gray: its luminance only
                    im.draft("L" if gray else im.mode, (width // factor, height // factor))
                pixels = np.asarray(im.convert("L") if gray else im)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return PageImage(pixels=np.ascontiguousarray(pixels), dpi=round(pixels.shape[1] * 72 / w_pt), dpi_stated=True)


def _decode_jpeg(data: bytes, gray: bool, factor: int) -> np.ndarray | None:
    """The JPEG decoded by OpenCV (the same libjpeg-turbo decode as Pillow's, pixel for pixel, straight into
    an array: a 300-dpi colour page in 27 ms against 48 ms through Pillow, whose array copy costs the rest), in
    gray or as stored (gray or RGB), at 1/`factor` of its size in gray; None where Pillow must (a reduced
    colour decode, or OpenCV could not). Its EXIF orientation is ignored, as a PDF viewer ignores it."""
    import cv2

    if not gray and factor > 1:
        return None
    flags = {1: cv2.IMREAD_GRAYSCALE, 2: cv2.IMREAD_REDUCED_GRAYSCALE_2, 4: cv2.IMREAD_REDUCED_GRAYSCALE_4,
             8: cv2.IMREAD_REDUCED_GRAYSCALE_8}[factor] if gray else cv2.IMREAD_COLOR_RGB  # fmt: skip
    try:
        pixels = cv2.imdecode(np.frombuffer(data, np.uint8), flags | cv2.IMREAD_IGNORE_ORIENTATION)
    except cv2.error:  # data OpenCV refuses outright: Pillow, then pdfium, decide
        return None
    return pixels if pixels is not None and pixels.size else None


def _pdf_page(doc: pdfium.PdfDocument, index: int, label: str) -> pdfium.PdfPage:
    try:
        return doc[index]
    except pdfium.PdfiumError as exc:  # a page tree that loops, or a page object that is not one
        raise TruncatedFile(f"page {index + 1} of the PDF cannot be loaded (its page tree is damaged)",
                            file=label) from exc  # fmt: skip


def _pdf_page_count(path: Path, label: str) -> int:
    with _open_pdf(path, label) as doc:
        return len(doc)


def _snap_dpi(dpi: float) -> int:
    for common in _COMMON_DPI:
        if abs(dpi - common) <= 0.02 * common:
            return common
    return round(dpi)


def _pdf_page_dpi(page: pdfium.PdfPage) -> tuple[int | None, bool]:
    """Resolution of the largest image on the page, and whether every image is gray or bilevel."""
    best_area = 0.0
    best_dpi: float | None = None
    gray = True
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        meta = obj.get_metadata()
        a, b, c, d, _e, _f = obj.get_matrix().get()
        width_pt = math.hypot(a, b)
        height_pt = math.hypot(c, d)
        if width_pt <= 0 or height_pt <= 0 or meta.width <= 0:
            continue
        area = width_pt * height_pt
        if area > best_area:
            best_area = area
            best_dpi = meta.width / (width_pt / 72.0)
        if meta.colorspace not in (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_CALGRAY) and (
            meta.bits_per_pixel != 1
        ):
            gray = False
    page_w, page_h = page.get_size()
    # Only an image that covers most of the page states the scan's resolution.
    if best_dpi is None or best_area < 0.5 * page_w * page_h:
        return None, gray if best_dpi is not None else False
    return _snap_dpi(best_dpi), gray


def _page_images(page: pdfium.PdfPage) -> list[pdfium.PdfImage]:
    return list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=_FORM_DEPTH))


def _check_embedded_pixels(page: pdfium.PdfPage, label: str, settings: PipelineSettings) -> None:
    """Every image the page embeds, by the width and height its dictionary declares (read, not decoded),
    within the pixel limit: a small stream may declare a huge image (a decompression bomb)."""
    for obj in _page_images(page):
        w, h = obj.get_px_size()  # FPDFImageObj_GetImagePixelSize: the dictionary's /Width and /Height
        if w * h > settings.max_pixels:
            raise TooManyPixels(
                f"an image on a page declares {w}x{h} = {w * h / 1e6:.0f} Mpx, over the limit of "
                f"{settings.max_pixels / 1e6:.0f} Mpx",
                file=label,
            )


def _check_embedded_data(page: pdfium.PdfPage, label: str) -> None:
    """Every image the page embeds has all its data: pdfium would render a stream cut short as grey or black
    rows."""
    for obj in _page_images(page):
        filters = obj.get_filters()
        w, h = obj.get_px_size()
        raw = bytes(obj.get_data(decode_simple=False))
        rows = h * ((w + 7) // 8)  # the least the image's data can decode to: one bit a pixel
        if not filters:
            complete = len(raw) >= rows
        elif filters[0] == "FlateDecode":
            complete = _flate_complete(raw, rows if len(filters) == 1 else 1)
        elif filters == ["DCTDecode"]:
            complete = b"\xff\xd9" in raw[-1024:]  # the JPEG's end marker (never inside its coded data)
        else:
            complete = True
        if not complete:
            raise TruncatedFile(f"an image on a page is cut short ({'/'.join(filters) or 'raw'} data ends early)",
                                file=label)  # fmt: skip


def _check_decodable(page: pdfium.PdfPage, label: str) -> None:
    """A page rendered blank: its JBIG2 and JPEG 2000 images decoded on their own (pdfium renders an image
    it cannot decode as nothing, and says nothing). Only then: a second decode of every scan would cost some
    50 ms a page."""
    for obj in _page_images(page):
        filters = obj.get_filters()
        if _DECODED_TO_CHECK & set(filters):
            try:
                obj.get_bitmap()  # within the pixel limit, checked before; freed with the object
            except pdfium.PdfiumError as exc:
                raise UndecodableImage(f"an image on a page cannot be decoded ({'/'.join(filters)})",
                                       file=label) from exc  # fmt: skip


def _flate_complete(raw: bytes, at_least: int) -> bool:
    """Whether a zlib stream is whole (its end reached) and decodes to `at_least` bytes; memory bounded."""
    d = zlib.decompressobj()
    got = 0
    data = raw
    try:
        while data and not d.eof:
            got += len(d.decompress(data, _ZLIB_CHUNK))
            data = d.unconsumed_tail
    except zlib.error:
        return False
    return d.eof and got >= at_least


def _render_pdf_page(page: pdfium.PdfPage, label: str, settings: PipelineSettings) -> PageImage:
    _check_embedded_pixels(page, label, settings)  # before anything decodes an image
    _check_embedded_data(page, label)
    dpi, gray = _pdf_page_dpi(page)
    stated = dpi is not None
    render_dpi = min(dpi or settings.default_dpi, _PDF_MAX_RENDER_DPI)
    w_pt, h_pt = page.get_size()
    pixels = (w_pt / 72 * render_dpi) * (h_pt / 72 * render_dpi)
    if pixels > settings.max_pixels:
        raise TooManyPixels(
            f"a page would be {pixels / 1e6:.0f} Mpx, over {settings.max_pixels / 1e6:.0f} Mpx", file=label
        )
    if stated and render_dpi == dpi and (scanned := _scanned_jpeg(page, render_dpi, render_dpi, gray=False)):
        return PageImage(pixels=scanned.pixels, dpi=render_dpi, dpi_stated=True)
    try:
        # pdfium rounds the bitmap size up; aim just under the exact pixel count of the scan.
        scale = (round(w_pt * render_dpi / 72) - 0.01) / w_pt
        bitmap = page.render(scale=scale, grayscale=gray, rev_byteorder=True)
    except pdfium.PdfiumError as exc:
        raise TruncatedFile(f"a page cannot be rendered ({exc})", file=label) from exc
    arr = bitmap.to_numpy()
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = arr[:, :, :3]
    if arr.size and int(arr.min()) >= 250:  # nothing drawn: a blank page, or images pdfium could not decode
        _check_decodable(page, label)
    return PageImage(pixels=np.ascontiguousarray(arr), dpi=render_dpi, dpi_stated=stated)


# --- images ---------------------------------------------------------------------------------------------


def _open_image(path: Path, label: str, settings: PipelineSettings) -> Image.Image:
    try:
        im = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(f"the image is larger than {settings.max_pixels / 1e6:.0f} Mpx", file=label) from exc
    except UnidentifiedImageError as exc:
        raise NotADocument("the image cannot be decoded", file=label) from exc
    except OSError as exc:
        raise TruncatedFile(f"the image cannot be read ({exc})", file=label) from exc
    return im


def _check_pixels(im: Image.Image, label: str, settings: PipelineSettings) -> None:
    w, h = im.size
    if w * h > settings.max_pixels:
        raise TooManyPixels(
            f"the image is {w}x{h} = {w * h / 1e6:.0f} Mpx, over the limit of {settings.max_pixels / 1e6:.0f} Mpx",
            file=label,
        )


def _image_frame_count(path: Path, label: str, settings: PipelineSettings) -> int:
    im = _open_image(path, label, settings)
    with im:
        frames = getattr(im, "n_frames", 1)
        for i in range(frames):
            im.seek(i)
            _check_pixels(im, label, settings)
        return int(frames)


def _stated_dpi(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    # JFIF files with "no units" carry 1:1 aspect ratios, not resolutions.
    if not math.isfinite(value) or value < 50 or value > 2400:
        return None
    return value


def _load_image_frame(path: Path, index: int, label: str, settings: PipelineSettings) -> PageImage:
    im = _open_image(path, label, settings)
    with im:
        try:
            im.seek(index)
            _check_pixels(im, label, settings)
            dpi = _stated_dpi(im)
            im.load()
            if im.getexif().get(_EXIF_ORIENTATION, 1) != 1:  # else a copy of a whole page for nothing
                im = ImageOps.exif_transpose(im)
        except Image.DecompressionBombError as exc:
            raise TooManyPixels("the image is too large", file=label) from exc
        except (OSError, SyntaxError, EOFError) as exc:
            raise TruncatedFile(f"the image data is incomplete ({exc})", file=label) from exc
        arr = _to_array(im)
    if dpi is None:
        return PageImage(pixels=arr, dpi=settings.default_dpi, dpi_stated=False)
    return PageImage(pixels=arr, dpi=_snap_dpi(dpi), dpi_stated=True)


_EXIF_ORIENTATION = 0x0112


def _to_array(im: Image.Image) -> np.ndarray:
    if im.mode == "L":
        return np.asarray(im)
    if im.mode == "1":
        return np.asarray(im.convert("L"))
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr16 = np.asarray(im, dtype=np.uint32)
        top = max(int(arr16.max()), 1)
        return (arr16 * 255 // top).astype(np.uint8)
    if im.mode == "LA":
        return np.asarray(im.convert("L"))
    rgb = im.convert("RGB")
    arr = np.asarray(rgb)
    # A colour container holding a gray scan: keep one channel (a third of the work downstream).
    sample = arr[::16, ::16]
    if np.array_equal(sample[..., 0], sample[..., 1]) and np.array_equal(sample[..., 1], sample[..., 2]):
        return np.ascontiguousarray(arr[..., 0])
    return arr
