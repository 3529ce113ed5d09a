"""The label reader: fields found by their printed labels on the OCR lines of its pages (one source of
candidates and cues for `resolve.extract_fields`, which decides).

1. The OCR words become line segments (a line split where a wide gap separates two columns or two
   label/value pairs), each knowing its page, box and column.
2. Every label of the type is looked for in every segment, fuzzily and without diacritics, so that OCR
   slips in labels ("H0 va ten") still match. Where labels overlap, the longest wins: "Họ và tên người mẹ"
   is the mother's, not the child's "Họ và tên".
3. The value is what follows the label up to the next label, or, when that is empty, the next line of the
   same column. It is parsed by its kind, normalised and validated; the confidence combines the label
   match, the parse, the OCR confidence of its words and the checks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from pipeline.extract import values as V
from pipeline.extract.mrz import read_mrz
from pipeline.extract.names import fix_family_name
from pipeline.extract.official import extract_official
from pipeline.extract.places import fix_province, province_of
from pipeline.extract.text import fold, squash_spaces
from pipeline.extract.validate import check_cccd, run_validators
from schemas.doctypes import DocTypeSpec, FieldSpec
from schemas.record import Field, Page

_LABEL_CUTOFF = 82.0
_SHORT_LABEL = 4


@dataclass(frozen=True)
class WordRef:
    start: int
    end: int
    box: tuple[int, int, int, int]
    conf: float


@dataclass(frozen=True)
class Segment:
    page: int
    text: str
    folded: str
    words: tuple[WordRef, ...]
    box: tuple[int, int, int, int]  # in the coordinates of the text read upright
    column: str  # left | right | full
    index: int


@dataclass(frozen=True)
class LabelHit:
    field: FieldSpec
    label: str
    score: float
    seg: int
    start: int
    end: int


Box = tuple[int, int, int, int]


def segments(pages: Sequence[Page]) -> list[Segment]:
    """The document's text as line segments in reading order."""
    out: list[Segment] = []
    for page in pages:
        if page.blank or page.separator or not page.words:
            continue
        lines: dict[tuple[int, int], list] = {}
        for w in page.words:
            lines.setdefault((w.block, w.line), []).append(w)
        heights = [w.box[3] - w.box[1] for w in page.words]
        height = float(np.median(heights))
        gap_limit = max(0.06 * page.width, 5 * height)
        runs: list[tuple[list, list[Box], int, bool]] = []  # words, upright boxes, line width, upright line
        for words in lines.values():
            frame = _reading_frame(words, page.width, page.height)
            width = max(page.width if frame is None else page.height, 1)
            limit = gap_limit
            if frame is not None:
                limit = max(0.06 * width, 5 * float(np.median([w.box[2] - w.box[0] for w in words])))
            boxes = [_upright(w.box, frame) for w in words]
            order = sorted(range(len(words)), key=lambda i: boxes[i][0])
            run: list[int] = [order[0]]
            for prev, cur in itertools.pairwise(order):
                if boxes[cur][0] - boxes[prev][2] > limit:
                    runs.append(([words[i] for i in run], [boxes[i] for i in run], width, frame is None))
                    run = []
                run.append(cur)
            runs.append(([words[i] for i in run], [boxes[i] for i in run], width, frame is None))
        edges = _column_edges([b[0][0] for _, b, _, upright in runs if upright], height)
        for words, boxes, width, upright in runs:
            for a0, z0 in _split_at_columns(boxes, edges, height) if upright else [(0, len(words))]:
                for a, z in _split_at_rules(words, a0, z0):
                    out.append(_segment(page.number, words[a:z], boxes[a:z], width, len(out)))
    return out


_RULE_WORDS = frozenset({"|", "¦", "│", "‖"})


def _split_at_rules(words: Sequence, a: int, z: int) -> list[tuple[int, int]]:
    """Words a..z of a line cut at a table's vertical rule that OCR read as a bar between two cells ("ngày 05
    tháng 06 năm 1961 | ngày 11 tháng 05 năm 1966", "Họ, chữ đệm, tên | NGUYỄN THỊ VÂN"): each cell its own
    segment, the bar in none. A bar that opens or ends the line is left as it was."""
    bars = [k for k in range(a + 1, z - 1) if words[k].text in _RULE_WORDS]
    out: list[tuple[int, int]] = []
    start = a
    for k in bars:
        if k > start:
            out.append((start, k))
        start = k + 1
    out.append((start, z))
    return out


