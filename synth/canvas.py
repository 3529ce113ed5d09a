"""A page being drawn in millimetres, recording every printed text line in reading order."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .fonts import FontFamily, truetype
from .vn import fold, nfc

Color = tuple[int, int, int]
INK: Color = (22, 22, 26)
RED: Color = (198, 30, 38)
SEAL_RED: Color = (214, 38, 48)
BLUE: Color = (30, 50, 150)
PURPLE: Color = (80, 40, 140)
GRAY: Color = (150, 150, 150)
WHITE: Color = (255, 255, 255)

MM_PER_PT = 25.4 / 72.0
A4 = (210.0, 297.0)

MONO_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


class Run(NamedTuple):
    """A piece of text in one style on a line."""

    text: str
    style: str = "regular"
    color: Color | None = None


class _Overlay(NamedTuple):
    alpha: np.ndarray  # float32 0..1, the ink coverage
    color: Color
    x: int
    y: int


def leading_for(size: float, factor: float = 1.45) -> float:
    """Baseline-to-baseline distance in mm for a font size in points."""
    return size * MM_PER_PT * factor


class Canvas:
    """An upright page. Coordinates are millimetres from the top-left corner; ``y`` is a baseline."""

    def __init__(self, *, dpi: int, fam: FontFamily, rng: random.Random, size_mm: tuple[float, float] = A4):
        self.dpi = dpi
        self.fam = fam
        self.rng = rng
        self.width_mm, self.height_mm = size_mm
        self.img = Image.new("RGB", (self.px(self.width_mm), self.px(self.height_mm)), WHITE)
        self.draw = ImageDraw.Draw(self.img)
        self.lines: list[str] = []
        self.qr_text: str | None = None
        self.lowest = 0.0  # the lowest baseline drawn (mm), to check that nothing runs off the page
        self._overlays: list[_Overlay] = []

    @classmethod
    def over(cls, img: Image.Image, *, dpi: int, fam: FontFamily, rng: random.Random) -> Canvas:
        """A canvas on a page already printed (and scanned): for stamps pressed on it afterwards."""
        cv = cls(dpi=dpi, fam=fam, rng=rng, size_mm=(img.width * 25.4 / dpi, img.height * 25.4 / dpi))
        cv.img = img.convert("RGB")
        cv.draw = ImageDraw.Draw(cv.img)
        return cv

    # --- units and fonts ---------------------------------------------------------------------------------

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def pxf(self, mm: float) -> float:
        return mm * self.dpi / 25.4

    def mm(self, px: float) -> float:
        return px * 25.4 / self.dpi

    def font(self, size: float, style: str = "regular") -> ImageFont.FreeTypeFont:
        return truetype(self.fam.path(style), round(size * self.dpi / 72.0))

    def mono(self, size: float) -> ImageFont.FreeTypeFont:
        return truetype(MONO_FONT, round(size * self.dpi / 72.0))

    def width(self, text: str, size: float, style: str = "regular") -> float:
        return self.mm(self.font(size, style).getlength(nfc(text)))

    def runs_width(self, runs: Sequence[Run], size: float) -> float:
        return sum(self.width(r.text, size, r.style) for r in runs)

    def fit(self, text: str, size: float, style: str, max_width: float) -> float:
        """The largest size not above ``size`` at which ``text`` fits in ``max_width``."""
        while size > 4.0 and self.width(text, size, style) > max_width:
            size -= 0.25
        return size

    def record(self, text: str) -> None:
        line = fold(text)
        if line:
            self.lines.append(line)

    # --- text ----------------------------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, *, size: float, style: str = "regular", align: str = "left",
             color: Color = INK, record: bool = True, underline: bool = False,
             max_width: float | None = None) -> float:
        """Draw one line with its baseline at ``y``; returns its width in mm."""
        return self.runs(x, y, [Run(text, style, color)], size=size, align=align, record=record,
                         underline=underline, max_width=max_width)

    def runs(self, x: float, y: float, runs: Sequence[Run], *, size: float, align: str = "left",
             record: bool = True, underline: bool = False, max_width: float | None = None,
             color: Color = INK) -> float:
        """Draw pieces of text side by side on one baseline; returns the total width in mm."""
        runs = [Run(nfc(r.text), r.style, r.color) for r in runs]
        self.lowest = max(self.lowest, y)
        if max_width is not None:
            while size > 4.0 and self.runs_width(runs, size) > max_width:
                size -= 0.25
        total = self.runs_width(runs, size)
        left = {"left": x, "center": x - total / 2, "right": x - total}[align]
        cursor = self.pxf(left)
        base = self.pxf(y)
        for r in runs:
            f = self.font(size, r.style)
            self.draw.text((cursor, base), r.text, font=f, fill=r.color or color, anchor="ls")
            cursor += f.getlength(r.text)
        if underline:
            uy = self.pxf(y + size * MM_PER_PT * 0.2)
            self.draw.line([(self.pxf(left), uy), (cursor, uy)], fill=color,
                           width=max(1, self.px(size * MM_PER_PT * 0.06)))
        if record:
            self.record("".join(r.text for r in runs))
        return total

    def wrap(self, text: str, *, size: float, style: str, first_width: float, width: float) -> list[str]:
        """Greedy word wrap; the first line may be narrower (after a label) and may come out empty."""
        words = nfc(text).split()
        lines: list[str] = []
        current: list[str] = []
        limit = first_width
        for word in words:
            candidate = " ".join([*current, word])
            if current and self.width(candidate, size, style) > limit:
                lines.append(" ".join(current))
                current, limit = [word], width
            elif not current and not lines and self.width(word, size, style) > limit and first_width < width:
                lines.append("")
                current, limit = [word], width
            else:
                current.append(word)
        lines.append(" ".join(current))
        return lines

    def paragraph(self, x: float, y: float, width: float, text: str, *, size: float, style: str = "regular",
                  leading: float | None = None, indent: float = 0.0, justify: bool = True,
                  align: str = "left", color: Color = INK) -> float:
        """A wrapped paragraph starting at baseline ``y``; returns the baseline after it."""
        lead = leading or leading_for(size)
        lines = self.wrap(text, size=size, style=style, first_width=width - indent, width=width)
        for i, line in enumerate(lines):
            lx = x + (indent if i == 0 else 0.0)
            lw = width - (indent if i == 0 else 0.0)
            if align == "center":
                self.text(x + width / 2, y, line, size=size, style=style, align="center", color=color)
            elif justify and i < len(lines) - 1 and " " in line:
                self._justified(lx, y, lw, line, size, style, color)
            else:
                self.text(lx, y, line, size=size, style=style, color=color)
            y += lead
        return y

    def _justified(self, x: float, y: float, width: float, line: str, size: float, style: str,
                   color: Color) -> None:
        words = line.split()
        f = self.font(size, style)
        natural = sum(f.getlength(w) for w in words)
        gap = (self.pxf(width) - natural) / (len(words) - 1)
        if gap > 3 * f.getlength(" "):  # a short line: do not stretch it
            self.text(x, y, line, size=size, style=style, color=color)
            return
        cursor = self.pxf(x)
        for w in words:
            self.draw.text((cursor, self.pxf(y)), w, font=f, fill=color, anchor="ls")
            cursor += f.getlength(w) + gap
        self.record(line)

    def field(self, x: float, y: float, width: float, label: str, value: str, *, size: float,
              leading: float | None = None, label_style: str = "regular", value_style: str = "regular",
              value_color: Color | None = None, leader: bool = False, hanging: float = 0.0) -> float:
        """"Label: value" with the value wrapped under it; returns the baseline after it."""
        lead = leading or leading_for(size)
        label = nfc(label)
        label_w = self.width(label + " ", size, label_style)
        parts = self.wrap(value, size=size, style=value_style, first_width=width - label_w,
                          width=width - hanging)
        for i, part in enumerate(parts):
            runs: list[Run] = [Run(label + " ", label_style)] if i == 0 else []
            if part:
                runs.append(Run(part, value_style, value_color))
            if leader and i == len(parts) - 1:
                used = self.runs_width(runs, size) + (hanging if i else 0.0)
                dot = self.width(".", size)
                count = int((width - used - self.width(" ", size)) / dot) if dot > 0 else 0
                if count >= 3:
                    runs.append(Run(" " + "." * count, "regular"))
            self.runs(x + (hanging if i else 0.0), y, runs, size=size)
            y += lead
        return y

    def dotted(self, x: float, y: float, width: float, *, size: float) -> None:
        """A line of leader dots (an empty form line); it is printed text, so it is recorded."""
        count = int(width / max(self.width(".", size), 0.1))
        if count >= 3:
            self.text(x, y, "." * count, size=size)

    def table(self, x: float, top: float, widths: Sequence[float], rows: Sequence[Sequence[str]], *,
              size: float, header_rows: int = 0, pad: float = 1.6, min_row: float = 0.0,
              align: Sequence[str] | None = None, leading: float | None = None) -> float:
        """A ruled table; every row is recorded as one line. Returns the bottom edge in mm."""
        lead = leading or leading_for(size, 1.3)
        asc = size * MM_PER_PT * 0.8
        total_w = sum(widths)
        line_w = max(1, self.px(0.25))
        self.draw.line([(self.pxf(x), self.pxf(top)), (self.pxf(x + total_w), self.pxf(top))], fill=INK,
                       width=line_w)
        y = top
        for r, row in enumerate(rows):
            style = "bold" if r < header_rows else "regular"
            cells = [self.wrap(c, size=size, style=style, first_width=w - 2 * pad, width=w - 2 * pad)
                     for c, w in zip(row, widths, strict=True)]
            height = max(min_row, max(len(c) for c in cells) * lead + 2 * pad - (lead - asc * 1.3))
            cx = x
            for c, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                how = "center" if r < header_rows else (align[c] if align else "left")
                for i, part in enumerate(cell):
                    by = y + pad + asc + i * lead
                    if how == "center":
                        self.text(cx + w / 2, by, part, size=size, style=style, align="center", record=False)
                    else:
                        self.text(cx + pad, by, part, size=size, style=style, record=False)
                cx += w
            self.record(" ".join(" ".join(c) for c in cells))
            y += height
            self.draw.line([(self.pxf(x), self.pxf(y)), (self.pxf(x + total_w), self.pxf(y))], fill=INK,
                           width=line_w)
        cx = x
        for w in [0.0, *widths]:
            cx += w
            self.draw.line([(self.pxf(cx), self.pxf(top)), (self.pxf(cx), self.pxf(y))], fill=INK, width=line_w)
        return y

    # --- graphics ------------------------------------------------------------------------------------------

    def hline(self, x0: float, x1: float, y: float, *, width: float = 0.25, color: Color = INK) -> None:
        self.draw.line([(self.pxf(x0), self.pxf(y)), (self.pxf(x1), self.pxf(y))], fill=color,
                       width=max(1, self.px(width)))

    def rect(self, x: float, y: float, w: float, h: float, *, width: float = 0.25, color: Color = INK,
             fill: Color | None = None, radius: float = 0.0) -> None:
        box = (self.pxf(x), self.pxf(y), self.pxf(x + w), self.pxf(y + h))
        if radius > 0:
            self.draw.rounded_rectangle(box, radius=self.px(radius), outline=color, fill=fill,
                                        width=max(1, self.px(width)))
        else:
            self.draw.rectangle(box, outline=color, fill=fill, width=max(1, self.px(width)))

    def qr(self, x: float, y: float, size: float, data: str) -> float:
        """A QR code with its top-left corner at (x, y) about ``size`` mm wide; returns its real size."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=0)
        code.add_data(data)
        code.make(fit=True)
        modules = np.array(code.get_matrix(), dtype=bool)
        step = max(2, round(self.pxf(size) / modules.shape[0]))
        pixels = np.where(np.kron(modules, np.ones((step, step), dtype=bool)), 0, 255).astype(np.uint8)
        quiet = 4 * step
        self.draw.rectangle((self.px(x) - quiet, self.px(y) - quiet, self.px(x) + pixels.shape[1] + quiet,
                             self.px(y) + pixels.shape[0] + quiet), fill=WHITE)
        self.img.paste(Image.fromarray(pixels).convert("RGB"), (self.px(x), self.px(y)))
        return self.mm(pixels.shape[0])

    def star(self, cx: float, cy: float, radius: float, *, fill: Color) -> None:
        self.draw.polygon(_star_points(self.pxf(cx), self.pxf(cy), self.pxf(radius)), fill=fill)

    def emblem(self, cx: float, cy: float, diameter: float) -> None:
        """A simplified national emblem: red disc, yellow star, a rim of rice ears."""
        r = diameter / 2
        box = (self.pxf(cx - r), self.pxf(cy - r), self.pxf(cx + r), self.pxf(cy + r))
        self.draw.ellipse(box, fill=(222, 170, 40))
        inner = r * 0.72
        self.draw.ellipse((self.pxf(cx - inner), self.pxf(cy - inner), self.pxf(cx + inner),
                           self.pxf(cy + inner)), fill=(200, 40, 40))
        self.star(cx, cy - inner * 0.15, inner * 0.55, fill=(250, 215, 60))
        for k in range(18):
            a = math.pi * (0.15 + 0.7 * k / 17) + math.pi / 2
            for side in (-1, 1):
                ex = cx + side * math.cos(a) * r * 0.86
                ey = cy + math.sin(a) * r * 0.86 - r * 0.1
                d = r * 0.09
                self.draw.ellipse((self.pxf(ex - d), self.pxf(ey - d), self.pxf(ex + d), self.pxf(ey + d)),
                                  fill=(180, 130, 20))
        self.draw.rectangle((self.pxf(cx - r * 0.35), self.pxf(cy + r * 0.6), self.pxf(cx + r * 0.35),
                             self.pxf(cy + r * 0.75)), fill=(200, 40, 40))

    def photo(self, x: float, y: float, w: float, h: float) -> None:
        """A portrait placeholder as it looks on a copy: gray field, dark head and shoulders."""
        self.rect(x, y, w, h, fill=(200, 200, 205), color=(120, 120, 120), width=0.15)
        head_w, head_h = w * 0.46, h * 0.42
        hx, hy = x + w / 2, y + h * 0.36
        self.draw.ellipse((self.pxf(hx - head_w / 2), self.pxf(hy - head_h / 2), self.pxf(hx + head_w / 2),
                           self.pxf(hy + head_h / 2)), fill=(95, 90, 90))
        self.draw.chord((self.pxf(x + w * 0.06), self.pxf(y + h * 0.62), self.pxf(x + w * 0.94),
                         self.pxf(y + h * 1.35)), 180, 360, fill=(70, 70, 80))

    def fingerprint(self, x: float, y: float, w: float, h: float) -> None:
        self.rect(x, y, w, h, width=0.2)
        cx, cy = x + w / 2, y + h / 2
        for k in range(1, 14):
            rx, ry = w * 0.03 * k, h * 0.032 * k
            self.draw.arc((self.pxf(cx - rx), self.pxf(cy - ry), self.pxf(cx + rx), self.pxf(cy + ry)),
                          200 + 4 * k, 520 - 3 * k, fill=(90, 90, 90), width=max(1, self.px(0.18)))

    # --- ink: signatures and seals, multiplied over the page when it is finished ---------------------------

    def signature(self, cx: float, cy: float, *, width: float | None = None, color: Color = BLUE) -> None:
        """A handwritten scribble centred at (cx, cy)."""
        rng = self.rng
        w = width or rng.uniform(26.0, 40.0)
        h = rng.uniform(8.0, 14.0)
        n = 320
        t = np.linspace(0.0, 1.0, n)
        loops = rng.randint(3, 8)
        omega = 2 * math.pi * loops
        phase = omega * t + rng.uniform(0.4, 1.2) * np.sin(2 * math.pi * t * rng.uniform(1.0, 3.0) + rng.uniform(0, 6))
        loop_x = w / loops * rng.uniform(0.25, 0.5)
        wobble = np.interp(t, np.linspace(0, 1, loops + 2), [rng.uniform(0.5, 1.0) for _ in range(loops + 2)])
        xs = t * w - loop_x * wobble * np.sin(phase)
        ys = (h * 0.38 * wobble * np.cos(phase + rng.uniform(0, math.pi))
              - h * rng.uniform(0.0, 0.35) * t + h * 0.12 * np.sin(2 * math.pi * t * rng.uniform(0.5, 2)))
        # a final stroke sweeping back under the name: a quadratic Bezier from the last point
        tail = np.linspace(0.0, 1.0, 80)[:, None]
        p0 = np.array([xs[-1], ys[-1]])
        p1 = p0 + np.array([w * rng.uniform(0.05, 0.25), h * rng.uniform(0.4, 0.9)])
        p2 = np.array([w * rng.uniform(-0.1, 0.3), ys[-1] + h * rng.uniform(0.3, 0.7)])
        curve = (1 - tail) ** 2 * p0 + 2 * (1 - tail) * tail * p1 + tail ** 2 * p2
        fx, fy = curve[:, 0], curve[:, 1]
        xs = np.concatenate([xs, fx]) - w / 2
        ys = np.concatenate([ys, fy])
        margin = 3.0
        span_x, span_y = float(xs.max() - xs.min()), float(ys.max() - ys.min())
        mask = Image.new("L", (self.px(span_x + 2 * margin), self.px(span_y + 2 * margin)), 0)
        pts = [(self.pxf(float(a - xs.min()) + margin), self.pxf(float(b - ys.min()) + margin))
               for a, b in zip(xs, ys, strict=True)]
        ImageDraw.Draw(mask).line(pts, fill=255, width=max(1, self.px(rng.uniform(0.35, 0.55))), joint="curve")
        mask = mask.filter(ImageFilter.GaussianBlur(max(0.3, self.pxf(0.06))))
        alpha = np.asarray(mask, dtype=np.float32) / 255.0 * rng.uniform(0.8, 0.95)
        ox = self.px(cx + float(xs.min()) - margin)
        oy = self.px(cy - span_y / 2 - margin)
        self._overlays.append(_Overlay(alpha, color, ox, oy))

    def seal(self, cx: float, cy: float, ring_text: str, *, diameter: float = 36.0, color: Color = SEAL_RED,
             center_lines: Sequence[str] = ()) -> None:
        """A round red seal: two rings, text around, a star (or short lines) in the middle."""
        rng = self.rng
        size = self.px(diameter) + 4
        c = size / 2
        r_out = self.pxf(diameter / 2)
        mask = Image.new("L", (size, size), 0)
        d = ImageDraw.Draw(mask)
        d.ellipse((c - r_out, c - r_out, c + r_out, c + r_out), outline=255, width=max(2, self.px(0.9)))
        r_in = r_out - self.pxf(diameter * 0.16)
        d.ellipse((c - r_in, c - r_in, c + r_in, c + r_in), outline=255, width=max(1, self.px(0.45)))
        text = nfc(ring_text)
        r_text = (r_out + r_in) / 2 - self.pxf(0.3)
        band = (r_out - r_in) * 0.62
        font_px = int(band * 1.25)
        f = truetype(self.fam.bold, font_px)
        advance = [f.getlength(ch) * 1.08 for ch in text]
        length = sum(advance)
        span = min(2 * math.pi * 0.86, length / r_text)
        if length / r_text > span:  # squeeze into the ring
            scale = span * r_text / length
            f = truetype(self.fam.bold, max(6, int(font_px * scale)))
            advance = [f.getlength(ch) * 1.08 for ch in text]
            length = sum(advance)
        theta = -length / r_text / 2
        box = int(font_px * 2)
        for ch, adv in zip(text, advance, strict=True):
            mid = theta + adv / 2 / r_text
            theta += adv / r_text
            if ch.isspace():
                continue
            glyph = Image.new("L", (box, box), 0)
            ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=f, fill=255, anchor="mm")
            glyph = glyph.rotate(-math.degrees(mid), resample=Image.Resampling.BICUBIC)
            gx = int(c + r_text * math.sin(mid) - box / 2)
            gy = int(c - r_text * math.cos(mid) - box / 2)
            mask.paste(255, (gx, gy), glyph)
        if center_lines:
            lf = truetype(self.fam.bold, int(band * 1.1))
            step = band * 1.4
            y0 = c - step * (len(center_lines) - 1) / 2
            for i, line in enumerate(center_lines):
                d.text((c, y0 + i * step), nfc(line), font=lf, fill=255, anchor="mm")
        else:
            d.polygon(_star_points(c, c, r_in * 0.42), fill=255)
        mask = mask.rotate(rng.uniform(-30.0, 30.0), resample=Image.Resampling.BICUBIC)
        mask = mask.filter(ImageFilter.GaussianBlur(max(0.4, self.pxf(0.08))))
        nrng = np.random.default_rng(rng.getrandbits(32))
        blotch = Image.fromarray((nrng.uniform(0.6, 1.0, (6, 6)) * 255).astype(np.uint8)).resize(
            (size, size), Image.Resampling.BICUBIC)
        texture = np.asarray(blotch, dtype=np.float32) / 255.0
        grain = nrng.uniform(0.8, 1.0, (size, size)).astype(np.float32)
        alpha = np.asarray(mask, dtype=np.float32) / 255.0 * texture * grain * rng.uniform(0.85, 1.0)
        self._overlays.append(_Overlay(np.clip(alpha, 0.0, 1.0), color, int(self.pxf(cx) - c),
                                       int(self.pxf(cy) - c)))

    def stamp_box(self, x: float, y: float, w: float, h: float, *, color: Color = PURPLE) -> None:
        """The frame of a rubber stamp, in stamp ink."""
        mask = Image.new("L", (self.px(w) + 4, self.px(h) + 4), 0)
        ImageDraw.Draw(mask).rectangle((2, 2, self.px(w) + 1, self.px(h) + 1), outline=255,
                                       width=max(1, self.px(0.5)))
        alpha = np.asarray(mask, dtype=np.float32) / 255.0 * 0.85
        self._overlays.append(_Overlay(alpha, color, self.px(x) - 2, self.px(y) - 2))

    def rubber_stamp(self, cx: float, cy: float, rows: Sequence[tuple[str, float]], *, color: Color,
                     angle: float = 0.0, frame: int = 1) -> None:
        """A rectangular rubber stamp centred at (cx, cy): rows of bold text (text, size in pt), centred, in
        ``frame`` ruled frames (0: none), turned ``angle`` degrees counter-clockwise, in worn stamp ink."""
        rng = self.rng
        fonts = [truetype(self.fam.bold, max(6, round(size * self.dpi / 72.0))) for _, size in rows]
        widths = [f.getlength(nfc(text)) for (text, _), f in zip(rows, fonts, strict=True)]
        heights = [f.size * 1.25 for f in fonts]
        pad = self.pxf(2.0)
        w, h = int(max(widths) + 2 * pad) + 1, int(sum(heights) + 2 * pad) + 1
        mask = Image.new("L", (w + 8, h + 8), 0)
        d = ImageDraw.Draw(mask)
        for k in range(frame):
            inset = 4 + k * self.pxf(0.9)
            d.rectangle((inset, inset, w + 8 - inset, h + 8 - inset), outline=255, width=max(1, self.px(0.45)))
        y = 4 + pad
        for (text, _), f, rh in zip(rows, fonts, heights, strict=True):
            d.text(((w + 8) / 2, y + rh / 2), nfc(text), font=f, fill=255, anchor="mm")
            y += rh
        mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        mask = mask.filter(ImageFilter.GaussianBlur(max(0.4, self.pxf(0.07))))
        nrng = np.random.default_rng(rng.getrandbits(32))
        blotch = Image.fromarray((nrng.uniform(0.55, 1.0, (5, 5)) * 255).astype(np.uint8)).resize(
            mask.size, Image.Resampling.BICUBIC)
        alpha = (np.asarray(mask, dtype=np.float32) / 255.0 * np.asarray(blotch, dtype=np.float32) / 255.0
                 * nrng.uniform(0.8, 1.0, (mask.height, mask.width)).astype(np.float32) * rng.uniform(0.8, 0.95))
        self._overlays.append(_Overlay(np.clip(alpha, 0.0, 1.0), color, int(self.pxf(cx) - mask.width / 2),
                                       int(self.pxf(cy) - mask.height / 2)))

    def finish(self) -> Image.Image:
        """The page with the ink layers multiplied over it."""
        page = np.array(self.img)
        height, width = page.shape[:2]
        for ov in self._overlays:
            h, w = ov.alpha.shape
            x0, y0 = max(ov.x, 0), max(ov.y, 0)
            x1, y1 = min(ov.x + w, width), min(ov.y + h, height)
            if x0 >= x1 or y0 >= y1:
                continue
            a = ov.alpha[y0 - ov.y:y1 - ov.y, x0 - ov.x:x1 - ov.x, None]
            tint = 1.0 - np.asarray(ov.color, dtype=np.float32) / 255.0
            region = page[y0:y1, x0:x1].astype(np.float32) * (1.0 - a * tint)
            page[y0:y1, x0:x1] = np.clip(region + 0.5, 0, 255).astype(np.uint8)
        self._overlays.clear()
        return Image.fromarray(page, "RGB")


def _star_points(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    return pts
