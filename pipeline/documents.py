"""A dossier's pages → its documents: split where a new paper starts, name each type, fill its fields.

Segmentation reads the pages in order. A page with a title starts a document; a page without one, or one
numbered as a continuation ("Trang 2/3"), stays with the document before it while its text fits that type;
otherwise it starts a document of the type its text suggests. A page after one numbered as the last
("Trang 3/3") starts a document unless it is numbered as a continuation itself. Blank pages and receipt
sheets belong to no document. A photocopy of both sides of a card on one page is one page, hence one document.
A page on which nothing legible was read (a photo, a scan too faint) goes with the paper before it; alone, it
is a paper of type `other` for a reviewer to look at, and the record names it among its problems.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from pipeline.classify import TextClassifier
from pipeline.extract.fields import Segment, find_labels, segments
from pipeline.extract.resolve import extract_fields
from pipeline.extract.text import fold
from schemas.doctypes import DocTypeCatalog, DocTypeSpec
from schemas.record import Document, Field, FileProblem, Page

_TITLE_CUTOFF = 86.0
_TITLE_DOUBT = 0.1  # the text gives the title's type less than this: the title is in doubt
_TEXT_SURE = 0.5  # ... and another type at least this: the text's type, marked for review
_CONFLICT_CONFIDENCE = 0.7  # below every type's review_below (0.75): a person looks at it
_TITLE_ZONE = 0.5  # titles are printed in the upper half of a first page
_CONTINUATION = re.compile(r"\btrang\s*(\d{1,2})\s*/\s*(\d{1,2})\b")
_LEGIBLE_CONF = 50.0  # Tesseract reads specks and picture edges as "words" of low confidence
_LEGIBLE_WORDS = 3


def has_no_text(page: Page) -> bool:
    """Nothing legible on a page that is not blank: a photo, a drawing, a scan too faint or too dark to read.

    Fewer than three words of two letters or more read with some confidence; what OCR makes of a picture's
    edges ("—", "ii", "|") does not count."""
    if page.blank or page.separator:
        return False
    legible = [w for w in page.words if w.conf >= _LEGIBLE_CONF and sum(c.isalnum() for c in w.text) >= 2]
    return len(legible) < _LEGIBLE_WORDS


def no_text_problems(pages: Sequence[Page]) -> list[FileProblem]:
    """A problem for each page with no text, saying what the clerk should do."""
    return [
        FileProblem(
            file=p.source.file,
            sha256=p.sha256,
            page=p.number,
            error="NoText",
            message=(
                f"Trang {p.number} (trang {p.source.page} của tệp) không đọc được chữ nào: có thể là ảnh chụp "
                "hoặc bản quét quá mờ. Hãy kiểm tra trang này và quét lại nếu đó là giấy tờ cần có trong hồ sơ."
            ),
        )
        for p in pages
        if has_no_text(p)
    ]


@dataclass(frozen=True)
class PageClass:
    number: int
    probs: dict[str, float]
    title: tuple[str, float] | None  # (type, match score 0-100)
    continuation: bool
    last: bool = False  # numbered as the last page of its paper ("Trang 2/2")


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _title_lines(segs: Sequence[Segment], page: Page) -> list[str]:
    """The capitalised lines of the page's upper half, folded, and each joined with the one under it: a title
    wraps ("GIẤY CHỨNG NHẬN" / "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở …")."""
    lines = [
        s
        for s in segs
        if s.page == page.number and s.box[1] <= _TITLE_ZONE * page.height and _upper_share(s.text) >= 0.7
    ]
    out = [s.folded for s in lines]
    for a, b in itertools.pairwise(lines):
        height = a.box[3] - a.box[1]
        if (
            -0.3 * height <= b.box[1] - a.box[3] <= 1.5 * height
            and abs((a.box[0] + a.box[2]) - (b.box[0] + b.box[2])) < 8 * height
        ):
            out.append(f"{a.folded} {b.folded}")
    return out


def find_title(segs: Sequence[Segment], page: Page, catalog: DocTypeCatalog) -> tuple[str, float] | None:
    best: tuple[str, float, int] | None = None
    for folded in _title_lines(segs, page):
        for spec in catalog.types:
            for title in spec.titles:
                t = fold(title)
                whole = fuzz.ratio(t, folded)
                # "TỜ KHAI YÊU CẦU CHỨNG THỰC …" starts with the title "TỜ KHAI".
                prefix = fuzz.ratio(t, folded[: len(t)]) if len(folded) > len(t) else 0.0
                score = max(whole, prefix)
                if score >= _TITLE_CUTOFF and (best is None or (len(t), score) > (best[2], best[1])):
                    best = (spec.key, float(score), len(t))
    return (best[0], best[1]) if best else None


def _with_keywords(probs: dict[str, float], folded: str, catalog: DocTypeCatalog) -> dict[str, float]:
    """The model's probabilities, each type weighted up by the phrases typical of it found on the page."""
    weighted = {}
    for key, p in probs.items():
        spec = next((t for t in catalog.types if t.key == key), None)
        hits = sum(1 for k in spec.keywords if fold(k) in folded) if spec else 0
        weighted[key] = p * (1.0 + hits)
    total = sum(weighted.values()) or 1.0
    return {k: v / total for k, v in weighted.items()}


