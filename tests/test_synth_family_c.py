"""Layout family c of the page generator: every type and variant renders with NFC truth that is printed on the
page, nothing runs off it, its labels are mostly neither family a's nor family b's (variant 0), a dossier agrees
with itself, and families a and b are what they were before family c existed."""

from __future__ import annotations

import hashlib
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

C_TYPES = [t for t in synth.DOC_TYPES if t in synth.VARIANTS_C]
CASES = [(t, v) for t in C_TYPES for v in range(synth.VARIANTS_C[t])]


def _pixels(img: object) -> str:
    return hashlib.sha256(np.asarray(img).tobytes()).hexdigest()[:16]


def test_family_c_draws_the_types_family_b_draws_with_two_or_three_layouts_each() -> None:
    assert set(synth.VARIANTS_C) == set(synth.VARIANTS_B)
    assert all(2 <= n <= 3 for n in synth.VARIANTS_C.values()), synth.VARIANTS_C
    assert synth.variants("c") == synth.VARIANTS_C and synth.FAMILIES[:3] == ("a", "b", "c")


@pytest.mark.parametrize(("doc_type", "variant"), CASES)
def test_every_type_and_variant_renders_with_printed_nfc_truth(doc_type: str, variant: int) -> None:
    for seed in (0, 1, 2, 3):
        doc, pages = synth.make_document(doc_type, seed=seed, dpi=30, defects="none", variant=variant, family="c")
        assert {f.key for f in doc.fields} == FIELD_KEYS[doc_type]
        assert all(p.doc_type == doc_type and p.image.size == (248, 351) for p in pages)
        lines = [line for p in pages for line in p.lines]
        assert len(lines) >= 10
        for line in lines:
            assert line == unicodedata.normalize("NFC", line) and line == " ".join(line.split())
        for f in doc.fields:
            assert f.value and f.value == unicodedata.normalize("NFC", f.value) == " ".join(f.value.split())
            assert _is_printed(f.key, f.value, lines), (doc_type, variant, seed, f)


def test_nothing_runs_off_the_page() -> None:
    for doc_type, variant in CASES:
        for seed in range(4):
            plan = _plan(doc_type, seed, variant=variant, seal=True, family="c")
            for k, render in enumerate(plan.pages):
                for font in ("dejavu-sans", "liberation-serif", "noto-serif"):
                    cv = Canvas(dpi=20, fam=family(font), rng=random.Random(sub_seed(seed, "page", k)))
                    render(cv)
                    assert cv.lowest <= 288.0, (doc_type, variant, seed, k, font, cv.lowest)


def test_family_c_words_its_labels_apart_from_family_a_and_family_b() -> None:
    import json

    printed_by_a = json.loads(FAMILY_A_LABELS.read_text(encoding="utf-8"))["labels"]
    known = {t: {k: {_norm_label(x) for x in labels} for k, labels in fs.items()} for t, fs in printed_by_a.items()}
    for doc_type in C_TYPES:  # family b's variant 0 (the one family b shows to the fit)
        for seed in range(6):
            plan_b = _plan(doc_type, seed, variant=0, seal=True, family="b")
            assert isinstance(plan_b, PlanB)
            for key, label in plan_b.labels:
                known.setdefault(doc_type, {}).setdefault(key, set()).add(_norm_label(label))
    same: list[bool] = []
    for doc_type, variant in CASES:
        if doc_type == "cccd":  # the card's labels are fixed by law
            continue
        for seed in range(6):
            plan = _plan(doc_type, seed, variant=variant, seal=True, family="c")
            assert isinstance(plan, PlanB) and {k for k, _ in plan.labels} == FIELD_KEYS[doc_type]
            same += [_norm_label(label) in known[doc_type][key] for key, label in plan.labels if label]
    # the wording the law prescribes is shared ("Thửa đất số", "Tờ bản đồ số", "Giới tính", "Tình trạng hôn nhân"):
    # what family c changes there is the layout; about half of its labels are worded otherwise (0.46 when written)
    assert sum(same) / len(same) <= 0.5, sum(same) / len(same)


def test_a_family_c_dossier_agrees_with_itself_and_families_a_and_b_are_unchanged() -> None:
    types = ["application_form", "cccd", "cccd", "marriage_certificate", "land_use_certificate", "birth_certificate"]
    a = synth.make_dossier(9, dpi=20, max_skew=0, doc_types=types, family="a")
    b = synth.make_dossier(9, dpi=20, max_skew=0, doc_types=types, family="b")
    c = synth.make_dossier(9, dpi=20, max_skew=0, doc_types=types, family="c")
    assert [p.lines for p in c.pages] != [p.lines for p in b.pages] != [p.lines for p in a.pages]
    form, card1, card2, marriage, land, birth = ({f.key: f.value for f in doc.fields} for doc in c.documents)
    assert form["applicant_name"] == card1["full_name"] == land["holder_name"]
    assert form["applicant_id_number"] == card1["id_number"]
    assert {card1["full_name"], card2["full_name"]} == {marriage["wife_name"], marriage["husband_name"]}
    assert {birth["mother_name"], birth["father_name"]} == {marriage["wife_name"], marriage["husband_name"]}
    # an official document (a type family c lacks) is drawn by family a, as in family b
    d = synth.make_dossier(4, dpi=20, max_skew=0, doc_types=["official_document"], family="c")
    assert d.documents[0].doc_type == "official_document"
    with pytest.raises(ValueError):
        synth.make_page("official_document", seed=1, dpi=20, family="c")
    with pytest.raises(ValueError):
        synth.make_page("cccd", seed=1, dpi=20, family="z")


def test_family_b_is_pixel_identical_to_before_family_c() -> None:
    # hashes computed on the generator before family c was added
    _, (card,) = synth.make_document("cccd", seed=3, dpi=40, variant=0, family="b")
    assert _pixels(card.image) == HASH_B_CARD
    d = synth.make_dossier(5, dpi=30, receipt=True, blank_backs=True, family="b")
    joined = "".join(_pixels(p.image) for p in d.pages)
    assert hashlib.sha256(joined.encode()).hexdigest()[:16] == HASH_B_DOSSIER


HASH_B_CARD = "e8fae2302e96f8ac"
HASH_B_DOSSIER = "9d61bdb294c18747"
