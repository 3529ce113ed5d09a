"""Corrections laid over the machine's record (pipeline/corrections.py), on hand-made pages: no OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import corrections as C
from schemas.record import Document, Field, Page, PageSource, Word
from workers.stores.records import Records
from workers.usecases.dossier import finish_dossier


def _page(number: int, lines: list[str]) -> Page:
    words = []
    for li, line in enumerate(lines):
        for wi, text in enumerate(line.split()):
            x = 50 + 120 * wi
            words.append(Word(text=text, conf=90.0, box=[x, 60 + 40 * li, x + 100, 90 + 40 * li], line=li, block=0))
    return Page(
        number=number, source=PageSource(file="a.pdf", page=number), sha256="0" * 64, width=1000, height=1400,
        dpi=150, rotation=0, skew_deg=0.0, text="\n".join(lines), words=words,
    )  # fmt: skip


def _row(i: int, target: str, *, key: str | None = None, new: str | None = None, old: str | None = None,
         pages: list[int] | None = None, document: int | None = None) -> C.Correction:  # fmt: skip
    return C.Correction(i, "HS-1", target, document, key, old, new, pages, "reviewer", 1.0e9 + i)


def test_spread_puts_a_retyped_line_on_its_words() -> None:
    assert C.spread("A B C", 3) == ["A", "B", "C"]
    assert C.spread("A B", 3) == ["A", "B", ""]  # a word fewer: the last box is emptied
    assert C.spread("A B C D", 3) == ["A", "B", "C D"]  # a word more: it joins the last box
    assert C.spread("", 2) == ["", ""]


def test_text_is_rebuilt_from_words_line_by_line() -> None:
    page = _page(1, ["CỘNG HÒA XÃ HỘI", "Độc lập"])
    fixed = C.apply_text([page], [_row(1, C.WORD, key="1:1", new="HOÀ")])[0]
    assert fixed.text == "CỘNG HOÀ XÃ HỘI\nĐộc lập"
    assert fixed.words[1].text == "HOÀ" and fixed.words[1].conf == 100.0
    line = C.apply_text([page], [_row(1, C.LINE, key="1:1", new="Độc lập - Tự do")])[0]
    assert line.text == "CỘNG HÒA XÃ HỘI\nĐộc lập - Tự do"
    gone = C.apply_text([page], [_row(1, C.LINE, key="1:0", new="CỘNG HÒA")])[0]
    assert [w.text for w in gone.words] == ["CỘNG", "HÒA", "Độc", "lập"]  # emptied boxes are dropped


def test_later_corrections_of_the_same_word_win() -> None:
    page = _page(1, ["Nguyen Van An"])
    rows = [_row(1, C.WORD, key="1:0", new="Nguyễn"), _row(2, C.WORD, key="1:0", new="NGUYỄN")]
    assert C.apply_text([page], rows)[0].words[0].text == "NGUYỄN"


def _docs() -> list[Document]:
    return [
        Document(type="application_form", type_confidence=0.9, pages=[1, 2, 3],
                 fields={"phone": Field(value="0912345678", confidence=0.6, page=1, box=[1, 2, 3, 4])}),
        Document(type="cccd", type_confidence=0.8, pages=[4]),
    ]  # fmt: skip


def _pages() -> list[Page]:
    return [_page(n, [f"trang {n}"]) for n in (1, 2, 3, 4)]


def test_documents_are_found_by_page_not_index() -> None:
    catalog = C.load_catalog()
    rows = [
        _row(1, C.SPLIT, key="3", pages=[1, 2, 3], document=0),
        # after the split the ID card is document 2; the correction names it by its page
        _row(2, C.DOCUMENT_TYPE, new="birth_certificate", old="cccd", pages=[4], document=1),
        _row(3, C.FIELD, key="phone", new="0987654321", pages=[1, 2, 3], document=0),
    ]
    docs = C.apply_documents(_docs(), _pages(), rows, catalog)
    assert [d.pages for d in docs] == [[1, 2], [3], [4]]
    assert docs[2].type == "birth_certificate" and docs[2].type_confidence == 1.0
    assert docs[0].fields["phone"].value == "0987654321" and docs[0].fields["phone"].confidence == 1.0


def test_merge_joins_a_document_to_the_one_before() -> None:
    catalog = C.load_catalog()
    docs = C.apply_documents(_docs(), _pages(), [_row(1, C.MERGE, key="4")], catalog)
    assert [d.pages for d in docs] == [[1, 2, 3, 4]] and docs[0].type == "application_form"
    # merging the first document, or at a page that starts nothing, changes nothing
    same = C.apply_documents(_docs(), _pages(), [_row(1, C.MERGE, key="1"), _row(2, C.MERGE, key="2")], catalog)
    assert [d.pages for d in same] == [[1, 2, 3], [4]]


def test_a_field_of_another_type_is_not_laid_over() -> None:
    catalog = C.load_catalog()
    rows = [_row(1, C.FIELD, key="phone", new="0900000000", pages=[4], document=1)]  # an ID card has no phone
    docs = C.apply_documents(_docs(), _pages(), rows, catalog)
    assert "phone" not in docs[1].fields


def test_empty_value_removes_a_field_and_review_mark_follows() -> None:
    catalog = C.load_catalog()
    docs = C.apply_documents(_docs(), _pages(), [_row(1, C.FIELD, key="phone", new="", pages=[1])], catalog)
    assert "phone" not in docs[0].fields
    assert docs[0].needs_review  # required fields are missing


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("date", "05/03/2025", "2025-03-05"),
        ("date", "2025-03-05", "2025-03-05"),
        ("date", "ngày 5 tháng 3 năm 2025", "2025-03-05"),
        ("id_number", "046 190 012 345", "046190012345"),
        ("phone", "0912.345.678", "0912345678"),
        ("name", "nguyễn  văn an", "NGUYỄN VĂN AN"),
        ("area", "1.250,5", "1250.5"),
        ("text", "  Huế   ", "Huế"),
        ("date", "", ""),
    ],
)
def test_values_typed_by_reviewers_take_the_record_form(kind: str, typed: str, stored: str) -> None:
    assert C.normalise_value(kind, typed) == stored


@pytest.mark.parametrize(
    ("kind", "typed"), [("date", "31/02/2025"), ("date", "hôm qua"), ("phone", "abc"), ("year", "20")]
)
def test_values_that_are_not_of_their_kind_are_refused(kind: str, typed: str) -> None:
    with pytest.raises(ValueError):
        C.normalise_value(kind, typed)


def test_records_apply_corrections_on_read_and_keep_them_over_reprocessing(tmp_path: Path) -> None:
    """GIVEN a stored dossier with a corrected word and field WHEN the dossier stage runs again THEN both stay."""
    records = Records(f"sqlite:///{tmp_path / 'hoso.db'}")
    records.create_dossier("HS-1")
    records.add_file("HS-1", 1, "a.pdf", sha256="0" * 64, kind="pdf", page_count=1)
    records.add_pages("HS-1", 1, 1, 1)
    page = _page(1, ["ĐƠN ĐỀ NGHỊ", "Họ và tên người đề nghị: NGUYEN VAN AN", "Số điện thoại: 0912345678"])
    records.finish_page("HS-1", 1, page)
    first = finish_dossier(records, "HS-1")
    assert first.documents[0].type == "application_form"
    name_word = next(i for i, w in enumerate(page.words) if w.text == "NGUYEN")
    records.record_correction("HS-1", target=C.WORD, who="rv", old="NGUYEN", new="NGUYỄN", key=f"1:{name_word}")
    records.record_correction("HS-1", target=C.FIELD, who="rv", old="0912345678", new="0987654321",
                              document=0, key="phone", pages=[1])  # fmt: skip
    again = finish_dossier(records, "HS-1")
    assert "NGUYỄN VAN AN" in again.pages[0].text
    assert again.documents[0].fields["applicant_name"].value == "NGUYỄN VAN AN"  # read from the corrected word
    assert again.documents[0].fields["phone"].value == "0987654321"
    raw = records.dossier("HS-1", corrected=False)
    assert raw.documents[0].fields["phone"].value == "0912345678" and "NGUYEN" in raw.pages[0].text
    records.close()
