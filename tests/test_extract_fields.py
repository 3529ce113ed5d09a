"""Fields read from real OCR output (tests/resources/ocr): the layouts and OCR slips that once lost a field."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.extract.resolve import extract_fields
from schemas.doctypes import load_catalog
from schemas.record import Field, Page

OCR = Path(__file__).with_name("resources") / "ocr"


def ocr_page(name: str) -> Page:
    return Page.model_validate(json.loads((OCR / f"{name}.json").read_text(encoding="utf-8")))


def fields_of(doc_type: str, *names: str) -> dict[str, Field]:
    return extract_fields(load_catalog().get(doc_type), [ocr_page(n) for n in names])


def test_stacked_marriage_certificate_gives_the_husband_his_own_birth_date() -> None:
    """GIVEN wife and husband printed one after the other across the page (no columns)
    WHEN the fields are read
    THEN each date of birth is the one under that person's name."""
    fields = fields_of("marriage_certificate", "marriage-stacked-wife-then-husband")
    assert fields["wife_name"].value == "CAO ÁNH TRINH"
    assert fields["wife_date_of_birth"].value == "1978-04-11"
    assert fields["husband_name"].value == "NGUYỄN BẢO ĐẠT"
    assert fields["husband_date_of_birth"].value == "1973-11-09"


def test_land_serial_printed_alone_is_found_and_left_for_review() -> None:
    """GIVEN a land-use certificate's first page with the serial on a line of its own, no label
    THEN the serial is read, but not trusted without a reviewer (no label vouches for it);
    and the register number "BX 02885" after its label is not taken for it."""
    fields = fields_of("land_use_certificate", "land-first-page-serial-without-label")
    serial = fields["serial_number"]
    assert serial.value == "BX 345534"  # as printed, its space kept
    review_below = next(
        f.review_below for f in load_catalog().get("land_use_certificate").fields if f.key == "serial_number"
    )
    assert serial.confidence < review_below


def test_temporary_graduation_certificate_number_and_classification() -> None:
    """GIVEN a temporary graduation certificate: "Số: 77/GCNTN-QH" at the top, "Xếp loại: Trung bình"
    THEN the number is its serial, and "Trung bình" is not mistaken for the label "Trường"."""
    fields = fields_of("diploma", "temporary-graduation-certificate")
    assert fields["serial_number"].value == "77/GCNTN-QH"
    assert fields["classification"].value == "Trung bình"
    assert fields["school"].value == "THPT Quốc Học"


def test_card_photocopied_sideways_is_read_along_its_lines() -> None:
    """GIVEN a card photocopy turned a quarter on the page, its lines read by Tesseract as vertical text
    THEN each line's words are taken in reading order (down the page), not left to right, and the value
    printed under its label (the name, the address) is found on the next line over."""
    fields = fields_of("cccd", "card-photocopied-sideways")
    assert fields["full_name"].value == "VÕ ANH VINH"
    assert fields["place_of_residence"].value == "243 Xuân Thủy, Thanh Xuân, Hà Nội"
    assert fields["id_number"].value == "031067145388"
    assert fields["sex"].value == "Nam"


def test_sex_found_by_the_english_label_after_the_slash_when_noise_precedes_the_line() -> None:
    """GIVEN "3E%S7NSEUHD Giới tính / Sex: Nam": dust read as a word before the Vietnamese label
    THEN the English half of the label ("/ Sex") still anchors the value."""
    assert fields_of("cccd", "card-sex-label-after-noise")["sex"].value == "Nam"


def test_speck_after_an_address_is_no_part_of_it() -> None:
    value = fields_of("cccd", "card-address-with-trailing-speck")["place_of_residence"].value
    assert value == "32 Phan Đình Phùng, Hương An, Thừa Thiên Huế"


def test_garbled_english_half_of_a_label_is_not_taken_for_the_value() -> None:
    """GIVEN a card line "Nơi cư trú / Pl\\ecr of r>sád»ncz" (the English half garbled), the address below it
    THEN the address is the line below, not the garbled words."""
    fields = fields_of("cccd", "card-english-label-garbled")
    assert fields["place_of_residence"].value == "Thôn 8, Thọ Xuân, Thanh Hóa"


def test_a_stray_mark_after_a_label_is_no_value() -> None:
    from pipeline.extract import values as V

    assert V.parse_text(" ‹ ") is None
    assert V.parse_text("D") is None
    assert V.parse_text("Xóm 6") is not None


def test_table_row_under_the_address_is_neither_its_value_nor_its_wrap() -> None:
    """GIVEN an application form printed as a table, labels in the left column: "Địa chỉ liên hệ" then the row
    "Di động | 0352 929 487" under it (family c, a layout the field scorer's first families never printed)
    THEN the address is the cell beside its label, not the next row's label read under it, nor carried on into
    the phone; and the phone is found beside "Di động"."""
    fields = fields_of("application_form", "form-table-phone-row-under-the-address")
    assert fields["applicant_address"].value == "Thôn 2, xã Nghi Lộc, tỉnh Nghệ An"
    assert fields["phone"].value == "0352929487"


def test_a_label_that_runs_on_to_its_colon_is_no_part_of_the_value() -> None:
    """GIVEN "4. Địa chỉ nhận kết quả: 38 Bà Triệu, …" where the catalogue knows the label "Địa chỉ" only
    THEN the rest of the printed label ("nhận kết quả:") is skipped up to its colon, not read as the address."""
    fields = fields_of("application_form", "form-label-runs-on-to-its-colon")
    assert fields["applicant_address"].value == "38 Bà Triệu, phường Kim Long, thành phố Huế"


def test_a_line_read_across_two_close_columns_is_cut_at_the_column_edge() -> None:
    """GIVEN a birth certificate printing the father and the mother side by side, where Tesseract read the two
    addresses as one line ("Thôn 2, xã Nghi Lộc, tỉnh Thôn 2, xã Nghi Lộc, tỉnh"), the gap narrower than the
    page-wide limit
    THEN the line is cut where the right column's lines start, and no address runs into the other column's."""
    from pipeline.extract.fields import segments

    page = ocr_page("birth-parents-in-columns-read-as-one-line")
    texts = [s.text for s in segments([page])]
    assert texts.count("Thôn 2, xã Nghi Lộc, tỉnh") == 2, texts
    fields = fields_of("birth_certificate", "birth-parents-in-columns-read-as-one-line")
    assert fields["father_address"].value == "Thôn 2, xã Nghi Lộc, tỉnh Nghệ An"
    assert all(f.value == "Thôn 2, xã Nghi Lộc, tỉnh Nghệ An" for k, f in fields.items() if k.endswith("address"))
    # running text is never cut: a paragraph's lines keep their words together
    assert any(t.startswith("Đã đăng ký khai sinh tại") and t.endswith("số đăng ký 66,") for t in texts), texts
