"""Official documents (văn bản hành chính): typed and read by their layout, on real scans and made pages.

The real pages are ../shared/data/real-vn (eight decisions, letters, resolutions and circulars, 200-dpi
scans with seals, stamps and numbers filled in by hand), each OCRed once by hoso's page stage.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pipeline import raster
from pipeline.classify import TextClassifier
from pipeline.documents import build_documents, has_no_text, no_text_problems
from pipeline.extract.official import extract_official
from pipeline.ocr import OcrEngine
from pipeline.page import process_page
from schemas.doctypes import load_catalog
from schemas.record import Page, PageSource, Word
from schemas.settings import PipelineSettings
from tests.conftest import shared
from tests.test_documents import page_from_lines
from workers.stores.records import PageTask
from workers.usecases.pages import page_record

CATALOG = load_catalog()
SPEC = CATALOG.get("official_document")
REAL = ("real-vn",)
# fields.json's keys for ours
TRUTH_KEYS = {
    "document_number": "so_ky_hieu",
    "issue_date": "ngay_ban_hanh",
    "issuer": "co_quan_ban_hanh",
    "signer_title": "chuc_vu",
    "signer_name": "nguoi_ky",
}


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    return TextClassifier.load()


@pytest.fixture(scope="module")
def real_pages() -> Iterator[dict[str, tuple[Page, dict]]]:
    """Each real page OCRed once for the module, with its fields from fields.json."""
    folder = shared(*REAL)
    truth = {d["file"]: d for d in json.loads((folder / "fields.json").read_text(encoding="utf-8"))["documents"]}
    settings = PipelineSettings()
    engine = OcrEngine(settings.lang, settings.tessdata)
    out: dict[str, tuple[Page, dict]] = {}
    try:
        for name, fields in sorted(truth.items()):
            path = folder / name
            info = raster.inspect(path, settings)
            image = raster.load_page(path, info.kind, 0, settings, name=name)
            result = process_page(image, settings, engine)
            task = PageTask("REAL", 1, name, "0" * 64, info.kind, 1)
            out[name] = (page_record(task, image, result, "unused"), fields)
        yield out
    finally:
        engine.close()


@pytest.mark.slow  # the eight real pages are OCRed
def test_real_pages_are_official_documents(real_pages: dict[str, tuple[Page, dict]], model: TextClassifier) -> None:
    for name, (page, _) in real_pages.items():
        docs = build_documents([page], model, CATALOG)
        assert [d.type for d in docs] == ["official_document"], name


def _score(real_pages: dict[str, tuple[Page, dict]]) -> dict[str, dict[str, tuple[str | None, str | None, float]]]:
    """Per page and field: (expected, read, confidence)."""
    out = {}
    for name, (page, truth) in real_pages.items():
        got = extract_official(SPEC, [page])
        out[name] = {
            key: (truth[tk], got[key].value if key in got else None, got[key].confidence if key in got else 0.0)
            for key, tk in TRUTH_KEYS.items()
        }
    return out


@pytest.mark.slow  # the eight real pages are OCRed
def test_real_pages_number_and_date_never_wrong_and_trusted(real_pages: dict[str, tuple[Page, dict]]) -> None:
    """GIVEN the real pages WHEN their number and date are read THEN each is exactly right, or left for a
    reviewer (missing or below its review threshold): numbers and days written by hand are read badly.
    The printed number of the letter 3722/VPCP-CN and its date are right and trusted."""
    thresholds = {f.key: f.review_below for f in SPEC.fields}
    scores = _score(real_pages)
    for name, fields in scores.items():
        for key in ("document_number", "issue_date"):
            expected, got, conf = fields[key]
            if got is not None and conf >= thresholds[key]:
                assert got == expected, (name, key, got, conf)
            if expected is None:
                assert got is None, (name, key, got)  # an e-signed paper's blank number is not invented
    letter = scores["cv_3722_metro.pdf"]
    assert letter["document_number"][1] == "3722/VPCP-CN" and letter["document_number"][2] >= 0.85
    assert letter["issue_date"][1] == "2026-04-28"


@pytest.mark.slow  # the eight real pages are OCRed
def test_real_pages_issuer_and_signer(real_pages: dict[str, tuple[Page, dict]]) -> None:
    """Figures for the report (printed with -s), and floors they must not fall under: the issuer on every
    page; where a signer is read, it is the right one."""
    scores = _score(real_pages)
    right = {k: 0 for k in TRUTH_KEYS}
    present = {k: 0 for k in TRUTH_KEYS}
    for name, fields in scores.items():
        print(name, {k: ("ok" if got == exp else f"{got!r} (want {exp!r})") for k, (exp, got, _) in fields.items()})
        for key, (expected, got, _) in fields.items():
            present[key] += expected is not None
            right[key] += expected is not None and got == expected
            if key == "signer_name" and got is not None:
                assert got == expected, (name, got)
    print({k: f"{right[k]}/{present[k]}" for k in TRUTH_KEYS})
    assert right["issuer"] == present["issuer"] == 8
    assert right["signer_name"] >= 2


# --- the parsing rules, on pages made for the case ---------------------------------------------------------------


def _two_column(rows: list[tuple[str, str]], tail: list[str], signer: list[str]) -> Page:
    """Header rows "left || right", then full-width lines, then the signer block on the right."""
    words: list[Word] = []
    line = 0
    y = 150
    for left, right in rows:
        for c, part in enumerate((left, right)):
            x = 250 if c == 0 else 1350
            for token in part.split():
                w = 26 * len(token)
                words.append(Word(text=token, conf=92.0, box=[x, y, x + w, y + 50], line=line, block=c))
                x += w + 22
            line += 1
        y += 70
    for text in tail:
        x = 400
        for token in text.split():
            w = 26 * len(token)
            words.append(Word(text=token, conf=92.0, box=[x, y, x + w, y + 50], line=line, block=5))
            x += w + 22
        line += 1
        y += 70
    y = 2400
    for text in signer:
        x = 1500
        for token in text.split():
            w = 26 * len(token)
            words.append(Word(text=token, conf=92.0, box=[x, y, x + w, y + 50], line=line, block=9))
            x += w + 22
        line += 1
        y += 70 if text != signer[-2] else 300
    return Page(
        number=1,
        source=PageSource(file="made.pdf", page=1),
        sha256="0" * 64,
        width=2480,
        height=3508,
        dpi=300,
        rotation=0,
        skew_deg=0.0,
        text="\n".join([*(f"{a} {b}" for a, b in rows), *tail, *signer]),
        confidence=92.0,
        words=words,
    )


DECISION_ROWS = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("THÀNH PHỐ ĐÀ LẠT", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 152/QĐ-UBND", "Đà Lạt, ngày 12 tháng 3 năm 2025"),
]
DECISION_TAIL = ["QUYẾT ĐỊNH", "Về việc giao đất cho hộ gia đình", "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT", "Căn cứ Luật"]
SIGNER = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def test_decision_fields_by_layout() -> None:
    fields = extract_official(SPEC, [_two_column(DECISION_ROWS, DECISION_TAIL, SIGNER)])
    assert {k: f.value for k, f in fields.items()} == {
        "document_number": "152/QĐ-UBND",
        "issue_date": "2025-03-12",
        "issuer": "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT",
        "subject": "Về việc giao đất cho hộ gia đình",
        "signer_title": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn An",
    }
    assert fields["document_number"].confidence >= 0.85  # printed whole, symbol names the kind


def test_number_written_apart_or_naming_another_kind_is_less_sure() -> None:
    apart = [*DECISION_ROWS[:2], ("Số: 152 /QĐ-UBND", DECISION_ROWS[2][1])]
    other_kind = [*DECISION_ROWS[:2], ("Số: 152/TB-UBND", DECISION_ROWS[2][1])]
    sure = extract_official(SPEC, [_two_column(DECISION_ROWS, DECISION_TAIL, SIGNER)])["document_number"]
    by_hand = extract_official(SPEC, [_two_column(apart, DECISION_TAIL, SIGNER)])["document_number"]
    wrong_kind = extract_official(SPEC, [_two_column(other_kind, DECISION_TAIL, SIGNER)])["document_number"]
    assert by_hand.value == "152/QĐ-UBND" and by_hand.confidence < 0.85 <= sure.confidence
    assert wrong_kind.value == "152/TB-UBND" and wrong_kind.confidence < 0.85


def test_blank_number_of_an_e_signed_paper_is_not_invented() -> None:
    rows = [*DECISION_ROWS[:2], ("Số: /QĐ-UBND", "Hà Nội, ngày tháng năm 2026")]
    fields = extract_official(SPEC, [_two_column(rows, DECISION_TAIL, SIGNER)])
    assert "document_number" not in fields and "issue_date" not in fields
    assert fields["issuer"].value == "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT"


def test_letter_subject_is_the_v_v_under_its_number() -> None:
    rows = [
        ("VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Số: 3722/VPCP-CN", "Độc lập - Tự do - Hạnh phúc"),
        ("V/v cơ chế đặc thù xây dựng", "Hà Nội, ngày 28 tháng 4 năm 2026"),
        ("công trình khẩn cấp", "ĐẾN Giờ Ngày"),
    ]
    fields = extract_official(SPEC, [_two_column(rows, ["Kính gửi: Các Bộ"], SIGNER)])
    assert fields["subject"].value == "V/v cơ chế đặc thù xây dựng công trình khẩn cấp"
    assert fields["document_number"].value == "3722/VPCP-CN"
    assert fields["issue_date"].value == "2026-04-28"


def test_generated_official_documents_are_typed_and_read(model: TextClassifier) -> None:
    """Text pages of the generator's three layouts, as their printed lines: the type and the number."""
    import synth

    for variant in range(synth.VARIANTS["official_document"]):
        _doc, pages = synth.make_document(
            "official_document", seed=40 + variant, dpi=40, defects="none", variant=variant
        )
        page = page_from_lines(1, list(pages[0].lines))
        [found] = build_documents([page], model, CATALOG)
        assert found.type == "official_document", variant


