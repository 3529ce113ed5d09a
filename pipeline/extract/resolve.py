"""Fields of a document: candidates by kind, roles by cues, one assignment, calibrated confidence.

1. The layout is built once (`layout.build_layout`): segments, rows, the cell to the left, the line above, the
   column header of a table.
2. Candidates: every value that parses as a field's kind, in every slot of every segment (a slot is what
   follows a colon or a label up to the next one, or the whole segment), plus what the label reader
   (`fields.read_labelled`: the exact-label rules) chose.
3. Each (field, candidate) pair gets cues (`FEATURES`): how well the text before it, the cell to its left or the
   line above reads as one of the field's labels, or as another field's; role words (`cues` in the type data)
   in that label; the heading or column header over it against the field's sections (wife's or husband's
   column); parse quality; OCR confidence; whether the label reader chose it. Boosted trees
   (`pipeline/models/fields.json`, learned by `learn.py` through `bench/fields.py --fit` from generated papers
   of two layout families; a logistic model beside them as the fallback) turn the cues into a score; Platt
   scaling fitted on out-of-fold scores (each layout fold scored by a model learned without it) makes it the
   probability that the value is right.
4. One assignment per document: pairs in order of probability, each field one value, each printed value one
   field (the husband is not given the wife's name), nothing below a floor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from pipeline.extract import values as V
from pipeline.extract.fields import (
    Segment,
    address_trimmed,
    find_labels,
    label_runs_on,
    parse_value,
    read_labelled,
    school_word,
    words_conf_box,
)
from pipeline.extract.layout import Layout, build_layout
from pipeline.extract.names import FAMILY_NAMES, fix_family_name
from pipeline.extract.places import complete_province, province_of
from pipeline.extract.text import fold, nfc, squash_spaces
from pipeline.extract.validate import run_validators
from schemas.doctypes import DocTypeSpec, FieldSpec
from schemas.record import Field, Page

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "fields.json"

FEATURES = (
    "bias",
    "label",  # best similarity of the field's labels to the label context (0-1)
    "label_exact",  # that similarity is ≥ 0.95
    "label_other",  # best similarity of another field's labels to it
    "label_margin",  # label - label_other
    "cue",  # a role word of the field in the label context
    "cue_other",  # a role word of another field
    "section",  # the heading / column header over the value against the field's sections
    "section_other",  # ... against another field's sections
    "ctx_same",  # the label context is the text before the value in its segment
    "ctx_left",  # ... the cell to its left on the row
    "ctx_above",  # ... the line above (label above its value)
    "ctx_none",  # no label context
    "quality",  # parse quality
    "ocr",  # OCR confidence factor of the value's words
    "rule",  # the label reader chose this value for this field
    "rule_other",  # the label reader chose this value for another field
    "whole",  # the value fills its slot (nothing else printed after it)
    "continued",  # a text value carried on to the line below
    "place_end",  # an address that ends in a province's name (a complete address)
    "completes",  # carried on to the line below, and that made the address complete
    "completes_rule",  # ... the label reader's own value, completed
    "rule_conf",  # the label reader's confidence in this value (its checks: the card's zone, cross-checks)
    "label_len",  # how specific the matching label is (its length, up to 30 letters)
    "label_len_margin",  # ... against the best label of another field ("Họ và tên khai sinh" beats "Họ và tên")
    "clause",  # the value follows a label inside a running sentence ("…, tờ bản đồ số 26, tại …")
    "no_family",  # a person's name that starts with no family name (a heading in capitals: "NGƯỜI ĐỠ ĐẺ")
)

_WRAPPING_KINDS = ("address", "text", "school")


@dataclass(frozen=True)
class Candidate:
    value: str
    seg: int
    start: int
    end: int
    quality: float
    page: int
    box: list[int] | None
    ocr: float
    context: str  # folded label context
    where: str  # same | left | above | none
    section: str  # folded heading or column header text, "" if none
    whole: bool
    continued: bool = False
    clause: bool = False  # from a clause of a running sentence (`clause_slots`)


def boosted_margin(x: np.ndarray, base: float, trees: Sequence[dict[str, list[float]]]) -> np.ndarray:
    """The summed leaf values of boosted trees for each row of cues (a node goes right when x >= threshold;
    a leaf's value is what the walk adds; inner nodes add nothing but are walked through)."""
    margin = np.full(len(x), base, dtype=float)
    rows = np.arange(len(x))
    for tree in trees:
        feature = np.asarray(tree["feature"], dtype=int)
        threshold = np.asarray(tree["threshold"], dtype=float)
        left = np.asarray(tree["left"], dtype=int)
        right = np.asarray(tree["right"], dtype=int)
        value = np.asarray(tree["value"], dtype=float)
        node = np.zeros(len(x), dtype=int)
        while True:
            inner = feature[node] >= 0
            if not inner.any():
                break
            go_right = x[rows, np.maximum(feature[node], 0)] >= threshold[node]
            node = np.where(inner, np.where(go_right, right[node], left[node]), node)
        margin += value[node]
    return margin


@dataclass(frozen=True)
class FieldModel:
    weights: np.ndarray
    calib_x: np.ndarray  # isotonic map: raw probability -> calibrated, piecewise linear
    calib_y: np.ndarray
    floor: float = 0.2  # below this raw probability a pair is no assignment
    base: float = 0.0  # boosted trees, when trained so: the log-odds before the first tree
    trees: tuple[dict[str, list[float]], ...] = ()
    # A kind's own map where its out-of-fold fields were many enough (an address is wrong more often than a
    # date at the same score); the other kinds take the shared one.
    calib_kinds: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def prob(self, x: np.ndarray) -> np.ndarray:
        z = boosted_margin(x, self.base, self.trees) if self.trees else x @ self.weights
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def calibrate(self, p: float, kind: str | None = None) -> float:
        xs, ys = self.calib_kinds.get(kind or "", (self.calib_x, self.calib_y))
        if len(xs) == 0:
            return p
        return float(np.interp(p, xs, ys))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(float(w), 5) for w in self.weights],
            "calibration": {"x": [float(v) for v in self.calib_x], "y": [float(v) for v in self.calib_y]},
            "calibration_by_kind": {
                k: {"x": [float(v) for v in xs], "y": [float(v) for v in ys]}
                for k, (xs, ys) in self.calib_kinds.items()
            },
            "floor": self.floor,
            "base": self.base,
            "trees": list(self.trees),
        }

    @classmethod
    def from_json(cls, data: dict) -> FieldModel:
        names = list(data["features"])
        weights = np.zeros(len(FEATURES))
        for name, w in zip(names, data["weights"], strict=True):
            if name in FEATURES:
                weights[FEATURES.index(name)] = w
        cal = data.get("calibration") or {"x": [], "y": []}
        if data.get("trees") and names != list(FEATURES):
            raise ValueError("the field model's trees were learned on other cues: run bench/fields.py --fit")
        return cls(
            weights,
            np.asarray(cal["x"], float),
            np.asarray(cal["y"], float),
            float(data.get("floor", 0.2)),
            float(data.get("base", 0.0)),
            tuple(data.get("trees") or ()),
            {
                k: (np.asarray(c["x"], float), np.asarray(c["y"], float))
                for k, c in (data.get("calibration_by_kind") or {}).items()
            },
        )


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> FieldModel:
    return FieldModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def load_model(path: Path = MODEL_FILE) -> FieldModel | None:
    """The learned scorer, or None when none has been trained (the label reader's values are used as they are)."""
    if not path.is_file():
        return None
    return _load(str(path), path.stat().st_mtime)