def _column_edges(starts: Sequence[int], height: float) -> list[float]:
    """Left edges that three or more lines of the page start at (within half a letter's height): the columns
    of a form printed side by side."""
    xs = sorted(starts)
    edges: list[float] = []
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] - xs[i] <= 0.5 * height:
            j += 1
        if j - i + 1 >= 3:
            edges.append(float(np.mean(xs[i : j + 1])))
        i = j + 1
    return edges


def _split_at_columns(boxes: Sequence[Box], edges: Sequence[float], height: float) -> list[tuple[int, int]]:
    """A line read across two columns printed close together ("…, tỉnh An" | "Tên trẻ (nếu đã đặt)"): cut where
    a gap wider than two letters' height ends at a column's left edge that other lines start at. A word space
    is a third of that, so running text is never cut."""
    cuts = [
        k
        for k in range(1, len(boxes))
        if boxes[k][0] - boxes[k - 1][2] > 2 * height
        and any(abs(boxes[k][0] - e) <= 0.5 * height for e in edges)
        and boxes[k][0] - boxes[0][0] > 4 * height
    ]
    bounds = [0, *cuts, len(boxes)]
    return list(itertools.pairwise(bounds))


def _reading_frame(words: list, page_width: int, page_height: int) -> tuple[str, int, int] | None:
    """A line printed sideways (a card photocopied turned a quarter, which the page stage left so and
    Tesseract read as vertical text): ("down" | "up", page width, page height); None for an upright line."""
    letters = [w for w in words if len(w.text) >= 3]
    ys = [v for w in words for v in (w.box[1], w.box[3])]
    xs = [v for w in words for v in (w.box[0], w.box[2])]
    if not letters or max(ys) - min(ys) <= max(xs) - min(xs):
        return None
    if sum((w.box[3] - w.box[1]) > 1.5 * (w.box[2] - w.box[0]) for w in letters) < 0.7 * len(letters):
        return None
    # Tesseract gives a line's words in reading order: first above the last when the text runs down.
    return ("down" if letters[0].box[1] <= letters[-1].box[1] else "up", page_width, page_height)


def _upright(box: Sequence[int], frame: tuple[str, int, int] | None) -> Box:
    """A box in the coordinates of the text read upright (the page's own when it is)."""
    x0, y0, x1, y1 = box[0], box[1], box[2], box[3]
    if frame is None:
        return (x0, y0, x1, y1)
    direction, width, height = frame
    if direction == "down":  # turned clockwise: lines run down, the first on the right
        return (y0, width - x1, y1, width - x0)
    return (height - y1, x0, height - y0, x1)


def _segment(page: int, words: list, boxes: list[Box], width: int, index: int) -> Segment:
    parts: list[str] = []
    refs: list[WordRef] = []
    pos = 0
    for w in words:
        if parts:
            pos += 1
        refs.append(
            WordRef(start=pos, end=pos + len(w.text), box=(w.box[0], w.box[1], w.box[2], w.box[3]), conf=w.conf)
        )
        parts.append(w.text)
        pos += len(w.text)
    text = " ".join(parts)
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    if x0 < 0.42 * width and x1 > 0.58 * width:
        column = "full"
    else:
        column = "left" if (x0 + x1) / 2 < width / 2 else "right"
    return Segment(
        page=page, text=text, folded=fold(text), words=tuple(refs), box=(x0, y0, x1, y1), column=column, index=index
    )


_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[a-z])\s*[.)]\s*")


@lru_cache(maxsize=4096)
def _label_pattern(label: str) -> tuple[str, re.Pattern[str], re.Pattern[str] | None]:
    """The label folded, and for a short one its patterns: at a segment's start, and after a slash (the
    English half of a bilingual label). Made once per label: labels are tried against every segment."""
    lab = squash_spaces(fold(label))
    at_start = re.compile(r"^\s*(?:\d{1,2}\s*[.)]\s*)?" + re.escape(lab) + r"(?=\s*[:/]|\s)")
    after_slash = re.compile(r"/\s*" + re.escape(lab) + r"(?=\s*[:/]|\s)") if label.isascii() else None
    return lab, at_start, after_slash


