"""Fields on papers laid out by others (issue 11's classes of misses), each on a page made for the case.

The pages are built word by word with their boxes, as Tesseract gives them (a cell of a table or a
label/value pair set apart on its line is its own block), so no OCR runs and each case is exactly the one
named. The extractor is the shipped one: the learned cue scorer over the label reader."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.documents import cross_check
from pipeline.extract.resolve import extract_fields, load_model
from schemas.doctypes import load_catalog
from schemas.record import Document, Field, Page, PageSource, Word

CHAR = 22  # px per character at 300 dpi, 11 pt
LINE = 60  # px between lines


def page(rows: Sequence[Sequence[tuple[int, str]]], number: int = 1) -> Page:
    """A page from rows of cells: (x in px, text); each cell its own block, its words on one line."""
    words: list[Word] = []
    block = 0
    for r, cells in enumerate(rows):
        y = 300 + r * LINE
        for x, text in cells:
            cursor = x
            for token in text.split():
                w = CHAR * len(token)
                words.append(Word(text=token, conf=93.0, box=[cursor, y, cursor + w, y + 40], line=r, block=block))
                cursor += w + CHAR
            block += 1
    text = "\n".join(" ".join(t for _x, t in cells) for cells in rows)
    return Page(number=number, source=PageSource(file="made.pdf", page=number), sha256="0" * 64, width=2480,
                height=3508, dpi=300, rotation=0, skew_deg=0.0, text=text, words=words)  # fmt: skip


def fields(doc_type: str, rows: Sequence[Sequence[tuple[int, str]]]) -> dict[str, Field]:
    return extract_fields(load_catalog().get(doc_type), [page(rows)])


HEAD = [
    [(200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
    [(600, "Độc lập - Tự do - Hạnh phúc")],
]


def test_the_shipped_model_is_loaded() -> None:
    model = load_model()
    assert model is not None and model.trees, "pipeline/models/fields.json: run bench/fields.py --fit"


def test_applicant_named_by_role_in_a_numbered_item() -> None:
    got = fields(
        "application_form",
        [*HEAD, [(500, "TỜ KHAI ĐĂNG KÝ KHAI SINH")], [(200, "Kính gửi: Ủy ban nhân dân phường Kim Liên")],
         [(200, "1. Họ, chữ đệm, tên người nộp hồ sơ: NGUYỄN VĂN AN")],
         [(200, "2. Số định danh cá nhân: 001085012345")],
         [(200, "3. Nơi cư trú: 12 Kim Mã, phường Kim Liên, Hà Nội")],
         [(1300, "Hà Nội, ngày 05 tháng 03 năm 2025")]],
    )  # fmt: skip
    assert got["applicant_name"].value == "NGUYỄN VĂN AN"
    assert got["applicant_id_number"].value == "001085012345"


def test_applicant_who_says_toi_ten_la() -> None:
    got = fields(
        "application_form",
        [*HEAD, [(500, "ĐƠN ĐỀ NGHỊ")], [(200, "Kính gửi: Ủy ban nhân dân xã Tân Phú")],
         [(200, "Tôi tên là: TRẦN THỊ MAI"), (1500, "Sinh ngày: 12/04/1990")],
         [(200, "Số CCCD: 079190004567"), (1500, "Điện thoại: 0912 345 678")],
         [(1300, "Tân Phú, ngày 02 tháng 06 năm 2025")]],
    )  # fmt: skip
    assert got["applicant_name"].value == "TRẦN THỊ MAI"
    assert got["applicant_id_number"].value == "079190004567"
    assert got["phone"].value == "0912345678"


def test_two_labelled_values_on_one_printed_line_are_both_read() -> None:
    got = fields(
        "land_use_certificate",
        [[(300, "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT")], [(200, "1. Thửa đất:")],
         [(200, "Thửa đất số: 123    Tờ bản đồ số: 45    Diện tích: 150,5 m²")],
         [(200, "Mục đích sử dụng: Đất ở tại nông thôn")]],
    )  # fmt: skip
    assert got["parcel_number"].value == "123"
    assert got["map_sheet_number"].value == "45"
    assert got["area_m2"].value == "150.5"


def test_marriage_table_gives_each_spouse_their_own_column() -> None:
    got = fields(
        "marriage_certificate",
        [*HEAD, [(600, "GIẤY CHỨNG NHẬN KẾT HÔN")],
         [(1100, "Bên nữ"), (1800, "Bên nam")],
         [(200, "Họ, chữ đệm, tên"), (1100, "TRẦN THỊ HOA"), (1800, "LÊ VĂN NAM")],
         [(200, "Ngày, tháng, năm sinh"), (1100, "02/01/1991"), (1800, "17/12/1989")],
         [(200, "Dân tộc"), (1100, "Kinh"), (1800, "Kinh")],
         [(200, "Số: 229/2006")]],
    )  # fmt: skip
    assert got["wife_name"].value == "TRẦN THỊ HOA"
    assert got["husband_name"].value == "LÊ VĂN NAM"
    assert got["wife_date_of_birth"].value == "1991-01-02"
    assert got["husband_date_of_birth"].value == "1989-12-17"
    assert got["registration_number"].value == "229/2006"  # whole, slash and year kept


def test_values_are_kept_as_printed() -> None:
    land = fields(
        "land_use_certificate",
        [[(300, "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT")], [(200, "Số phát hành: CS 823149")]],
    )  # fmt: skip
    assert land["serial_number"].value == "CS 823149"
    diploma = fields(
        "diploma",
        [[(500, "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG")], [(200, "Họ và tên: PHẠM MINH ĐỨC")],
         [(200, "Trường: Trường THPT Nguyễn Du")], [(200, "Năm tốt nghiệp: 2019")]],
    )  # fmt: skip
    assert diploma["school"].value == "Trường THPT Nguyễn Du"


def test_mother_and_father_in_their_own_blocks_are_not_merged() -> None:
    got = fields(
        "birth_certificate",
        [*HEAD, [(700, "GIẤY KHAI SINH")], [(200, "Họ, chữ đệm, tên: LÊ ANH QUÂN")],
         [(200, "Ngày, tháng, năm sinh: 28/03/2004"), (1500, "Giới tính: Nam")],
         [(200, "Họ, chữ đệm, tên người mẹ: NGUYỄN THỊ LAN")],
         [(200, "Họ, chữ đệm, tên người cha: LÊ VĂN BÌNH")]],
    )  # fmt: skip
    assert got["full_name"].value == "LÊ ANH QUÂN"
    assert got["mother_name"].value == "NGUYỄN THỊ LAN"
    assert got["father_name"].value == "LÊ VĂN BÌNH"


def _doc(doc_type: str, **values: tuple[str, float]) -> Document:
    fields = {k: Field(value=v, confidence=c, page=1) for k, (v, c) in values.items()}
    return Document(type=doc_type, type_confidence=0.99, pages=[1], fields=fields)


def test_the_card_anchors_the_person_and_a_near_reading_is_offered_its_spelling() -> None:
    catalog = load_catalog()
    card = _doc("cccd", id_number=("001085012345", 0.97), full_name=("NGUYỄN VĂN AN", 0.95))
    form = _doc("application_form", applicant_name=("NGUYÊN VĂN AN", 0.9), applicant_id_number=("001085012845", 0.9))
    same = _doc("application_form", applicant_name=("NGUYỄN VĂN AN", 0.8), applicant_id_number=("001085012345", 0.8))
    checked_card, checked_form, checked_same = cross_check([card, form, same], catalog)
    assert checked_card.fields == card.fields  # the card's own reading stands
    name, number = checked_form.fields["applicant_name"], checked_form.fields["applicant_id_number"]
    assert checked_form.needs_review
    assert (name.suggestion, number.suggestion) == ("NGUYỄN VĂN AN", "001085012345")
    assert name.confidence < 0.9 and number.confidence < 0.9
    # the reading that agrees with the card gains confidence
    assert checked_same.fields["applicant_name"].confidence >= 0.97
    assert checked_same.fields["applicant_name"].suggestion is None
