"""Values as printed become the record's normal forms; checks catch inconsistent ones."""

from __future__ import annotations

import pytest

from pipeline.extract import values as V
from pipeline.extract.validate import check_cccd, check_order


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("12/05/2015", "2015-05-12"),
        ("1/5/2015", "2015-05-01"),
        ("12-05-2015", "2015-05-12"),
        ("ngày 12 tháng 05 năm 2015", "2015-05-12"),
        ("Huế, ngày 18 tháng 6 năm 2025", "2025-06-18"),
        ("ngay 18 thang 06 nam 2025", "2025-06-18"),  # OCR lost the diacritics
        ("04/07/2025 ghi bằng chữ: Ngày mồng bốn", "2025-07-04"),
    ],
)
def test_dates_become_iso(printed: str, iso: str) -> None:
    parsed = V.parse_date(printed)
    assert parsed is not None and parsed.value == iso


def test_impossible_date_is_not_a_date() -> None:
    assert V.parse_date("31/02/2015") is None


@pytest.mark.parametrize(
    ("printed", "value"),
    [("150,5 m²", "150.5"), ("1.250,5 m2", "1250.5"), ("Diện tích: 98 m²", "98"), ("2.000 m²", "2000")],
)
def test_areas_use_a_decimal_point(printed: str, value: str) -> None:
    parsed = V.parse_area(printed)
    assert parsed is not None and parsed.value == value


def test_id_and_phone_numbers_are_digits_only() -> None:
    assert V.parse_digits("CCCD số 046 096 299 047 cấp ngày", length=12).value == "046096299047"  # type: ignore[union-attr]
    assert V.parse_phone("Điện thoại: 0912.345.678").value == "0912345678"  # type: ignore[union-attr]
    assert V.parse_phone("+84 912 345 678").value == "0912345678"  # type: ignore[union-attr]


def test_names_are_capitals_nfc_without_trailing_noise() -> None:
    decomposed = "NGUYÊ\u0303N VĂN AN ............"
    parsed = V.parse_name(decomposed)
    assert parsed is not None and parsed.value == "NGUYỄN VĂN AN"
    assert V.parse_name("LÊ NHẬT DUY ghi chú").value == "LÊ NHẬT DUY"  # type: ignore[union-attr]


def test_serials_and_choices() -> None:
    assert V.parse_serial("Số phát hành: CS 123456").value == "CS 123456"  # type: ignore[union-attr]
    assert V.parse_serial("Số phát hành: CS123456").value == "CS123456"  # type: ignore[union-attr]


def test_values_are_kept_as_printed_where_the_contract_says_so() -> None:
    # a serial keeps its space, a registration number its slash and year
    assert V.parse_serial("Số seri: CS  823149").value == "CS 823149"  # type: ignore[union-attr]
    assert V.parse_reg_number("Số: 229/2006").value == "229/2006"  # type: ignore[union-attr]
    assert V.parse_reg_number("Số đăng ký: 15 / 2019 / QĐ").value == "15/2019/QĐ"  # type: ignore[union-attr]
    assert V.parse_reg_number("Số: 123   Quyển số: 01/2019").value == "123"  # type: ignore[union-attr]
    assert V.parse_choice("Xếp loại: Giỏi", ["Xuất sắc", "Giỏi", "Khá", "Trung bình"]).value == "Giỏi"  # type: ignore[union-attr]
    assert V.parse_sex("Giới tính / Sex: Nữ").value == "Nữ"  # type: ignore[union-attr]


def test_sex_is_not_read_from_the_nationality_beside_it() -> None:
    # a card's line with its sex label garbled: "Việt Nam" is the nationality, not the sex
    assert V.parse_sex("Glớitnh Quốc tịch / Nationality: Việt Nam") is None
    assert V.parse_sex("Nữ Quốc tịch / Nationality: Việt Nam").value == "Nữ"  # type: ignore[union-attr]


def test_cccd_number_agrees_with_sex_and_birth() -> None:
    # 046 (Huế), 1 = female born in the 1900s, 93 = birth year
    assert check_cccd("046193465506", sex="Nữ", date_of_birth="1993-03-15") == []
    assert "sex digit disagrees with the sex" in check_cccd("046093465506", sex="Nữ", date_of_birth="1993-03-15")
    assert check_cccd("046193465506", sex="Nữ", date_of_birth="2003-03-15")  # century and year disagree
    assert check_cccd("999193465506") == ["unknown province code 999"]
    assert check_cccd("04619346550") == ["not 12 digits"]


def test_birth_must_precede_registration() -> None:
    assert check_order("2025-07-04", "2025-07-11") == []
    assert check_order("2025-07-12", "2025-07-11") == ["birth after registration"]


def test_sex_checkboxes_as_tesseract_reads_them() -> None:
    # the ticked box read as "X"/"XÌ" (glued or not), the empty one as "L]": the ticked one is the value
    assert V.parse_sex("Giới tính: XÌNam L]Nữ").value == "Nam"  # type: ignore[union-attr]
    assert V.parse_sex("Giới tính:L]Nam XINữ").value == "Nữ"  # type: ignore[union-attr]
    assert V.parse_sex("☐ Nam ☒ Nữ").value == "Nữ"  # type: ignore[union-attr]
    # both printed and the tick lost: a value, but one a reviewer must confirm
    unsure = V.parse_sex("Giới tính:L]Nam Nữ")
    assert unsure is not None and unsure.quality <= 0.3


def test_ticks_written_after_the_option_and_glued_boxes_choose_it() -> None:
    """GIVEN options printed on one line with the chosen one marked as a clerk marks a typed form ("Khá(x)"),
    or the ticked box read glued to the word ("EXlNam"), as Tesseract read family c's pages
    THEN that option is the value, and the "(x)" after one option is not read as the box of the next."""
    grades = ["Xuất sắc", "Giỏi", "Khá", "Trung bình"]
    chosen = V.parse_choice("Xếp loại tốt nghiệp: Xuấtsắc Giỏi Khá(x) Trung bình", grades)
    assert chosen is not None and chosen.value == "Khá" and chosen.quality >= 0.9
    assert V.parse_choice("Giỏi (x)   Khá   Trung bình", grades).value == "Giỏi"  # type: ignore[union-attr]
    # several options and no tick read: the longest, for a reviewer
    unsure = V.parse_choice("Xuất sắc   Giỏi   Khá   Trung bình", grades)
    assert unsure is not None and unsure.quality <= 0.3
    assert V.parse_sex("Nam     Nữ (x)").value == "Nữ"  # type: ignore[union-attr]
    assert V.parse_sex("3. Giới tính:EXlNam L]Nữ").value == "Nam"  # type: ignore[union-attr]


def test_the_year_word_is_no_sex() -> None:
    """GIVEN a date in words: "năm" (year) folds to "nam" without its marks
    THEN it is not read as the sex "Nam"; the one sex word beside an empty box is doubtful."""
    assert V.parse_sex("Bệnh viện An Giang, ngày 10 tháng 3 năm 1998") is None
    assert V.parse_sex("Giới tính: Nam").value == "Nam"  # type: ignore[union-attr]
    lone = V.parse_sex("L]Nữ")
    assert lone is not None and lone.quality <= 0.3
