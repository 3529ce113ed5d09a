"""An identity card's machine-readable zone, as Tesseract read it off generated card photocopies."""

from __future__ import annotations

from pipeline.extract.mrz import check_digit, read_dates_line, read_id_line, read_mrz
from tests.test_extract_fields import fields_of


def test_check_digits_follow_icao_weights() -> None:
    assert check_digit("172393630") == "2"
    assert check_digit("040172393630") == "4"


def test_number_is_taken_when_both_copies_and_their_checks_agree() -> None:
    assert read_id_line("TDVNM1723936302040172393630<<4") == "040172393630"
    assert read_id_line("TDVNMO685866689089068586668<<2") == "089068586668"  # O for 0
    assert read_id_line("_ TDVNMô968872037040ö096887203<<9") == "040096887203"  # marks on digits


def test_garbled_twelve_digit_copy_is_put_right_by_the_nine_digit_copy() -> None:
    # "046186664973": one digit wrong, its check fails; "186604973" passes its own, and the result the last.
    assert read_id_line("TDVNM18660497306046186664973<<8") == "046186604973"


def test_a_number_no_check_confirms_is_not_given() -> None:
    assert read_id_line("TDVNM194318096070401943180960<<9") is None  # extra digits: alignment unknown
    assert read_id_line("TDVNM1723936312040172393631<<4") is None  # both copies wrong alike
    # The 12-digit copy wrong, the 9-digit copy and the final check right: put right.
    assert read_id_line("TDVNM1723936302040172393631<<4") == "040172393630"


def test_dates_line_gives_birth_sex_and_expiry_when_checks_hold() -> None:
    assert read_dates_line("8611091F2611099VNM<<<<<<<<<<<6", "046186604973") == {
        "sex": "Nữ",
        "date_of_birth": "1986-11-09",
        "expiry_date": "2026-11-09",
    }
    # A card that does not expire; nationality read as "VWNÑM".
    assert read_dates_line("6702203F<<<<<<<VWNÑM<<<<<<<<<<<0", "046167486438") == {
        "sex": "Nữ",
        "date_of_birth": "1967-02-20",
        "expiry_date": "",
    }
    # A wrong check digit: no birth date.
    assert "date_of_birth" not in read_dates_line("8611092F2611099VNM<<<<<<<<<<<6", None)


def test_name_line_is_folded_capitals() -> None:
    mrz = read_mrz(
        [(1, "TDVNM1723936302040172393630<<4"), (2, "7201127F3201129VNM<<<<<<<<<<<4"), (3, "TRUONG<<PHUONG<VY<<<<<")]
    )
    assert mrz is not None and mrz.name == "TRUONG PHUONG VY"
    assert mrz.sex is not None and mrz.sex.checked  # F agrees with the number's 4th digit (1: female, 1900s)


def test_card_whose_front_number_was_not_read_takes_it_from_the_zone() -> None:
    """GIVEN a card photocopy whose number under "Số định danh cá nhân" OCR lost, and whose name line
    has a speck between label and name
    THEN the number comes from the zone, and the name is found by the zone's spelling, for review."""
    fields = fields_of("cccd", "card-front-number-unread-zone-readable")
    assert fields["id_number"].value == "046186604973"
    assert fields["date_of_birth"].value == "1986-11-09"
    assert fields["sex"].value == "Nữ"
    assert fields["full_name"].value == "NGUYỄN HỒNG DUNG"
    assert fields["full_name"].confidence < 0.85


def test_card_without_expiry_says_so() -> None:
    fields = fields_of("cccd", "card-without-expiry")
    assert fields["expiry_date"].value == "Không thời hạn"
    assert fields["expiry_date"].confidence >= 0.9  # printed on the front, and the zone agrees
