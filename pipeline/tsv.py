"""A page's OCR data as Tesseract TSV, made from the page record's words.

Same columns as ``tesseract … tsv``. Levels written: 1 (the page) and 5 (each word); block and line
numbers are the record's, counted from 1 as Tesseract does; paragraphs are not kept in the record, so
``par_num`` is 1. Coordinates are pixels on the straightened page image (``image_key``).
"""

from __future__ import annotations

from schemas.record import Page

HEADER = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
          "left", "top", "width", "height", "conf", "text")  # fmt: skip


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def page_tsv(page: Page) -> str:
    rows = ["\t".join(HEADER), "\t".join(map(str, (1, page.number, 0, 0, 0, 0, 0, 0, page.width, page.height, -1, "")))]
    word_in_line: dict[tuple[int, int], int] = {}
    for w in page.words:
        key = (w.block, w.line)
        word_in_line[key] = word_in_line.get(key, 0) + 1
        x0, y0, x1, y1 = w.box
        rows.append(
            "\t".join(
                map(
                    str,
                    (5, page.number, w.block + 1, 1, w.line + 1, word_in_line[key],
                     x0, y0, x1 - x0, y1 - y0, round(w.conf, 2), _clean(w.text)),
                )
            )
        )  # fmt: skip
    return "\n".join(rows) + "\n"
