"""The page generator: determinism, the skew and rotation conventions, valid identity numbers, a readable
receipt QR code, every type rendering with NFC truth, and the writers."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

import synth
from synth.__main__ import main as synth_main
from synth.vn import (
    LOCALITIES,
    OTHER_PROVINCE_CODES,
    area_value,
    date_in_words,
    expiry_for,
    format_area,
    mrz_check,
    mrz_lines,
    words_vi,
)

FIELD_KEYS = {
    "cccd": {"id_number", "full_name", "date_of_birth", "sex", "place_of_residence", "expiry_date"},
    "birth_certificate": {
        "full_name",
        "date_of_birth",
        "sex",
        "personal_id",
        "mother_name",
        "father_name",
        "mother_address",
        "father_address",
        "registration_number",
        "registration_date",
    },
    "marriage_certificate": {
        "wife_name",
        "husband_name",
        "wife_date_of_birth",
        "husband_date_of_birth",
        "registration_number",
        "registration_date",
    },
    "land_use_certificate": {
        "holder_name",
        "holder_address",
        "parcel_number",
        "parcel_address",
        "map_sheet_number",
        "area_m2",
        "land_use_purpose",
        "serial_number",
        "issue_date",
    },
    "diploma": {"full_name", "date_of_birth", "school", "graduation_year", "classification", "serial_number"},
    "application_form": {"applicant_name", "applicant_id_number", "applicant_address", "phone", "request_date"},
    "other": set(),
    "birth_notice": {"mother_name", "mother_id_number", "child_date_of_birth", "child_sex", "child_name"},
    "marital_status_confirmation": {"full_name", "date_of_birth", "personal_id", "marital_status", "issue_date"},
    "official_document": {"document_number", "issue_date", "issuer", "subject", "signer_title", "signer_name"},
}
PROVINCE_CODES = {loc.code for loc in LOCALITIES} | set(OTHER_PROVINCE_CODES.values())


def _gray(page: synth.GeneratedPage) -> np.ndarray:
    return np.asarray(page.image.convert("L"))


def test_same_seed_same_pixels_and_truth() -> None:
    a = synth.make_page("birth_certificate", seed=11, dpi=80, skew_deg=1.5)
    b = synth.make_page("birth_certificate", seed=11, dpi=80, skew_deg=1.5)
    c = synth.make_page("birth_certificate", seed=12, dpi=80, skew_deg=1.5)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    assert a.lines == b.lines
    assert a.lines != c.lines


def test_a4_sizes_and_rotation_swaps_width_and_height() -> None:
    assert synth.make_page("other", seed=1, dpi=300, defects="none").image.size == (2480, 3508)
    assert synth.make_blank_page(seed=1, dpi=200).image.size == (1654, 2339)
    upright = synth.make_page("diploma", seed=3, dpi=100, defects="none")
    assert upright.image.size == (827, 1169)
    turned = synth.make_page("diploma", seed=3, dpi=100, rotation=90, defects="none")
    assert turned.image.size == (1169, 827) and turned.rotation == 90
    # counter-clockwise quarter turns, exactly Image.rotate(r, expand=True)
    for r in (90, 180, 270):
        page = turned if r == 90 else synth.make_page("diploma", seed=3, dpi=100, rotation=r, defects="none")
        assert np.array_equal(np.asarray(page.image), np.asarray(upright.image.rotate(r, expand=True)))


def test_skew_is_exactly_pil_rotate_on_the_upright_page() -> None:
    upright = synth.make_page("other", seed=5, dpi=60, defects="none", variant=0)
    skewed = synth.make_page("other", seed=5, dpi=60, defects="none", variant=0, skew_deg=3.0)
    expected = upright.image.rotate(3.0, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    assert np.array_equal(np.asarray(skewed.image), np.asarray(expected))
    assert skewed.lines == upright.lines and skewed.skew_deg == 3.0


def _profile_angle(gray: np.ndarray) -> float:
    """The angle a whose undoing (rotate by -a) makes text rows sharpest: the content's turn, CCW positive."""
    img = Image.fromarray(gray)
    best, best_score = 0.0, -1.0
    for a in np.arange(-5.0, 5.01, 0.25):
        back = np.asarray(img.rotate(-a, resample=Image.Resampling.BILINEAR, fillcolor=255), dtype=np.float32)
        rows = (255.0 - back).sum(axis=1)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(a), score
    return best


def test_positive_skew_turns_content_counter_clockwise() -> None:
    plus = synth.make_page("application_form", seed=2, dpi=75, skew_deg=3.0, variant=0)
    minus = synth.make_page("application_form", seed=2, dpi=75, skew_deg=-2.0, variant=0)
    assert abs(_profile_angle(_gray(plus)) - 3.0) <= 0.5
    assert abs(_profile_angle(_gray(minus)) + 2.0) <= 0.5