def _find_label(label: str, seg: Segment) -> tuple[float, int, int] | None:
    lab, at_start, after_slash = _label_pattern(label)
    text = seg.folded
    if len(lab) <= _SHORT_LABEL:
        # Short labels ("Số", "Ông", "Bà") only count at the start of a segment, followed by ':' or a space.
        m = at_start.match(text)
        if m is None and after_slash is not None:
            # The English half of a bilingual label follows a slash: "Giới tính / Sex", "Glớitnh/Sex Nam".
            m = after_slash.search(text)
        if m is None:
            return None
        return 100.0, m.start() + m.group().find(lab[0]), m.end()
    if len(text) < 0.85 * len(lab):
        return None  # the segment is shorter than the label: at best a piece of it
    res = fuzz.partial_ratio_alignment(lab, text, score_cutoff=_LABEL_CUTOFF)
    if res is None:
        return None
    start, end = res.dest_start, res.dest_end
    if end - start < 0.85 * len(lab):
        return None
    if " " not in lab and res.score < 100 and any(c.isalnum() for c in text[:start]):
        return None  # a one-word label read loosely inside a line is an ordinary word ("trung" in "Trung bình")
    # A label starts a segment or follows a separator; a match inside running text is not a label.
    before = text[:start]
    if (
        len(before.strip()) > 2  # a speck or a table rule read as a letter at the line's start is no text
        and any(c.isalnum() for c in before)
        and not _NUMBERING.fullmatch(before)
        and not re.search(r"[:;/]\s*$|\s{2,}$", before)
    ):
        return None
    # Extend to the end of a word cut short by the alignment.
    while end < len(text) and text[end].isalnum() and end - res.dest_end < 2:
        end += 1
    return float(res.score), start, end


def find_labels(spec: DocTypeSpec, segs: Sequence[Segment]) -> list[LabelHit]:
    """Every label occurrence, overlaps resolved in favour of the longer (more specific) label."""
    hits: list[LabelHit] = []
    for seg in segs:
        found: list[LabelHit] = []
        for f in spec.fields:
            for label in f.labels:
                if fold(label) == "ngay":
                    continue  # dates in words are found by their pattern, not by this label
                m = _find_label(label, seg)
                if m is not None:
                    found.append(LabelHit(field=f, label=label, score=m[0], seg=seg.index, start=m[1], end=m[2]))
        # An exact match beats a fuzzy one; among near-equals the longer label is the more specific.
        found.sort(key=lambda h: -(h.score + 0.3 * len(h.label)))
        taken: list[LabelHit] = []
        for h in found:
            if any(t.field.key == h.field.key for t in taken if t.start < h.end and h.start < t.end):
                continue
            if all(h.end <= t.start or h.start >= t.end for t in taken):
                taken.append(h)
            elif any(t.start == h.start and t.end == h.end and t.label == h.label for t in taken):
                taken.append(h)  # the same printed label serves two fields (wife's and husband's columns)
        hits.extend(sorted(taken, key=lambda h: h.start))
    return hits


def parse_value(f: FieldSpec, text: str) -> V.Parsed | None:
    """`text` read as a value of the field's kind (normalised), or None."""
    return _parse(f.kind, text, f)


def _parse(kind: str, text: str, f: FieldSpec) -> V.Parsed | None:
    if kind == "date":
        # "Có giá trị đến: Không thời hạn" - a card issued after 60 does not expire.
        return V.parse_date(text) or (V.parse_choice(text, f.choices) if f.choices else None)
    if kind == "id_number":
        return (
            V.parse_digits(text, length=12, fallback=False)
            or V.parse_digits(text, length=9, fallback=False)
            or V.parse_digits(text, length=12)
        )
    if kind == "digits":
        return V.parse_digits(text)
    if kind == "reg_number":
        return V.parse_reg_number(text)
    if kind == "school":
        return V.parse_school(text)
    if kind == "phone":
        return V.parse_phone(text)
    if kind == "name":
        return V.parse_name(text)
    if kind == "area":
        return V.parse_area(text)
    if kind == "year":
        return V.parse_year(text)
    if kind == "serial":
        return V.parse_serial(text)
    if kind == "sex":
        return V.parse_sex(text)
    if kind == "choice":
        return V.parse_choice(text, f.choices)
    parsed = V.parse_text(text)
    if kind == "address" and parsed is not None and _no_address(parsed.value):
        return None
    if kind == "address" and parsed is not None and V.parse_date(parsed.value) is not None:
        return V.Parsed(value=parsed.value, quality=0.2, span=parsed.span)  # a date line is no address
    if kind == "address" and parsed is not None:
        fixed, changed = fix_province(parsed.value)
        if changed:  # as sure as the other letters: the address is still the OCR's
            return V.Parsed(value=fixed, quality=0.9 * parsed.quality, span=parsed.span)
    return parsed


