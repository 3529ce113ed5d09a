"""What family b's builders share: the plan with the label printed for each field, page geometry, mastheads,
signature blocks, and the ways a form prints a label with its value: beside it, above it, in the left column of
a table, several pairs on one line, wrapped over two lines, as checkboxes or as digits in boxes.

Written apart from ``synth/docs`` on purpose (family a): nothing here reads that package's wording. Wording
choices come from the builder's data rng (so labels and truth do not depend on the dpi); geometry from the
canvas rng.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, TypeVar

from ..canvas import INK, Canvas, Color, leading_for
from ..docs.base import DocPlan, Layout, PageRender
from ..model import TruthField
from ..vn import World, fold, nfc, upper, ward_name

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
_T = TypeVar("_T")


@dataclass(frozen=True)
class PlanB(DocPlan):
    """A family-b document: family a's plan plus the label printed for each field ("" when unlabelled)."""

    labels: tuple[tuple[str, str], ...] = ()


@dataclass
class Truth:
    """Truth fields in the record contract, with the label each one is printed under."""

    items: list[TruthField] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, value: str, label: str) -> None:
        self.items.append(TruthField(key, fold(value)))
        self.labels.append((key, fold(label)))

    def name(self, key: str, value: str, label: str) -> None:
        self.add(key, upper(value), label)

    def date(self, key: str, value: date, label: str) -> None:
        self.add(key, value.isoformat(), label)

    def digits(self, key: str, value: str, label: str) -> None:
        self.add(key, "".join(c for c in value if c.isdigit()), label)

    def plan(self, doc_type: str, pages: Sequence[PageRender], qr_text: str | None = None) -> PlanB:
        return PlanB(doc_type, tuple(self.items), tuple(pages), qr_text, tuple(self.labels))


def pick(rng: random.Random, options: Sequence[_T]) -> _T:
    return options[rng.randrange(len(options))]


# --- dates as printed ---------------------------------------------------------------------------------------

DATE_STYLES = 5


def date_text(d: date, style: int) -> str:
    """0 "05/03/2015", 1 "05-03-2015", 2 "05.03.2015", 3 "ngày 5 tháng 3 năm 2015", 4 "ngày 05 tháng 03 năm 2015"."""
    if style == 0:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == 1:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == 2:
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == 3:
        return f"ngày {d.day} tháng {d.month} năm {d.year}"
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def numeric_date(d: date, rng: random.Random) -> str:
    return date_text(d, rng.randrange(3))


# --- page geometry --------------------------------------------------------------------------------------------


Geometry = Layout  # body size (pt), line pitch and margins (mm) of one page: the same as family a's


def geometry(
    cv: Canvas,
    size: float,
    *,
    spacing: tuple[float, float] = (1.3, 1.6),
    left: tuple[float, float] = (14.0, 34.0),
    right: tuple[float, float] = (9.0, 24.0),
    top: tuple[float, float] = (9.0, 24.0),
) -> Geometry:
    rng = cv.rng
    size = size + rng.uniform(-0.75, 0.75)
    return Geometry(
        size=size,
        lead=leading_for(size, rng.uniform(*spacing)),
        left=rng.uniform(*left),
        right=cv.width_mm - rng.uniform(*right),
        top=rng.uniform(*top),
    )


# --- who issues ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """A body that issues a paper: its masthead lines, the titles over the signature, seal ring and place."""

    lines: tuple[str, ...]
    titles: tuple[str, ...]
    ring: str
    place: str
    name: str  # inside sentences


def commune_office(world: World, rng: random.Random) -> Office:
    level = "PHƯỜNG" if world.ward.startswith("phường") else "XÃ"
    wname = upper(ward_name(world.ward))
    lines = (f"UBND {level} {wname}",) if rng.random() < 0.4 else ("ỦY BAN NHÂN DÂN", f"{level} {wname}")
    titles = pick(
        rng, ("TM. UBND|CHỦ TỊCH", "KT. CHỦ TỊCH|PHÓ CHỦ TỊCH", "CHỦ TỊCH", "TUQ. CHỦ TỊCH|CÔNG CHỨC TƯ PHÁP - HỘ TỊCH")
    ).split("|")
    place = pick(rng, (ward_name(world.ward), world.loc.short))
    return Office(
        lines,
        tuple(titles),
        f"ỦY BAN NHÂN DÂN {level} {wname} * {upper(world.loc.short)} *",
        place,
        f"UBND {world.ward}, {world.loc.province}",
    )


