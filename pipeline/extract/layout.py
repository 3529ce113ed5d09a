"""A document's layout, built once: line segments in reading order, the rows they share (table rows, label/value
pairs side by side), the cells above and below, headings and column headers.

Segments come from `fields.segments` (a Tesseract line split where a wide gap separates two columns or two
label/value pairs). Rows and columns are found from the segments' boxes, not from fixed page halves: two
segments are on one row when their vertical extents overlap by most of a line; a segment is under another when
their horizontal extents overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from pipeline.extract.fields import Segment, segments
from schemas.record import Page


@dataclass(frozen=True)
class Layout:
    segs: tuple[Segment, ...]
    row: tuple[int, ...]  # row id of each segment
    rows: tuple[tuple[int, ...], ...]  # segments of each row, left to right

    @cached_property
    def line_height(self) -> float:
        heights = [s.box[3] - s.box[1] for s in self.segs]
        return float(np.median(heights)) if heights else 1.0

    def cells(self, i: int) -> tuple[int, ...]:
        """The segments on segment i's row, left to right (i among them)."""
        return self.rows[self.row[i]]

    def left_of(self, i: int) -> int | None:
        cells = self.cells(i)
        k = cells.index(i)
        return cells[k - 1] if k > 0 else None

    def above(self, i: int, *, reach: float = 3.0, box: Sequence[int] | None = None) -> int | None:
        """The nearest segment above i on its page that overlaps it horizontally (or overlaps `box`, a part of
        it: a value of the second column on a line read across both), within `reach` lines."""
        seg = self.segs[i]
        extent = seg.box if box is None else box
        best: int | None = None
        best_gap = reach * self.line_height
        for j in range(i - 1, -1, -1):
            other = self.segs[j]
            if other.page != seg.page:
                break
            if self.row[j] == self.row[i]:
                continue
            gap = seg.box[1] - other.box[3]
            if gap < -0.5 * self.line_height or gap > best_gap:
                if gap > 4 * reach * self.line_height:
                    break
                continue
            if _overlap(extent, other.box) > 0.0:
                best, best_gap = j, gap
        return best

    def below(self, i: int, *, reach: float = 1.2) -> int | None:
        """The next segment under i on its page, overlapping it horizontally, within `reach` lines of it."""
        seg = self.segs[i]
        for j in range(i + 1, min(len(self.segs), i + 8)):
            other = self.segs[j]
            if other.page != seg.page or self.row[j] == self.row[i]:
                continue
            gap = other.box[1] - seg.box[3]
            if gap > reach * self.line_height:
                continue
            if gap > -0.3 * self.line_height and _overlap(seg.box, other.box) > 0.0:
                return j
        return None

    def header(self, i: int, *, reach: float = 14.0) -> int | None:
        """The column header over segment i in a table: the nearest short segment above whose horizontal extent
        covers i's centre best, on a row of two or more cells (for a table with labels in a column)."""
        seg = self.segs[i]
        centre = (seg.box[0] + seg.box[2]) / 2
        for j in range(i - 1, -1, -1):
            other = self.segs[j]
            if other.page != seg.page or seg.box[1] - other.box[3] > reach * self.line_height:
                break
            if self.row[j] == self.row[i] or len(self.cells(j)) < 2:
                continue
            if other.box[0] - self.line_height <= centre <= other.box[2] + self.line_height and len(other.text) <= 30:
                return j
        return None


def _overlap(a: Sequence[int], b: Sequence[int]) -> float:
    """Horizontal overlap of two boxes over the narrower's width."""
    inter = min(a[2], b[2]) - max(a[0], b[0])
    return max(0.0, inter) / max(1, min(a[2] - a[0], b[2] - b[0]))


def build_layout(pages: Sequence[Page]) -> Layout:
    segs = tuple(segments(pages))
    row = [-1] * len(segs)
    rows: list[list[int]] = []
    for i, seg in enumerate(segs):
        h = seg.box[3] - seg.box[1]
        # candidates: rows whose last segment is on this page and overlaps vertically by most of a line
        # any row of the page (a column of labels is read before the column of values beside it)
        best, best_inter = -1, 0.0
        for r in range(len(rows) - 1, -1, -1):
            j = rows[r][-1]
            other = segs[j]
            if other.page != seg.page:
                break
            inter = min(seg.box[3], other.box[3]) - max(seg.box[1], other.box[1])
            if (
                inter >= 0.6 * min(h, other.box[3] - other.box[1])
                and inter > best_inter
                and all(_overlap(seg.box, segs[k].box) == 0.0 for k in rows[r])
            ):
                best, best_inter = r, inter
        if best >= 0:
            rows[best].append(i)
            row[i] = best
        if row[i] < 0:
            row[i] = len(rows)
            rows.append([i])
    ordered = tuple(tuple(sorted(r, key=lambda k: segs[k].box[0])) for r in rows)
    return Layout(segs=segs, row=tuple(row), rows=ordered)