# A word of the card's machine-readable zone ("TA<<MY<YEN<<<<"): read on the line after an address, never in one.
_MRZ_WORD = re.compile(r"\s*\S*<<.*$")
_REPEATED = re.compile(r"(\D)\1\1")


def _noise_word(word: str) -> bool:
    """A word of specks, not of print: a card's guilloche or a rule read as "mmmmmmm=====-'" or "——==-."
    (the same letter three times running, or fewer letters and digits than other marks)."""
    alnum = sum(c.isalnum() for c in word)
    return alnum == 0 or 2 * alnum < len(word) or _REPEATED.search(word) is not None


def address_trimmed(text: str, f: FieldSpec) -> str:
    """An address taken with what was read around it, without that: the noise words before it, a second
    reading of the field's own label ("Place of residerce", the English half of a bilingual label read too
    loosely to be found), and a machine-readable zone read on after it."""
    start, end = _address_bounds(text, f)
    return text[start:end].strip() or text


def _address_bounds(text: str, f: FieldSpec) -> tuple[int, int]:
    end = len(text)
    if (m := _MRZ_WORD.search(text)) is not None:
        end = m.start()
    start = 0
    for word in re.finditer(r"\S+", text[:end]):
        if not _noise_word(word.group()):
            start = word.start()
            break
    else:
        return 0, end
    folded = fold(text[start:end])
    for label in f.labels:
        lab = squash_spaces(fold(label))
        if len(lab) < 8 or len(folded) <= len(lab) + 2:
            continue
        res = fuzz.partial_ratio_alignment(lab, folded[: len(lab) + 3], score_cutoff=_LABEL_CUTOFF)
        if res is not None and res.dest_start <= 2 and res.dest_end - res.dest_start >= 0.85 * len(lab):
            cut = start + res.dest_end
            while cut < end and text[cut].isalnum():  # to the end of the word the alignment stopped in
                cut += 1
            rest = V.strip_leaders(text[cut:end])
            return end - len(rest), end
    return start, end


_A_TICK = re.compile(r"[(\[]\s*[xX✓✔]\s*[)\]]|[☒☑⊠]")


def _no_address(text: str) -> bool:
    """One or two words with no number and no comma are no address: an address names a house, a village or its
    units ("Thôn 2, xã …"); such words are a label of the row under ("Di động") or a stray heading. Nor is a
    text with a colon: that is a label and its value ("Họ, chữ đệm, tên người cha: LÊ GIA HIẾU"); nor one with a
    tick: that is a row of options ("(x) Bưu chính   Trực tuyến")."""
    if ":" in text or _A_TICK.search(text):
        return True
    return len(text.split()) <= 2 and not any(c.isdigit() or c == "," for c in text)


@dataclass(frozen=True)
class Candidate:
    key: str
    value: str
    confidence: float
    page: int
    box: list[int] | None
    seg: int = -1


def words_conf_box(seg: Segment, start: int, end: int) -> tuple[float, list[int] | None]:
    inside = [w for w in seg.words if w.end > start and w.start < end]
    if not inside:
        return 0.0, None
    conf = min(w.conf for w in inside) * 0.5 + float(np.mean([w.conf for w in inside])) * 0.5
    box = [
        min(w.box[0] for w in inside),
        min(w.box[1] for w in inside),
        max(w.box[2] for w in inside),
        max(w.box[3] for w in inside),
    ]
    return conf, box


def _ocr_factor(conf: float) -> float:
    # Tesseract's word confidence: ≥ 90 is usually right, below 60 usually wrong.
    return float(np.clip((conf - 45.0) / 45.0, 0.0, 1.0))


