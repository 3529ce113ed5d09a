"""Values as printed → normalised values, by kind; each parse says how sure it is (0-1).

Normal forms (the record's contract): dates YYYY-MM-DD; ID and phone numbers digits only; names in
capitals, NFC; areas a decimal with a point; everything else as printed with spaces folded: a serial keeps
its space ("CS 823149"), a registration number its slash and year ("229/2006").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from pipeline.extract.text import fold, nfc, squash_spaces


@dataclass(frozen=True)
class Parsed:
    value: str
    quality: float  # how cleanly the printed text matched the kind, 0-1
    span: tuple[int, int]  # characters of the input the value came from


# OCR often reads digits as look-alike letters inside numbers.
_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "l": "1",
        "|": "1",
        "i": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "g": "9",
        "G": "6",
        "T": "7",
    }
)

_DATE_NUM = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(
    r"ngay\s*(\d{1,2})\s*,?\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})",
)
_DIGIT_RUN = re.compile(r"\d[\d .\-]*\d|\d")


def _date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> Parsed | None:
    """12/05/2015, 12-5-2015, 12.05.2015 or 'ngày 12 tháng 05 năm 2015' (diacritics optional)."""
    folded = fold(text)
    m = _DATE_NUM.search(folded)
    quality = 1.0
    if m is None:
        m = _DATE_WORDS.search(folded)
        if m is None:
            fixed = folded.translate(_DIGIT_LOOKALIKES)
            m = _DATE_NUM.search(fixed) or _DATE_WORDS.search(fixed)
            quality = 0.6
            if m is None:
                return None
    d = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if d is None:
        return None
    return Parsed(value=d.isoformat(), quality=quality, span=m.span())


def parse_digits(text: str, *, length: int | None = None, fallback: bool = True) -> Parsed | None:
    """The first run of digits (spaces and dots inside allowed); with `length`, one of exactly that many."""
    candidates = [(m, 1.0) for m in _DIGIT_RUN.finditer(text)]
    if length is not None and not any(len(re.sub(r"\D", "", m.group())) == length for m, _ in candidates):
        fixed = text.translate(_DIGIT_LOOKALIKES)
        candidates += [(m, 0.6) for m in _DIGIT_RUN.finditer(fixed)]
    for m, quality in candidates:
        digits = re.sub(r"\D", "", m.group())
        if length is None or len(digits) == length:
            inner_gaps = len(re.findall(r"[ .\-]", m.group()))
            if length is None and inner_gaps:
                # "Số: 123 / 2015" — keep the first group only
                first = re.match(r"\d+", m.group())
                assert first is not None
                return Parsed(value=first.group(), quality=quality, span=(m.start(), m.start() + first.end()))
            return Parsed(value=digits, quality=quality * (0.95 if inner_gaps > 3 else 1.0), span=m.span())
    if length is not None and fallback:
        # A number of the wrong length (OCR added or lost a digit): keep it, for a reviewer to fix.
        longest = max(_DIGIT_RUN.finditer(text), key=lambda m: len(re.sub(r"\D", "", m.group())), default=None)
        if longest is not None and len(re.sub(r"\D", "", longest.group())) >= length - 3:
            return Parsed(value=re.sub(r"\D", "", longest.group()), quality=0.3, span=longest.span())
    return None


def parse_phone(text: str) -> Parsed | None:
    t = re.sub(r"\+\s*84\s*", "0", text)
    for m in re.finditer(r"0[\d .\-]{8,14}\d", t):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) in (10, 11):
            return Parsed(value=digits, quality=1.0, span=m.span())
    return None


_NAME_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def parse_name(text: str) -> Parsed | None:
    """A name printed in capitals: the longest run of 2-6 capitalised words."""
    text = nfc(text)
    tokens = list(_NAME_TOKEN.finditer(text))
    best: list[re.Match[str]] = []
    run: list[re.Match[str]] = []
    for tok in tokens:
        word = tok.group()
        if word.isupper() and len(word) >= 1:
            gap = text[run[-1].end() : tok.start()] if run else ""
            if run and gap.strip(" ") != "":
                if len(run) > len(best):
                    best = run
                run = []
            run.append(tok)
        else:
            if len(run) > len(best):
                best = run
            run = []
    if len(run) > len(best):
        best = run
    if not best:
        # Some papers print names in title case: accept, upper-cased, with less certainty.
        words = [t for t in tokens if t.group()[:1].isupper()]
        if 2 <= len(words) <= 6:
            span = (words[0].start(), words[-1].end())
            return Parsed(value=squash_spaces(text[span[0] : span[1]]).upper(), quality=0.7, span=span)
        return None
    span = (best[0].start(), best[-1].end())
    value = squash_spaces(text[span[0] : span[1]])
    n = len(best)
    quality = 1.0 if 2 <= n <= 5 else 0.6
    if any(len(t.group()) == 1 for t in best):
        quality *= 0.8
    return Parsed(value=value.upper(), quality=quality, span=span)


def parse_area(text: str) -> Parsed | None:
    """'1.250,5 m²' → 1250.5; a comma is the decimal separator and a dot groups thousands."""
    m = re.search(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(m2|m²|m\b)?", text)
    if m is None:
        return None
    whole = m.group(1).replace(".", "")
    value = whole + ("." + m.group(2) if m.group(2) else "")
    quality = 1.0 if m.group(3) else 0.85
    return Parsed(value=value, quality=quality, span=m.span())


def parse_year(text: str) -> Parsed | None:
    m = re.search(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)", text)
    if m is None:
        return None
    return Parsed(value=m.group(1), quality=1.0, span=m.span())


def parse_serial(text: str) -> Parsed | None:
    """Two capital letters and six digits (land-use), one letter and seven digits (diplomas), or a
    register-style number ("119/GCNTN-HHT", temporary graduation certificates)."""
    reg = re.search(r"\b(\d{1,6}\s*/\s*[A-ZĐ]{2,}(?:-[A-ZĐ0-9]+)*)", text)
    if reg is not None and not re.search(r"\b[A-Z]{1,2}\s*[-.]?\s*\d{6,8}\b", text):
        return Parsed(value=re.sub(r"\s+", "", reg.group(1)), quality=0.95, span=reg.span(1))
    m = re.search(r"\b([A-Z]{1,2})(\s*[-.]?\s*)(\d{6,8})\b", text)
    quality = 1.0
    if m is None:
        fixed = re.sub(r"(?<=[A-Z ])[O](?=\d)|(?<=\d)[O](?=\d)", "0", text)
        m = re.search(r"\b([A-Z]{1,2})(\s*[-.]?\s*)(\d{6,8})\b", fixed)
        if m is None:
            return None
        quality = 0.6
    # As printed, spaces folded: "CS 823149" keeps its space, "CS823149" stays without one.
    sep = m.group(2).strip() or (" " if m.group(2) else "")
    return Parsed(value=m.group(1) + sep + m.group(3), quality=quality, span=m.span())


_REG_NUMBER = re.compile(r"(?<![\d/])(\d{1,6})((?:\s*/\s*(?:\d{2,4}|[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*))*)")


def parse_reg_number(text: str) -> Parsed | None:
    """A registration number as printed: "123", "229/2006", "15/2019/QĐ" (slash, year and symbol kept)."""
    m = _REG_NUMBER.search(text)
    if m is None:
        return None
    tail = re.sub(r"\s+", "", m.group(2))
    # a symbol of letters ("340/TLKS-BS") is a paper's own number (an extract's, a decision's), less likely the
    # registration's (a number, with its year)
    quality = 0.6 if re.search(r"[A-ZĐ]", tail) else 1.0
    return Parsed(value=m.group(1) + tail, quality=quality, span=m.span())


# Checkboxes as Tesseract reads them: a ticked box ("☒", "X", "XÌ", "[x]") or an empty one ("☐", "L]", "[ ]", "O").
_TICKED = re.compile(r"(?:[☒☑✓✔⊠]|\[\s*[xX✓]\s*\]|(?<![A-Za-zÀ-ỹ])[xX][^\sA-Za-z]?)\s*$")
_EMPTY = re.compile(r"(?:[☐□▢]|\[\s*\]|L\]|\|_\||(?<![A-Za-zÀ-ỹ])[O0o])\s*$")
# ... or a tick written after the option, as a clerk marks a typed form: "Khá (x)", "Nam [x]".
_TICKED_AFTER = re.compile(r"^\s*[(\[]\s*[xX✓]\s*[)\]]")
_WRITTEN_TICK_BEFORE = re.compile(r"\(\s*[xX✓]\s*\)\s*$")


def _ticked(text: str, start: int, end: int) -> bool:
    """Whether the option printed at text[start:end] is ticked: a ticked box before it (not the "(x)" written
    after the option before it), or "(x)" after it."""
    if _TICKED_AFTER.match(text[end:]):
        return True
    return not _WRITTEN_TICK_BEFORE.search(text[max(0, start - 6) : start]) and bool(
        _TICKED.search(text[max(0, start - 4) : start])
    )


def parse_sex(text: str) -> Parsed | None:
    folded = fold(text)
    # "Việt Nam" on the nationality half of a card's line is no sex; "XÌNam": a tick read glued to the word
    same_length = len(text) == len(folded)
    words = [
        m
        # a ticked box read glued to the word: "XÌNam", "EXlNam"
        for m in re.finditer(r"(?<![a-z])(e?x[il1|]|x)?(nam|nu|male|female)\b", folded)
        if not (m.group(2) == "nam" and folded[max(0, m.start() - 5) : m.start()].endswith("viet "))
        # "năm" (year) folds to "nam": "ngày 10 tháng 3 năm 1998" holds no sex
        and not (same_length and nfc(text[m.start(2) : m.end(2)]) == "năm")
    ]
    if not words:
        return None

    def value_of(m: re.Match[str]) -> str:
        return "Nam" if m.group(2) in ("nam", "male") else "Nữ"

    if len({value_of(m) for m in words}) > 1:
        # "☐ Nam ☒ Nữ": both printed; the one after a ticked box when the boxes were read, else for a reviewer
        ticked = [m for m in words if m.group(1) or _ticked(text, m.start(), m.end())]
        empty = [m for m in words if not m.group(1) and _EMPTY.search(text[max(0, m.start() - 4) : m.start()])]
        written = len(ticked) == 1 and _TICKED_AFTER.match(text[ticked[0].end() :]) is not None
        if len(ticked) == 1 and (len(empty) == len(words) - 1 or written):
            return Parsed(value=value_of(ticked[0]), quality=0.9, span=ticked[0].span(2))
        return Parsed(value=value_of(words[0]), quality=0.3, span=words[0].span(2))
    m = words[0]
    if m.group(1) and m.group(1) in ("xi", "x"):  # "xinam" alone: a word, not a tick ("Xinam" is no sex)
        return None
    if not m.group(1) and _EMPTY.search(text[max(0, m.start() - 4) : m.start()]):
        return Parsed(value=value_of(m), quality=0.3, span=m.span(2))  # the one option read sits by an empty box
    # "nu" without its diacritic could be an OCR slip: check the printed form.
    printed = nfc(text[m.start() : m.end()]).lower() if len(text) == len(folded) else ""
    quality = 1.0 if printed in ("nam", "nữ", "male", "female", "") else 0.8
    return Parsed(value=value_of(m), quality=quality, span=m.span(2))


def parse_choice(text: str, choices: list[str]) -> Parsed | None:
    """The choice printed; when several are printed (the options of a form), the one ticked (a box before it,
    "(x)" after it), else the longest, doubtfully."""
    folded = fold(text)
    found: list[tuple[int, str, tuple[int, int]]] = []
    for choice in choices:
        m = re.search(r"(?<![a-z])" + re.escape(fold(choice)) + r"\b", folded)
        if m:
            found.append((len(choice), choice, m.span()))
    if not found:
        return None
    if len(found) > 1:
        ticked = [c for c in found if _ticked(text, c[2][0], c[2][1])]
        if len(ticked) == 1:
            return Parsed(value=ticked[0][1], quality=0.9, span=ticked[0][2])
        best = max(found)
        return Parsed(value=best[1], quality=0.3, span=best[2])
    best = found[0]
    return Parsed(value=best[1], quality=1.0, span=best[2])


def parse_text(text: str) -> Parsed | None:
    # Specks at the ends (a table rule read as "|", dust as "`") are no part of the value.
    value = squash_spaces(nfc(text)).strip(" .:;,-_…|`'\"“”‘’")
    value = re.sub(r"[.…_]{3,}", "", value).strip()
    if sum(c.isalnum() for c in value) < 2:  # a stray mark ("‹", "D") is no value
        return None
    return Parsed(value=value, quality=0.9, span=(0, len(text)))


_SCHOOL = re.compile(r"\b(?:Trường|TRƯỜNG)\s+\S.*")


def parse_school(text: str) -> Parsed | None:
    """A school's name as printed, from "Trường" on ("Trường THPT Nguyễn Du"); else the text as printed."""
    m = _SCHOOL.search(nfc(text))
    if m is not None:
        inner = parse_text(m.group())
        if inner is not None:
            # a heading in capitals ("TRƯỜNG THPT QUỐC HỌC" over a certificate) names the issuer, not a value
            quality = 0.6 if is_upper_word(inner.value.replace(" ", "")) else 0.9
            return Parsed(value=inner.value, quality=quality, span=(m.start(), len(text)))
    return parse_text(text)


def strip_leaders(text: str) -> str:
    """Remove the dotted leaders and colons printed between a label and its value."""
    return re.sub(r"^[\s:;,.…_\-/|¡!'\"]+", "", text)


def is_upper_word(word: str) -> bool:
    letters = [c for c in unicodedata.normalize("NFC", word) if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)
