"""Documents from page text: titles, splitting, fields by label (OCR slips included), review marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.classify import TextClassifier
from pipeline.documents import build_documents
from schemas.doctypes import load_catalog
from schemas.record import Page, PageSource, Word


def page_from_lines(number: int, lines: list[str], *, conf: float = 93.0, columns: int = 1) -> Page:
    """A page as OCR would give it: words with boxes on a 2480 x 3508 page, one line per text line.

    With columns=2, each line is "left || right" and the right part is placed in the right half.
    """
    words: list[Word] = []
    line_no = 0
    for i, line in enumerate(lines):
        parts = line.split(" || ") if columns == 2 else [line]
        for c, part in enumerate(parts):
            x = 250 + c * 1200
            for token in part.split():
                w = 24 * len(token)
                words.append(
                    Word(text=token, conf=conf, box=[x, 200 + 70 * i, x + w, 250 + 70 * i], line=line_no, block=c)
                )
                x += w + 20
            line_no += 1
    text = "\n".join(lines)
    return Page(
        number=number,
        source=PageSource(file="t.pdf", page=number),
        sha256="0" * 64,
        width=2480,
        height=3508,
        dpi=300,
        rotation=0,
        skew_deg=0.0,
        text=text,
        confidence=conf,
        words=words,
    )


MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

BIRTH = [
    "ỦY BAN NHÂN DÂN",
    "PHƯỜNG KIM LONG",
    *MOTTO,
    "Số: 201",
    "Quyển số: 03/2025",
    "GIẤY KHAI SINH",
    "Họ, chữ đệm, tên: LÊ NHẬT DUY",
    "Ngày, tháng, năm sinh: 04/07/2025 ghi bằng chữ: Ngày mồng bốn, tháng bảy, năm hai nghìn không trăm hai mươi lăm",
    "Giới tính: Nam Dân tộc: Kinh Quốc tịch: Việt Nam",
    "Số định danh cá nhân: 046225856178",
    "Họ, chữ đệm, tên người mẹ: TRẦN QUỲNH VY",
    "Họ, chữ đệm, tên người cha: LÊ GIA HIẾU",
    "Nơi đăng ký khai sinh: Ủy ban nhân dân phường Kim Long, thành phố Huế",
    "Huế, ngày 11 tháng 07 năm 2025",
]

LAND_1 = [
    *MOTTO,
    "GIẤY CHỨNG NHẬN",
    "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT",
    "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất",
    "Ông: NGUYỄN VĂN AN",
    "Năm sinh: 1980 CCCD số: 046080123456",
    "Số phát hành: CS 123456",
    "Trang 1/2",
]
LAND_2 = [
    "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất",
    "1. Thửa đất:",
    "a) Thửa đất số: 125",
    "b) Tờ bản đồ số: 17",
    "c) Địa chỉ: phường Kim Long, thành phố Huế",
    "d) Diện tích: 1.250,5 m²",
    "e) Hình thức sử dụng: riêng",
    "g) Mục đích sử dụng: Đất ở tại đô thị",
    "h) Thời hạn sử dụng: lâu dài",
    "Huế, ngày 20 tháng 03 năm 2019",
    "Trang 2/2",
]


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    return TextClassifier.load()


def test_birth_certificate_is_recognised_and_filled(model: TextClassifier) -> None:
    docs = build_documents([page_from_lines(1, BIRTH)], model, load_catalog())
    assert len(docs) == 1
    doc = docs[0]
    assert doc.type == "birth_certificate" and doc.type_confidence > 0.9
    values = {k: f.value for k, f in doc.fields.items()}
    assert values == {
        "full_name": "LÊ NHẬT DUY",
        "date_of_birth": "2025-07-04",
        "sex": "Nam",
        "personal_id": "046225856178",
        "mother_name": "TRẦN QUỲNH VY",
        "father_name": "LÊ GIA HIẾU",
        "registration_number": "201",
        "registration_date": "2025-07-11",
    }
    name = doc.fields["full_name"]
    assert name.page == 1 and name.box is not None and name.box[0] > 250  # the value, not the label
    # confidences are calibrated probabilities: every value of a clean page is likely right, and the review
    # mark follows the type's thresholds exactly (fields.json refit with out-of-fold calibration, issue 11,
    # gives this page's registration date 0.87: likely right, for a reviewer below 0.97)
    assert all(f.confidence >= 0.85 for f in doc.fields.values()), doc.fields
    spec = load_catalog().get("birth_certificate")
    weak = any(doc.fields[f.key].confidence < f.review_below for f in spec.fields if f.key in doc.fields)
    assert doc.needs_review == weak


def test_labels_with_ocr_slips_still_anchor_fields(model: TextClassifier) -> None:
    damaged = [
        line.replace("Họ, chữ đệm, tên:", "H0, chữ đêm, tên:").replace("Giới tính", "Gioi tinh") for line in BIRTH
    ]
    doc = build_documents([page_from_lines(1, damaged)], model, load_catalog())[0]
    assert doc.fields["full_name"].value == "LÊ NHẬT DUY"
    assert doc.fields["sex"].value == "Nam"


def test_multi_page_land_certificate_stays_one_document_and_next_paper_splits(model: TextClassifier) -> None:
    pages = [page_from_lines(1, LAND_1), page_from_lines(2, LAND_2), page_from_lines(3, BIRTH)]
    docs = build_documents(pages, model, load_catalog())
    assert [(d.type, d.pages) for d in docs] == [("land_use_certificate", [1, 2]), ("birth_certificate", [3])]
    land = {k: f.value for k, f in docs[0].fields.items()}
    assert land["holder_name"] == "NGUYỄN VĂN AN"
    assert land["parcel_number"] == "125" and land["map_sheet_number"] == "17"
    assert land["area_m2"] == "1250.5"
    assert land["serial_number"] == "CS 123456"  # as printed, its space kept
    assert land["land_use_purpose"] == "Đất ở tại đô thị"
    assert land["issue_date"] == "2019-03-20"


def test_second_land_certificate_whose_title_ocr_broke_starts_after_the_last_numbered_page(
    model: TextClassifier,
) -> None:
    """GIVEN two land-use certificates one after the other, the second's red title and page number unread
    THEN the page after "Trang 2/2" starts the second certificate rather than continuing the first."""
    untitled = [line for line in LAND_1 if line not in ("GIẤY CHỨNG NHẬN", "Trang 1/2") and "QUYỀN SỬ DỤNG" not in line]
    second = [line.replace("125", "449").replace("17", "49") for line in LAND_2]
    pages = [
        page_from_lines(1, LAND_1),
        page_from_lines(2, LAND_2),
        page_from_lines(3, untitled),
        page_from_lines(4, second),
    ]
    docs = build_documents(pages, model, load_catalog())
    assert [(d.type, d.pages) for d in docs] == [("land_use_certificate", [1, 2]), ("land_use_certificate", [3, 4])]
    assert docs[1].fields["parcel_number"].value == "449"


def test_two_column_marriage_certificate_reads_each_column(model: TextClassifier) -> None:
    lines = [
        *MOTTO,
        "GIẤY CHỨNG NHẬN KẾT HÔN",
        "Thông tin người vợ || Thông tin người chồng",
        "Họ, chữ đệm, tên: TRẦN QUỲNH VY || Họ, chữ đệm, tên: LÊ GIA HIẾU",
        "Ngày, tháng, năm sinh: 24/05/2001 || Ngày, tháng, năm sinh: 11/09/1996",
        "Số: 100",
        "Ngày, tháng, năm đăng ký: 26/02/2023",
    ]
    page = page_from_lines(1, lines, columns=2)
    doc = build_documents([page], model, load_catalog())[0]
    values = {k: f.value for k, f in doc.fields.items()}
    assert doc.type == "marriage_certificate"
    assert values["wife_name"] == "TRẦN QUỲNH VY" and values["husband_name"] == "LÊ GIA HIẾU"
    assert values["wife_date_of_birth"] == "2001-05-24" and values["husband_date_of_birth"] == "1996-09-11"
    assert values["registration_date"] == "2023-02-26"


def test_inconsistent_cccd_number_is_marked_for_review(model: TextClassifier) -> None:
    card = [
        *MOTTO,
        "CĂN CƯỚC CÔNG DÂN",
        "Citizen Identity Card",
        "Số / No.: 046093465506",
        "Họ và tên / Full name:",
        "LÊ HOÀI LINH",
        "Ngày sinh / Date of birth: 15/03/1993",
        "Giới tính / Sex: Nữ Quốc tịch / Nationality: Việt Nam",
        "Nơi thường trú / Place of residence: 75/29 Bà Triệu, Vĩnh Ninh, Huế",
        "Có giá trị đến / Date of expiry: 15/03/2033",
    ]
    doc = build_documents([page_from_lines(1, card)], model, load_catalog())[0]
    assert doc.type == "cccd"
    assert doc.fields["full_name"].value == "LÊ HOÀI LINH"  # printed under its label
    assert doc.fields["id_number"].value == "046093465506"
    assert doc.fields["id_number"].confidence < 0.5  # digit 4 says male; the card says Nữ
    assert doc.needs_review


def test_low_ocr_confidence_marks_the_field(model: TextClassifier) -> None:
    doc = build_documents([page_from_lines(1, BIRTH, conf=55.0)], model, load_catalog())[0]
    assert doc.needs_review
    assert doc.fields["full_name"].confidence < 0.85


def test_blank_pages_and_separators_belong_to_no_document(model: TextClassifier) -> None:
    blank = page_from_lines(2, []).model_copy(update={"blank": True})
    docs = build_documents([page_from_lines(1, BIRTH), blank, page_from_lines(3, LAND_1)], model, load_catalog())
    assert [d.pages for d in docs] == [[1], [3]]


def test_train_builds_a_model_that_recognises_papers(tmp_path: Path) -> None:
    from workers.usecases.train import Example, train

    out = tmp_path / "model.json"
    stats = train([Example("\n".join(BIRTH), "birth_certificate")], docs_per_type=2, out=out)
    assert stats["corrections"] == 1
    trained = TextClassifier.load(out)
    probs = trained.predict_proba("\n".join(LAND_2))
    assert max(probs, key=lambda k: probs[k]) == "land_use_certificate"
