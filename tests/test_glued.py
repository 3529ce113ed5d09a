"""Words the engine ran together (pipeline/glued.py) and their split in the OCR result (pipeline/ocr.py)."""

from __future__ import annotations

import pytest

from pipeline import glued, syllables
from pipeline.ocr import OcrWord, _join_cut, _reread, _split_glued

MODEL = syllables.load()


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


def test_a_syllable_cut_in_two_is_joined_only_when_neither_part_is_a_word() -> None:
    assert glued.joined("THÀN", "H", MODEL) == "THÀNH"  # generated birth certificate: "NGUYỄN THÀN H NGHĨA"
    assert glued.joined("thàn", "h", MODEL) == "thành"
    assert glued.joined("nhà", "ở", MODEL) is None  # two words: "nhàở" is no syllable
    assert glued.joined("Châu", "Á", MODEL) is None  # qd_707_ttg: "Châu Á", boxes 3 px apart
    assert glued.joined("THÀN", "h", MODEL) is None  # not the same case
    assert glued.joined("THÀN", "HH", MODEL) is None  # not one letter
    assert glued.joined("Hoà", "n", MODEL) is None  # "Hoà" is a syllable the model attests


def test_the_joined_word_keeps_both_boxes_the_engines_words_and_their_choices() -> None:
    words = [
        OcrWord(text="NGUYỄN", conf=88.0, box=(100, 10, 220, 51), line=2),
        OcrWord(text="THÀN", conf=61.5, box=(230, 10, 330, 51), line=2),
        OcrWord(text="H", conf=74.0, box=(331, 11, 360, 51), line=2),
        OcrWord(text="NGHĨA", conf=93.0, box=(375, 10, 480, 51), line=2),
    ]
    choices = [[[("N", 1.0)]], [[("T", 2.5)], [("H", 1.3)], [("À", 1.2)], [("N", 1.1)]], [[("H", 1.5)]], [[("N", 1.0)]]]
    out, joined_choices, text = _join_cut(words, choices, MODEL, "NGUYỄN THÀN H NGHĨA\n")
    assert text == "NGUYỄN THÀNH NGHĨA\n"
    assert [w.text for w in out] == ["NGUYỄN", "THÀNH", "NGHĨA"]
    assert out[1].box == (230, 10, 360, 51)
    assert (out[1].conf, out[1].read_as, out[1].read_conf) == (61.5, "THÀN H", 61.5)
    assert joined_choices[1] == [*choices[1], *choices[2]]
    # Read as Vietnamese, the word keeps the engine's two words as its reading.
    read, read_text = _reread(words, choices, MODEL, "NGUYỄN THÀN H NGHĨA\n")
    assert read_text == "NGUYỄN THÀNH NGHĨA\n" and read[1].read_as == "THÀN H"
    # A real space between them (a quarter of the line's height or more), or another line: two words.
    apart = [words[1], OcrWord(text="H", conf=74.0, box=(345, 11, 374, 51), line=2)]
    assert [w.text for w in _join_cut(apart, choices[1:3], MODEL, "THÀN H")[0]] == ["THÀN", "H"]
    below = [words[1], OcrWord(text="H", conf=74.0, box=(331, 60, 360, 100), line=3)]
    assert [w.text for w in _join_cut(below, choices[1:3], MODEL, "THÀN\nH")[0]] == ["THÀN", "H"]