def classify_pages(pages: Sequence[Page], model: TextClassifier, catalog: DocTypeCatalog) -> list[PageClass]:
    segs = segments(pages)
    out = []
    for page in pages:
        mine = [s for s in segs if s.page == page.number]
        folded = fold(page.text)
        cont = _CONTINUATION.search(folded)
        out.append(
            PageClass(
                number=page.number,
                probs=_with_keywords(model.predict_proba(page.text), folded, catalog),
                title=find_title(mine, page, catalog),
                continuation=bool(cont and int(cont.group(1)) > 1),
                last=bool(cont and int(cont.group(1)) == int(cont.group(2)) > 1),
            )
        )
    return out


def _field_labels(page: Page, spec: DocTypeSpec) -> set[str]:
    return {h.field.key for h in find_labels(spec, segments([page]))}


def split(pages: Sequence[Page], classes: Sequence[PageClass], catalog: DocTypeCatalog) -> list[list[int]]:
    """Groups of page numbers, one per document."""
    groups: list[list[int]] = []
    current_type: str | None = None
    seen_fields: set[str] = set()
    ended = False  # the current paper's last page, by its numbering, is behind us
    for page, cls in zip(pages, classes, strict=True):
        if page.blank or page.separator:
            continue
        if has_no_text(page) and groups:
            groups[-1].append(page.number)  # nothing read (a photo, a drawing): it goes with its paper
            continue
        top = max(cls.probs, key=lambda k: cls.probs[k])
        starts = (
            current_type is None
            or cls.title is not None
            or (ended and not cls.continuation)  # a second copy of a paper whose title OCR broke
            or (not cls.continuation and top != current_type and cls.probs.get(current_type, 0.0) < 0.25)
        )
        labels: set[str] = set()
        if not starts and current_type is not None:
            spec = catalog.get(current_type)
            if not spec.multi_page and spec.fields:
                # A one-page paper whose labels all appear again is another copy (a second person's card)
                # whose title OCR missed; a card's back on its own page prints none of them.
                labels = _field_labels(page, spec)
                starts = len(labels & seen_fields) >= 2
        if starts:
            groups.append([page.number])
            current_type = cls.title[0] if cls.title else top
            spec = catalog.get(current_type)
            seen_fields = _field_labels(page, spec) if spec.fields else set()
        else:
            groups[-1].append(page.number)
            seen_fields |= labels
        ended = cls.last
    return groups


