"""Layout family d of the page generator: every type and variant renders with NFC truth that is printed on the
page, nothing runs off it, its labels are mostly neither family a's, family b's (variant 0) nor family c's, it
prints what it is written to print (digits in boxes, stray numbers, values in pen), a dossier agrees with itself,
and families a, b and c are what they were before family d existed."""

from __future__ import annotations

import hashlib
import json
import random
import unicodedata

import numpy as np
import pytest

import synth
from synth.canvas import Canvas
from synth.family_b import PlanB
from synth.fonts import family
from synth.generate import _plan, sub_seed
from tests.test_synth import FIELD_KEYS
from tests.test_synth_family_b import FAMILY_A_LABELS, _is_printed, _norm_label

D_TYPES = [t for t in synth.DOC_TYPES if t in synth.VARIANTS_D]
CASES = [(t, v) for t in D_TYPES for v in range(synth.VARIANTS_D[t])]


def _printed(key: str, value: str, lines: list[str]) -> bool:
    """family b's check, with every identity number read as one (the mother's too: family d boxes it)."""
    return _is_printed("id_number" if key.endswith("id_number") else key, value, lines)


def _pixels(img: object) -> str:
    return hashlib.sha256(np.asarray(img).tobytes()).hexdigest()[:16]


def test_family_d_draws_the_types_family_b_draws_with_two_or_three_layouts_each() -> None:
    assert set(synth.VARIANTS_D) == set(synth.VARIANTS_B)
    assert all(2 <= n <= 3 for n in synth.VARIANTS_D.values()), synth.VARIANTS_D
    assert synth.variants("d") == synth.VARIANTS_D and synth.FAMILIES == ("a", "b", "c", "d")


@pytest.mark.parametrize(("doc_type", "variant"), CASES)
def test_every_type_and_variant_renders_with_printed_nfc_truth(doc_type: str, variant: int) -> None:
    for seed in (0, 1, 2, 3):
        doc, pages = synth.make_document(doc_type, seed=seed, dpi=30, defects="none", variant=variant, family="d")
        assert {f.key for f in doc.fields} == FIELD_KEYS[doc_type]
        assert all(p.doc_type == doc_type and p.image.size == (248, 351) for p in pages)
        lines = [line for p in pages for line in p.lines]
        assert len(lines) >= 10
        for line in lines:
            assert line == unicodedata.normalize("NFC", line) and line == " ".join(line.split())
        for f in doc.fields:
            assert f.value and f.value == unicodedata.normalize("NFC", f.value) == " ".join(f.value.split())
            assert _printed(f.key, f.value, lines), (doc_type, variant, seed, f)


def test_nothing_runs_off_the_page() -> None:
    for doc_type, variant in CASES:
        for seed in range(4):
            plan = _plan(doc_type, seed, variant=variant, seal=True, family="d")
            for k, render in enumerate(plan.pages):
                for font in ("dejavu-sans", "liberation-serif", "noto-serif", "dejavu-serif-condensed"):
                    cv = Canvas(dpi=20, fam=family(font), rng=random.Random(sub_seed(seed, "page", k)))
                    render(cv)
                    assert cv.lowest <= 288.0, (doc_type, variant, seed, k, font, cv.lowest)


def test_family_d_words_its_labels_apart_from_families_a_b_and_c() -> None:
    printed_by_a = json.loads(FAMILY_A_LABELS.read_text(encoding="utf-8"))["labels"]
    known = {t: {k: {_norm_label(x) for x in labels} for k, labels in fs.items()} for t, fs in printed_by_a.items()}
    for doc_type in D_TYPES:  # family b's variant 0 (the one family b shows to the fit) and all of family c
        for fam, variants in (("b", (0,)), ("c", range(synth.VARIANTS_C[doc_type]))):
            for variant in variants:
                for seed in range(6):
                    other = _plan(doc_type, seed, variant=variant, seal=True, family=fam)
                    assert isinstance(other, PlanB)
                    for key, label in other.labels:
                        known.setdefault(doc_type, {}).setdefault(key, set()).add(_norm_label(label))
    same: list[bool] = []
    for doc_type, variant in CASES:
        for seed in range(6):
            plan = _plan(doc_type, seed, variant=variant, seal=True, family="d")
            assert isinstance(plan, PlanB) and {k for k, _ in plan.labels} == FIELD_KEYS[doc_type]
            same += [_norm_label(label) in known[doc_type][key] for key, label in plan.labels if label]
    # the card's and the law's own wording is shared ("Giới tính", "Thửa đất số" in capitals): family d changes
    # the layout there; most of its labels are worded otherwise
    assert sum(same) / len(same) <= 0.35, sum(same) / len(same)