def _label_tail(text: str, f: FieldSpec) -> int:
    """How much of `text`, what follows a label matched in its Vietnamese half, is the label's English half
    ("/ Place of residence:") that OCR garbled beyond matching ("/ Piace of moiduisè"). 0 when none."""
    s = text.lstrip(" :")
    if not s.startswith("/"):
        return label_runs_on(text)
    skipped = len(text) - len(s)
    colon = s.find(":")
    if 0 < colon <= 40:
        return skipped + colon + 1
    english = [fold(lab) for lab in f.labels if lab.isascii()]
    head = fold(s[1:]).strip()
    if english and max(fuzz.ratio(head, lab) for lab in english) >= 55:
        return len(text)
    return 0


def school_word(text: str, start: int, end: int) -> int | None:
    """Where the school's name begins when the label matched at text[start:end] ends in the word "trường" that
    is the name's own: the label is that word alone ("Trường THPT Nguyễn Du"), or the word is printed with its
    capital ("Học sinh Trường THPT Việt Đức", where the label "Học sinh trường" took it). None otherwise."""
    label = text[start:end].rstrip()
    words = label.split()
    if not words or fold(words[-1]) != "truong":
        return None
    if len(words) > 1 and not words[-1][0].isupper():
        return None
    return start + len(label) - len(words[-1])


def label_runs_on(text: str) -> int:
    """How much of `text`, what follows a label, is the rest of a longer printed label up to its colon: a few
    lower-case words that carry the label on ("Địa chỉ" + " nhận kết quả:", "Họ, chữ đệm, tên" + " người yêu
    cầu:"). A value is no such run: it has digits, commas, capitals or a wide gap before the next pair. 0 when
    none."""
    colon = text.find(":")
    head = text[:colon] if colon > 0 else ""
    words = head.split()
    if not 1 <= len(words) <= 4 or not words[0][0].islower() or "   " in head.strip():
        return 0
    if any(c.isdigit() or c in ",;" for c in head) or any(w.isupper() and len(w) > 1 for w in words):
        return 0
    return colon + 1


def _value_after(
    hit: LabelHit, segs: Sequence[Segment], next_start: int | None, f: FieldSpec, label_segs: set[int]
) -> tuple[Segment, int, int, V.Parsed] | None:
    seg = segs[hit.seg]
    stop = next_start if next_start is not None else len(seg.text)
    name_from = school_word(seg.text, hit.start, hit.end) if f.kind == "school" else None
    if name_from is not None:
        after = seg.text[hit.end : stop].lstrip()
        if after and not after.startswith(":"):  # "Trường THPT Nguyễn Du": the word is the name's, no label
            parsed = V.parse_school(seg.text[name_from:stop])
            if parsed is not None:
                return seg, name_from + parsed.span[0], name_from + parsed.span[1], parsed
    begin = hit.end + _label_tail(seg.text[hit.end : stop], f)
    rest = seg.text[begin:stop]
    begin += len(rest) - len(V.strip_leaders(rest))
    parsed = _parse(f.kind, seg.text[begin:stop], f)
    if parsed is not None:
        return seg, begin + parsed.span[0], begin + parsed.span[1], parsed
    if sum(c.isalnum() for c in seg.text[begin:stop]) > 1:
        return None  # something is printed after the label, and it is not a value of this kind
    # The value is on the next line, under the label (CCCD cards print it so): a line that starts within
    # the label's span and is no label itself. A line of capitals that is the label and nothing else, without
    # a colon, is a heading or the title ("TÌNH TRẠNG HÔN NHÂN" under "GIẤY XÁC NHẬN"), not a label.
    if ":" not in seg.text and V.is_upper_word(seg.text.replace(" ", "")):
        return None
    height = seg.box[3] - seg.box[1]
    for nxt in segs[hit.seg + 1 : hit.seg + 4]:
        if nxt.page != seg.page or nxt.index in label_segs:
            continue
        under = seg.box[0] - 2 * height <= nxt.box[0] <= seg.box[2] and nxt.box[1] >= seg.box[1]
        if not under or nxt.box[1] - seg.box[3] > 3 * height:
            continue
        parsed = _parse(f.kind, nxt.text, f)
        if parsed is not None:
            return nxt, parsed.span[0], parsed.span[1], parsed
        break
    return None