def type_documents(pages: Sequence[Page], model: TextClassifier, catalog: DocTypeCatalog) -> list[Document]:
    """The documents the pages make, each typed with its confidence, without fields (what a counter shows while
    the pages are still being read: the fields come with `build_documents` once they all are)."""
    classes = classify_pages(pages, model, catalog)
    by_number = {c.number: c for c in classes}
    page_by_number = {p.number: p for p in pages}
    documents: list[Document] = []
    for group in split(pages, classes, catalog):
        if all(has_no_text(page_by_number[n]) for n in group):
            # Nothing to type it by: the model's guess on no words is its prior, not a reading.
            documents.append(Document(type="other", type_confidence=0.0, pages=group, needs_review=True))
            continue
        probs = {k: float(np.mean([by_number[n].probs.get(k, 0.0) for n in group])) for k in model.labels}
        title = by_number[group[0]].title
        top = max(probs, key=lambda k: probs[k])
        if title is not None and probs.get(title[0], 0.0) < _TITLE_DOUBT and probs[top] >= _TEXT_SURE:
            # The text says something else entirely, and surely: a short title met by a broken one ("GIẤY
            # CHỨNG NHẬN" of a land certificate whose second line OCR lost reads like "GIẤY CHỨNG SINH").
            doc_type, confidence = top, min(probs[top], _CONFLICT_CONFIDENCE)
        elif title is not None:
            doc_type = title[0]
            p = probs.get(doc_type, 0.0)
            # A clear title settles the type unless the text says something else entirely.
            confidence = max(p, min(0.99, title[1] / 100.0)) if p >= _TITLE_DOUBT else 0.5 * p + 0.3
        else:
            doc_type = max(probs, key=lambda k: probs[k])
            confidence = probs[doc_type]
        documents.append(
            Document(type=doc_type, type_confidence=round(float(np.clip(confidence, 0, 1)), 3), pages=group)
        )
    return documents


def build_documents(pages: Sequence[Page], model: TextClassifier, catalog: DocTypeCatalog) -> list[Document]:
    from pipeline.extract.address import document_units  # imported by the dossier stage, not at start-up

    page_by_number = {p.number: p for p in pages}
    documents: list[Document] = []
    for typed in type_documents(pages, model, catalog):
        if typed.needs_review:  # no text to read fields from
            documents.append(typed)
            continue
        spec = catalog.get(typed.type)
        doc_pages = [page_by_number[n] for n in typed.pages]
        fields = document_units(spec, extract_fields(spec, doc_pages)) if spec.fields else {}
        needs = needs_review(spec, typed.type_confidence, fields)
        documents.append(typed.model_copy(update={"fields": fields, "needs_review": needs}))
    return cross_check(documents, catalog)


def needs_review(spec: DocTypeSpec, type_confidence: float, fields: Mapping[str, Field]) -> bool:
    """The one rule: a weak type, a required field missing, or a field below its review threshold."""
    missing = any(f.required and f.key not in fields for f in spec.fields)
    weak = any(f.key in fields and fields[f.key].confidence < f.review_below for f in spec.fields)
    return type_confidence < spec.review_below or missing or weak


def _kind(catalog: DocTypeCatalog, doc_type: str, key: str) -> str:
    spec = catalog.get(doc_type)
    return next((f.kind for f in spec.fields if f.key == key), "text")


_PERSON_KINDS = ("name", "id_number")
_ANCHOR_CONFIDENCE = 0.9  # a card's number this sure has passed its checks (the zone's check digits, the rules)


def _near(kind: str, a: str, b: str) -> bool:
    """Two readings of one person's value that differ as OCR makes them differ."""
    if kind == "name":
        return fold(a) == fold(b) or (len(a) > 6 and fuzz.ratio(a, b) >= 88)
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 2


