"""Intake of files: types by content, resolutions, limits, and a specific error for each bad input."""

from __future__ import annotations

import io
import resource
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

import synth
from pipeline import raster
from pipeline.separators import read_qr, separator_code
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
from tests.conftest import shared
from tests.pdfmake import g4_strip, pdf_stream, write_ccitt_pdf, write_image_pdf, write_pdf

A4 = (595.0, 842.0)


def test_jbig2_pdf_pages_render_at_their_scan_resolution(pipeline_settings: PipelineSettings) -> None:
    path = shared("ocrmypdf", "cardinal.pdf")
    info = raster.inspect(path, pipeline_settings)
    assert (info.kind, info.pages) == ("pdf", 4)
    page = raster.load_page(path, info.kind, 0, pipeline_settings)
    assert page.dpi == 300 and page.dpi_stated
    assert page.pixels.ndim == 2  # bilevel scan: rendered in gray, not RGB
    assert page.pixels.shape == (3300, 2550) or abs(page.pixels.shape[0] - 3300) <= 1


def test_rotated_placement_still_gives_the_scan_resolution(pipeline_settings: PipelineSettings) -> None:
    page = raster.load_page(shared("ocrmypdf", "skew.pdf"), "pdf", 0, pipeline_settings)
    assert page.dpi == 300