# --- label contexts ---------------------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[a-zđ]|[ivx]{1,4})\s*[.)/]\s*")
_SLOT_BREAK = re.compile(r":|\s{3,}")


def _clean_context(text: str) -> str:
    text = _NUMBERING.sub("", fold(text)).strip(" :.-…_|;,")
    return squash_spaces(re.sub(r"[.…_]{2,}", " ", text))


def _slots(seg: Segment) -> list[tuple[int, int, str]]:
    """(start, end, label text before it) for what follows each colon of the segment, and the whole segment."""
    text = seg.text
    out: list[tuple[int, int, str]] = []
    colons = [m.end() for m in re.finditer(r":", text)]
    prev_end = 0
    for k, c in enumerate(colons):
        stop = colons[k + 1] if k + 1 < len(colons) else len(text)
        if k + 1 < len(colons):
            # the slot ends where the next label begins: back from the next colon over its label words
            stop = _label_start(text, c, colons[k + 1])
        out.append((c, stop, text[prev_end : c - 1]))
        prev_end = stop
    out.append((0, len(text), ""))
    return out


def label_slots(spec: DocTypeSpec, segs: Sequence[Segment]) -> dict[int, list[tuple[int, int, str]]]:
    """(start, end, label) of what follows a label that opens its segment with no colon after it: a table row
    read as one line ("Tình trạng hôn nhân Chưa đăng ký kết hôn với ai"), up to the next label on it."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    by_seg: dict[int, list[tuple[int, int]]] = {}
    for h in find_labels(spec, segs):
        by_seg.setdefault(h.seg, []).append((h.start, h.end))
    for i, spans in by_seg.items():
        text = segs[i].text
        spans.sort()
        start, end = spans[0]
        if start > 3 or text[end : end + 3].strip().startswith((":", "/")) or end >= len(text) - 1:
            continue
        stop = next((a for a, _ in spans[1:] if a >= end), len(text))
        if label_runs_on(text[end:stop]):
            continue  # the printed label runs on to its colon ("Địa chỉ nhận kết quả: …"): the colon's slot
        name_from = school_word(text, start, end)
        out[i] = [(end if name_from is None else name_from, stop, text[start:end])]
    return out


# A clause of a sentence ends at a semicolon, a full stop before the next sentence, an opening bracket (the area
# "532,0 m² (bằng chữ: …)"), a colon or a wide gap; a comma ends its shortest reading.
_CLAUSE_END = re.compile(r";|\.(?:\s|$)|\(|:|\s{3,}")
_AT_PLACE = re.compile(r"(?<=, )tai(?= )")  # "…, tại xã Phú Tân, tỉnh An Giang;": a place told in a sentence


def clause_slots(spec: DocTypeSpec, segs: Sequence[Segment]) -> dict[int, list[tuple[int, int, str]]]:
    """(start, end, label) of what follows a label printed inside a running sentence, with no colon after it:
    "Thửa đất số 1368, tờ bản đồ số 26, tại …; có diện tích 532,0 m² …", "Tôi là …, sinh ngày …; hiện cư trú tại
    …". The label reader takes no label there (inside running text a word of a label is usually just a word),
    so these slots are only candidates, marked as such (the `clause` cue), for the scorer to weigh. A slot runs
    to the next label, else to the clause's end; up to the first comma too, as its shortest reading. Labels
    of five letters or more, whole words, as printed (folded); the one that opens its segment is
    `label_slots`'s."""
    labels = sorted(
        {lab for f in spec.fields for label in f.labels if len(lab := squash_spaces(fold(label)).strip(" :")) > 4},
        key=len,
        reverse=True,
    )
    out: dict[int, list[tuple[int, int, str]]] = {}
    for seg in segs:
        text = seg.folded
        if len(text) < 30:
            continue  # a label and its value, not a sentence
        spans: list[tuple[int, int]] = []
        for lab in labels:
            for m in re.finditer(r"(?<!\w)" + re.escape(lab) + r"(?!\w)", text):
                if not any(m.start() < b and a < m.end() for a, b in spans):
                    spans.append((m.start(), m.end()))  # the longer label first: "tờ bản đồ số" over "tờ bản đồ"
        labelled = len(spans)
        for m in _AT_PLACE.finditer(text):
            if not any(m.start() < b and a < m.end() for a, b in spans):
                spans.append((m.start(), m.end()))
        spans.sort()
        slots: list[tuple[int, int, str]] = []
        for k, (start, end) in enumerate(spans):
            if start <= 3 or text[end:].lstrip().startswith((":", "/")):
                continue  # opens the segment (`label_slots`), or a colon's slot
            nxt = spans[k + 1][0] if k + 1 < len(spans) else len(text)
            stop = _CLAUSE_END.search(text, end, nxt)
            stop_at = stop.start() if stop is not None else nxt
            label = seg.text[start:end]
            if text[start:end] == "tai" and not labelled:
                continue  # "tại" in a sentence that names no field: nothing says whose place it is
            if text[start:end] == "tai":
                # the place of what the sentence told before it ("Thửa đất số …, tại …"): read as the address
                # of the sentence's first labelled thing
                opened = max(text.rfind(";", 0, start), text.rfind(". ", 0, start))
                subject = next((seg.text[a:b] for a, b in spans if opened < a < start), "")
                label = f"Địa chỉ {subject}" if subject else seg.text[opened + 1 : end]
            # a label that ends in the school's own word ("… chương Trường THPT …"): the name keeps the word
            opens = school_word(seg.text, start, end)
            begin = end if opens is None else opens
            comma = text.find(", ", end, stop_at)
            if comma > end:
                slots.append((begin, comma, label))
            slots.append((begin, stop_at, label))
        if slots:
            out[seg.index] = slots
    return out