def cross_check(documents: list[Document], catalog: DocTypeCatalog) -> list[Document]:
    """The papers of one dossier name the same people: the dossier agrees with itself.

    A citizen's card whose number is sure (its machine-readable zone checks out) anchors that person's name
    and number: a reading on another paper that equals it gains confidence; one that nearly equals it (marks
    or a digit or two apart) is marked for review with the card's reading as the suggestion. Two readings that
    nearly agree with no sure card behind either are both marked, each offered the other's reading. The card
    anchors its person's date of birth too, on a paper that names that person as the card does (see
    `_dates_of_birth`).
    """
    items = [
        (i, key, field, _kind(catalog, doc.type, key))
        for i, doc in enumerate(documents)
        for key, field in doc.fields.items()
        if _kind(catalog, doc.type, key) in _PERSON_KINDS
    ]
    anchors: set[tuple[int, str]] = set()
    for i, doc in enumerate(documents):
        number = doc.fields.get("id_number")
        if doc.type == "cccd" and number is not None and number.confidence >= _ANCHOR_CONFIDENCE:
            anchors |= {(i, k) for k in doc.fields if _kind(catalog, doc.type, k) in _PERSON_KINDS}
    conflicts = _role_conflicts(documents, anchors, items)
    vouched = {(kind, f.value) for (i, key, f, kind) in items if (i, key) in anchors}
    # a reading equal to the card's is as sure as the card's, against a third that nearly agrees
    sure = {(i, key) for (i, key, f, kind) in items if (i, key) in anchors or (kind, f.value) in vouched}
    updates: dict[tuple[int, str], Field] = {}
    review: set[int] = set()

    def current(i: int, key: str, field: Field) -> Field:
        return updates.get((i, key), field)

    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            (i, ka, fa, kind), (j, kb, fb, kind_b) = items[a], items[b]
            if kind != kind_b or i == j:
                continue
            a_anchor, b_anchor = (i, ka) in sure, (j, kb) in sure
            if fa.value == fb.value:
                a_card, b_card = (i, ka) in anchors, (j, kb) in anchors
                if a_card != b_card:  # the card vouches for the other paper's reading
                    k, key, f = (j, kb, fb) if a_card else (i, ka, fa)
                    if (k, key) in conflicts:
                        continue  # the card's person, but not in this role
                    f = current(k, key, f)
                    updates[(k, key)] = f.model_copy(update={"confidence": round(max(f.confidence, 0.97), 3)})
                continue
            if not _near(kind, fa.value, fb.value):
                continue
            for k, key, f, other, mine_sure, other_sure in (
                (i, ka, fa, fb, a_anchor, b_anchor),
                (j, kb, fb, fa, b_anchor, a_anchor),
            ):
                if mine_sure and not other_sure:
                    continue  # the card's own reading stands
                f = current(k, key, f)
                updates[(k, key)] = f.model_copy(
                    update={"confidence": round(f.confidence * 0.6, 3), "suggestion": other.value}
                )
                review.add(k)
    for k, key in conflicts:
        f = current(k, key, documents[k].fields[key])
        updates[(k, key)] = f.model_copy(update={"confidence": round(min(f.confidence, _CONFLICT_FIELD), 3)})
        review.add(k)
    _dates_of_birth(documents, anchors, updates, review, conflicts)
    if not updates:
        return documents
    out = []
    for i, doc in enumerate(documents):
        fields = {k: updates.get((i, k), f) for k, f in doc.fields.items()}
        spec = catalog.get(doc.type)
        flagged = i in review or needs_review(spec, doc.type_confidence, fields)
        out.append(doc.model_copy(update={"fields": fields, "needs_review": flagged}))
    return out


_DOB = "date_of_birth"


def _person_name_key(date_key: str) -> str:
    """The name field of the person whose date of birth `date_key` is: wife_date_of_birth -> wife_name,
    date_of_birth -> full_name, child_date_of_birth -> child_name."""
    person = date_key[: -len(_DOB)]
    return f"{person}name" if person else "full_name"


