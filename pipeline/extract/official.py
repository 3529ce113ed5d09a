"""Fields of an official document (văn bản hành chính), found by where the paper prints them, not by labels.

Every decision, letter, notice, directive, report or circular follows one layout (Nghị định 30/2020/NĐ-CP):
the issuing body top left with "Số: 152/QĐ-UBND" under it; the motto top right with the place-and-date
line under it ("Hà Nội, ngày 23 tháng 4 năm 2026"); the kind centred ("QUYẾT ĐỊNH") with the subject
(trích yếu) under it, or, for a letter, "V/v …" under its number; the signer's title, signature, seal and
name bottom right on the last page.

Numbers and days are often filled in by hand after signing, and OCR reads handwriting badly ("729" as
"fZ7"): a number written apart from its symbol ("115 /NQ-CP") or a day glued to its word ("ngày23") is
read as what it looks like but trusted less, and a number whose symbol does not name the document's kind
(QĐ for a Quyết định) is trusted less still.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from pipeline.extract import values as V
from pipeline.extract.text import fold, squash_spaces
from pipeline.extract.validate import run_validators
from schemas.doctypes import DocTypeSpec
from schemas.record import Field, Page, Word

# The kinds of official document and the initials their numbers carry ("152/QĐ-UBND").
KINDS: dict[str, str] = {
    "quyet dinh": "QĐ",
    "nghi quyet": "NQ",
    "nghi dinh": "NĐ",
    "thong tu": "TT",
    "thong bao": "TB",
    "chi thi": "CT",
    "to trinh": "TTr",
    "bao cao": "BC",
    "ke hoach": "KH",
    "cong dien": "CĐ",
    "huong dan": "HD",
    "quy dinh": "QyĐ",
}
_MOTTO = "cong hoa xa hoi chu nghia viet nam"
_MOTTO_2 = "doc lap"
_NUMBER_LABEL = re.compile(r"^\W{0,2}s[o0-9]?\s*[:;.]")  # "Số:", OCR "Só:", "S6:"
_SYMBOL = re.compile(r"/\s*((?:\d{4}\s*/\s*)?[^\W\d_][\w]*(?:\s*-\s*[\w]+)*)")
_SUBJECT_STOP = ("can cu", "kinh gui", "xet ", "theo de nghi", "dieu ", "thuc hien")
_SIGNER_PREFIX = re.compile(r"^(tm|kt|tl|tuq|q|ktm)\s*\.", re.IGNORECASE)
# Look-alikes OCR gives for handwritten digits; anything read through them is for a reviewer to confirm.
_HAND_DIGITS = str.maketrans({"†": "1", "l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "Z": "2", "S": "5"})


@dataclass(frozen=True)
class Line:
    """Words of one printed line (a Tesseract line cut where a wide gap separates two blocks)."""

    words: tuple[Word, ...]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (
            min(w.box[0] for w in self.words),
            min(w.box[1] for w in self.words),
            max(w.box[2] for w in self.words),
            max(w.box[3] for w in self.words),
        )

    @property
    def height(self) -> int:
        return int(np.median([w.box[3] - w.box[1] for w in self.words]))

    @property
    def conf(self) -> float:
        return float(np.mean([w.conf for w in self.words]))


def page_lines(page: Page) -> list[Line]:
    """The page's lines top to bottom, a line cut at gaps wider than a few letters (issuer | motto)."""
    groups: dict[tuple[int, int], list[Word]] = {}
    for w in page.words:
        groups.setdefault((w.block, w.line), []).append(w)
    if not groups:
        return []
    height = float(np.median([w.box[3] - w.box[1] for w in page.words]))
    limit = max(0.05 * page.width, 4 * height)
    out: list[Line] = []
    for words in groups.values():
        words.sort(key=lambda w: w.box[0])
        run = [words[0]]
        for prev, cur in itertools.pairwise(words):
            if cur.box[0] - prev.box[2] > limit:
                out.append(Line(tuple(run), page.number))
                run = []
            run.append(cur)
        out.append(Line(tuple(run), page.number))
    return sorted(out, key=lambda ln: (ln.box[1], ln.box[0]))


def _ocr_factor(conf: float) -> float:
    # Tesseract's word confidence: ≥ 90 is usually right, below 60 usually wrong.
    return float(np.clip((conf - 45.0) / 45.0, 0.0, 1.0))


