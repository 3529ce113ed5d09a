"""What family d's builders share beyond ``family_b.parts`` (whose plan, dates and signature block it reuses): its
page geometry and heads (a form code "Mẫu số …", the office's phone and fax, page numbers), grids of field cells
(the label small at the top of a ruled cell, the value under it), boxes holding one digit each, key/value lists
whose colons are aligned on one tab stop, labels in bold capitals, labels on one line and values under them,
values with their caption under them ("NGUYỄN VĂN AN" over "(họ tên người khai)") and values filled by hand
(an italic face in pen blue, written over the printed dots).

Family d is a fourth set of layouts written apart from ``synth/docs`` (family a), ``synth/family_b`` and
``synth/family_c``. Wording choices come from the builder's data rng; geometry from the canvas rng.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..canvas import INK, Canvas, Color, leading_for
from ..family_b.parts import MOTTO, MOTTO_2, Geometry, pick, sign
from ..vn import World, upper, ward_name

PEN: Color = (28, 48, 150)  # ballpoint blue of a form filled by hand


def page(cv: Canvas, size: float) -> Geometry:
    """Family d's margins: left 22-32 mm (a binding edge), right 12-20 mm, a low top of 10-18 mm."""
    rng = cv.rng
    size = size + rng.uniform(-0.5, 0.8)
    return Geometry(size=size, lead=leading_for(size, rng.uniform(1.4, 1.7)), left=rng.uniform(22.0, 32.0),
                    right=cv.width_mm - rng.uniform(12.0, 20.0), top=rng.uniform(10.0, 18.0))


def office(world: World, rng: random.Random) -> tuple[tuple[str, ...], str, str, str]:
    """(masthead lines, place for the date line, seal ring, the office inside sentences) of the commune."""
    level = "PHƯỜNG" if world.ward.startswith("phường") else "XÃ"
    wname = upper(ward_name(world.ward))
    body = pick(rng, ((f"{upper(world.loc.province)}", f"UBND {level} {wname}"),
                      (f"UBND {level} {wname}",),
                      ("ỦY BAN NHÂN DÂN", f"{level} {wname}", f"TỈNH/TP {upper(world.loc.short)}")))
    place = pick(rng, (world.loc.short, ward_name(world.ward)))
    ring = f"ỦY BAN NHÂN DÂN {level} {wname} * {upper(world.loc.short)}"
    return body, place, ring, f"UBND {world.ward}"


def contact(rng: random.Random) -> str:
    """The office's phone and fax, numbers a reader must not take for the paper's own."""
    area = pick(rng, ("0234", "024", "028", "0236", "0263", "0258"))
    return f"ĐT: {area}.{rng.randint(3800000, 3899999)} - Fax: {area}.{rng.randint(3800000, 3899999)}"


def head(cv: Canvas, g: Geometry, body: Sequence[str], number: str | None, *, style: int,
         form: str | None = None, extra: str | None = None) -> float:
    """The top of a page; returns the baseline under it.

    style 0: the body flush left (its lines not centred), the motto flush right, ``extra`` (phone, fax) under
    the body, the form code in a small frame above the motto;
    style 1: the motto centred with "---o0o---" under it, then the body and number flush left, the form code at
    the top left in italics (citizens' papers may have no body).
    """
    size = g.size - 0.5
    lead = leading_for(size, 1.3)
    y = g.top + 4.0
    if form:
        fw = cv.width(form, size - 1.5, "italic") + 4
        if style == 0:
            cv.rect(g.right - fw, y - lead * 0.8, fw, lead * 1.05, width=0.2)
            cv.text(g.right - 2, y, form, size=size - 1.5, style="italic", align="right")
        else:
            cv.text(g.left, y, form, size=size - 1.5, style="italic")
        y += lead * 1.2
    if style == 0:
        yy = y
        for line in body:
            cv.text(g.left, yy, line, size=size, style="bold", max_width=g.width * 0.42)
            yy += lead
        for more in (number, extra):
            if more:
                cv.text(g.left, yy, more, size=size - 1, max_width=g.width * 0.42)
                yy += lead
        cv.text(g.right, y, MOTTO, size=size - 0.5, style="bold", align="right", max_width=g.width * 0.55)
        cv.text(g.right, y + lead, MOTTO_2, size=size, style="bold", align="right", max_width=g.width * 0.55)
        return max(yy, y + 2 * lead) + lead * 0.7
    cv.text(g.center, y, MOTTO, size=size, style="bold", align="center", max_width=g.width)
    y += lead
    cv.text(g.center, y, MOTTO_2, size=size, style="bold", align="center", max_width=g.width)
    y += lead
    cv.text(g.center, y, "---o0o---", size=size - 1, align="center")
    y += lead * 1.2
    for line in body:
        cv.text(g.left, y, line, size=size, style="bold", max_width=g.width * 0.6)
        y += lead
    if number:
        cv.text(g.left, y, number, size=size - 0.5, max_width=g.width * 0.6)
        y += lead
    return y + lead * 0.3