def _label_start(text: str, begin: int, colon: int) -> int:
    """Where the label that ends at `colon` begins, looking back no further than `begin`: after the last run
    of digits or capitals (the previous value), or at a wide gap."""
    gap = text.rfind("   ", begin, colon)
    if gap >= 0:
        return gap
    words = list(re.finditer(r"\S+", text[begin : colon - 1]))
    cut = begin
    for w in words:
        token = w.group()
        if any(c.isdigit() for c in token) or (token.isupper() and len(token) > 1):
            cut = begin + w.end()
    return cut


def _role_hits(cues: Sequence[str], context: str) -> bool:
    return bool(cues) and context != "" and _words_pattern(tuple(cues)).search(context) is not None


@lru_cache(maxsize=1024)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words, folded, as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?!\w)")


def _label_score(labels: Sequence[str], context: str) -> float:
    return _label_match(labels, context)[0]


def _label_match(labels: Sequence[str], context: str) -> tuple[float, int]:
    """See `_label_match_of`; cached, because the same contexts are scored for every field of a type."""
    return _label_match_of(tuple(labels), context)


@lru_cache(maxsize=65536)
def _label_match_of(labels: tuple[str, ...], context: str) -> tuple[float, int]:
    """(best similarity 0-1 of a label to the context, the length of that label): a long label that matches
    ("Vào sổ đăng ký khai sinh số") says more than a short one ("Số")."""
    if not context:
        return 0.0, 0
    best, length = 0.0, 0
    for label in labels:
        lab = fold(label).strip(" :")
        if not lab:
            continue
        if len(lab) <= 4 or len(context) <= 4:
            score = 100.0 if context == lab or context.endswith(" " + lab) else 0.0
        else:
            score = max(
                fuzz.ratio(lab, context),
                fuzz.token_sort_ratio(lab, context),  # "Vào sổ ngày" for "Ngày vào sổ"
                fuzz.partial_ratio(lab, context) if len(context) >= len(lab) else 0,
            )
            if len(context) > 2.5 * len(lab):
                score *= 0.85  # a long running text that happens to contain the label
        if (score, len(lab)) > (best, length):
            best, length = score, len(lab)
    return best / 100.0, length


# --- candidates ---------------------------------------------------------------------------------------------------


def _section(layout: Layout, i: int, box: Sequence[int] | None, headings: dict[int, str]) -> str:
    """The nearest heading above the value that stands over it (their horizontal extents overlap): the column
    header of a table, or a section's heading ("Thông tin người vợ"). Of a heading line that spans several
    columns ("Người chồng   Người vợ" read as one line), only the words over the value."""
    seg = layout.segs[i]
    x0, x1 = (box[0], box[2]) if box is not None else (seg.box[0], seg.box[2])
    for j in range(i - 1, -1, -1):
        other = layout.segs[j]
        if other.page != seg.page:
            break
        if j not in headings:
            continue
        if min(x1, other.box[2]) - max(x0, other.box[0]) <= 0:
            # a short heading over a block, left of its values ("Mẹ" above "Họ tên: …"), a few lines up
            block = len(other.words) <= 4 and other.box[0] <= x0 and other.column in (seg.column, "full")
            if block and seg.box[1] - other.box[3] <= 6 * layout.line_height:
                return headings[j]
            continue
        if other.box[2] - other.box[0] <= 1.5 * max(1, x1 - x0) or len(other.words) < 3:
            return headings[j]
        over = [w for w in other.words if min(x1, w.box[2]) - max(x0, w.box[0]) > -layout.line_height]
        if over:
            return _clean_context(" ".join(other.text[w.start : w.end] for w in over))
    return ""