def _address_carried_on(
    seg: Segment,
    end: int,
    parsed: V.Parsed,
    segs: Sequence[Segment],
    label_segs: set[int],
    headings: dict[int, str],
    f: FieldSpec,
) -> tuple[Segment, V.Parsed] | None:
    """An address that ends its line without its province ("…, phường Hải Châu, thành phố" / "Đà Nẵng"): the
    line just under it, when that line is no label and no heading, and with it the address ends in a province."""
    if sum(c.isalnum() for c in seg.text[end:]) > 1 or province_of(parsed.value.rsplit(",", 1)[-1].strip()):
        return None
    height = seg.box[3] - seg.box[1]
    under = [
        n
        for n in segs[seg.index + 1 : seg.index + 4]
        if n.page == seg.page
        and seg.box[0] - 2 * height <= n.box[0] <= (seg.box[0] + seg.box[2]) / 2
        and -0.3 * height <= n.box[1] - seg.box[3] <= 1.5 * height
    ]
    nxt = under[0] if under else None
    if nxt is None or nxt.index in label_segs or nxt.index in headings or ":" in nxt.text or len(nxt.text) > 60:
        return None
    joined = _parse(f.kind, f"{parsed.value} {nxt.text}", f)
    if joined is None or province_of(joined.value.rsplit(",", 1)[-1].strip()) is None:
        return None
    return nxt, joined


def _unlabelled(f: FieldSpec, segs: Sequence[Segment], label_segs: set[int]) -> Candidate | None:
    """A value printed alone on its line, without its label (the red serial under a land-use certificate's
    title page): the first line that is nothing but a value of the field's kind."""
    for seg in segs:
        if seg.index in label_segs:
            continue
        parsed = _parse(f.kind, seg.text, f)
        if parsed is None:
            continue
        outside = seg.text[: parsed.span[0]] + seg.text[parsed.span[1] :]
        if any(c.isalnum() for c in outside):
            continue
        conf_ocr, box = words_conf_box(seg, *parsed.span)
        # No label vouches for it: a guess by its shape, for a reviewer to confirm.
        return Candidate(f.key, parsed.value, 0.75 * parsed.quality * _ocr_factor(conf_ocr), seg.page, box, seg.index)
    return None


def _with_mrz(
    fields: Sequence[FieldSpec], segs: Sequence[Segment], found: dict[str, Candidate], labels: set[int]
) -> None:
    """Fill or confirm a card's fields from its machine-readable zone; a value the zone contradicts is
    replaced by the zone's (its check digit holds) and left for review."""
    mrz = read_mrz([(s.index, s.text) for s in segs])
    if mrz is None:
        return
    for f in fields:
        if f.mrz == "name":
            _name_from_mrz(f, mrz.name, segs, found, labels)
            continue
        got = mrz.get(f.mrz or "")
        if got is None:
            continue
        value = got.value or (f.choices[0] if f.choices else "")  # an empty expiry: the card does not expire
        if not value:
            continue
        seg = segs[got.seg]
        box = words_conf_box(seg, 0, len(seg.text))[1]
        front = found.get(f.key)
        if front is not None and front.value == value:
            found[f.key] = replace(front, confidence=max(front.confidence, 0.95))  # two readings agree
        elif front is None and got.checked:
            found[f.key] = Candidate(f.key, value, 0.9, seg.page, box, seg.index)
        elif got.checked:
            found[f.key] = Candidate(f.key, value, 0.6, seg.page, box, seg.index)
        elif front is not None:
            found[f.key] = replace(front, confidence=front.confidence * 0.6)


def _name_from_mrz(
    f: FieldSpec, name: str | None, segs: Sequence[Segment], found: dict[str, Candidate], labels: set[int]
) -> None:
    """The zone spells the name without marks: it finds the printed name when its label was not read, or
    shows that what was read after the label is not the name."""
    if not name:
        return
    front = found.get(f.key)
    if front is not None and fuzz.ratio(fold(front.value).upper(), name) >= 80:
        return
    for seg in segs:
        if seg.index in labels or "<" in seg.text:
            continue
        parsed = V.parse_name(seg.text)
        if parsed is not None and fuzz.ratio(fold(parsed.value).upper(), name) >= 85:
            conf_ocr, box = words_conf_box(seg, *parsed.span)
            value, _ = fix_family_name(parsed.value)
            found[f.key] = Candidate(f.key, value, 0.6 * _ocr_factor(conf_ocr), seg.page, box, seg.index)
            return
    if front is not None:
        found[f.key] = replace(front, confidence=front.confidence * 0.5)