def _words_conf(words: Sequence[Word]) -> float:
    confs = [w.conf for w in words]
    return 0.5 * min(confs) + 0.5 * float(np.mean(confs)) if confs else 0.0


def _box(words: Sequence[Word]) -> list[int]:
    return [
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    ]


def _letters(text: str) -> str:
    return re.sub(r"[^a-z ]", "", fold(text)).strip()


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _field(value: str, confidence: float, page: int, words: Sequence[Word]) -> Field:
    return Field(
        value=value,
        confidence=round(float(np.clip(confidence, 0, 1)), 3),
        page=page,
        box=_box(words) if words else None,
    )


# --- the parts of the layout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Where the first page's layout puts things: the "Số:" line, the motto, the kind's title line."""

    number_line: Line | None
    motto_x: int  # the motto's left edge: the issuer is left of it
    kind: str | None  # folded kind ("quyet dinh"), None for a letter (công văn)
    kind_line: Line | None


def find_header(lines: Sequence[Line], page: Page) -> Header:
    top = [ln for ln in lines if ln.box[1] < 0.45 * page.height]
    number_line = next((ln for ln in top if _NUMBER_LABEL.match(ln.folded) and ln.box[0] < 0.5 * page.width), None)
    motto_x = int(0.5 * page.width)
    for ln in top:
        at = ln.folded.find("cong hoa")
        if at < 0:
            at = ln.folded.find(_MOTTO_2)
        if at >= 0:
            # the word that starts the motto, inside a line the issuer shares
            pos = 0
            for w in ln.words:
                if pos >= at:
                    motto_x = min(motto_x, w.box[0])
                    break
                pos += len(w.text) + 1
            break
    kind, kind_line = None, None
    for ln in top:
        text = _letters(ln.text)
        if not text or _upper_share(ln.text) < 0.7 or len(text) > 16:
            continue
        for k in KINDS:
            if fuzz.ratio(k, text) >= 85 or (text.endswith(k) and len(text) <= len(k) + 3):
                kind, kind_line = k, ln
                break
        if kind:
            break
    return Header(number_line=number_line, motto_x=motto_x, kind=kind, kind_line=kind_line)


def read_number(header: Header, lines: Sequence[Line]) -> Field | None:
    """ "Số: 152/QĐ-UBND" (as printed, spaces inside dropped); None when no digit is printed (an e-signed
    paper numbered by the system: "Số:     /QĐ-UBND")."""
    ln = header.number_line
    if ln is None:
        return None
    words = list(ln.words[1:])  # after "Số:"
    if not any("/" in w.text for w in words):
        # "/QĐ-UBND" printed further right on the same line, a gap away
        beside = [o for o in lines if o is not ln and abs(o.box[1] - ln.box[1]) < ln.height and o.box[0] > ln.box[0]]
        if beside:
            words += list(min(beside, key=lambda o: o.box[0]).words)
    text = " ".join(w.text for w in words)
    m = _SYMBOL.search(text)
    if m is None:
        return None
    number_text = text[: m.start()].strip()
    symbol = re.sub(r"\s+", "", m.group(1)).replace("Ð", "Đ")
    digits = re.sub(r"\s+", "", number_text)
    quality = 1.0
    if not digits.isdigit():
        digits = re.sub(r"[^\w†|]", "", digits).translate(_HAND_DIGITS)
        quality = 0.4  # read through look-alikes of handwritten digits
    if not digits.isdigit():
        return None
    # The words the value came from: the number's and the symbol's.
    used: list[Word] = []
    pos = 0
    for w in words:
        if pos < m.end() and pos + len(w.text) > 0:
            used.append(w)
        pos += len(w.text) + 1
    if text[m.start() - 1 : m.start()] == " ":
        quality *= 0.7  # the number written in the blank left before its symbol: filled in by hand
    initials = KINDS.get(header.kind or "")
    parts = symbol.split("/")[-1].split("-")
    if initials:
        quality *= 1.0 if parts[0] == initials else 0.6
    else:
        # A letter's symbol names the body and its unit ("VPCP-CN"), not a kind of document.
        quality *= 0.6 if parts[0] in KINDS.values() and len(parts) > 1 else 0.9
    return _field(f"{digits}/{symbol}", quality * _ocr_factor(_words_conf(used)), ln.page, used)


