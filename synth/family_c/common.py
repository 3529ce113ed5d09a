"""What family c's builders share beyond ``family_b.parts`` (whose drawing helpers it reuses): its own page
geometry, masthead, numbered items, dotted leaders, ticked choices written "x" and tables whose header row
names the people in the columns.

Family c is a third set of layouts written apart from ``synth/docs`` (family a) and ``synth/family_b``: the
wording is its own, taken from what real Vietnamese forms print (numbered items, role words, first-person
phrases, labels above values, values inside sentences). Wording choices come from the builder's data rng;
geometry from the canvas rng.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..canvas import Canvas, leading_for
from ..family_b.parts import MOTTO, MOTTO_2, Geometry, Piece, T, box, inline, pick, sign
from ..vn import World, upper, ward_name


def page(cv: Canvas, size: float, *, wide: bool = False) -> Geometry:
    """Family c's margins: wider top and bottom, left 18-40 mm (``wide``: a narrow 12-20 mm, as copies do)."""
    rng = cv.rng
    size = size + rng.uniform(-0.6, 0.9)
    left = rng.uniform(12.0, 20.0) if wide else rng.uniform(18.0, 40.0)
    right = cv.width_mm - (rng.uniform(10.0, 16.0) if wide else rng.uniform(12.0, 28.0))
    return Geometry(size=size, lead=leading_for(size, rng.uniform(1.35, 1.75)), left=left, right=right,
                    top=rng.uniform(12.0, 28.0))


def top(cv: Canvas, g: Geometry, body: Sequence[str], number: str | None, *, style: int) -> float:
    """The head of a page; returns the baseline under it.

    style 0: the motto flush right, the body flush left on the same first line, the number under the body;
    style 1: the motto centred in a frame, nothing else (citizens' papers);
    style 2: the body centred on top, a rule, then the motto centred and the number at the right margin.
    """
    size = g.size - 0.75
    lead = leading_for(size, 1.35)
    y = g.top + 5.0
    if style == 0:
        for i, line in enumerate(body):
            cv.text(g.left, y + i * lead, line, size=size, style="bold" if i else "regular", max_width=g.width * 0.4)
        yy = y + len(body) * lead
        if number:
            cv.text(g.left, yy, number, size=size - 0.5, max_width=g.width * 0.4)
            yy += lead
        cv.text(g.right, y, MOTTO, size=size - 0.5, style="bold", align="right", max_width=g.width * 0.56)
        cv.text(g.right, y + lead, MOTTO_2, size=size, style="italic", align="right", max_width=g.width * 0.56)
        return max(yy, y + 2 * lead) + lead * 0.8
    if style == 1:
        w = cv.width(MOTTO, size, "bold") + 10
        cv.rect(g.center - w / 2, y - lead * 0.95, w, lead * 2.3, width=0.3)
        cv.text(g.center, y, MOTTO, size=size, style="bold", align="center")
        cv.text(g.center, y + lead, MOTTO_2, size=size, style="bold", align="center")
        return y + lead * 3.0
    for line in body:
        cv.text(g.center, y, line, size=size, style="bold", align="center", max_width=g.width)
        y += lead
    cv.hline(g.center - 25, g.center + 25, y - lead + 2.0, width=0.25)
    y += lead * 0.4
    cv.text(g.center, y, MOTTO, size=size - 0.5, style="bold", align="center", max_width=g.width)
    y += lead
    cv.text(g.center, y, MOTTO_2, size=size - 0.5, style="bold", align="center", max_width=g.width)
    y += lead
    if number:
        cv.text(g.right, y, number, size=size - 0.5, align="right", max_width=g.width * 0.5)
        y += lead
    return y + lead * 0.5


def committee(world: World, rng: random.Random) -> tuple[tuple[str, ...], str, str, str]:
    """(masthead lines, place for date lines, seal ring, name inside sentences) of the ward or commune."""
    level = "PHƯỜNG" if world.ward.startswith("phường") else "XÃ"
    wname = upper(ward_name(world.ward))
    body = pick(rng, ((f"UBND TỈNH/TP {upper(world.loc.short)}", f"UBND {level} {wname}"),
                      ("ỦY BAN NHÂN DÂN", f"{level} {wname}"),
                      (f"{upper(world.loc.short)}", f"ỦY BAN NHÂN DÂN {level} {wname}")))
    place = pick(rng, (ward_name(world.ward), world.loc.short))
    ring = f"UBND {level} {wname} * {upper(world.loc.short)} *"
    return body, place, ring, f"Ủy ban nhân dân {world.ward}"


def leader(cv: Canvas, g: Geometry, x: float, y: float, w: float, label: str, value: str, *,
           value_style: str = "regular") -> float:
    """"Label value ........" as a form filled on its dotted line; returns the next baseline."""
    return cv.field(x, y, w, label, value, size=g.size, leading=g.lead, value_style=value_style, leader=True)


def ticks(options: Sequence[str], chosen: str, *, written: bool) -> list[Piece]:
    """Choices with the chosen one ticked: drawn boxes (recorded ☒/☐) or, ``written``, "(x)" beside the word
    and nothing beside the others, as a clerk marks a typed form."""
    out: list[Piece] = []
    for option in options:
        if written:
            out += [T(option + (" (x)" if option == chosen else "") + "     ")]
        else:
            out += [box(option == chosen), T(option + "    ")]
    return out


def choice_line(cv: Canvas, g: Geometry, x: float, y: float, label: str, options: Sequence[str], chosen: str,
                *, written: bool) -> float:
    inline(cv, x, y, [T(label + " "), *ticks(options, chosen, written=written)], size=g.size, max_width=g.width)
    return y + g.lead


def people_table(cv: Canvas, g: Geometry, y: float, heads: Sequence[str], rows: Sequence[Sequence[str]], *,
                 first: float = 0.3) -> float:
    """A ruled table: a header row naming the people, the labels in the first column, one person a column."""
    rest = (1.0 - first) / (len(heads) - 1)
    widths = [g.width * first, *([g.width * rest] * (len(heads) - 1))]
    return cv.table(g.left, y, widths, [list(heads), *[list(r) for r in rows]], size=g.size - 0.75, header_rows=1)


def signer(cv: Canvas, g: Geometry, y: float, when: str | None, titles: Sequence[str], name: str | None, *,
           ring: str | None = None, at: float = 0.7, note: str | None = None) -> float:
    return sign(cv, g.left + g.width * at, y, size=g.size - 0.5, when=when, titles=titles, name=name, ring=ring,
                note=note, width=min(95.0, g.width * 0.6))