def _words_in_date(segs: Sequence[Segment]) -> list[tuple[Segment, V.Parsed]]:
    found = []
    for seg in segs:
        if "thang" in seg.folded and "nam" in seg.folded:
            parsed = V.parse_date(seg.text)
            if parsed is not None and "ngay" in seg.folded[max(0, parsed.span[0] - 1) : parsed.span[1]]:
                found.append((seg, parsed))
    return found


def _section_of(hit: LabelHit, segs: Sequence[Segment], headings: dict[int, str]) -> str | None:
    """The heading printed above a label in its column ("Người mẹ", "Thông tin người vợ")."""
    col = segs[hit.seg].column
    page = segs[hit.seg].page
    for i in range(hit.seg - 1, -1, -1):
        seg = segs[i]
        if seg.page != page:
            break
        if i in headings and (seg.column == col or "full" in (seg.column, col)):
            return headings[i]
    return None


def _headings(spec: DocTypeSpec, segs: Sequence[Segment]) -> dict[int, str]:
    names = {fold(h) for f in spec.fields for h in f.sections}
    found: dict[int, str] = {}
    for seg in segs:
        text = seg.folded.strip(" :.-")
        scored = [(fuzz.ratio(name, text), name) for name in names if len(text) <= len(name) + 6]
        if scored and max(scored)[0] >= 85:
            found[seg.index] = max(scored)[1]
    return found