def _headings(layout: Layout, names: set[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for seg in layout.segs:
        text = _clean_context(seg.text)
        if not text or len(text) > 60 or any(c.isdigit() for c in text):
            continue  # a heading, or a line that names the person what follows is about ("… người chồng: …")
        best = max((fuzz.ratio(n, text) for n in names), default=0.0)
        words = [n for n in names if len(n) >= 6 or len(text) <= 30]  # "PHẦN KHAI VỀ MẸ": a short line, a role word
        if best >= 80 or any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in words):
            found[seg.index] = text
    return found


def _wrapped_label(layout: Layout, cell: int, *, lines: int = 3) -> str:
    """A label cell and the lines under it that carry it on: alone on their rows, no colon before the last."""
    parts = [layout.segs[cell].text]
    current = cell
    for _ in range(lines - 1):
        if parts[-1].rstrip().endswith(":"):
            break
        nxt = layout.below(current, reach=0.8)
        if (
            nxt is None
            or len(layout.cells(nxt)) > 1
            or abs(layout.segs[nxt].box[0] - layout.segs[cell].box[0]) > (2 * layout.line_height)
        ):
            break
        parts.append(layout.segs[nxt].text)
        current = nxt
    return _clean_context(" ".join(parts))


def _label_wrapped_under(layout: Layout, i: int, value_x: int, context: str, *, lines: int = 2) -> str:
    """The label before a value on its line, with the lines under the label that carry it on: they start under
    the label, left of the value, are alone on their row, short, with no digits and no colon but at their end
    ("Đã hoàn thành chương  Trường THPT …" / "trình giáo dục phổ thông" / "tại:")."""
    parts = [context]
    current = i
    for _ in range(lines):
        nxt = layout.below(current, reach=0.8)
        if nxt is None:
            break
        other = layout.segs[nxt]
        text = other.text.rstrip()
        if (
            other.box[0] >= value_x - layout.line_height
            or abs(other.box[0] - layout.segs[i].box[0]) > 2 * layout.line_height
            or len(layout.cells(nxt)) > 1
            or len(text) > 40
            or any(c.isdigit() for c in text)
            or ":" in text[:-1]
        ):
            break
        parts.append(text)
        current = nxt
        if text.endswith(":"):
            break
    return _clean_context(" ".join(parts)) if len(parts) > 1 else context


def _outer_context(
    layout: Layout, i: int, start: int, labels: Sequence[str], box: Sequence[int] | None = None
) -> tuple[str, str]:
    """The label of a value alone in its cell: the cell to its left or the line above, whichever reads more like
    a label of the type (a table's left column; a label printed above its value). With `box`, the value shares
    its segment with another column's value (the line was read across both): the line above the value's box."""
    options: list[tuple[float, str, str]] = []
    left = layout.left_of(i)
    row = layout.cells(i)
    for cell in {left, row[0] if row[0] != i else None} - {None}:
        assert cell is not None
        text = _clean_context(layout.segs[cell].text)
        options.append((_label_score(labels, text), text, "left"))  # the cell before, or the row's label cell
        wrapped = _wrapped_label(layout, cell)
        if wrapped != text:  # a label wrapped over the lines under it in its column ("Đã hoàn thành / chương …")
            options.append((_label_score(labels, wrapped), wrapped, "left"))
    above = layout.above(i, box=box)
    if above is not None and (start <= 2 or box is not None):
        line = layout.segs[above].text
        text = _clean_context(line)
        options.append((_label_score(labels, text) + 0.01, text, "above"))
        if box is None and (tail := _sentence_tail(line)):
            # a sentence wrapped before its value ("Tôi là …, số định danh cá nhân" / "0011…"): its last clause
            # is the value's label, read on from the line above as if on one line
            options.append((_label_score(labels, tail) + 0.02, tail, "same"))
    if not options:
        return "", "none"
    _, text, where = max(options)
    return text, where


_CLAUSE_BREAK = re.compile(r"[,;]\s")


def _sentence_tail(line: str) -> str:
    """The last clause of a line of running text that goes on to the next line: what follows its last comma
    or semicolon, when the line ends with no full stop or colon. Empty otherwise."""
    text = line.rstrip()
    breaks = list(_CLAUSE_BREAK.finditer(text))
    if not breaks or text.endswith((".", ":", ";", ",")):
        return ""
    tail = _clean_context(text[breaks[-1].end() :])
    return tail if 3 <= len(tail) <= 40 and any(c.isalpha() for c in tail) else ""


def candidates(
    f: FieldSpec,
    layout: Layout,
    headings: dict[int, str],
    labels: Sequence[str] = (),
    memo: dict[tuple[object, ...], object] | None = None,
    label_slots: dict[int, list[tuple[int, int, str]]] | None = None,
    clause_slots: dict[int, list[tuple[int, int, str]]] | None = None,
) -> list[Candidate]:
    """Every value of the field's kind in the layout. `memo` keeps what does not depend on the field (a value's
    label context and heading) from one field of the document to the next; `label_slots` are the slots after
    labels printed without a colon (`label_slots`), `clause_slots` those after labels inside a sentence."""
    memo = {} if memo is None else memo
    out: list[Candidate] = []
    seen: set[tuple[int, int, str]] = set()
    for seg in layout.segs:
        # a clause's reading comes last: it adds values the other slots do not give, and where it gives the same
        # value at the same place, the value keeps its printed label (a label cell, the text before it)
        slots = [
            *((a, b, t, False) for a, b, t in (label_slots or {}).get(seg.index, [])),
            *((a, b, t, False) for a, b, t in _slots(seg)),
            *((a, b, t, True) for a, b, t in (clause_slots or {}).get(seg.index, [])),
        ]
        for start, end, before, clause in slots:
            if clause and f.kind == "address" and seg.text.startswith(", ", end):
                continue  # a clause's shortest reading, to its first comma: an address is a list of units by commas
            piece = seg.text[start:end]
            parsed = parse_value(f, V.strip_leaders(piece))
            below = None
            if parsed is None and f.kind == "date" and end == len(seg.text):
                parsed, below = _date_wrapped(f, layout, seg.index, V.strip_leaders(piece))
            if parsed is None:
                continue
            lead = len(piece) - len(V.strip_leaders(piece))
            s, e = start + lead + parsed.span[0], min(start + lead + parsed.span[1], len(seg.text))
            key = (seg.index, s, parsed.value)
            if key in seen:
                continue
            seen.add(key)
            context, where = _clean_context(before), "same"
            if not context and start == 0 and s > 0:
                context = _clean_context(seg.text[:s])
            ocr, box = words_conf_box(seg, s, e)
            if below is not None and box is not None:  # the date's end on the line below
                under = layout.segs[below].box
                box = [min(box[0], under[0]), min(box[1], under[1]), max(box[2], under[2]), max(box[3], under[3])]
            if context and box is not None and not seg.text[:s].rstrip().endswith(":"):
                wrapped = memo.get(("wrapped", seg.index, s))
                if wrapped is None:
                    wrapped = memo[("wrapped", seg.index, s)] = _label_wrapped_under(layout, seg.index, box[0], context)
                context = str(wrapped)
            # no label before the value: only another value ("22/11/2031 : 165 Kim Mã, …", "12 giờ 25 phút, ngày …")
            across = bool(context) and (not any(c.isalpha() for c in context) or _TIME.fullmatch(context) is not None)
            if not context or across:
                outer = memo.get(("context", seg.index, s))
                if outer is None:
                    outer = memo[("context", seg.index, s)] = _outer_context(
                        layout, seg.index, s, labels, box if across else None
                    )
                context, where = outer  # type: ignore[misc]
            rest = seg.text[e:end]
            # a value inside a sentence is under the heading over its paragraph, not only over its own words
            at = None if clause else box
            section_key = ("section", seg.index, tuple(at) if at is not None else None)
            section = memo.get(section_key)
            if section is None:
                section = memo[section_key] = _section(layout, seg.index, at, headings)
            cand = Candidate(
                value=parsed.value,
                seg=seg.index,
                start=s,
                end=e,
                quality=parsed.quality,
                page=seg.page,
                box=box,
                ocr=_ocr_factor(ocr),
                context=context,
                where=where,
                section=str(section),
                whole=sum(c.isalnum() for c in rest) <= 1,
                continued=below is not None,
                clause=clause,
            )
            out.append(cand)
            if (
                f.kind in _WRAPPING_KINDS
                and cand.whole
                and (not clause or end == len(seg.text))
                and not _reads_as_label(tuple(labels), cand.value)  # a label cell: the line under it is its value
            ):
                wrapped = _continued(f, cand, layout, headings)
                if wrapped is not None:
                    out.append(wrapped)
    return out


_TIME = re.compile(r"\d{1,2}\s*(?:gio|h)\s*(?:\d{1,2}\s*(?:phut|p)?)?")  # folded: "12 giờ 25 phút", "8h30"

# A long-form date cut at the line's end: "…, ngày 07" / "tháng 03 năm 1998" in a narrow column.
_DATE_CUT = re.compile(r"(?<!\w)ngay\s*\d{1,2}(?:\s*thang\s*\d{1,2})?\s*$")


def _date_wrapped(f: FieldSpec, layout: Layout, i: int, piece: str) -> tuple[V.Parsed | None, int | None]:
    """A date begun at the end of segment `i` and ended at the start of the line below, as one value, and that
    line's segment; (None, None) when the segment does not end in a date's beginning."""
    if not _DATE_CUT.search(fold(piece)):
        return None, None
    nxt = layout.below(i)
    if nxt is None:
        return None, None
    parsed = parse_value(f, f"{piece} {layout.segs[nxt].text}")
    if parsed is None or parsed.span[0] >= len(piece) or parsed.span[1] <= len(piece):
        return None, None  # the date must start on this line and end on the next
    return parsed, nxt


def _continued(f: FieldSpec, cand: Candidate, layout: Layout, headings: dict[int, str]) -> Candidate | None:
    """The value carried on to the line below (an address wrapped on a card): that line has no label, and is
    not the heading of the next section (the mother's address is followed by "Thông tin về người cha")."""
    nxt = layout.below(cand.seg)
    if nxt is None or nxt in headings:
        return None
    seg = layout.segs[nxt]
    text = seg.text
    if cand.clause:
        # a sentence wrapped: its clause carries on to the next line up to the clause's end ("… thành phố" /
        # "Hồ Chí Minh; có diện tích …")
        stop = _CLAUSE_END.search(text)
        if stop is None or stop.start() == 0:
            return None
        text = text[: stop.start()]
    if ":" in text or len(text) > 60 or V.parse_date(text) is not None:
        return None  # a label, a paragraph, the place-and-date line
    if re.fullmatch(r"[\d\s.+()-]+", text):
        return None  # a number on its own line (the phone in the row under an address) carries no text on
    # the comma printed at the line's end stays between the two parts ("…, phường Bến Nghé," / "thành phố …")
    sep = ", " if layout.segs[cand.seg].text[cand.start : cand.end + 1].rstrip().endswith(",") else " "
    parsed = parse_value(f, f"{cand.value}{sep}{text}")
    if parsed is None or sum(c.isalnum() for c in text) < 2:
        return None
    if not cand.clause and _under_the_label(f, cand, seg, parsed.value, layout.line_height):
        return None  # (a sentence's lines all start at its margin: its wrap is no label's)
    ocr, part = words_conf_box(seg, 0, len(text))
    under = part if part is not None else seg.box
    box = cand.box
    if box is not None:
        box = [min(box[0], under[0]), min(box[1], under[1]), max(box[2], under[2]), max(box[3], under[3])]
    return replace(cand, value=parsed.value, box=box, ocr=min(cand.ocr, _ocr_factor(ocr)), continued=True)


def _under_the_label(f: FieldSpec, cand: Candidate, nxt: Segment, joined: str, line_height: float) -> bool:
    """The line under a value that follows its label on the line starts under the label, not under the value:
    it carries the label on ("Đã hoàn thành chương" / "trình giáo dục phổ thông" / "tại:"), not the value. An
    address that only then ends in its province is the exception: its wrap starts at the line's margin."""
    if cand.box is None or cand.start == 0 or nxt.box[0] >= cand.box[0] - 2 * line_height:
        return False
    if f.kind == "address":
        ends = province_of(joined.rsplit(",", 1)[-1].strip()) is not None
        ended = province_of(cand.value.rsplit(",", 1)[-1].strip()) is not None
        return not (ends and not ended)
    return True


def _ocr_factor(conf: float) -> float:
    return float(np.clip((conf - 45.0) / 45.0, 0.0, 1.0))


def features(
    f: FieldSpec, spec: DocTypeSpec, cand: Candidate, rule: dict[str, str], rule_conf: dict[str, float]
) -> np.ndarray:
    others = [o for o in spec.fields if o.key != f.key]
    lab, lab_len = _label_match(f.labels, cand.context)
    lab_other, other_len = max(
        (_label_match(labels, cand.context) for labels in _rival_labels(spec, f)), default=(0.0, 0)
    )
    sections = [fold(s) for s in f.sections]
    other_sections = [fold(s) for o in others for s in o.sections if fold(s) not in sections]
    sec = _section_score(sections, cand.section)
    sec_other = _section_score(other_sections, cand.section)
    agrees = _agrees(rule.get(f.key), cand)
    place_end = float(f.kind == "address" and province_of(cand.value.rsplit(",", 1)[-1].strip()) is not None)
    x = np.array(
        [
            1.0,
            lab,
            float(lab >= 0.95),
            lab_other,
            lab - lab_other,
            float(_role_hits(f.cues, cand.context)),
            float(_role_hits(_rival_cues(spec, f), cand.context)),
            sec,
            sec_other,
            float(cand.where == "same"),
            float(cand.where == "left"),
            float(cand.where == "above"),
            float(cand.where == "none"),
            cand.quality,
            cand.ocr,
            agrees,
            float(any(v == cand.value for k, v in rule.items() if k != f.key)),
            float(cand.whole),
            float(cand.continued),
            place_end,
            float(cand.continued and place_end > 0),
            float(cand.continued and place_end > 0 and agrees > 0),
            rule_conf.get(f.key, 0.0) if agrees > 0 else 0.0,
            min(lab_len, 30) / 30.0 if lab >= 0.8 else 0.0,
            (min(lab_len, 30) - min(other_len, 30)) / 30.0 if lab >= 0.8 and lab_other >= 0.8 else 0.0,
            float(cand.clause),
            float(f.kind == "name" and not _has_family_name(cand.value)),
        ]
    )
    return x


@lru_cache(maxsize=65536)
def _has_family_name(value: str) -> bool:
    """The name starts with a family name, as printed or once its marks are put right (`_family_checked`)."""
    return value.split(" ", 1)[0] in FAMILY_NAMES or fix_family_name(value)[1]


@lru_cache(maxsize=65536)
def _reads_as_label(labels: tuple[str, ...], value: str) -> bool:
    """The whole value reads as one of the labels (numbering and dots aside): "Nơi cư trú" beside the other
    column's "Nơi cư trú" in a grid, "9. Họ, chữ đệm và tên người" read where the value stands. A value that only
    contains a label ("Nơi cư trú 45 Hai Bà Trưng") is not one."""
    text = _clean_context(value)
    if len(text) < 3:
        return False
    return any(fuzz.ratio(lab, text) >= 90 for lab in _folded_labels(labels))


@lru_cache(maxsize=256)
def _folded_labels(labels: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({lab for label in labels if len(lab := fold(label).strip(" :")) >= 3}))


def _rival_labels(spec: DocTypeSpec, f: FieldSpec) -> tuple[tuple[str, ...], ...]:
    """The labels of the type's other fields, less those that only name a person this field is about too: the
    father's name has the label "Cha", which names the person, and "Nơi ở của cha" is the father's address."""
    own = {fold(c) for c in f.cues}
    return tuple(
        tuple(lab for lab in o.labels if fold(lab).strip(" :") not in own) for o in spec.fields if o.key != f.key
    )


def _rival_cues(spec: DocTypeSpec, f: FieldSpec) -> tuple[str, ...]:
    """The role words of the type's other fields that are not this field's own: the person a label names is a
    rival's only when it is another person ("mẹ" against the father's fields, not "cha")."""
    own = {fold(c) for c in f.cues}
    return tuple(sorted({c for o in spec.fields if o.key != f.key for c in o.cues if fold(c) not in own}))


def _agrees(rule_value: str | None, cand: Candidate) -> float:
    """1 when the label reader chose this value; also when this is its value carried on to the next line."""
    if rule_value is None:
        return 0.0
    if cand.value == rule_value or (cand.continued and cand.value.startswith(rule_value)):
        return 1.0
    return 0.0


def _section_score(names: Sequence[str], section: str) -> float:
    """1 when a section name is printed in the heading as whole words ("nguoi vo" in "thong tin nguoi vo"),
    else half the fuzzy similarity (headings differ by one word: "nguoi vo" / "nguoi chong")."""
    if not section or not names:
        return 0.0
    if any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", section) for n in names):
        return 1.0
    return 0.5 * max(fuzz.ratio(n, section) for n in names) / 100.0


# --- the label beside a value (what reviewers teach: workers/usecases/labels.py) ------------------------------------


def _printed_context(text: str) -> str:
    """`_clean_context` without the folding: the label as printed (fold() keeps one character for one)."""
    raw = nfc(text)
    folded = fold(raw)
    m = _NUMBERING.match(folded)
    start = m.end() if m else 0
    chars = " :.-…_|;,"
    end = len(folded)
    while start < end and folded[start] in chars:
        start += 1
    while end > start and folded[end - 1] in chars:
        end -= 1
    return squash_spaces(re.sub(r"[.…_]{2,}", " ", raw[start:end]))


def _same_source(seg: Segment, at: int) -> str:
    """The text before position `at` of a segment that reads as a label: its slot's label, else all before it."""
    for start, end, before in _slots(seg)[:-1]:
        if start <= at < end and _clean_context(before):
            return before
    return seg.text[:at]


def _beside(layout: Layout, i: int, at: int) -> tuple[int, str]:
    """(rank, printed text) of the label beside the value at position `at` of segment i: 0 the text before it
    on its line, 1 the cell to its left, 2 the line just above (a value that starts its segment); 3 nothing."""
    seg = layout.segs[i]
    text = _printed_context(_same_source(seg, at))
    if text:
        return 0, text
    left = layout.left_of(i)
    if left is not None:
        text = _printed_context(layout.segs[left].text)
        if text:
            return 1, text
    above = layout.above(i, reach=1.6)
    if above is not None and at <= 2:
        text = _printed_context(layout.segs[above].text)
        if text:
            return 2, text
    return 3, ""


def _same_value(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", fold(a)) == re.sub(r"\s+", "", fold(b))


def printed_label(spec: DocTypeSpec, f: FieldSpec, pages: Sequence[Page], value: str) -> str | None:
    """The text printed beside `value` where a label of field `f` would stand — the text before it on its line,
    else the cell to its left, else the line just above — as printed (marks and case kept, numbering and dots
    dropped); None when the value is not found on the pages or nothing is printed beside it.

    The value is looked for among the candidates of the field's kind (it is in the record's form: a date as
    2025-03-05), else among the words. Where it is printed more than once, a label on its own line wins over
    the cell to its left, and that over the line above; then the first on the pages."""
    if not value.strip():
        return None
    layout = build_layout(pages)
    labels = [lab for g in spec.fields for lab in g.labels]
    spots = [
        (c.seg, c.start)
        for c in candidates(f, layout, {}, labels)
        if c.seg >= 0 and not c.continued and _same_value(c.value, value)
    ]
    if not spots:  # the words: a value typed in a form no parser of the kind gives
        target = fold(squash_spaces(value))
        spots = [(seg.index, at) for seg in layout.segs if (at := fold(seg.text).find(target)) >= 0]
    found = sorted((*_beside(layout, i, at), i, at) for i, at in spots)
    if not found or found[0][0] == 3:
        return None
    return str(found[0][1])


def pairs(spec: DocTypeSpec, pages: Sequence[Page]) -> tuple[list[tuple[FieldSpec, Candidate, np.ndarray]], dict]:
    """Every (field, candidate, cues) of a document, and the label reader's fields."""
    layout = build_layout(pages)
    rule_fields = read_labelled(spec, pages, segs=layout.segs)
    rule = {k: v.value for k, v in rule_fields.items()}
    rule_conf = {k: v.confidence for k, v in rule_fields.items()}
    names = {fold(s) for f in spec.fields for s in f.sections}
    headings = _headings(layout, names) if names else {}
    all_labels = [lab for f in spec.fields for lab in f.labels]
    memo: dict[tuple[object, ...], object] = {}
    slots = label_slots(spec, layout.segs)
    in_sentence = clause_slots(spec, layout.segs)
    out: list[tuple[FieldSpec, Candidate, np.ndarray]] = []
    for f in spec.fields:
        cands = candidates(f, layout, headings, all_labels, memo, slots, in_sentence)
        chosen = rule_fields.get(f.key)
        if chosen is not None and not any(c.value == chosen.value for c in cands):
            # the label reader found it where slots do not look (the line under a card's label, the zone)
            cands.append(
                Candidate(chosen.value, -1, 0, 0, 1.0, chosen.page or 0, chosen.box, 1.0, "", "none", "", True)
            )
        for c in cands:
            out.append((f, c, features(f, spec, c, rule, rule_conf)))
    return out, rule_fields


def assign(
    spec: DocTypeSpec, pages: Sequence[Page], model: FieldModel
) -> tuple[dict[str, tuple[Candidate, float]], dict[str, Field]]:
    """One assignment: (candidate, raw probability) per field, and the label reader's fields."""
    scored, rule_fields = pairs(spec, pages)
    if not scored:
        return {}, rule_fields
    probs = model.prob(np.stack([s[2] for s in scored]))
    taken: dict[str, tuple[Candidate, float]] = {}
    used: set[tuple[int, int]] = set()
    labels = tuple(lab for f in spec.fields for lab in f.labels)
    completed = _completions(scored, probs)
    for idx in np.argsort(-probs, kind="stable"):
        f, cand, _ = scored[int(idx)]
        p = float(probs[idx])
        if p < model.floor:
            break
        if _reads_as_label(labels, cand.value):
            # a label cell taken for a value (none of the 776 such pairs of the four folds was right); the pairs
            # stay in what the scorer learns from, as wrong ones
            continue
        span = (cand.seg, cand.start)
        if f.key in taken or (cand.seg >= 0 and span in used):
            continue
        whole = completed.get((f.key, cand.seg, cand.start))
        if whole is not None and whole[1] >= model.floor and not _ends_in_province(cand.value):
            cand, p = whole  # the address cut at its line's end, where the next line completes it: the whole
        taken[f.key] = (cand, p)
        if cand.seg >= 0:
            used.add(span)
    return taken, rule_fields


def _ends_in_province(value: str) -> bool:
    return province_of(value.rsplit(",", 1)[-1].strip()) is not None


def _completions(
    scored: Sequence[tuple[FieldSpec, Candidate, np.ndarray]], probs: np.ndarray
) -> dict[tuple[str, int, int], tuple[Candidate, float]]:
    """Per (field, segment, start) of an address: the reading carried on to the next line that ends in a
    province (an address runs from its smallest unit to its province), the most likely one."""
    out: dict[tuple[str, int, int], tuple[Candidate, float]] = {}
    for (f, cand, _), p in zip(scored, probs, strict=True):
        if f.kind != "address" or not cand.continued or cand.seg < 0 or not _ends_in_province(cand.value):
            continue
        key = (f.key, cand.seg, cand.start)
        if key not in out or float(p) > out[key][1]:
            out[key] = (cand, float(p))
    return out


def extract_fields(spec: DocTypeSpec, pages: Sequence[Page], model: FieldModel | None = None) -> dict[str, Field]:
    """The document's fields: the label reader's alone without a model, else the scored assignment."""
    model = model if model is not None else load_model()
    if model is None or not spec.fields or spec.key == "official_document":
        return read_labelled(spec, pages)  # an official paper's fields are found by its layout
    taken, rule_fields = assign(spec, pages, model)
    values = {k: c.value for k, (c, _) in taken.items()}
    fields: dict[str, Field] = {}
    taken_values = {(c.value, c.page) for c, _ in taken.values()}
    for f in spec.fields:
        if f.key not in taken:
            rule = rule_fields.get(f.key)
            if rule is not None and (rule.value, rule.page) not in taken_values:
                # the cues are too weak to vouch for it, yet it is what follows the label: for a reviewer, as
                # the record takes a value (an address without the noise read around it)
                value = finished(f, rule.value)[0] if rule.value else rule.value
                conf = round(min(rule.confidence, 0.5), 3)
                fields[f.key] = rule.model_copy(update={"value": value, "confidence": conf})
            continue
        cand, p = taken[f.key]
        conf = model.calibrate(p, f.kind)
        if cand.quality <= 0.3:
            conf = min(conf, 0.5)  # printed doubtfully (both boxes of a choice, a date for an address): a reviewer's
        rule = rule_fields.get(f.key)
        if cand.where == "none" and cand.seg >= 0:
            # no label anywhere near it (a land serial alone on its line): the scorer learnt from papers worded
            # otherwise that such values are often right, but nothing printed vouches for this one (the label
            # reader's own finds, under a card's label or in its zone, are not slots: seg -1)
            conf = min(conf, _UNLABELLED_CONFIDENCE)
        if rule is not None and rule.value == cand.value and rule.confidence < 0.6:
            conf = min(conf, 0.25 + rule.confidence)  # the label reader's own checks doubt it (the zone, cross-checks)
        if (
            f.validators
            and cand.value not in f.choices
            and run_validators(f.key, cand.value, list(f.validators), values)
        ):
            conf *= 0.4
        value, guessed = finished(f, cand.value)
        if guessed:
            conf = min(conf, _COMPLETED_CONFIDENCE)
        if f.kind == "name":
            value, conf = _family_checked(value, conf)
            if not any(value.lower() in nfc(p.text).lower() for p in pages):
                conf = min(conf, _RESPELT_CONFIDENCE)  # the label reader or the zone respelt what was printed
        box = cand.box if cand.box is not None else (rule.box if rule is not None else None)
        page = cand.page if cand.seg >= 0 else (rule.page if rule is not None else None)
        fields[f.key] = Field(value=value, confidence=round(float(np.clip(conf, 0, 1)), 3), page=page, box=box)
    return fields


_RESPELT_CONFIDENCE = 0.9  # a family name put right from its letters: likely, but a guess for a reviewer
_UNLABELLED_CONFIDENCE = 0.9  # a value with no label context: likely, but a guess for a reviewer
_NO_FAMILY_CONFIDENCE = 0.5  # capitals that start with no family name: a heading ("NGƯỜI ĐỠ ĐẺ"), not a person
_COMPLETED_CONFIDENCE = 0.9  # a province completed from the start of its name: the rest was not read


def finished(f: FieldSpec, value: str) -> tuple[str, bool]:
    """The value the record takes for the candidate the scorer chose, and whether part of it was inferred
    rather than read. An address loses the noise and the label read around it, and a province cut short
    ("…, Kim Long, Thừa") is completed from the administrative map. Applied after the choice, so the cues
    of the candidates stay what was printed; the scorer learns from pairs judged on this value."""
    if f.kind != "address":
        return value, False
    value = address_trimmed(value, f)
    return complete_province(value)


def _family_checked(value: str, conf: float) -> tuple[str, float]:
    """A person's name starts with a family name (the list covers nearly every Vietnamese): one whose marks
    OCR garbled (NGUYÊN) is put right and left for review; capitals that start with none are no name to trust
    (a heading or a title read where the name stands)."""
    first = value.split(" ", 1)[0]
    if first in FAMILY_NAMES:
        return value, conf
    fixed, changed = fix_family_name(value)
    if changed:
        return fixed, min(conf, _RESPELT_CONFIDENCE)
    return value, min(conf, _NO_FAMILY_CONFIDENCE)
