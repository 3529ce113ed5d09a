"""Vietnamese-aware reading of marks: the syllable rules and model (pipeline/syllables.py), the rescoring of a
word from the engine's alternatives (pipeline/marks.py), on one real bilevel scan, and the record's two readings."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from pipeline import marks, print_size, raster, syllables
from pipeline.ocr import OcrEngine, OcrResult, OcrWord
from pipeline.page import analyse_geometry, process_page
from schemas.record import Page, Word
from schemas.settings import PipelineSettings
from workers.settings import from_env
from workers.stores.records.rows import PageTask
from workers.usecases.pages import PageRead, record_of

REAL_VN = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-vn"
MODEL = syllables.load()


def test_valid_syllables_onset_rhyme_and_tone_that_go_together() -> None:
    for word in ("nguồn", "số", "QUYẾT", "Nghiêng", "gì", "giếng", "quốc", "thuyền", "khoẻ", "được", "ĐƯỢC"):
        assert syllables.is_syllable(word), word
    assert syllables.is_syllable(unicodedata.normalize("NFD", "nguồn"))  # decomposed marks read the same


def test_spellings_that_are_no_syllable() -> None:
    assert not syllables.is_syllable("QUYÉT")  # uyê without its circumflex
    assert not syllables.is_syllable("bẩp")  # a stop ending takes only the acute or the dot below
    assert not syllables.is_syllable("ngiêng")  # ng before i is spelled ngh
    assert not syllables.is_syllable("cien")  # c before i is spelled k
    assert not syllables.is_syllable("TTg")
    assert not syllables.is_syllable("hoá̀")  # two tone marks


def test_valid_but_rare_syllables_score_below_their_frequent_neighbours() -> None:
    # "nguôn" is spelled as a syllable but never written; "sô" is (sô cô la) but seldom beside "số".
    assert syllables.is_syllable("nguôn") and MODEL.count("nguôn") == 0
    assert MODEL.log_prob("nguồn") > MODEL.log_prob("nguôn")
    assert MODEL.log_prob("số") > MODEL.log_prob("sô") + 3
    assert MODEL.log_prob("Số") == MODEL.log_prob("số")  # case does not matter


def _choices(*per_char: list[tuple[str, float]]) -> list[list[tuple[str, float]]]:
    return [[(" ", 1.0)], *per_char]  # the engine's leading space position, as Tesseract gives it


def test_rescoring_leaves_a_word_the_engine_was_sure_of() -> None:
    choices = _choices([("s", 1.0), ("S", 30.0)], [("ô", 0.8), ("ố", 1.5)])
    assert marks.rescore("sô", 97.0, choices, MODEL) == marks.Rescored("sô", False, 0.0)


def test_rescoring_takes_an_alternative_the_engine_offered() -> None:
    choices = _choices([("s", 1.0), ("S", 30.0)], [("ô", 3.1), ("ố", 3.7), ("ồ", 18.6)])
    # "sô" (sô cô la) is written in the model's texts, so it yields only between neighbours that say "số".
    assert marks.rescore("sô", 70.0, choices, MODEL, following="lượng").text == "số"
    quyet = _choices([("Q", 1.5)], [("U", 1.2)], [("Y", 1.2)], [("É", 1.3), ("Ế", 27.9), ("Ẻ", 40.2)], [("T", 1.6)])
    new = marks.rescore("QUYÉT", 91.0, quyet, MODEL)
    assert new.text == "QUYẾT" and new.changed and new.extra_cost == pytest.approx(26.6)


def test_rescoring_reads_nothing_the_engine_did_not_offer() -> None:
    # No Ế among É's alternatives (only other letters): the non-syllable stays as read.
    quyet = _choices([("Q", 1.5)], [("U", 1.2)], [("Y", 1.2)], [("É", 1.3), ("Y", 20.0), ("A", 30.0)], [("T", 1.6)])
    assert not marks.rescore("QUYÉT", 91.0, quyet, MODEL).changed
    # Choices that do not line up with the word's letters are not used.
    assert not marks.rescore("sô", 70.0, _choices([("ô", 3.1), ("ố", 3.7)]), MODEL).changed


def test_an_attested_syllable_is_not_taken_for_a_likelier_one() -> None:
    # "chống" (phòng chống) is written in the model's texts: not "chồng" because marriage papers say so more.
    choices = _choices([("c", 1.0)], [("h", 1.0)], [("ố", 2.0), ("ồ", 3.0)], [("n", 1.0)], [("g", 1.0)])
    assert MODEL.count("chống") >= marks.ATTESTED
    assert not marks.rescore("chống", 89.0, choices, MODEL).changed


@pytest.mark.skipif(not REAL_VN.is_dir(), reason=f"{REAL_VN} (real Vietnamese scans) is absent")
def test_rescoring_recovers_marks_raw_tesseract_lost_on_a_real_bilevel_scan(engine: OcrEngine) -> None:
    # qd_729_ttg: a 200-dpi bilevel government scan. As the engine read them (read_as), "QUYẾT" (twice) and
    # "Số:" lost or changed their marks: QUYÉT, Só: (checked against the page's text and image).
    settings = PipelineSettings()
    page = raster.load_page(REAL_VN / "qd_729_ttg.pdf", "pdf", 0, settings)
    words = process_page(page, settings, engine).ocr.words
    truth = Counter((REAL_VN / "qd_729_ttg.gt.txt").read_text(encoding="utf-8").split())
    rescored = Counter(w.text for w in words)
    own = Counter(w.read_as or w.text for w in words)
    for word, times in (("QUYẾT", 2), ("Số:", 1)):
        assert truth[word] >= times and rescored[word] - own[word] >= times, word
    changed = [w for w in words if w.read_as is not None]
    assert {w.read_as for w in changed} >= {"QUYÉT", "Só:"}
    printed = {t.strip(":,.;") for t in truth}
    # None made worse: no word the engine had right was changed.
    assert not [w.read_as for w in changed if (w.read_as or "").strip(":,.;") in printed]
    assert all(w.read_conf is not None and w.read_conf >= w.conf for w in changed)


def test_rescoring_switched_off_reads_as_the_engine_does(pipeline_settings: PipelineSettings) -> None:
    off = OcrEngine(pipeline_settings.lang, pipeline_settings.tessdata, rescore_marks=False)
    try:
        assert off.rescore_marks is False
    finally:
        off.close()
    assert PipelineSettings().rescore_marks is True
    assert from_env({"HOSO_RESCORE_MARKS": "false"}).pipeline.rescore_marks is False


def test_the_record_keeps_both_readings() -> None:
    word = OcrWord(text="số", conf=69.98, box=(10, 10, 40, 30), line=3, read_as="sô", read_conf=70.56)
    plain = OcrWord(text="năm", conf=97.0, box=(50, 10, 90, 30), line=3)
    read = PageRead(
        dpi=200, dpi_stated=True, width=100, height=50, rotation=0, skew_deg=0.0, blank=False, separator_code=None,
        ocr=OcrResult(text="số năm", confidence=83.5, words=(word, plain)), photo=False, jpeg=b"", timings={},
    )  # fmt: skip
    task = PageTask(code="D1", number=1, file_name="a.pdf", sha256="0" * 64, kind="pdf", source_page=1)
    page = record_of(task, read, "k")
    again = Page.model_validate_json(page.model_dump_json())
    assert (again.words[0].text, again.words[0].conf) == ("số", 69.98)
    assert (again.words[0].read_as, again.words[0].read_conf) == ("sô", 70.56)
    assert again.words[1].read_as is None and again.words[1].read_conf is None
    # A record written before the keys existed still loads.
    old = Word.model_validate({"text": "số", "conf": 90, "box": [0, 0, 1, 1], "line": 0, "block": 0})
    assert old.read_as is None and old.read_conf is None


@pytest.mark.skipif(not REAL_VN.is_dir(), reason=f"{REAL_VN} (real Vietnamese scans) is absent")
def test_a_bilevel_200_dpi_scan_is_read_at_150_dpi_a_gray_one_at_its_size(pipeline_settings: PipelineSettings) -> None:
    # qd_707_ttg is a CCITT (bilevel) scan with a colour seal laid over; hanoi_qd_2280_water a rendering with
    # gray letter edges, the same print size (lines about 19-21 px at 200 dpi).
    bilevel = raster.load_page(REAL_VN / "qd_707_ttg.pdf", "pdf", 0, pipeline_settings)
    gray = raster.load_page(REAL_VN / "hanoi_qd_2280_water.pdf", "pdf", 0, pipeline_settings)
    assert print_size.is_bilevel(bilevel.pixels) and not print_size.is_bilevel(gray.pixels)
    for page, bilevel_page in ((bilevel, True), (gray, False)):
        _blank, _axis, skew, mask, scale = analyse_geometry(page.pixels, page.dpi, pipeline_settings)
        line_px = print_size.line_height(mask, skew) / scale
        assert 17 < line_px < 23
        read_at = page.dpi * print_size.reading_scale(line_px, page.dpi, print_size.is_bilevel(page.pixels))
        assert read_at == pytest.approx(150 if bilevel_page else 200)


def test_bilevel_small_print_and_300_dpi_bilevel_pages_keep_the_ordinary_rule() -> None:
    # card print at 200 dpi (lines ~12 px) is read at its size (and enlarged when its letters are tiny)
    assert print_size.reading_scale(12.0, 200, bilevel=True) == 1.0
    # at 300 dpi lines of 14 px read fewer words than 20 px: the ordinary rule
    assert print_size.reading_scale(32.0, 300, bilevel=True) == print_size.reading_scale(32.0, 300)
    assert print_size.reading_scale(19.0, 200, bilevel=True) == pytest.approx(0.75)
    assert print_size.reading_scale(19.0, 200) == 1.0


def test_a_word_read_without_any_mark_is_left_as_read() -> None:
    # "VIET NAM" printed in English on a card: no syllable, but not a Vietnamese word whose marks were lost.
    viet = _choices([("V", 1.0)], [("I", 1.0)], [("E", 1.3), ("Ế", 5.0), ("Ê", 6.0)], [("T", 1.0)])
    assert not marks.rescore("VIET", 60.0, viet, MODEL).changed


def test_an_attested_syllable_yields_to_the_one_its_neighbours_are_written_with() -> None:
    # "đông" (east) and "đồng" are both frequent; before "ý" (đồng ý, agreed) only "đồng" is written.
    dong = _choices([("đ", 1.0)], [("ô", 2.0), ("ồ", 4.0)], [("n", 1.0)], [("g", 1.0)])
    assert MODEL.count("đông") >= marks.ATTESTED
    new = marks.rescore("đông", 80.0, dong, MODEL, following="ý")
    assert (new.text, new.changed, new.extra_cost) == ("đồng", True, 2.0)
    assert marks.confidence(80.0, new.extra_cost) == 78.0  # the record keeps the engine's 80 as read_conf
    # Between neighbours written with it ("Đông Hải", a place), or with none, it stays as read.
    assert not marks.rescore("đông", 80.0, dong, MODEL, prev="xã", following="Hải").changed
    assert not marks.rescore("đông", 80.0, dong, MODEL).changed
    # Nothing the engine did not offer: without ồ among its alternatives "đông ý" stays.
    plain = _choices([("đ", 1.0)], [("ô", 2.0), ("ố", 4.0)], [("n", 1.0)], [("g", 1.0)])
    assert not marks.rescore("đông", 80.0, plain, MODEL, following="ý").changed


def test_the_written_word_need_not_be_each_positions_cheapest_choice() -> None:
    # Generated card: the engine wrote "NGUYÊN" over a position whose cheapest choice was Ễ (its word-level
    # beam has the last say). Before a given name the family name is read; "TÀI NGUYÊN" (resources) stays.
    nguyen = _choices([("N", 1.4)], [("G", 1.1)], [("U", 1.2)], [("Y", 1.2)], [("Ễ", 2.9), ("Ê", 6.4)], [("N", 1.1)])
    assert marks.align("NGUYÊN", nguyen) is not None
    assert marks.rescore("NGUYÊN", 33.0, nguyen, MODEL, prev="Bà", following="NGỌC").text == "NGUYỄN"
    assert not marks.rescore("NGUYÊN", 33.0, nguyen, MODEL, prev="TÀI", following="VÀ").changed
    # A position whose choices hold neither the written letter nor its base letter does not line up.
    assert marks.align("NGUYÊN", _choices(*nguyen[1:5], [("M", 1.0)])) is None


def test_the_engines_cheapest_marks_are_read_when_the_neighbours_agree() -> None:
    # Generated card (page 17): the word beam wrote "NGUYÊN" where the characters' cheapest choice was Ễ, before
    # a given name that no pair of the model follows "nguyễn" with: the characters and the model agree.
    nguyen = _choices([("N", 1.3)], [("G", 1.2)], [("U", 1.2)], [("Y", 1.2)], [("Ễ", 2.4), ("Ê", 4.5)], [("N", 1.5)])
    assert marks.rescore("NGUYÊN", 0.0, nguyen, MODEL, prev='j".', following="QUỲNH").text == "NGUYỄN"
    # The model disagrees: the beam's reading stays. qd_707_ttg (tuned on) "trợ phổ biến" over a cheapest ỗ,
    # a generated page's "Thông tin người" over a cheapest ỉ.
    pho = _choices([("p", 1.4)], [("h", 0.9)], [("ỗ", 1.7), ("ổ", 5.3), ("ố", 5.7)])
    assert not marks.rescore("phổ", 30.9, pho, MODEL, prev="trợ", following="biến").changed
    tin = _choices([("t", 1.0)], [("ỉ", 3.2), ("i", 4.5), ("í", 23.0)], [("n", 1.6)])
    assert not marks.rescore("tin", 60.8, tin, MODEL, prev="Thông", following="người").changed
    # Marks the engine found costlier than its own are not read so: the context rule's pair is needed.
    dearer = _choices([("N", 1.3)], [("G", 1.2)], [("U", 1.2)], [("Y", 1.2)], [("Ê", 2.4), ("Ễ", 4.5)], [("N", 1.5)])
    assert not marks.rescore("NGUYÊN", 0.0, dearer, MODEL, prev='j".', following="QUỲNH").changed


def test_another_letter_is_read_only_when_close_and_its_neighbours_say_so() -> None:
    # qd_707_ttg (tuned on): "Về việt ..." for "Về việc"; t and c are the end letters Tesseract swaps.
    viet = _choices([("v", 0.8)], [("i", 2.1)], [("ệ", 0.8)], [("t", 1.4), ("c", 5.1)])
    assert marks.rescore("việt", 26.0, viet, MODEL, prev="Về").text == "việc"
    assert not marks.rescore("Việt", 26.0, _choices(*viet[:1], *viet[1:]), MODEL, following="Nam").changed
    far = _choices([("v", 0.8)], [("i", 2.1)], [("ệ", 0.8)], [("t", 1.4), ("c", 1.4 + marks.LETTER_COST + 1)])
    assert not marks.rescore("việt", 26.0, far, MODEL, prev="Về").changed
    # "vũ khí lủy diệt" (qd_707_ttg): h at +8.6 over l, and "hủy diệt" a pair of the word list.
    luy = _choices([("l", 1.0), ("h", 9.6)], [("ủ", 2.9), ("ú", 10.8)], [("y", 0.9)])
    assert marks.rescore("lủy", 34.0, luy, MODEL, prev="khí", following="diệt").text == "hủy"
    assert not marks.rescore("lủy", 34.0, luy, MODEL, prev="khí").changed
    # A word that is no syllable takes another letter the same way: "và tàf trợ" is "và tài trợ".
    taf = _choices([("t", 1.7)], [("à", 0.9)], [("f", 3.0), ("i", 4.6)])
    assert marks.rescore("tàf", 2.0, taf, MODEL, prev="và", following="trợ").text == "tài"


def test_context_probability_prefers_the_pair_the_texts_write() -> None:
    assert MODEL.log_in_context("", "đồng", "ý") > MODEL.log_in_context("", "đông", "ý") + 3
    assert MODEL.log_in_context("ủy", "ban", "nhân") > MODEL.log_in_context("ủy", "bạn", "nhân") + 3
    # Without neighbours it is the syllable's own probability.
    assert MODEL.log_in_context("", "số", "") == MODEL.log_prob("số")


def test_a_mark_the_engine_never_offered_is_read_only_where_the_neighbours_are_sure() -> None:
    # qd_729_ttg (tuned on): "Ủy ban nhán dân" with no â among á's alternatives; "ban nhân dân" is written,
    # "nhán" never beside either neighbour.
    nhan = _choices([("n", 1.9), ("m", 32.4)], [("h", 1.1)], [("á", 1.8), ("ả", 27.7), ("ắ", 29.0)], [("n", 2.2)])
    new = marks.rescore("nhán", 90.3, nhan, MODEL, prev="ban", following="dân;")
    assert (new.text, new.changed, new.extra_cost) == ("nhân", True, marks.UNOFFERED_COST)
    assert marks.confidence(90.3, new.extra_cost) == 50.3  # not offered: the engine did not see it
    # "tiếp tục điêu động": no ề offered; "điều động" is written, "điêu" beside neither.
    dieu = _choices([("đ", 1.1)], [("i", 2.0)], [("ê", 2.5), ("ệ", 5.9), ("ể", 8.3)], [("u", 1.1)])
    assert marks.rescore("điêu", 76.1, dieu, MODEL, prev="tục", following="động,").text == "điều"
    # A word the engine was sure of, one without neighbours, and one a neighbour is written with stay.
    assert not marks.rescore("nhán", 97.0, nhan, MODEL, prev="ban", following="dân").changed
    assert not marks.rescore("nhán", 90.3, nhan, MODEL).changed
    sau = _choices([("s", 1.0)], [("á", 1.0), ("ắ", 47.9)], [("u", 1.0)])
    assert not marks.rescore("sáu", 96.5, sau, MODEL, prev="tháng", following="năm").changed  # generated date
    # An attested syllable about as frequent as the other ("đông", "đồng") is not taken for it unoffered.
    plain = _choices([("đ", 1.0)], [("ô", 2.0), ("ố", 4.0)], [("n", 1.0)], [("g", 1.0)])
    assert MODEL.count("đồng") < marks.RARE_RATIO * MODEL.count("đông")
    assert not marks.rescore("đông", 80.0, plain, MODEL, following="ý").changed
    # Only within a vowel's confusion class, base letter and case kept.
    assert marks.unoffered("nhán", 90.3, MODEL, "ban", "dân") == "nhân"
    assert set(marks._remarked("Á")) == set("AÀÂẤẦ")


def test_a_vowel_read_twice_is_read_once() -> None:
    # qd_729_ttg (tuned on): "cử tri bằầu," for "bầu,": one a read twice with two marks, no syllable.
    bau = _choices([("b", 1.0)], [("ằ", 2.6), ("ẩ", 3.4)], [("ầ", 1.8)], [("u", 1.1)], [(",", 2.1)])
    new = marks.rescore("bằầu,", 14.4, bau, MODEL, prev="dân", following="miễn")
    assert (new.text, new.changed) == ("bầu,", True)
    assert marks.undoubled("GIÁÀM", MODEL) == "GIÁM"  # a generated page's heading
    # A syllable with two like vowels ("ưu") is left alone; a doubling that makes no syllable stays as read.
    assert not marks.rescore("ưu", 50.0, _choices([("ư", 1.0)], [("u", 1.0)]), MODEL).changed
    assert marks.undoubled("bằầp", MODEL) is None