def read_labelled(spec: DocTypeSpec, pages: Sequence[Page], segs: Sequence[Segment] | None = None) -> dict[str, Field]:
    """The label reader: each field's value after its exact printed label (the rules described above).
    `segs`: the pages' segments when the caller has them already (`segments(pages)`)."""
    if spec.key == "official_document":
        return extract_official(spec, pages)  # found by layout, not by labels
    segs = list(segs) if segs is not None else segments(pages)
    hits = find_labels(spec, segs)
    headings = _headings(spec, segs)
    section_names = set(headings.values())
    label_count: dict[str, int] = {}
    for f in spec.fields:
        for lab in {fold(x) for x in f.labels}:
            label_count[lab] = label_count.get(lab, 0) + 1
    shared = {lab for lab, n in label_count.items() if n > 1}
    by_seg: dict[int, list[LabelHit]] = {}
    for h in hits:
        by_seg.setdefault(h.seg, []).append(h)
    # Segments that open with a label: never the value of the label above them.
    label_starts = {h.seg for h in hits if h.start <= 3}

    found: dict[str, Candidate] = {}
    alternatives: dict[str, list[Candidate]] = {}
    for f in spec.fields:
        mine = [h for h in hits if h.field.key == f.key]
        anchor = found.get(f.after) if f.after else None
        # A person's name printed across the page: the paper lists the two people one after the other
        # rather than side by side, and their details are in no particular column.
        stacked = anchor is not None and segs[anchor.seg].column == "full"
        if f.column and not stacked:
            mine = [h for h in mine if segs[h.seg].column in (f.column, "full")]
        own = {fold(s) for s in f.sections}
        if own and (section_names or anchor is None):
            # A label shared with other fields ("Họ, chữ đệm, tên") is this field's only under its heading.
            mine = [h for h in mine if fold(h.label) not in shared or _section_of(h, segs, headings) in own]
        elif anchor is not None:
            # No headings printed: a shared label belongs to the nearest person named above it.
            acol = segs[anchor.seg].column
            mine = [
                h
                for h in mine
                if fold(h.label) not in shared
                or (h.seg > anchor.seg and (segs[h.seg].column == acol or "full" in (acol, segs[h.seg].column)))
            ]
            mine.sort(key=lambda h: h.seg)
        elif section_names:
            # ... and not the child's or the holder's when printed under someone else's heading.
            mine = [
                h
                for h in mine
                if fold(h.label) not in shared or _section_of(h, segs, headings) not in section_names or f.column
            ]
        # A field printed twice with the same labels (wife/husband in one column each) takes its n-th.
        mine = mine[f.occurrence - 1 :] if f.occurrence > 1 else mine
        if anchor is None:
            # The most specific label first (the spec lists them so), then in reading order.
            rank = {lab: i for i, lab in enumerate(f.labels)}
            mine.sort(key=lambda h: (rank.get(h.label, len(rank)), h.seg, h.start))
        best: Candidate | None = None
        options: list[Candidate] = []
        for h in mine:
            later = [o.start for o in by_seg[h.seg] if o.start >= h.end and o is not h]
            got = _value_after(h, segs, min(later) if later else None, f, label_starts)
            if got is None:
                continue
            seg, start, end, parsed = got
            conf_ocr, box = words_conf_box(seg, start, end)
            if f.kind == "address":
                wrapped = _address_carried_on(seg, end, parsed, segs, label_starts | set(by_seg), headings, f)
                if wrapped is not None:
                    nxt, parsed = wrapped
                    conf_next, box_next = words_conf_box(nxt, 0, len(nxt.text))
                    conf_ocr = min(conf_ocr, conf_next)
                    if box is not None and box_next is not None:
                        box = [min(box[0], box_next[0]), box[1], max(box[2], box_next[2]), box_next[3]]
            confidence = (h.score / 100.0) * parsed.quality * _ocr_factor(conf_ocr)
            if f.kind == "name":
                fixed, changed = fix_family_name(parsed.value)
                if changed:
                    parsed = V.Parsed(value=fixed, quality=parsed.quality, span=parsed.span)
                    confidence *= 0.9
            cand = Candidate(f.key, parsed.value, confidence, seg.page, box, h.seg)
            options.append(cand)
            if best is None or cand.confidence > best.confidence + 0.1:
                best = cand
            if anchor is not None:
                break  # the nearest below the person's name is theirs
        if best is None and f.kind == "date" and any(fold(lab) == "ngay" for lab in f.labels):
            dated = _words_in_date(segs)
            if dated:
                seg, parsed = dated[-1]  # the place-and-date line above the signature
                conf_ocr, box = words_conf_box(seg, *parsed.span)
                best = Candidate(f.key, parsed.value, 0.9 * parsed.quality * _ocr_factor(conf_ocr), seg.page, box)
        if best is None and f.unlabelled:
            best = _unlabelled(f, segs, label_starts | set(by_seg))
        if best is not None:
            found[f.key] = best
            alternatives[f.key] = options

    mrz_fields = [f for f in spec.fields if f.mrz]
    if mrz_fields:
        _with_mrz(mrz_fields, segs, found, label_starts | set(by_seg))

    # A date of birth that disagrees with the ID number may be another date on the card (issue, expiry):
    # take the candidate the number agrees with, if there is one.
    id_key = next((f.key for f in spec.fields if "cccd" in f.validators), None)
    if id_key in found and "date_of_birth" in found:
        number = found[id_key].value
        sex = found["sex"].value if "sex" in found else None
        if check_cccd(number, sex=sex, date_of_birth=found["date_of_birth"].value):
            for alt in alternatives.get("date_of_birth", []):
                if not check_cccd(number, sex=sex, date_of_birth=alt.value):
                    found["date_of_birth"] = alt
                    break

    # Checks that look across fields; a failed check lowers every field it involves.
    values = {k: c.value for k, c in found.items()}
    involved: dict[str, float] = {}
    if id_key in found:
        for problem in check_cccd(
            found[id_key].value, sex=values.get("sex"), date_of_birth=values.get("date_of_birth")
        ):
            if "date of birth" in problem:
                involved["date_of_birth"] = 0.4
            if "sex" in problem:
                involved["sex"] = 0.4
    fields: dict[str, Field] = {}
    for f in spec.fields:
        chosen = found.get(f.key)
        if chosen is None:
            continue
        cand = chosen
        conf = cand.confidence * involved.get(f.key, 1.0)
        if f.validators and cand.value not in f.choices:
            problems = run_validators(f.key, cand.value, list(f.validators), values)
            if problems:
                conf *= 0.4
            elif "cccd" in f.validators and "date_of_birth" in values and "sex" in values:
                conf = max(conf, min(1.0, conf + 0.15))  # number, sex and birth year agree
        fields[f.key] = Field(
            value=cand.value, confidence=round(float(np.clip(conf, 0, 1)), 3), page=cand.page, box=cand.box
        )
    return fields
