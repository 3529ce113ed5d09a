"""What every document builder shares: the plan it returns and the parts most papers print."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..canvas import BLUE, INK, Canvas, Color, Run, leading_for
from ..model import TruthField
from ..vn import World, date_line, fold, official_name, upper, ward_name

PageRender = Callable[[Canvas], None]

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class DocPlan:
    """A document ready to draw: its truth fields and one render function per page."""

    doc_type: str
    fields: tuple[TruthField, ...]
    pages: tuple[PageRender, ...]
    qr_text: str | None = None


@dataclass
class FieldSet:
    """Collects truth fields, normalising names to capitals and folding white space."""

    items: list[TruthField] = field(default_factory=list)

    def add(self, key: str, value: str) -> None:
        self.items.append(TruthField(key, fold(value)))

    def name(self, key: str, value: str) -> None:
        self.add(key, upper(value))

    def date(self, key: str, value: date) -> None:
        self.add(key, value.isoformat())

    def digits(self, key: str, value: str) -> None:
        self.add(key, "".join(c for c in value if c.isdigit()))

    def serial(self, key: str, value: str) -> None:
        self.add(key, value)  # as printed, spaces folded: "CS 823149" keeps its space

    def freeze(self) -> tuple[TruthField, ...]:
        return tuple(self.items)


@dataclass(frozen=True)
class Layout:
    """The typographic choices of one page: body size, line pitch and margins (mm)."""

    size: float
    lead: float
    left: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2


def layout(cv: Canvas, size: float, *, spacing: float | None = None) -> Layout:
    rng = cv.rng
    spacing = spacing or rng.uniform(1.4, 1.65)
    size = size + rng.uniform(-0.4, 0.4)
    left = rng.uniform(20.0, 30.0)
    right = cv.width_mm - rng.uniform(13.0, 20.0)
    return Layout(size=size, lead=leading_for(size, spacing * rng.uniform(0.96, 1.05)), left=left,
                  right=right, top=rng.uniform(12.0, 20.0))


@dataclass(frozen=True)
class Issuer:
    """The body that issues and signs a paper."""

    header: tuple[str, ...]  # top-left lines; the last ones are bold
    office: tuple[str, ...]  # over the signature
    seal_ring: str
    place: str  # the place in "…, ngày … tháng … năm …"
    name: str  # as written inside sentences: "Ủy ban nhân dân phường Phú Hội"


def ward_committee(world: World, rng: random.Random) -> Issuer:
    ward = world.ward
    level = "PHƯỜNG" if ward.startswith("phường") else "XÃ"
    wname = upper(ward_name(ward))
    loc = world.loc
    header: tuple[str, ...]
    if rng.random() < 0.5:
        header = ("ỦY BAN NHÂN DÂN", f"{level} {wname}")
    else:
        header = (upper(f"UBND {loc.province}").replace("THÀNH PHỐ", "TP."), "ỦY BAN NHÂN DÂN", f"{level} {wname}")
    office = rng.choice((("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
                         ("CHỦ TỊCH",)))
    place = ward_name(ward) if rng.random() < 0.5 else loc.short
    ring = f"ỦY BAN NHÂN DÂN {level} {wname} * {upper(loc.short)} *"
    return Issuer(header, office, ring, place, f"Ủy ban nhân dân {ward}, {loc.province}")


def header(cv: Canvas, lay: Layout, *, issuer: Sequence[str], number: str | None, motto: str = "right",
           sub: Sequence[str] = (), y: float | None = None) -> float:
    """Issuing body top left with its number and motto top right, or only the motto centred (``motto="center"``,
    for citizens' forms); returns the baseline below."""
    size = lay.size - 0.5
    lead = leading_for(size, 1.3)
    y0 = lay.top + size * 0.35 if y is None else y
    split = lay.left + min(80.0, lay.width * 0.44)
    bottom = y0
    if motto == "center":  # forms: the motto alone, centred
        cv.text(lay.center, y0, MOTTO, size=size, style="bold", align="center", max_width=lay.width)
        yy = y0 + lead
        w = cv.text(lay.center, yy, MOTTO_2, size=size + 0.5, style="bold", align="center")
        cv.hline(lay.center - w / 2, lay.center + w / 2, yy + 1.6, width=0.25)
        return yy + lead * 1.6
    if issuer:
        cx = (lay.left + split) / 2
        yy = y0
        for i, line in enumerate(issuer):
            bold = i == len(issuer) - 1 or (len(issuer) > 2 and i > 0)
            cv.text(cx, yy, line, size=size, style="bold" if bold else "regular", align="center",
                    max_width=split - lay.left - 2)
            yy += lead
        cv.hline(cx - 11, cx + 11, yy - lead + 1.8, width=0.25)
        yy += 1.5
        for line in (number, *sub) if number else sub:
            cv.text(cx, yy, line, size=size, align="center", max_width=split - lay.left - 2)
            yy += lead
        bottom = yy
    if motto == "right":
        rx = (split + lay.right) / 2 + 2
        yy = y0
        cv.text(rx, yy, MOTTO, size=size, style="bold", align="center", max_width=lay.right - split)
        yy += lead
        w = cv.text(rx, yy, MOTTO_2, size=size + 0.5, style="bold", align="center", max_width=lay.right - split)
        cv.hline(rx - w / 2, rx + w / 2, yy + 1.6, width=0.25)
        bottom = max(bottom, yy + lead)
    return bottom + lead * 0.5


def title(cv: Canvas, lay: Layout, y: float, lines: Sequence[str], *, size: float | None = None,
          color: Color = INK, style: str = "bold") -> float:
    size = size or lay.size + 3
    lead = leading_for(size, 1.25)
    for line in lines:
        cv.text(lay.center, y, line, size=size, style=style, align="center", color=color, max_width=lay.width)
        y += lead
    return y + lay.lead * 0.3


def sign_block(cv: Canvas, cx: float, y: float, *, size: float, date_text: str | None, office: Sequence[str],
               note: str | None = None, name: str | None = None, seal_ring: str | None = None,
               sign: bool = True, gap: float | None = None, max_width: float | None = None) -> float:
    """Place and date, office, signature, seal and the signer's name, centred on ``cx``."""
    lead = leading_for(size, 1.35)
    max_w = max_width or min(2 * (cv.width_mm - cx) - 4, 95.0)
    if date_text:
        cv.text(cx, y, date_text, size=size, style="italic", align="center", max_width=max_w)
        y += lead
    office_top = y - lead * 0.8
    for line in office:
        cv.text(cx, y, line, size=size, style="bold", align="center", max_width=max_w)
        y += lead
    if note:
        cv.text(cx, y, note, size=size - 1.5, style="italic", align="center", max_width=max_w)
        y += lead
    space = gap if gap is not None else cv.rng.uniform(20.0, 27.0)
    if sign:
        cv.signature(cx + cv.rng.uniform(-6, 6), y + space / 2 - 2)
    if seal_ring:
        d = cv.rng.uniform(33.0, 38.0)
        sx = cx - cv.rng.uniform(6.0, 15.0)
        sy = max(office_top + d * 0.3, y + space / 2 - 4 + cv.rng.uniform(-4, 3))
        cv.seal(sx, sy, seal_ring, diameter=d)
    y += space
    if name:
        cv.text(cx, y, name, size=size, style="bold", align="center", max_width=max_w)
        y += lead
    return y


def page_number(cv: Canvas, text: str, *, size: float = 11.0) -> None:
    cv.text(cv.width_mm / 2, cv.height_mm - 10.0, text, size=size, align="center")


def signer_date(issuer: Issuer, day: date, rng: random.Random) -> str:
    return date_line(issuer.place, day, pad=rng.random() < 0.7)


def new_official(rng: random.Random) -> str:
    return official_name(rng)


def value_ink(cv: Canvas, handwritten: bool) -> tuple[str, Color | None]:
    """Style and colour of filled-in values: typed, or filled by pen (blue, slanted)."""
    return ("italic", BLUE) if handwritten else ("regular", None)


def tabbed(cv: Canvas, y: float, items: Sequence[tuple[float, str, str]], *, size: float,
           value_style: str = "regular", value_color: Color | None = None) -> None:
    """Several "Label: value" pairs on one line at tab stops, recorded as one line."""
    texts = []
    for x, label, value in items:
        runs = [Run(label + " ", "regular"), Run(value, value_style, value_color)]
        cv.runs(x, y, runs, size=size, record=False)
        texts.append(f"{label} {value}")
    cv.record(" ".join(texts))


Item = tuple[str, str, str]  # label, value, value style ("" for a heading line drawn in bold)


def column(cv: Canvas, x: float, y: float, width: float, items: Sequence[Item], *, size: float, lead: float,
           value_color: Color | None = None) -> float:
    """A column of labelled lines; an item with an empty value and style "" is a bold heading."""
    for label, value, style in items:
        if not style:
            cv.text(x + width / 2, y, label, size=size, style="bold", align="center", max_width=width)
            y += lead * 1.15
        elif label.endswith(":") and value and style == "below":
            cv.text(x, y, label, size=size)
            y += lead
            y = cv.paragraph(x, y, width, value, size=size, style="bold", leading=lead, justify=False)
        else:
            y = cv.field(x, y, width, label, value, size=size, leading=lead, value_style=style,
                         value_color=value_color if style != "bold" else None)
    return y