# --- mastheads, titles, signatures -----------------------------------------------------------------------------


def masthead(
    cv: Canvas, g: Geometry, lines: Sequence[str], number: str | None, *, style: int, code: str | None = None
) -> float:
    """The top of the page; returns the baseline below it.

    style 0: body and number left, motto right, the motto's second line not underlined but followed by a rule;
    style 1: motto centred on top, then body left and number right on one line;
    style 2: a form code top right in italics, the motto centred (citizens' forms; ``lines`` may be empty).
    """
    size = g.size - 0.5
    lead = leading_for(size, 1.3)
    y = g.top + 4.0
    if code:
        cv.text(g.right, y, code, size=size - 2, style="italic", align="right")
        y += lead * 1.1
    if style == 0:
        split = g.left + g.width * 0.42
        cx = (g.left + split) / 2
        yy = y
        for line in lines:
            cv.text(cx, yy, line, size=size, style="bold", align="center", max_width=split - g.left)
            yy += lead
        cv.hline(cx - 9, cx + 9, yy - lead + 1.7, width=0.3)
        yy += 0.8
        if number:
            cv.text(cx, yy, number, size=size - 0.5, align="center", max_width=split - g.left)
            yy += lead
        rx = (split + g.right) / 2
        cv.text(rx, y, MOTTO, size=size - 0.5, style="bold", align="center", max_width=g.right - split)
        w = cv.text(rx, y + lead, MOTTO_2, size=size, style="bold", align="center", max_width=g.right - split)
        cv.hline(rx - w / 2 - 2, rx + w / 2 + 2, y + lead + 1.8, width=0.35)
        return max(yy, y + 2 * lead) + lead * 0.6
    cv.text(g.center, y, MOTTO, size=size, style="bold", align="center", max_width=g.width)
    y += lead
    w = cv.text(g.center, y, MOTTO_2, size=size + 0.5, style="bolditalic" if style == 2 else "bold", align="center")
    cv.hline(g.center - w / 2, g.center + w / 2, y + 1.7, width=0.3)
    y += lead * 1.5
    if style == 1 and (lines or number):
        body = " - ".join(lines)
        texts = []
        if body:
            cv.text(g.left, y, body, size=size - 0.5, style="bold", record=False, max_width=g.width * 0.55)
            texts.append(body)
        if number:
            cv.text(g.right, y, number, size=size - 0.5, align="right", record=False, max_width=g.width * 0.4)
            texts.append(number)
        cv.record(" ".join(texts))
        y += lead * 1.3
    return y


def heading(
    cv: Canvas,
    g: Geometry,
    y: float,
    lines: Sequence[str],
    *,
    size: float | None = None,
    color: Color = INK,
    style: str = "bold",
) -> float:
    size = size or g.size + 3.5
    lead = leading_for(size, 1.2)
    for line in lines:
        cv.text(g.center, y, line, size=size, style=style, align="center", color=color, max_width=g.width)
        y += lead
    return y + g.lead * 0.2