def test_ccitt_g4_pdf_is_decoded(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    scan = Image.open(shared("tesseract", "8071_093.3B.tif"))
    pdf = tmp_path / "office-scanner-g4.pdf"
    write_ccitt_pdf(scan, pdf, dpi=300)
    info = raster.inspect(pdf, pipeline_settings)
    page = raster.load_page(pdf, info.kind, 0, pipeline_settings)
    assert page.dpi == 300
    original = np.asarray(scan.convert("L"))
    assert page.pixels.shape == original.shape
    # Same pixels (allowing for edge antialiasing).
    assert np.mean(np.abs(page.pixels.astype(int) - original.astype(int)) > 128) < 0.01


def test_multipage_tiff_counts_frames_and_keeps_dpi(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    frames = [Image.new("L", (850, 1100), 255) for _ in range(3)]
    path = tmp_path / "three.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200))
    info = raster.inspect(path, pipeline_settings)
    assert (info.kind, info.pages) == ("tiff", 3)
    page = raster.load_page(path, "tiff", 2, pipeline_settings)
    assert (page.dpi, page.dpi_stated) == (200, True)


def test_image_without_resolution_is_taken_as_300_dpi_and_says_so(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    path = tmp_path / "nodpi.png"
    Image.new("RGB", (500, 700), "white").save(path)
    page = raster.load_page(path, "png", 0, pipeline_settings)
    assert (page.dpi, page.dpi_stated) == (300, False)


def test_exif_orientation_is_honoured(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    # A phone-style JPEG: pixels stored sideways with EXIF orientation 6 (turn 90° clockwise to view).
    upright = Image.new("L", (400, 600), 255)
    upright.paste(0, (0, 0, 400, 50))  # a black band on top of the upright page
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the camera wrote
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    stored.save(path, exif=exif, dpi=(300, 300))
    page = raster.load_page(path, "jpeg", 0, pipeline_settings)
    assert page.pixels.shape[:2] == (600, 400)
    assert page.pixels[:40].mean() < 60 and page.pixels[-40:].mean() > 200


def test_file_type_comes_from_content_not_extension(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    png_named_pdf = tmp_path / "scan.pdf"
    Image.new("L", (100, 100), 255).save(png_named_pdf, format="PNG")
    assert raster.inspect(png_named_pdf, pipeline_settings).kind == "png"
    text_named_jpg = tmp_path / "notes.jpg"
    text_named_jpg.write_text("Biên bản họp, không phải ảnh quét\n", encoding="utf-8")
    with pytest.raises(NotADocument) as err:
        raster.inspect(text_named_jpg, pipeline_settings)
    assert "notes.jpg" in str(err.value)


def test_empty_file_is_refused(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile):
        raster.inspect(path, pipeline_settings)


def test_truncated_pdf_is_refused(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    data = shared("ocrmypdf", "skew.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(TruncatedFile) as err:
        raster.inspect(path, pipeline_settings)
    assert "cut short" in str(err.value)


def test_truncated_jpeg_is_refused_when_decoded(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    src = tmp_path / "full.jpg"
    Image.effect_noise((800, 800), 60).convert("RGB").save(src, quality=90)
    data = src.read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(TruncatedFile):
        info = raster.inspect(path, pipeline_settings)
        raster.load_page(path, info.kind, 0, pipeline_settings)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf (Debian package) makes the encrypted PDF")
def test_password_protected_pdf_is_refused(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    path = tmp_path / "locked.pdf"
    subprocess.run(
        ["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(shared("ocrmypdf", "skew.pdf")), str(path)],
        check=True,
    )
    with pytest.raises(PasswordProtected) as err:
        raster.inspect(path, pipeline_settings)
    assert "password" in str(err.value).lower()


def test_pdf_over_the_page_limit_is_refused(pipeline_settings: PipelineSettings) -> None:
    with pytest.raises(TooManyPages) as err:
        raster.inspect(shared("ocrmypdf", "cardinal.pdf"), PipelineSettings(max_pages=3))
    assert "4 pages" in str(err.value)


def test_image_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("L", (2000, 2000), 255).save(path)
    with pytest.raises(TooManyPixels):
        raster.inspect(path, PipelineSettings(max_pixels=1_000_000))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb's signature."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path, pipeline_settings: PipelineSettings) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_claiming(60_000, 60_000))
    with pytest.raises(TooManyPixels):
        raster.inspect(path, pipeline_settings)


# --- what a PDF embeds: declared sizes checked before decoding, damaged images never a blank page ---------


def _ccitt_bomb(path: Path, side: int) -> None:
    """A few KB of CCITT G4 whose image dictionary declares side x side pixels, on an A4 page."""
    data = g4_strip(Image.new("1", (1000, 1000), 1))
    parms = f"<< /K -1 /Columns {side} /Rows {side} /BlackIs1 false >>"
    write_image_pdf(path, data, width=side, height=side, filter="CCITTFaxDecode", decode_parms=parms, bits=1,
                    page_pt=A4)  # fmt: skip


def _jpeg(size: tuple[int, int] = (1240, 1754)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 60).convert("L").save(buf, "JPEG", quality=80)
    return buf.getvalue()


def test_a_small_pdf_embedding_a_huge_declared_image_is_refused_before_it_is_decoded(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN a 13 KB-class PDF whose CCITT image declares 100000 x 100000 pixels on an ordinary A4 page
    path = tmp_path / "bomb.pdf"
    _ccitt_bomb(path, 100_000)
    assert path.stat().st_size < 20_000
    # WHEN the file is checked, and (had it got past) its page read in full or as a preview
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    checks = [
        lambda: raster.inspect(path, pipeline_settings),
        lambda: raster.load_page(path, "pdf", 0, pipeline_settings),
        lambda: raster.load_preview(path, "pdf", 0, pipeline_settings),
    ]
    for check in checks:
        with pytest.raises(TooManyPixels) as err:
            check()
        # THEN it is refused with the pixel limit's error, naming the declared size, and nothing was decoded
        assert "100000x100000" in str(err.value) and "HOSO_MAX_PIXELS" in str(err.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: not the 1.2 GB bitmap


def test_a_soft_mask_declared_huge_is_refused_though_no_page_object_names_it(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN a 100 x 100 image on the page whose soft mask (not a page object) declares 20000 x 20000 pixels
    path = tmp_path / "smask-bomb.pdf"
    mask = zlib.compress(b"\xff" * 1_000_000)
    write_image_pdf(path, zlib.compress(b"\x80" * 10_000), width=100, height=100, filter="FlateDecode", page_pt=A4,
                    smask=(20_000, 20_000, mask))  # fmt: skip
    # WHEN the file is checked THEN it is refused, before pdfium decodes the 400 Mpx mask to render the page
    with pytest.raises(TooManyPixels) as err:
        raster.inspect(path, pipeline_settings)
    assert "20000x20000" in str(err.value)


def test_an_image_of_ordinary_size_passes_the_declared_size_check(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    path = tmp_path / "a4-300dpi.pdf"
    write_image_pdf(path, zlib.compress(b"\xff" * 2480 * 3508), width=2480, height=3508, filter="FlateDecode",
                    smask=(2480, 3508, zlib.compress(b"\xff" * 2480 * 3508)))  # fmt: skip
    assert raster.inspect(path, pipeline_settings).pages == 1
    assert raster.load_page(path, "pdf", 0, pipeline_settings).pixels.shape[:2] == (3508, 2480)


def test_a_flate_image_declared_over_the_limit_is_refused_whatever_its_data(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    path = tmp_path / "flate-bomb.pdf"
    write_image_pdf(path, zlib.compress(b"\x00" * 1_000_000), width=45_000, height=45_000, filter="FlateDecode",
                    page_pt=A4)  # fmt: skip
    with pytest.raises(TooManyPixels):
        raster.load_page(path, "pdf", 0, pipeline_settings)


def test_an_undecodable_jbig2_image_is_an_error_not_a_blank_page(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    path = tmp_path / "jbig2.pdf"
    noise = np.random.default_rng(13).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    write_image_pdf(path, noise, width=2480, height=3508, filter="JBIG2Decode", bits=1, page_pt=A4)
    with pytest.raises(UndecodableImage) as err:
        raster.load_page(path, "pdf", 0, pipeline_settings)
    assert "JBIG2Decode" in str(err.value) and "export the scan again" in str(err.value)


@pytest.mark.parametrize("codec", ["DCTDecode", "FlateDecode"])
def test_an_image_cut_short_inside_a_whole_pdf_is_an_error_not_a_partly_grey_page(
    tmp_path: Path, pipeline_settings: PipelineSettings, codec: str
) -> None:
    # GIVEN a PDF that ends properly (%%EOF, a valid cross-reference) but whose page image stops a third in
    w, h = 1240, 1754
    data = _jpeg((w, h)) if codec == "DCTDecode" else zlib.compress(bytes(range(256)) * (w * h // 256))
    whole = tmp_path / "whole.pdf"
    write_image_pdf(whole, data, width=w, height=h, filter=codec, dpi=150)
    cut = tmp_path / "cut.pdf"
    write_image_pdf(cut, data[: len(data) // 3], width=w, height=h, filter=codec, dpi=150)
    # WHEN read: the whole one reads, the cut one is refused as cut short (pdfium would fill the rest grey)
    assert raster.load_page(whole, "pdf", 0, pipeline_settings).pixels.shape[:2] == (h, w)
    with pytest.raises(TruncatedFile) as err:
        raster.load_page(cut, "pdf", 0, pipeline_settings)
    assert "cut short" in str(err.value) and codec in str(err.value)


def test_a_file_that_only_carries_a_pdf_header_somewhere_inside_is_not_a_pdf(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    real = tmp_path / "real.pdf"
    write_image_pdf(real, zlib.compress(b"\xff" * 100 * 100), width=100, height=100, filter="FlateDecode")
    polyglot = tmp_path / "page.pdf"
    polyglot.write_bytes(b"<html><body>not a scan</body></html>\n" * 5 + real.read_bytes())
    with pytest.raises(NotADocument):
        raster.inspect(polyglot, pipeline_settings)
    assert raster.inspect(real, pipeline_settings).kind == "pdf"


def test_a_pdf_whose_page_tree_loops_is_a_damaged_file_not_a_crash(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN a PDF whose page tree names itself among its kids (it says 2 pages)
    path = tmp_path / "loop.pdf"
    body = write_image_pdf(None, zlib.compress(b"\xff" * 100 * 100), width=100, height=100, filter="FlateDecode")
    kids = b"/Kids [3 0 R] /Count 1"
    assert kids in body
    path.write_bytes(body.replace(kids, b"/Kids [2 0 R 3 0 R] /Count 2"))  # offsets moved: pdfium finds them
    # WHEN it is checked at intake THEN the error is bad input (exit 2), not a bug: qpdf cannot list its pages,
    # so its images cannot all be checked before they are decoded
    with pytest.raises(TruncatedFile) as err:
        raster.inspect(path, pipeline_settings)
    assert "/Pages" in str(err.value)
    # and (had it got past) its second page read by pdfium is the same error
    with pytest.raises(TruncatedFile) as err:
        raster.load_page(path, "pdf", 1, pipeline_settings)
    assert "page tree" in str(err.value)


_DRAW = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def _big_image(entries: str = "/Width 15000 /Height 15000") -> bytes:
    data = zlib.compress(b"\x00" * 1_000_000)  # the data does not matter: the declared size is the bomb
    return pdf_stream(f"/Type /XObject /Subtype /Image {entries} /ColorSpace /DeviceGray /BitsPerComponent 8 "
                      "/Filter /FlateDecode", data)  # fmt: skip


def _bombs(tmp_path: Path) -> dict[str, Path]:
    """Images declared 15000 x 15000 (225 Mpx) that a scan of the file's bytes for a direct /Width misses."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"  # noqa: E501
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    inline = b"q 595 0 0 842 0 0 cm BI /W 15000 /H 15000 /CS /G /BPC 8 /F /Fl ID " + zlib.compress(b"\0" * 100_000)
    cases = {
        "indirect-size": [_CATALOG, pages, page, _big_image("/Width 6 0 R /Height 7 0 R"), pdf_stream("", _DRAW),
                          b"15000", b"15000"],
        "inside-a-form": [_CATALOG, pages,
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm0 4 0 R >> >> /Contents 5 0 R >>",  # noqa: E501
                          pdf_stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Im0 6 0 R >> >>", _DRAW),  # noqa: E501
                          pdf_stream("", b"/Fm0 Do"), _big_image("/Width 7 0 R /Height 15000"), b"15000"],
        "inherited-resources": [_CATALOG,
                                b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << /Im0 4 0 R >> >> >>",
                                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
                                _big_image("/Width 15000 /Height 6 0 R"), pdf_stream("", _DRAW), b"15000"],
        "escaped-name": [_CATALOG, pages, page,
                         _big_image("/Width 15000 /Height 15000").replace(b"/Subtype /Image", b"/Subtype /Im#61ge"),
                         pdf_stream("", _DRAW)],
        "inline-image": [_CATALOG, pages, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                         pdf_stream("/Filter /FlateDecode", zlib.compress(inline + b"\nEI Q"))],
    }  # fmt: skip
    paths = {}
    for name, objects in cases.items():
        paths[name] = tmp_path / f"{name}.pdf"
        write_pdf(paths[name], objects)
    return paths


def test_images_sized_through_references_forms_inherited_resources_or_inline_are_refused_at_intake(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN small PDFs whose 225 Mpx image is reached indirectly (sizes in other objects, drawn by a form, from
    # the /Pages node's resources, named with an escape) or inline in a compressed content stream
    for name, path in _bombs(tmp_path).items():
        # WHEN the file is checked at intake THEN it is refused by the pixel limit, naming the declared size
        with pytest.raises(TooManyPixels) as err:
            raster.inspect(path, pipeline_settings)
        assert "15000x15000" in str(err.value), name
        assert ("inline image" in str(err.value)) == (name == "inline-image"), name


def test_a_jpeg_whose_frame_is_larger_than_its_dictionary_says_is_refused(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN an image whose dictionary says 100 x 100 but whose JPEG data's frame is 12000 x 12000 (the decoder
    # believes the frame)
    buf = io.BytesIO()
    Image.new("L", (12_000, 12_000), 255).save(buf, "JPEG", quality=10)
    path = tmp_path / "jpeg-frame.pdf"
    write_image_pdf(path, buf.getvalue(), width=100, height=100, filter="DCTDecode", page_pt=A4)
    # WHEN it is checked THEN it is refused by the pixel limit with the frame's size
    with pytest.raises(TooManyPixels) as err:
        raster.inspect(path, pipeline_settings)
    assert "12000x12000" in str(err.value)


def test_a_scanners_pdf_page_is_previewed_from_its_jpeg_and_its_receipt_qr_still_reads(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN a receipt sheet scanned at 300 dpi, skewed, saved as a scanner saves it (one JPEG over the page)
    sheet = synth.make_receipt_sheet("000.00.21.H46-250101-0007", seed=3, dpi=300, skew_deg=1.5)
    path = tmp_path / "stack.pdf"
    synth.write_pdf([sheet], path)
    # WHEN its preview is decoded (from the JPEG at half its size, not rendered by pdfium)
    preview = raster.load_preview(path, "pdf", 0, pipeline_settings)
    # THEN it is the page at 150 dpi, the picture pdfium draws at that size, and its QR gives the code
    assert (preview.dpi, preview.dpi_stated, preview.pixels.ndim) == (150, True, 2)
    drawn = pdfium.PdfDocument(str(path))[0].render(scale=150 / 72, grayscale=True).to_numpy()
    drawn = drawn[..., 0] if drawn.ndim == 3 else drawn
    h, w = min(drawn.shape[0], preview.pixels.shape[0]), min(drawn.shape[1], preview.pixels.shape[1])
    assert abs(drawn.shape[1] - preview.pixels.shape[1]) <= 1
    assert np.abs(drawn[:h, :w].astype(int) - preview.pixels[:h, :w].astype(int)).mean() < 6
    assert separator_code(read_qr(preview.pixels, preview.dpi), None) == "000.00.21.H46-250101-0007"


def test_a_scanners_colour_pdf_page_is_read_from_its_jpeg_in_full(
    tmp_path: Path, pipeline_settings: PipelineSettings
) -> None:
    # GIVEN a birth certificate with its red seal scanned in colour at 300 dpi, saved as a scanner saves it
    page = synth.make_page("birth_certificate", seed=4, dpi=300, skew_deg=1.0)
    path = tmp_path / "scan.pdf"
    synth.write_pdf([page], path, jpeg_quality=85)
    stream = next(iter(pdfium.PdfDocument(str(path))[0].get_objects(max_depth=1)))
    assert isinstance(stream, pdfium.PdfImage)
    # WHEN the page is read for OCR
    read = raster.load_page(path, "pdf", 0, pipeline_settings)
    # THEN it is the JPEG as Pillow decodes it (OpenCV's libjpeg-turbo decodes it, to the same pixels), in
    # colour, at the scan's resolution (pdfium's render of the same JPEG differs by a few levels at colour
    # edges: it reads fewer words)
    with Image.open(io.BytesIO(bytes(stream.get_data(decode_simple=False)))) as im:
        assert im.mode == "RGB"
        assert np.array_equal(read.pixels, np.asarray(im))
    assert (read.dpi, read.dpi_stated) == (300, True)


def test_a_scanners_jpeg_is_decoded_as_stored_whatever_its_exif_orientation_says() -> None:
    # GIVEN a page's JPEG whose EXIF says "turn a quarter" (a PDF viewer ignores it: so must hoso)
    wide = Image.new("RGB", (300, 200), (255, 255, 255))
    wide.paste((0, 0, 0), (0, 0, 100, 50))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    wide.save(buf, format="JPEG", quality=90, exif=exif)
    # WHEN it is decoded, in colour and in gray at half its size
    colour = raster._decode_jpeg(buf.getvalue(), False, 1)
    gray = raster._decode_jpeg(buf.getvalue(), True, 2)
    # THEN as stored: wider than high, the black block top left
    assert colour is not None and colour.shape == (200, 300, 3)
    assert gray is not None and gray.shape == (100, 150)
    assert colour[10, 10].max() < 60 and colour[150, 250].min() > 200


def test_jpeg_data_opencv_refuses_is_left_to_pillow_and_pdfium_not_raised() -> None:
    # data OpenCV's decoder refuses outright (empty here) is no page: None, so Pillow or pdfium decide
    assert raster._decode_jpeg(b"", True, 2) is None
    assert raster._decode_jpeg(b"\xff\xd8\xff\xd9", False, 1) is None