def test_what_family_d_prints_beside_the_values() -> None:
    # GIVEN the grid form, the copied card and the abbreviated request of one seed
    form, (page,) = synth.make_document("application_form", seed=4, dpi=30, defects="none", variant=0, family="d")
    _, (copy,) = synth.make_document("cccd", seed=4, dpi=30, defects="none", variant=0, family="d")
    letter, (sheet,) = synth.make_document("application_form", seed=4, dpi=30, defects="none", variant=2,
                                           family="d")
    # THEN the ID and the phone stand one digit a box, recorded spaced, after their bold capital labels
    assert f"SỐ THẺ CĂN CƯỚC: {' '.join(form.field('applicant_id_number') or '')}" in page.lines
    assert any(line.startswith(f"SỐ ĐIỆN THOẠI LIÊN LẠC: {' '.join(form.field('phone') or '')}") for line in page.lines)
    # and the form code, the file code and the page number are printed beside them
    assert "Mẫu số 01" in page.lines and any("Trang 1/1" in line for line in page.lines)
    # the card's copy carries its file code and labels bilingual with spaced slashes
    assert any(line.startswith("Mã hồ sơ: H") for line in copy.lines)
    assert "Ngày, tháng, năm hết hạn / Date of expiry" in copy.lines
    # the request aligns abbreviated labels on one colon and names the applicant before its caption
    assert f"Nơi ĐKTT: {letter.field('applicant_address')}"[:30] in " ".join(sheet.lines)
    assert f"{letter.field('applicant_name')} (người khai)" in sheet.lines


def test_pen_filled_values_are_drawn_in_pen_blue() -> None:
    # GIVEN a birth certificate filled by hand, drawn at a readable resolution without scan defects
    _, (page,) = synth.make_document("birth_certificate", seed=2, dpi=100, defects="none", variant=2, family="d",
                                     seal=False)
    rgb = np.asarray(page.image).astype(int)
    blue = (rgb[..., 2] > 110) & (rgb[..., 2] - rgb[..., 0] > 60)
    # THEN a good share of the ink is the pen's (the values), the rest the printer's (labels, dots)
    ink = rgb.sum(axis=2) < 500
    assert 0.15 < blue.sum() / ink.sum() < 0.8, blue.sum() / ink.sum()


def test_a_family_d_dossier_agrees_with_itself_and_families_a_b_c_are_unchanged() -> None:
    types = ["application_form", "cccd", "cccd", "marriage_certificate", "land_use_certificate", "birth_certificate"]
    c = synth.make_dossier(9, dpi=20, max_skew=0, doc_types=types, family="c")
    d = synth.make_dossier(9, dpi=20, max_skew=0, doc_types=types, family="d")
    assert [p.lines for p in d.pages] != [p.lines for p in c.pages]
    form, card1, card2, marriage, land, birth = ({f.key: f.value for f in doc.fields} for doc in d.documents)
    assert form["applicant_name"] == card1["full_name"] == land["holder_name"]
    assert form["applicant_id_number"] == card1["id_number"]
    assert {card1["full_name"], card2["full_name"]} == {marriage["wife_name"], marriage["husband_name"]}
    assert {birth["mother_name"], birth["father_name"]} == {marriage["wife_name"], marriage["husband_name"]}
    # an official document (a type family d lacks) is drawn by family a, as in families b and c
    o = synth.make_dossier(4, dpi=20, max_skew=0, doc_types=["official_document"], family="d")
    assert o.documents[0].doc_type == "official_document"
    with pytest.raises(ValueError):
        synth.make_page("official_document", seed=1, dpi=20, family="d")
    with pytest.raises(ValueError):
        synth.make_page("cccd", seed=1, dpi=20, family="e")


def test_family_c_is_pixel_identical_to_before_family_d() -> None:
    # hashes computed on the generator before family d was added
    _, (card,) = synth.make_document("cccd", seed=3, dpi=40, variant=0, family="c")
    assert _pixels(card.image) == HASH_C_CARD
    d = synth.make_dossier(5, dpi=30, receipt=True, blank_backs=True, family="c")
    joined = "".join(_pixels(p.image) for p in d.pages)
    assert hashlib.sha256(joined.encode()).hexdigest()[:16] == HASH_C_DOSSIER


HASH_C_CARD = "e5e1627466f37f85"
HASH_C_DOSSIER = "dcdd827c25cfcbaf"