def read_date(header: Header, lines: Sequence[Line], page: Page) -> Field | None:
    """The place-and-date line under the motto: "<place>, ngày … tháng … năm …"."""
    top = [ln for ln in lines if ln.box[1] < 0.3 * page.height and ln.box[2] > header.motto_x]
    for ln in top:
        folded = ln.folded
        at = folded.find("ngay")
        if at < 0 or "thang" not in folded[at:] or "nam" not in folded[at:]:
            continue
        parsed = V.parse_date(ln.text[at:])
        if parsed is None:
            return None  # the line is there but its day or month is not legible
        start, end = at + parsed.span[0], at + parsed.span[1]
        used, pos = [], 0
        for w in ln.words:
            if pos < end and pos + len(w.text) > start:
                used.append(w)
            pos += len(w.text) + 1
        quality = parsed.quality
        if re.search(r"ngay\d|\dthang", folded):
            quality *= 0.75  # the day glued to its word: written by hand into the blank
        if run_validators("issue_date", parsed.value, ["date_exists"], {}):
            quality *= 0.4
        return _field(parsed.value, quality * _ocr_factor(_words_conf(used)), ln.page, used)
    return None


def _clean(words: Sequence[Word], *, min_conf: float = 60.0) -> list[Word]:
    """Words that are text, not specks, rules or a stamp's edge read as letters ("F$", "—")."""
    return [
        w
        for w in words
        if w.conf >= min_conf and sum(c.isalnum() for c in w.text) >= max(1, 0.6 * len(w.text.strip(".,;:()")))
    ]


def _cleaned(ln: Line, min_conf: float = 60.0) -> Line | None:
    words = _clean(ln.words, min_conf=min_conf)
    return Line(tuple(words), ln.page) if words else None


# The words of bodies and offices, spelt as printed: OCR slips in their marks ("THÀNH PHÓ", "PHO CHỦ TỊCH")
# are put right when the letters agree.
_OFFICIAL_WORDS = (
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "THÀNH PHỐ",
    "CHÍNH PHỦ",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "VĂN PHÒNG",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "CHỦ NHIỆM",
    "PHÓ CHỦ NHIỆM",
    "TỈNH",
    "HUYỆN",
    "QUẬN",
    "PHƯỜNG",
)


def official_spelling(text: str) -> str:
    """Capitals of an issuer or office line with the marks of the words every such line uses."""
    out = text
    folded = fold(text)
    for phrase in sorted(_OFFICIAL_WORDS, key=len, reverse=True):
        target = fold(phrase)
        for m in re.finditer(r"(?<!\w)" + re.escape(target) + r"(?!\w)", folded):
            if out[m.start() : m.end()].isupper():
                out = out[: m.start()] + phrase + out[m.end() :]
    return out


def read_issuer(header: Header, lines: Sequence[Line], page: Page) -> Field | None:
    """The issuing body top left, above "Số:": a parent body's line, then its own ("ỦY BAN NHÂN DÂN /
    THÀNH PHỐ HÀ NỘI" gives "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")."""
    bottom = header.number_line.box[1] if header.number_line else 0.15 * page.height
    parts: list[list[Word]] = []
    for ln in lines:
        if ln.box[3] > bottom + 0.3 * ln.height or ln.box[1] > 0.3 * page.height:
            continue
        words = _clean([w for w in ln.words if (w.box[0] + w.box[2]) / 2 < header.motto_x], min_conf=30.0)
        if not words or _upper_share(" ".join(w.text for w in words)) < 0.7:
            continue
        if sum(c.isalpha() for w in words for c in w.text) < 3:
            continue
        parts.append(words)
    if not parts:
        return None
    used = [w for p in parts for w in p]
    value = official_spelling(squash_spaces(" ".join(w.text for w in used)))
    return _field(value, 0.9 * _ocr_factor(_words_conf(used)), page.number, used)