@pytest.mark.parametrize("seed", range(6))
def test_cccd_numbers_are_valid(seed: int) -> None:
    doc, (page,) = synth.make_document("cccd", seed=seed, dpi=50, defects="none")
    f = {x.key: x.value for x in doc.fields}
    number, born = f["id_number"], date.fromisoformat(f["date_of_birth"])
    assert len(number) == 12 and number.isdigit()
    assert number[:3] in PROVINCE_CODES
    century = (born.year // 100) - 19
    assert int(number[3]) == 2 * century + (0 if f["sex"] == "Nam" else 1)
    assert number[4:6] == f"{born.year % 100:02d}"
    if f["expiry_date"] != "Không thời hạn":
        expiry = date.fromisoformat(f["expiry_date"])
        assert (expiry.month, expiry.day) == (born.month, born.day) or (born.month, born.day) == (2, 29)
        assert expiry.year - born.year in (25, 40, 60)
    mrz = [line for line in page.lines if line.startswith("IDVNM")]
    assert len(mrz) == 1 and number in mrz[0] and len(mrz[0]) == 30
    assert any(number in line for line in page.lines)


def test_id_rules_and_vietnamese_numbers() -> None:
    assert expiry_for(date(2000, 5, 12), date(2021, 6, 1)) == date(2025, 5, 12)
    assert expiry_for(date(2000, 5, 12), date(2023, 6, 1)) == date(2040, 5, 12)  # within two years of 25
    assert expiry_for(date(1960, 1, 2), date(2024, 8, 1)) is None
    assert words_vi(2015) == "hai nghìn không trăm mười lăm"
    assert words_vi(2005) == "hai nghìn không trăm linh năm"
    assert words_vi(1995) == "một nghìn chín trăm chín mươi lăm"
    assert words_vi(21) == "hai mươi mốt" and words_vi(24) == "hai mươi tư"
    assert date_in_words(date(2015, 5, 12)) == "Ngày mười hai, tháng năm, năm hai nghìn không trăm mười lăm"
    assert format_area(1250.5, 1) == "1.250,5" and area_value("1.250,5") == "1250.5"
    assert mrz_check("L898902C3") == "6"  # the ICAO 9303 example
    lines = mrz_lines("046095012345", "Nguyễn Văn Đức", "Nam", date(1995, 5, 12), date(2035, 5, 12))
    assert [len(x) for x in lines] == [30, 30, 30] and lines[2].startswith("NGUYEN<<VAN<DUC")


def _decode_qr(page: synth.GeneratedPage) -> str:
    detector = cv2.QRCodeDetector()
    gray = _gray(page)
    text = detector.detectAndDecode(gray)[0]
    if not text:  # binarised as a pipeline would
        _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        text = detector.detectAndDecode(bw)[0]
    return str(text)


@pytest.mark.parametrize("rotation", [0, 180])
def test_receipt_qr_decodes_to_the_dossier_code(rotation: int) -> None:
    code = "000.00.28.H57-250338-1306"
    page = synth.make_receipt_sheet(code, seed=4, dpi=200, skew_deg=1.2, rotation=rotation)
    assert page.separator and page.qr_text == code and page.doc_type == "receipt" and page.doc_index == -1
    assert f"Mã hồ sơ: {code}" in page.lines
    assert "PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page.lines
    assert _decode_qr(page) == code


@pytest.mark.parametrize("doc_type", synth.PAGE_TYPES)
def test_every_type_renders_with_nfc_lines(doc_type: str) -> None:
    page = synth.make_page(doc_type, seed=21, dpi=50)
    assert page.image.mode == "RGB" and page.dpi == 50 and page.doc_type == doc_type
    assert page.blank == (doc_type == "blank")
    if doc_type == "blank":
        assert page.lines == () and page.doc_index == -1
        return
    assert len(page.lines) >= 8
    for line in page.lines:
        assert line == unicodedata.normalize("NFC", line) and line == " ".join(line.split())
    assert page.words and all(w.strip(".") for w in page.words)


@pytest.mark.parametrize("doc_type", synth.DOC_TYPES)
def test_fields_are_the_agreed_keys_and_are_printed(doc_type: str) -> None:
    for variant in range(synth.VARIANTS[doc_type]):
        doc, pages = synth.make_document(doc_type, seed=8, dpi=40, defects="none", variant=variant)
        assert synth.VARIANTS[doc_type] >= 3
        assert {f.key for f in doc.fields} == FIELD_KEYS[doc_type]
        assert doc.page_indexes == tuple(range(len(pages)))
        text = " ".join(line for p in pages for line in p.lines)
        digits = "".join(c for c in text if c.isdigit())
        for f in doc.fields:
            assert f.value == unicodedata.normalize("NFC", f.value) and f.value
            if doc_type == "official_document" and f.key != "issue_date":
                # As printed: a signer's name in its own case, the lines of a title joined by " / ", a
                # handwritten number apart from its symbol.
                squeezed = text.replace(" ", "")
                assert all(part.replace(" ", "") in squeezed for part in f.value.split(" / ")), (variant, f)
            elif f.key.endswith("name"):
                assert f.value == f.value.upper() and f.value in text.upper(), (variant, f)
            elif f.key in ("id_number", "personal_id", "applicant_id_number", "phone"):
                assert f.value.isdigit() and f.value in digits, (variant, f)
            elif f.key.endswith("date") or f.key.endswith("date_of_birth"):
                if f.value == "Không thời hạn":
                    continue
                d = date.fromisoformat(f.value)
                shown = (
                    f"{d.day:02d}/{d.month:02d}/{d.year}",
                    f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
                    f"ngày {d.day} tháng {d.month} năm {d.year}",
                )
                assert any(s in text for s in shown), (variant, f)
            elif f.key == "area_m2":
                assert float(f.value) > 0 and f.value.replace(".", ",") in text.replace(".", "")
            elif f.key == "serial_number":
                assert f.value in text and f.value == " ".join(f.value.split()), (variant, f)  # as printed
            else:
                assert f.value in text, (variant, f)
    if doc_type == "land_use_certificate":
        assert 2 <= len(pages) <= 4


def test_land_certificate_pages_and_variants_share_values() -> None:
    docs = [synth.make_document("land_use_certificate", seed=3, dpi=30, defects="none", variant=v)[0] for v in (0, 1)]
    assert docs[0].fields == docs[1].fields
    _, pages = synth.make_document("land_use_certificate", seed=3, dpi=30, defects="none", variant=0)
    assert any("GIẤY CHỨNG NHẬN" in line for line in pages[0].lines)
    assert not any(line == "GIẤY CHỨNG NHẬN" for p in pages[1:] for line in p.lines)
    assert f"Trang 2/{len(pages)}" in pages[1].lines


def test_fonts_and_bad_arguments() -> None:
    assert {"liberation-serif", "liberation-sans", "dejavu-serif", "dejavu-sans", "noto-serif", "noto-sans"} <= set(
        synth.FONTS
    )
    for name, (regular, bold) in synth.FONTS.items():
        assert Path(regular).is_file() and Path(bold).is_file(), name
    da, (a,) = synth.make_document("marriage_certificate", seed=1, dpi=40, font="noto-sans", defects="none", variant=0)
    db, (b,) = synth.make_document(
        "marriage_certificate", seed=1, dpi=40, font="liberation-serif", defects="none", variant=0
    )
    assert da.fields == db.fields and not np.array_equal(np.asarray(a.image), np.asarray(b.image))
    with pytest.raises(ValueError):
        synth.make_page("cccd", seed=1, variant=99)
    with pytest.raises(ValueError):
        synth.make_page("passport", seed=1)
    with pytest.raises(ValueError):
        synth.make_page("cccd", seed=1, dpi=40, rotation=45)
    with pytest.raises(ValueError):
        synth.make_page("cccd", seed=1, dpi=40, font="comic-sans")


def test_a_missing_font_face_is_named_with_its_debian_package(tmp_path: Path) -> None:
    from synth.fonts import _FAMILIES, MissingFontError, check_installed, missing_faces

    check_installed()  # this machine has every face the generator may pick
    # GIVEN a font folder with every face except DejaVu's italics (fonts-dejavu-core without -extra)
    for faces in _FAMILIES.values():
        for face in faces:
            if face.startswith("dejavu/") and ("Italic" in face or "Oblique" in face):
                continue
            (tmp_path / face).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / face).write_bytes(b"")
    missing = missing_faces(tmp_path)
    assert set(missing) == {"fonts-dejavu-core and fonts-dejavu-extra", "fonts-dejavu-extra"}
    with pytest.raises(MissingFontError, match="fonts-dejavu-extra") as err:
        check_installed(tmp_path)
    assert "DejaVuSans-Oblique.ttf" in str(err.value) and "DejaVuSerif-Italic.ttf" in str(err.value)


