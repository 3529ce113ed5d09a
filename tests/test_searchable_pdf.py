"""The searchable PDF (pipeline/pdf.py): the page image unchanged, the words invisible but findable."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.pdf import PdfPage, glyphless_truetype, jpeg_info, searchable_pdf
from pipeline.tsv import page_tsv
from schemas.record import Page, PageSource, Word

WORDS = [
    Word(text="CỘNG", conf=95, box=[100, 100, 260, 140], line=0, block=0),
    Word(text="HÒA", conf=94, box=[280, 100, 380, 140], line=0, block=0),
    Word(text="Giấy", conf=90, box=[100, 200, 200, 236], line=1, block=0),
    Word(text="khai\tsinh", conf=88, box=[220, 200, 400, 236], line=1, block=0),
]


def _jpeg(width: int, height: int, mode: str = "L") -> bytes:
    img = Image.new(mode, (width, height), "white")
    ImageDraw.Draw(img).rectangle([100, 100, 380, 140], fill="black")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def test_words_are_found_where_they_are_on_the_page_and_the_image_is_kept() -> None:
    # GIVEN a 150 dpi page image and its words
    jpeg = _jpeg(1240, 1754)
    page = PdfPage(jpeg=jpeg, width=1240, height=1754, dpi=150, words=WORDS)

    # WHEN made into a searchable PDF, twice
    data = searchable_pdf([page, PdfPage(jpeg=_jpeg(600, 400, "RGB"), width=600, height=400, dpi=100)])
    assert searchable_pdf([page, PdfPage(jpeg=_jpeg(600, 400, "RGB"), width=600, height=400, dpi=100)]) == data

    # THEN the pages have the images' size in points, the text is extracted in order, in Vietnamese
    doc = pdfium.PdfDocument(data)
    try:
        assert len(doc) == 2
        w, h = doc[0].get_size()
        assert (round(w, 1), round(h, 1)) == (round(1240 * 72 / 150, 1), round(1754 * 72 / 150, 1))
        text = doc[0].get_textpage().get_text_range()
        assert "CỘNG HÒA" in text and "Giấy khai sinh" in text
        # the word's characters are where its box is (pdf y up, from the bottom)
        tp = doc[0].get_textpage()
        idx = text.index("Giấy")
        x0, y0, _x1, y1 = tp.get_charbox(idx)
        assert abs(x0 - 100 * 72 / 150) < 2
        assert h - 236 * 72 / 150 - 2 < y0 < y1 < h - 200 * 72 / 150 + 2
        # and the JPEG is embedded as it is (no re-encoding)
        assert jpeg in data
        # the text draws nothing: the rendered page is the image
        rendered = np.asarray(doc[0].render(scale=0.25, grayscale=True).to_pil())
        original = np.asarray(Image.open(io.BytesIO(jpeg)).resize(rendered.shape[::-1]))
        assert np.abs(rendered.astype(int) - original.astype(int)).mean() < 3
    finally:
        doc.close()


def test_pdf_is_well_formed_for_qpdf_and_the_font_loads(tmp_path: Path) -> None:
    ImageFont.truetype(io.BytesIO(glyphless_truetype()), 12)  # FreeType accepts the embedded font
    path = tmp_path / "s.pdf"
    path.write_bytes(searchable_pdf([PdfPage(jpeg=_jpeg(800, 600), width=800, height=600, dpi=200, words=WORDS)]))
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed (scripts/setup.sh --test)")
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_jpeg_info_reads_size_and_components() -> None:
    gray = jpeg_info(_jpeg(321, 123))
    assert (gray.width, gray.height, gray.components) == (321, 123, 1)
    info = jpeg_info(_jpeg(321, 123, "RGB"))
    assert (info.width, info.height, info.components) == (321, 123, 3)
    # a progressive JPEG with EXIF (APPn segments before the frame header) is read the same
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (77, 1000), "white").save(buf, "JPEG", progressive=True, exif=exif.tobytes())
    prog = jpeg_info(buf.getvalue())
    assert (prog.width, prog.height, prog.components) == (77, 1000, 3)
    with pytest.raises(ValueError):
        jpeg_info(b"GIF89a")


def test_tsv_has_tesseract_columns_and_one_row_per_word() -> None:
    page = Page(number=3, source=PageSource(file="a.pdf", page=1), sha256="0" * 64, width=800, height=600, dpi=200,
                rotation=0, skew_deg=0.0, words=WORDS)  # fmt: skip
    rows = [r.split("\t") for r in page_tsv(page).splitlines()]
    assert rows[0][:6] == ["level", "page_num", "block_num", "par_num", "line_num", "word_num"]
    assert rows[1][0] == "1" and rows[1][8:10] == ["800", "600"]
    words = rows[2:]
    assert [r[11] for r in words] == ["CỘNG", "HÒA", "Giấy", "khai sinh"]
    assert [(r[4], r[5]) for r in words] == [("1", "1"), ("1", "2"), ("2", "1"), ("2", "2")]
    assert words[0][6:10] == ["100", "100", "160", "40"]