def sign(
    cv: Canvas,
    cx: float,
    y: float,
    *,
    size: float,
    when: str | None,
    titles: Sequence[str],
    name: str | None,
    note: str | None = None,
    ring: str | None = None,
    space: float | None = None,
    width: float = 90.0,
) -> float:
    """Place and date, titles, a signature (and seal), the signer's name; centred on ``cx``."""
    lead = leading_for(size, 1.3)
    width = min(width, 2 * (cv.width_mm - cx) - 6)
    if when:
        cv.text(cx, y, when, size=size - 0.5, style="italic", align="center", max_width=width)
        y += lead
    first = y
    for t in titles:
        cv.text(cx, y, t, size=size, style="bold", align="center", max_width=width)
        y += lead
    if note:
        cv.text(cx, y, note, size=size - 2, style="italic", align="center", max_width=width)
        y += lead
    space = space if space is not None else cv.rng.uniform(17.0, 24.0)
    cv.signature(cx + cv.rng.uniform(-8, 8), y + space / 2 - 3, width=cv.rng.uniform(24.0, 36.0))
    if ring:
        d = cv.rng.uniform(31.0, 37.0)
        cv.seal(cx - cv.rng.uniform(5.0, 14.0), max(first + d * 0.25, y + space / 2 - 5), ring, diameter=d)
    y += space
    if name:
        cv.text(cx, y, name, size=size, style="bold", align="center", max_width=width)
        y += lead
    return y


# --- label and value -----------------------------------------------------------------------------------------


class Piece(NamedTuple):
    """Part of a printed line: text (``kind`` "text"), a checkbox ("box", ticked when ``text`` is "x") or a row
    of digits each in its own cell of a comb ("digits")."""

    kind: str
    text: str
    style: str = "regular"
    color: Color | None = None


def T(text: str, style: str = "regular", color: Color | None = None) -> Piece:
    return Piece("text", nfc(text), style, color)


def box(ticked: bool) -> Piece:
    return Piece("box", "x" if ticked else "")


def digits(text: str) -> Piece:
    return Piece("digits", text)


def _piece_width(cv: Canvas, p: Piece, size: float) -> float:
    cap = size * 0.2646
    if p.kind == "box":
        return cap * 1.05 + cv.width(" ", size)
    if p.kind == "digits":
        return len(p.text) * cap * 1.7 + cv.width(" ", size)
    return cv.width(p.text, size, p.style)


def piece_text(p: Piece) -> str:
    """How a piece is recorded in the page's lines: boxes as ☒/☐, boxed digits spaced."""
    if p.kind == "box":
        return "☒" if p.text else "☐"
    if p.kind == "digits":
        return " ".join(p.text)
    return p.text


def inline(
    cv: Canvas,
    x: float,
    y: float,
    pieces: Sequence[Piece],
    *,
    size: float,
    max_width: float | None = None,
    align: str = "left",
    record: bool = True,
) -> float:
    """Draw pieces side by side on one baseline (shrunk to ``max_width``); records one line; returns the width."""
    while max_width is not None and size > 5.0 and sum(_piece_width(cv, p, size) for p in pieces) > max_width:
        size -= 0.25
    total = sum(_piece_width(cv, p, size) for p in pieces)
    cursor = {"left": x, "center": x - total / 2, "right": x - total}[align]
    cv.lowest = max(cv.lowest, y)
    cap = size * 0.2646  # the height of a capital in mm, about 0.72 of the em
    line = max(1, cv.px(0.22))
    for p in pieces:
        if p.kind == "text":
            cv.text(cursor, y, p.text, size=size, style=p.style, color=p.color or INK, record=False)
        elif p.kind == "box":
            s = cap * 1.05
            cv.rect(cursor, y - s, s, s, width=0.22)
            if p.text:
                a, b = (
                    (cv.pxf(cursor + s * 0.18), cv.pxf(y - s * 0.82)),
                    (cv.pxf(cursor + s * 0.82), cv.pxf(y - s * 0.18)),
                )
                cv.draw.line([a, b], fill=INK, width=line)
                cv.draw.line([(a[0], b[1]), (b[0], a[1])], fill=INK, width=line)
        else:
            cell = cap * 1.7
            floor = y + cap * 0.3  # a comb: a rule under the digits with a short tick between cells
            cv.hline(cursor, cursor + cell * len(p.text), floor, width=0.2)
            for i, ch in enumerate(p.text):
                cx = cursor + i * cell
                cv.draw.line(
                    [(cv.pxf(cx), cv.pxf(floor)), (cv.pxf(cx), cv.pxf(floor - cap * 0.45))],
                    fill=INK,
                    width=max(1, cv.px(0.2)),
                )
                cv.text(
                    cx + cell / 2,
                    y,
                    ch,
                    size=size * 0.85,
                    style=p.style,
                    color=p.color or INK,
                    align="center",
                    record=False,
                )
        cursor += _piece_width(cv, p, size)
    if record:
        cv.record(" ".join(piece_text(p) for p in pieces))
    return total