def read_subject(header: Header, lines: Sequence[Line], page: Page) -> Field | None:
    """The trích yếu: the lines under the kind's title, or a letter's "V/v …" under its number."""
    clean = sorted(
        (c for c in (_cleaned(ln, 55.0) for ln in lines) if c is not None and c.conf >= 50),
        key=lambda ln: (ln.box[1], ln.box[0]),
    )
    start: Line | None = None
    column: int | None = None
    if header.kind_line is not None:
        kb = header.kind_line.box
        start = next((ln for ln in clean if (ln.box[1] + ln.box[3]) / 2 > kb[3] - 0.2 * (kb[3] - kb[1])), None)
    else:
        start = next(
            (ln for ln in clean if re.match(r"^\W{0,2}v\s*/\s*v\b", ln.folded) and ln.box[1] < 0.4 * page.height),
            None,
        )
        column = header.motto_x  # a letter's subject stays left of the motto (a stamp, the date are right)
    if start is None:
        return None
    picked: list[Word] = []
    last = start.box[1]
    height = start.height
    for ln in clean:
        if ln.box[1] < start.box[1] or (column is not None and (ln.box[0] + ln.box[2]) / 2 > column):
            continue
        text = ln.text
        if ln.box[1] - last > 2.6 * height or fold(text).lstrip(" -_").startswith(_SUBJECT_STOP):
            break
        if picked and _upper_share(text) >= 0.7:
            break  # the body's name before the "Căn cứ" lines ("THỦ TƯỚNG CHÍNH PHỦ")
        picked.extend(ln.words)
        last = ln.box[1]
    if not picked:
        return None
    value = squash_spaces(" ".join(w.text for w in picked)).strip(" -_")
    return _field(value, 0.85 * _ocr_factor(_words_conf(picked)), page.number, picked)


_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")


def _is_name(words: Sequence[Word]) -> bool:
    texts = [w.text for w in words]
    return (
        2 <= len(texts) <= 5
        and all(_NAME_WORD.match(t) and t[0].isupper() and not t[1:].isupper() for t in texts)
        and all(w.conf >= 60 for w in words)
    )


def read_signer(lines: Sequence[Line], page: Page) -> tuple[Field | None, Field | None]:
    """The signer's title ("KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG", lines joined by " / ") and name, bottom right of
    the last page: the name is the last line of the right half, the title the capitals above its signature."""
    right = [
        c
        for c in (_cleaned(ln, 45.0) for ln in lines)
        if c is not None
        and c.box[0] > 0.4 * page.width
        and c.box[1] > 0.35 * page.height
        and len(_letters(c.text)) >= 3
    ]
    right.sort(key=lambda ln: ln.box[1])
    name_line = None
    for ln in reversed(right):
        if _is_name(ln.words):
            name_line = ln
            break
        if _upper_share(ln.text) < 0.7 and len(ln.words) > 5:
            break  # running text: the signature block is not on this page
    if name_line is None:
        return None, None
    title_lines: list[Line] = []
    for ln in reversed([r for r in right if r.box[3] <= name_line.box[1]]):
        upper = _upper_share(ln.text) >= 0.7
        if not title_lines:
            if not upper:
                continue  # a stroke of the signature read as letters
            if name_line.box[1] - ln.box[3] > 14 * ln.height:
                break  # too far above the name to be its title
        elif not upper or title_lines[0].box[1] - ln.box[3] > 2.5 * ln.height:
            break
        title_lines.insert(0, ln)
    title = None
    if title_lines:
        used = [w for ln in title_lines for w in ln.words]
        value = " / ".join(official_spelling(squash_spaces(ln.text)) for ln in title_lines)
        title = _field(value, 0.85 * _ocr_factor(_words_conf(used)), page.number, used)
    sure = 0.9 if title is not None else 0.6  # a name with no title above it may be anyone's
    name = _field(name_line.text, sure * _ocr_factor(_words_conf(name_line.words)), page.number, name_line.words)
    return title, name


def extract_official(spec: DocTypeSpec, pages: Sequence[Page]) -> dict[str, Field]:
    """The fields of an official document: header fields from its first page, the signer from its last."""
    readable = [p for p in pages if not p.blank and not p.separator and p.words]
    if not readable:
        return {}
    first, last = readable[0], readable[-1]
    lines = page_lines(first)
    header = find_header(lines, first)
    found: dict[str, Field | None] = {
        "document_number": read_number(header, lines),
        "issue_date": read_date(header, lines, first),
        "issuer": read_issuer(header, lines, first),
        "subject": read_subject(header, lines, first),
    }
    found["signer_title"], found["signer_name"] = read_signer(page_lines(last), last)
    keys = {f.key for f in spec.fields}
    return {k: v for k, v in found.items() if v is not None and k in keys}