def title(cv: Canvas, g: Geometry, y: float, lines: Sequence[str], *, size: float | None = None,
          underline: bool = False) -> float:
    size = size or g.size + 3.0
    lead = leading_for(size, 1.25)
    for line in lines:
        cv.text(g.center, y, line, size=size, style="bold", align="center", max_width=g.width, underline=underline)
        y += lead
    return y + g.lead * 0.3


def page_number(cv: Canvas, g: Geometry, k: int, n: int) -> None:
    cv.text(g.center, cv.height_mm - 10.0, f"Trang {k}/{n}", size=g.size - 2, align="center")


# --- ways of printing a label with its value ------------------------------------------------------------------


def cells(cv: Canvas, g: Geometry, x: float, y: float, w: float, rows: Sequence[Sequence[tuple[str, str]]], *,
          value_style: str = "bold", value_color: Color | None = None, spans: Sequence[Sequence[float]] = ()) -> float:
    """A grid of ruled cells, each with its label small at the top and its value under it (wrapped inside the
    cell). ``spans``: each row's cell widths as shares of ``w`` (equal when missing). Every printed line of a row
    (its labels, then each line of its values) is recorded across the row. Returns the bottom edge."""
    ls, vs = g.size - 2.5, g.size
    ll, vl = leading_for(ls, 1.2), leading_for(vs, 1.3)
    pad = 1.4
    for r, row in enumerate(rows):
        shares = spans[r] if r < len(spans) else [1.0 / len(row)] * len(row)
        widths = [w * s for s in shares]
        wrapped = [cv.wrap(v, size=vs, style=value_style, first_width=cw - 2 * pad, width=cw - 2 * pad)
                   for (_, v), cw in zip(row, widths, strict=True)]
        height = pad + ll + max(len(p) for p in wrapped) * vl + pad
        cx = x
        for (label, _), parts, cw in zip(row, wrapped, widths, strict=True):
            cv.rect(cx, y, cw, height, width=0.25)
            cv.text(cx + pad, y + pad + ll * 0.8, label, size=ls, record=False, max_width=cw - 2 * pad)
            for i, part in enumerate(parts):
                cv.text(cx + pad + 1.0, y + pad + ll + (i + 0.85) * vl, part, size=vs, style=value_style,
                        color=value_color or INK, record=False, max_width=cw - 2 * pad - 1)
            cx += cw
        cv.record(" ".join(label for label, _ in row))
        for i in range(max(len(p) for p in wrapped)):
            cv.record(" ".join(p[i] for p in wrapped if i < len(p)))
        cv.lowest = max(cv.lowest, y + height)
        y += height
    return y


def digit_boxes(cv: Canvas, x: float, y: float, label: str, digits: str, *, size: float,
                after: str = "", label_style: str = "regular") -> float:
    """The label, then one closed box per digit (a grid form, not a comb), then ``after``; recorded as one line
    with the digits spaced. Returns the width drawn."""
    cap = size * 0.2646
    cell = cap * 1.9
    lw = cv.text(x, y, label + " ", size=size, style=label_style, record=False)
    bx = x + lw
    for i, ch in enumerate(digits):
        cv.rect(bx + i * cell, y - cap * 1.45, cell, cap * 1.85, width=0.2)
        cv.text(bx + i * cell + cell / 2, y, ch, size=size * 0.95, align="center", record=False)
    end = bx + len(digits) * cell + 1.5
    if after:
        end += cv.text(end + 1.0, y, after, size=size, record=False) + 1.0
    cv.record(f"{label} {' '.join(digits)} {after}".strip())
    cv.lowest = max(cv.lowest, y)
    return end - x