# --- a page with no text -------------------------------------------------------------------------------------


def _photo_page(words: list[Word]) -> Page:
    return Page(
        number=1,
        source=PageSource(file="photo.jpg", page=1),
        sha256="1" * 64,
        width=2480,
        height=3508,
        dpi=300,
        rotation=0,
        skew_deg=0.0,
        text=" ".join(w.text for w in words),
        confidence=20.0,
        words=words,
    )


def test_a_page_with_no_text_is_other_for_review_with_a_problem(model: TextClassifier) -> None:
    """GIVEN a photo OCR finds only specks in WHEN documents are built THEN it is `other`, marked for review,
    and the record's problems name the page."""
    specks = [
        Word(text="—", conf=30.0, box=[400, 900, 600, 930]),
        Word(text="ii", conf=12.0, box=[800, 1200, 830, 1250]),
    ]
    page = _photo_page(specks)
    assert has_no_text(page)
    [doc] = build_documents([page], model, CATALOG)
    assert (doc.type, doc.needs_review, doc.fields) == ("other", True, {})
    [problem] = no_text_problems([page])
    assert (problem.error, problem.page, problem.file) == ("NoText", 1, "photo.jpg")
    assert "quét lại" in problem.message


def test_a_page_with_text_has_no_no_text_problem() -> None:
    page = page_from_lines(1, ["GIẤY KHAI SINH", "Họ, chữ đệm, tên: LÊ NHẬT DUY"])
    assert not has_no_text(page) and no_text_problems([page]) == []


def test_a_generated_photo_page_has_no_text(
    pipeline_settings: PipelineSettings, engine: OcrEngine, model: TextClassifier
) -> None:
    """A generated photo (the portrait drawn on cards) alone on a page, through the page stage."""
    import numpy as np

    from synth.canvas import Canvas
    from synth.fonts import FONTS, family

    cv = Canvas(dpi=150, fam=family(sorted(FONTS)[0]), rng=__import__("random").Random(3))
    cv.photo(30, 40, 150, 200)
    pixels = np.asarray(cv.finish().convert("RGB"))
    image = raster.PageImage(pixels=pixels, dpi=150, dpi_stated=True)
    result = process_page(image, pipeline_settings, engine)
    page = page_record(PageTask("P", 1, "photo.png", "2" * 64, "png", 1), image, result, "unused")
    assert not page.blank
    [doc] = build_documents([page], model, CATALOG)
    assert doc.type == "other" and doc.needs_review
    assert [p.error for p in no_text_problems([page])] == ["NoText"]