def _dates_of_birth(
    documents: Sequence[Document],
    anchors: set[tuple[int, str]],
    updates: dict[tuple[int, str], Field],
    review: set[int],
    conflicts: set[tuple[int, str]],
) -> None:
    """A date of birth on another paper, of a person that paper names exactly as a sure card does: equal to
    the card's date, it gains the card's confidence; a digit or two apart, it goes to review with the card's
    date as the suggestion. A date is never vouched for by its value alone: the wife's field holding the
    husband's date would agree with his card, but the wife's name there does not."""
    conflicted = {(i, key) for i, key in conflicts}
    cards: dict[str, str] = {}  # the card's name -> its date of birth
    for i, doc in enumerate(documents):
        name, born = doc.fields.get("full_name"), doc.fields.get(_DOB)
        sure = (i, "id_number") in anchors and born is not None and born.confidence >= _ANCHOR_CONFIDENCE
        if sure and name is not None and born is not None:
            cards.setdefault(name.value, born.value)
    if not cards:
        return
    for i, doc in enumerate(documents):
        if (i, "id_number") in anchors:
            continue
        for key, field in doc.fields.items():
            if not key.endswith(_DOB):
                continue
            name_key = _person_name_key(key)
            name = doc.fields.get(name_key)
            conflicted_name = (i, name_key) in conflicted
            card_date = cards.get(name.value) if name is not None and not conflicted_name else None
            if card_date is None:
                continue
            f = updates.get((i, key), field)
            if f.value == card_date:
                updates[(i, key)] = f.model_copy(update={"confidence": round(max(f.confidence, 0.97), 3)})
            elif _near("date", f.value, card_date):
                updates[(i, key)] = f.model_copy(
                    update={"confidence": round(f.confidence * 0.6, 3), "suggestion": card_date}
                )
                review.add(i)


_CONFLICT_FIELD = 0.6  # a card's person read in a role that cannot be theirs: for a reviewer
_ROLE_SEX = {"wife": "Nữ", "mother": "Nữ", "husband": "Nam", "father": "Nam"}


def _person(key: str) -> str:
    """Whose value a field holds, by its key: wife_name, wife_date_of_birth -> "wife"; full_name, id_number,
    personal_id, date_of_birth -> "" (the paper's own person)."""
    for suffix in ("_name", "_id_number", "_date_of_birth", "_sex"):
        if key.endswith(suffix):
            person = key[: -len(suffix)]
            return "" if person == "full" else person
    return ""


def _role_conflicts(
    documents: Sequence[Document], anchors: set[tuple[int, str]], items: Sequence[tuple[int, str, Field, str]]
) -> set[tuple[int, str]]:
    """Readings on other papers that equal a sure card's value in a role that cannot be that person's: the
    card vouches for a spelling, not for whose field it is in. A value given to two people on one paper (the
    child named as the father); a man's card in the wife's or mother's field (or a woman's in the husband's or
    father's); a name and a number of one person on a paper that belong to two different cards."""
    cards: list[dict[str, str]] = []
    for i, doc in enumerate(documents):
        if (i, "id_number") in anchors:
            card = {k: f.value for k, f in doc.fields.items() if k in ("full_name", "id_number", "sex")}
            cards.append({"name": card.get("full_name", ""), "id_number": card.get("id_number", ""),
                          "sex": card.get("sex", "")})  # fmt: skip
    out: set[tuple[int, str]] = set()
    if not cards:
        return out
    for i, key, field, kind in items:
        if (i, key) in anchors:
            continue
        doc = documents[i]
        twice = [k for j, k, f, kd in items if j == i and k != key and kd == kind and f.value == field.value]
        if twice:
            out.add((i, key))
            continue
        owners = [c for c in cards if c["name" if kind == "name" else "id_number"] == field.value]
        if not owners:
            continue
        person = _person(key)
        role_sex = _ROLE_SEX.get(person)
        if any(role_sex and c["sex"] and c["sex"] != role_sex for c in owners):
            out.add((i, key))
            continue
        # the same person's other reading on this paper names another card's person
        for k, f in doc.fields.items():
            if k == key or _person(k) != person:
                continue
            other = "id_number" if kind == "name" else "name"
            if any(c[other] == f.value for c in cards if c not in owners) and not any(
                c[other] == f.value for c in owners
            ):
                out.add((i, key))
    return out