def test_dossier_structure_and_agreement() -> None:
    d = synth.make_dossier(
        5,
        dpi=40,
        receipt=True,
        blank_backs=True,
        rotations=(0, 90, 180, 270),
        doc_types=["application_form", "cccd", "cccd", "marriage_certificate", "land_use_certificate"],
    )
    again = synth.make_dossier(
        5,
        dpi=40,
        receipt=True,
        blank_backs=True,
        rotations=(0, 90, 180, 270),
        doc_types=["application_form", "cccd", "cccd", "marriage_certificate", "land_use_certificate"],
    )
    assert d.code == again.code and [p.lines for p in d.pages] == [p.lines for p in again.pages]
    first = d.pages[0]
    assert first.separator and first.qr_text == d.code and first.doc_index == -1
    assert d.pages[1].blank and d.pages[1].lines == ()
    assert [doc.doc_type for doc in d.documents] == [
        "application_form",
        "cccd",
        "cccd",
        "marriage_certificate",
        "land_use_certificate",
    ]
    covered = set()
    for i, doc in enumerate(d.documents):
        for k in doc.page_indexes:
            page = d.pages[k]
            assert page.doc_index == i and page.doc_type == doc.doc_type and not page.blank
            assert abs(page.skew_deg) <= 3.0 and page.rotation in (0, 90, 180, 270)
            covered.add(k)
    for k, page in enumerate(d.pages):
        if k not in covered:
            assert (page.blank or page.separator) and page.doc_index == -1
    fields = [{f.key: f.value for f in doc.fields} for doc in d.documents]
    applicant, card1, card2, marriage, land = fields
    assert applicant["applicant_id_number"] == card1["id_number"]
    assert applicant["applicant_name"] == card1["full_name"] == land["holder_name"]
    assert {card1["full_name"], card2["full_name"]} == {marriage["wife_name"], marriage["husband_name"]}