def aligned(cv: Canvas, g: Geometry, x: float, y: float, w: float, items: Sequence[tuple[str, str]], *,
            tab: float, caps: bool = False, value_style: str = "regular", value_color: Color | None = None) -> float:
    """Key/value lines with the colons aligned on one tab stop ``tab`` mm after ``x``; the value follows the
    colon and wraps under itself. ``caps``: labels in bold capitals. Returns the next baseline."""
    for label, value in items:
        shown = upper(label) if caps else label
        style = "bold" if caps else "regular"
        cv.text(x, y, shown, size=g.size, style=style, record=False, max_width=tab - 1.5)
        cv.text(x + tab - 1.0, y, ":", size=g.size, style=style, record=False)
        parts = cv.wrap(value, size=g.size, style=value_style, first_width=w - tab - 2, width=w - tab - 2)
        for i, part in enumerate(parts):
            cv.text(x + tab + 1.5, y, part, size=g.size, style=value_style, color=value_color or INK, record=False)
            cv.record(f"{shown}: {part}" if i == 0 else part)
            cv.lowest = max(cv.lowest, y)
            y += g.lead
    return y


def label_over(cv: Canvas, g: Geometry, x: float, y: float, w: float, label: str, value: str, *,
               value_style: str = "regular", value_color: Color | None = None, rule: bool = True) -> float:
    """The label in bold capitals on its line, the value on the next over a ruled line (as a form leaves room
    for it). Returns the next baseline."""
    cv.text(x, y, label, size=g.size - 1, style="bold", max_width=w)
    y += g.lead * 1.05
    for part in cv.wrap(value, size=g.size, style=value_style, first_width=w - 3, width=w - 3):
        cv.text(x + 3, y, part, size=g.size, style=value_style, color=value_color or INK)
        if rule:
            cv.hline(x, x + w, y + 1.2, width=0.15, color=(120, 120, 120))
        y += g.lead
    return y + g.lead * 0.2


def captioned(cv: Canvas, x: float, y: float, w: float, value: str, caption: str, *, size: float,
              value_style: str = "bold", value_color: Color | None = None) -> float:
    """The value centred on a rule, its caption in small italics under it: the value stands before its label.
    Returns the next baseline."""
    cx = x + w / 2
    cv.text(cx, y, value, size=size, style=value_style, color=value_color or INK, align="center", max_width=w - 2)
    cv.hline(x + 2, x + w - 2, y + 1.3, width=0.2)
    y += leading_for(size - 2, 1.3) + 0.8
    cv.text(cx, y, caption, size=size - 2.5, style="italic", align="center", max_width=w - 2)
    return y + leading_for(size, 1.5)


def handwritten(cv: Canvas, g: Geometry, x: float, y: float, w: float, label: str, value: str, *,
                dots: bool = True) -> float:
    """A printed label and its dotted line with the value written over the dots by hand (an italic face in pen
    blue, a little above the line and off its start). Recorded as "label value". Returns the next baseline."""
    lw = cv.text(x, y, label + " ", size=g.size, record=False)
    vsize = g.size + cv.rng.uniform(0.5, 1.5)
    parts = cv.wrap(value, size=vsize, style="italic", first_width=w - lw - 4, width=w - 8)
    for i, part in enumerate(parts):
        start = x + (lw if i == 0 else 4.0)
        if dots:
            dot = cv.width(".", g.size)
            count = int((x + w - start) / max(dot, 0.1))
            cv.text(start, y + 0.4, "." * count, size=g.size, color=(90, 90, 90), record=False)
        cv.text(start + cv.rng.uniform(1.0, 4.0), y - cv.rng.uniform(0.2, 0.9), part, size=vsize, style="italic",
                color=PEN, record=False)
        cv.record(f"{label} {part}" if i == 0 else part)
        cv.lowest = max(cv.lowest, y)
        y += g.lead * 1.1
    return y


def signer(cv: Canvas, g: Geometry, y: float, when: str | None, titles: Sequence[str], name: str | None, *,
           ring: str | None = None, at: float = 0.72, note: str | None = None) -> float:
    return sign(cv, g.left + g.width * at, y, size=g.size - 0.5, when=when, titles=titles, name=name, ring=ring,
                note=note, width=min(90.0, g.width * 0.55))


def seal_over(cv: Canvas, x: float, y: float, ring: str) -> None:
    """A seal pressed over printed values (a certified copy's, or one pressed off its signature)."""
    cv.seal(x, y, ring, diameter=cv.rng.uniform(28.0, 34.0))