def beside(
    cv: Canvas,
    x: float,
    y: float,
    w: float,
    label: str,
    value: str,
    *,
    size: float,
    lead: float,
    value_style: str = "regular",
    value_color: Color | None = None,
    hanging: float = 0.0,
) -> float:
    """ "Label value" with the value wrapped under it; returns the next baseline."""
    return cv.field(
        x,
        y,
        w,
        label,
        value,
        size=size,
        leading=lead,
        value_style=value_style,
        value_color=value_color,
        hanging=hanging,
    )


def above(
    cv: Canvas,
    x: float,
    y: float,
    w: float,
    label: str,
    value: str,
    *,
    size: float,
    lead: float,
    label_style: str = "italic",
    value_style: str = "bold",
    indent: float = 4.0,
    value_color: Color | None = None,
) -> float:
    """The label on its own line, the value on the next (indented); returns the next baseline."""
    cv.text(x, y, label, size=size - 0.5, style=label_style, max_width=w)
    y += lead * 0.95
    color = value_color or INK
    for part in cv.wrap(value, size=size, style=value_style, first_width=w - indent, width=w - indent):
        cv.text(x + indent, y, part, size=size, style=value_style, color=color)
        y += lead
    return y + lead * 0.15


def split_label(
    cv: Canvas,
    x: float,
    y: float,
    label_w: float,
    w: float,
    label: str,
    value: str,
    *,
    size: float,
    lead: float,
    value_style: str = "regular",
    value_color: Color | None = None,
) -> float:
    """The label in a column ``label_w`` wide (wrapped when longer), the value in the column after it; each
    baseline is recorded as one line (label part, value part). Returns the next baseline."""
    labels = cv.wrap(label, size=size, style="regular", first_width=label_w - 2, width=label_w - 2)
    values = cv.wrap(value, size=size, style=value_style, first_width=w - label_w, width=w - label_w)
    for i in range(max(len(labels), len(values))):
        lt = labels[i] if i < len(labels) else ""
        vt = values[i] if i < len(values) else ""
        if lt:
            cv.text(x, y, lt, size=size, record=False)
        if vt:
            cv.text(x + label_w, y, vt, size=size, style=value_style, color=value_color or INK, record=False)
        cv.record(f"{lt} {vt}")
        cv.lowest = max(cv.lowest, y)
        y += lead
    return y


def pairs(
    cv: Canvas,
    x: float,
    y: float,
    w: float,
    items: Sequence[tuple[str, str]],
    *,
    size: float,
    value_style: str = "bold",
    value_color: Color | None = None,
    min_gap: float = 5.0,
) -> None:
    """Several "Label: value" pairs on one printed line, spread over ``w``; recorded as one line."""
    runs = [[T(label + " "), T(value, value_style, value_color)] for label, value in items]
    while size > 5.0:
        widths = [sum(_piece_width(cv, p, size) for p in r) for r in runs]
        if sum(widths) + min_gap * (len(runs) - 1) <= w:
            break
        size -= 0.25
    gap = (w - sum(widths)) / (len(runs) - 1) if len(runs) > 1 else 0.0
    gap = min(gap, max(min_gap, w * 0.12))
    cursor = x
    for r, width in zip(runs, widths, strict=True):
        inline(cv, cursor, y, r, size=size, record=False)
        cursor += width + gap
    cv.record(" ".join(f"{label} {value}" for label, value in items))


def sex_boxes(sex: str, order: tuple[str, str] = ("Nam", "Nữ")) -> list[Piece]:
    out: list[Piece] = []
    for option in order:
        out += [box(option == sex), T(option + "   ")]
    return out