def test_writers(tmp_path: Path) -> None:
    pages = [synth.make_page(t, seed=2, dpi=d) for t, d in (("cccd", 40), ("other", 50), ("blank", 40))]
    pdf = tmp_path / "d.pdf"
    synth.write_pdf(pages, pdf)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Pages:           3" in info
        assert "(A4)" in info  # the page size follows each image's dpi
    else:
        assert pdf.read_bytes().count(b"/Type /Page ") == 3
    tif = tmp_path / "d.tif"
    synth.write_tiff(pages, tif)
    with Image.open(tif) as im:
        assert getattr(im, "n_frames", 1) == 3
        dpis = []
        for k in range(3):
            im.seek(k)
            dpis.append(round(im.info["dpi"][0]))
        assert dpis == [40, 50, 40]
    files = synth.write_images(pages, tmp_path / "img", fmt="png", prefix="p")
    assert [f.name for f in files] == ["p-0001.png", "p-0002.png", "p-0003.png"]
    with Image.open(files[1]) as im:
        assert round(im.info["dpi"][0]) == 50


def test_command_line_writes_files_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        synth_main(
            [
                "dossier",
                "--seed",
                "7",
                "--out",
                str(out),
                "--format",
                "jpeg",
                "--documents",
                "2",
                "--dpi",
                "40",
                "--receipt",
            ]
        )
        == 0
    )
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    images = sorted(out.glob("*.jpg"))
    assert len(images) == len(truth["pages"]) >= 3
    assert truth["pages"][0]["qr_text"] == truth["code"]
    assert truth["documents"][0]["doc_type"] == "application_form"
    assert all(set(p) >= {"skew_deg", "rotation", "lines", "doc_type", "file"} for p in truth["pages"])


def test_nothing_runs_off_the_page() -> None:
    import random

    from synth.canvas import Canvas
    from synth.fonts import family
    from synth.generate import _plan, sub_seed

    for doc_type in synth.DOC_TYPES:
        for variant in range(synth.VARIANTS[doc_type]):
            for seed in range(2):
                plan = _plan(doc_type, seed, variant=variant, seal=True)
                for k, render in enumerate(plan.pages):
                    cv = Canvas(dpi=20, fam=family("dejavu-sans"), rng=random.Random(sub_seed(seed, "page", k)))
                    render(cv)
                    assert cv.lowest <= 288.0, (doc_type, variant, seed, k, cv.lowest)


def test_seal_flag() -> None:
    def red(page: synth.GeneratedPage) -> int:
        a = np.asarray(page.image).astype(int)
        return int(((a[..., 0] > 150) & (a[..., 1] < 110) & (a[..., 2] < 120)).sum())

    for seal, expect_red in ((True, True), (False, False)):
        page = synth.make_page("birth_certificate", seed=4, dpi=60, defects="none", variant=1, seal=seal)
        assert (red(page) > 50) == expect_red and (red(page) == 0) != expect_red
