"""Words the engine ran together (pipeline/glued.py) and their split in the OCR result (pipeline/ocr.py)."""

from __future__ import annotations

import pytest

from pipeline import glued
from pipeline.ocr import OcrWord, _split_glued


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("ngày23", ("ngày", "23")),
        ("Ngày23,", ("Ngày", "23,")),
        ("(ngày23", ("(ngày", "23")),
        ("năm2026.", ("năm", "2026.")),
        ("23tháng", ("23", "tháng")),
        ("trợ:khủng", ("trợ:", "khủng")),
        ("năm;sinh", ("năm;", "sinh")),
    ],
)
def test_a_marked_syllable_run_together_with_a_number_or_a_word_is_two_words(
    token: str, words: tuple[str, str]
) -> None:
    assert glued.split(token) == words


@pytest.mark.parametrize(
    "token",
    [
        "QĐ-UBND",  # codes: capitals, hyphens, slashes
        "2280/QĐ-TTg",
        "CS823149",
        "10/TTr-HĐND",
        "NGÀY23",  # capitals are headings or codes, not the running text this is about
        "m2",  # units and unmarked letters: no Vietnamese syllable with a mark
        "3ha",
        "nam2",
        "IDVNM0917453315<<4",
        "1.000",
        "Ông/Bà",
        "a,b",  # two unmarked syllables: English or a list
        "ngày",
        "23",
    ],
)
def test_codes_units_and_single_words_stay_as_read(token: str) -> None:
    assert glued.split(token) is None


def test_the_split_word_keeps_its_place_box_and_the_engines_token() -> None:
    words = [
        OcrWord(text="Hà", conf=96.0, box=(0, 0, 30, 20), line=0),
        OcrWord(text="Nội,", conf=96.0, box=(34, 0, 74, 20), line=0),
        OcrWord(text="ngày23", conf=71.0, box=(80, 0, 140, 20), line=0),
        OcrWord(text="tháng", conf=95.0, box=(146, 0, 200, 20), line=0),
    ]
    out, text = _split_glued(words, "Hà Nội, ngày23 tháng\n")
    assert text == "Hà Nội, ngày 23 tháng\n"
    assert [w.text for w in out] == ["Hà", "Nội,", "ngày", "23", "tháng"]
    day, number = out[2], out[3]
    assert day.box == (80, 0, 120, 20) and number.box == (120, 0, 140, 20)  # 4 of 6 characters
    assert (day.read_as, day.read_conf, number.read_as, number.conf) == ("ngày23", 71.0, "ngày23", 71.0)
    assert out[0] is words[0] and out[4] is words[3]
    # Nothing to split: the same list and text.
    same, same_text = _split_glued(words[:2], "Hà Nội,")
    assert same == words[:2] and same_text == "Hà Nội,"
