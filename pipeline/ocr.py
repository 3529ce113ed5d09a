"""The one seam to Tesseract.

Tesseract runs in-process through tesserocr: the model is loaded once per worker process, and page pixels
are handed over as raw bytes (no PNG encoding, no process start per page). Its bundled libtesseract is
built without OpenMP, so it is single-threaded, as a 2-core machine needs; run one engine per core.
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np
import tesserocr

from pipeline import glued, marks, syllables
from schemas.errors import MissingLanguage, OcrEngineError


@dataclass(frozen=True)
class OcrWord:
    text: str
    conf: float
    box: tuple[int, int, int, int]
    line: int = 0  # text line, numbered in Tesseract's reading order (columns read one after the other)
    block: int = 0
    # When the marks rescoring (pipeline/marks.py) changed the word: the engine's own reading and confidence.
    read_as: str | None = None
    read_conf: float | None = None


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0-100
    words: tuple[OcrWord, ...]


EMPTY = OcrResult(text="", confidence=0.0, words=())

# Beam-search passes that gather the LSTM's alternatives (Tesseract's default 5). Each costs time; the
# rescoring rarely takes any alternative but a character's second or third likeliest.
CHOICE_ITERATIONS = 2


def ensure_language(lang: str, tessdata: str) -> None:
    """Raise `MissingLanguage` unless every model of `lang` ('vie', 'vie+eng') is installed."""
    for part in lang.split("+"):
        if not part or not (Path(tessdata) / f"{part}.traineddata").is_file():
            raise MissingLanguage(f"Tesseract language data '{part}' is not installed in {tessdata}")


class OcrEngine:
    """A loaded Tesseract model. Not thread-safe: one per process (or thread)."""

    def __init__(self, lang: str, tessdata: str, *, rescore_marks: bool = True) -> None:
        ensure_language(lang, tessdata)
        self.lang = lang
        # The marks of Vietnamese words are rescored with the syllable model (pipeline/marks.py) from the
        # LSTM's per-character alternatives, which Tesseract keeps only when asked (lstm_choice_mode 2).
        self.rescore_marks = rescore_marks and "vie" in lang.split("+")
        try:
            self._api = tesserocr.PyTessBaseAPI(
                path=tessdata, lang=lang, psm=tesserocr.PSM.AUTO, oem=tesserocr.OEM.LSTM_ONLY
            )
        except RuntimeError as exc:
            raise OcrEngineError(f"Tesseract could not load '{lang}' from {tessdata}: {exc}") from exc
        self._model: syllables.SyllableModel | None = None
        if self.rescore_marks:
            self._api.SetVariable("lstm_choice_mode", "2")
            self._api.SetVariable("lstm_choice_iterations", str(CHOICE_ITERATIONS))
        self._osd: tesserocr.PyTessBaseAPI | None = None

    def _load_model(self) -> None:
        with contextlib.suppress(Exception):  # raised again, where it belongs, by `read`
            self._model = syllables.load()

    def close(self) -> None:
        self._api.End()
        if self._osd is not None:
            self._osd.End()

    def _set_image(self, api: tesserocr.PyTessBaseAPI, gray: np.ndarray, dpi: int) -> None:
        if gray.ndim != 2 or gray.dtype != np.uint8:
            raise ValueError("OCR takes a 2-D uint8 gray image")
        gray = np.ascontiguousarray(gray)
        h, w = gray.shape
        api.SetImageBytes(gray.tobytes(), w, h, 1, w)
        api.SetSourceResolution(int(dpi))

    def read(self, gray: np.ndarray, dpi: int) -> OcrResult:
        """Full-page OCR: text, mean confidence and every word with its box and confidence."""
        api = self._api
        api.SetPageSegMode(tesserocr.PSM.AUTO)
        self._set_image(api, gray, dpi)
        # The syllable model (0.1 s of Python) is read while Tesseract recognises the first page, which it
        # does without the GIL: not before, where it would hold up the page's decoding and geometry.
        loading = None
        if self.rescore_marks and self._model is None:
            loading = threading.Thread(target=self._load_model, daemon=True)
            loading.start()
        try:
            api.Recognize()
        except RuntimeError as exc:
            raise OcrEngineError(f"Tesseract failed on the page: {exc}") from exc
        finally:
            if loading is not None:
                loading.join()
        if self.rescore_marks and self._model is None:
            self._model = syllables.load()  # the thread could not: read here, where its error is raised
        words: list[OcrWord] = []
        choices: list[marks.Choices] = []
        it = api.GetIterator()
        level = tesserocr.RIL.WORD
        line = block = -1
        if it is not None:
            for w in tesserocr.iterate_level(it, level):
                if w.IsAtBeginningOf(tesserocr.RIL.BLOCK):
                    block += 1
                if w.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                    line += 1
                try:
                    text = w.GetUTF8Text(level)
                except RuntimeError:  # tesserocr's "No text returned": an element without text
                    continue
                if not text or not text.strip():
                    continue
                bbox = w.BoundingBox(level)
                if bbox is None:
                    continue
                conf = max(0.0, min(100.0, float(w.Confidence(level))))
                if self.rescore_marks:
                    choices.append(w.GetBestLSTMSymbolChoices() if conf < 100.0 else [])
                words.append(
                    OcrWord(
                        text=unicodedata.normalize("NFC", text.strip()),
                        conf=conf,
                        box=bbox,
                        line=max(line, 0),
                        block=max(block, 0),
                    )
                )
        try:
            text = unicodedata.normalize("NFC", api.GetUTF8Text() or "").strip()
        except RuntimeError:
            text = ""
        mean = float(np.mean([w.conf for w in words])) if words else 0.0
        api.Clear()
        if self._model is not None:
            words, text = _reread(words, choices, self._model, text)
        return OcrResult(text=text, confidence=round(mean, 2), words=tuple(words))

    def read_strip(self, gray: np.ndarray, dpi: int) -> list[tuple[str, float]]:
        """The words, with their confidences, of a strip of text read as one block."""
        api = self._api
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        self._set_image(api, gray, dpi)
        try:
            api.Recognize()
        except RuntimeError as exc:
            raise OcrEngineError(f"Tesseract failed on a strip: {exc}") from exc
        try:
            words = (api.GetUTF8Text() or "").split()
        except RuntimeError:
            words = []
        confs = [c for c in api.AllWordConfidences() if c >= 0]
        api.Clear()
        api.SetPageSegMode(tesserocr.PSM.AUTO)
        if len(words) != len(confs):
            words = words[: len(confs)] + [""] * max(0, len(confs) - len(words))
        return [(unicodedata.normalize("NFC", w), float(c)) for w, c in zip(words, confs, strict=False)]


def _reread(
    words: list[OcrWord], choices: list[marks.Choices], model: syllables.SyllableModel, text: str
) -> tuple[list[OcrWord], str]:
    """The engine's words of a page and their choices read as Vietnamese: syllables cut in two joined, marks
    rescored, words run together split; and the page text to match."""
    words, choices, text = _join_cut(words, choices, model, text)
    words, text = _rescored(words, choices, model, text)
    return _split_glued(words, text)


JOIN_GAP = 0.25  # a word cut in two: the gap between its parts at most this share of the line's height


def _join_cut(
    words: list[OcrWord], choices: list[marks.Choices], model: syllables.SyllableModel, text: str
) -> tuple[list[OcrWord], list[marks.Choices], str]:
    """The words with a syllable the engine cut in two ("THÀN" "H", pipeline/glued.py `joined`) made one word
    (boxes joined, the lower confidence, the engine's two words kept as `read_as`), their choices joined, and
    the page text with the space taken out."""
    out: list[OcrWord] = []
    out_choices: list[marks.Choices] = []
    for word, options in zip(words, choices, strict=True):
        prev = out[-1] if out else None
        if prev is not None and prev.line == word.line and prev.read_as is None:
            height = max(prev.box[3] - prev.box[1], word.box[3] - word.box[1])
            near = word.box[0] - prev.box[2] <= JOIN_GAP * height
            whole = glued.joined(prev.text, word.text, model) if near else None
            gap = re.search(re.escape(prev.text) + r"[ \t]+" + re.escape(word.text), text) if whole else None
            if whole is not None and gap is not None:
                text = text[: gap.start()] + whole + text[gap.end() :]
                (x0, y0, x1, y1), (a0, b0, a1, b1) = prev.box, word.box
                out[-1] = OcrWord(
                    text=whole,
                    conf=min(prev.conf, word.conf),
                    box=(min(x0, a0), min(y0, b0), max(x1, a1), max(y1, b1)),
                    line=prev.line,
                    block=prev.block,
                    read_as=f"{prev.text} {word.text}",
                    read_conf=min(prev.conf, word.conf),
                )
                out_choices[-1] = [*out_choices[-1], *options]
                continue
        out.append(word)
        out_choices.append(options)
    return out, out_choices, text


def _rescored(
    words: list[OcrWord], choices: list[marks.Choices], model: syllables.SyllableModel, text: str
) -> tuple[list[OcrWord], str]:
    """The words with their marks rescored (pipeline/marks.py), and the page text with the changed words
    put in their places (the text lists the words in the same order)."""
    out: list[OcrWord] = []
    changed = False
    for i, (word, options) in enumerate(zip(words, choices, strict=True)):
        prev = words[i - 1].text if i and words[i - 1].line == word.line else None
        following = words[i + 1].text if i + 1 < len(words) and words[i + 1].line == word.line else None
        new = marks.rescore(word.text, word.conf, options, model, prev, following)
        if not new.changed:
            out.append(word)
            continue
        changed = True
        out.append(
            OcrWord(
                text=new.text,
                conf=marks.confidence(word.conf, new.extra_cost),
                box=word.box,
                line=word.line,
                block=word.block,
                read_as=word.read_as or word.text,
                read_conf=word.conf if word.read_conf is None else word.read_conf,
            )
        )
    if changed:
        text = _replace_words(text, words, out)
    return out, text


def _split_glued(words: list[OcrWord], text: str) -> tuple[list[OcrWord], str]:
    """The words with each syllable run together with a number ("ngày23", pipeline/glued.py) made two words
    (the box cut where the letters end, by their share of the characters; the engine's token kept as
    `read_as`), and the page text with the space put back."""
    out: list[OcrWord] = []
    parts: list[str] = []
    pos = 0
    for word in words:
        halves = glued.split(word.text)
        if halves is None:
            out.append(word)
            continue
        at = text.find(word.text, pos)
        if at >= 0:
            parts.append(text[pos:at] + " ".join(halves))
            pos = at + len(word.text)
        x0, y0, x1, y1 = word.box
        cut = x0 + round((x1 - x0) * len(halves[0]) / len(word.text))
        for half, box in zip(halves, ((x0, y0, cut, y1), (cut, y0, x1, y1)), strict=True):
            out.append(
                OcrWord(
                    text=half,
                    conf=word.conf,
                    box=box,
                    line=word.line,
                    block=word.block,
                    read_as=word.read_as or word.text,
                    read_conf=word.conf if word.read_conf is None else word.read_conf,
                )
            )
    if not parts:
        return words, text
    return out, "".join(parts) + text[pos:]


def _replace_words(text: str, old: list[OcrWord], new: list[OcrWord]) -> str:
    """`text` with each word of `old` that changed replaced by its counterpart in `new`, found in turn."""
    parts: list[str] = []
    pos = 0
    for a, b in zip(old, new, strict=True):
        at = text.find(a.text, pos)
        if at < 0:
            continue
        if a.text != b.text:
            parts.append(text[pos:at])
            parts.append(b.text)
            pos = at + len(a.text)
        else:
            parts.append(text[pos : at + len(a.text)])
            pos = at + len(a.text)
    parts.append(text[pos:])
    return "".join(parts)


class PageReader(Protocol):
    """What the page stage reads with: one engine, or two sharing a page (`PairedEngine`)."""

    def read(self, gray: np.ndarray, dpi: int) -> OcrResult: ...

    def read_strip(self, gray: np.ndarray, dpi: int) -> list[tuple[str, float]]: ...


# A page is read in two bands only when it is tall enough to be worth a second thread, and is cut only in a
# blank gap across its whole width, at least this tall (points), with between these shares of its ink above.
BAND_MIN_HEIGHT_IN = 4.0
BAND_GAP_PT = 4.0
BAND_INK_SHARE = (0.3, 0.7)


def band_cut(gray: np.ndarray, dpi: int) -> int | None:
    """The row to cut a page at so that two engines read it at once: the middle of the blank full-width gap
    (between lines, never through one: every row of the gap is paper from edge to edge) whose rows above hold
    nearest half the page's ink; None when the page is short or no such gap holds 30-70 % of the ink above."""
    height = gray.shape[0]
    if height < BAND_MIN_HEIGHT_IN * dpi:
        return None
    ink = np.count_nonzero(gray < 128, axis=1)
    total = int(ink.sum())
    if total == 0:
        return None
    blank = np.concatenate(([False], ink == 0, [False]))
    edges = np.flatnonzero(np.diff(blank.astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]  # blank runs [start, end)
    above = np.concatenate(([0], np.cumsum(ink)))
    min_gap = BAND_GAP_PT * dpi / 72
    best: tuple[float, int] | None = None
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start < min_gap or start == 0 or end == height:
            continue
        share = above[start] / total
        if not BAND_INK_SHARE[0] <= share <= BAND_INK_SHARE[1]:
            continue
        if best is None or abs(share - 0.5) < best[0]:
            best = (abs(share - 0.5), (start + end) // 2)
    return None if best is None else best[1]


class PairedEngine:
    """Two loaded engines reading one page at once, on two cores: the page cut in two bands at a blank gap
    (`band_cut`), the lower band read in a thread (Tesseract recognises without the GIL), the words brought
    back to the page's rows and its lines and blocks numbered after the upper band's. For a process that has
    a page to read and a core idle (`hoso process` on one page); a page with no gap to cut at is read whole."""

    def __init__(self, first: OcrEngine, second: OcrEngine) -> None:
        self.first = first
        self.second = second

    def read(self, gray: np.ndarray, dpi: int) -> OcrResult:
        cut = band_cut(gray, dpi)
        if cut is None:
            return self.first.read(gray, dpi)
        lower: list[OcrResult | BaseException] = []

        def read_lower() -> None:
            try:
                lower.append(self.second.read(gray[cut:], dpi))
            except BaseException as exc:  # raised again below, in the caller's thread
                lower.append(exc)

        thread = threading.Thread(target=read_lower, daemon=True)
        thread.start()
        try:
            upper = self.first.read(gray[:cut], dpi)
        finally:
            thread.join()
        if isinstance(lower[0], BaseException):
            raise lower[0]
        return joined_bands(upper, lower[0], cut)

    def read_strip(self, gray: np.ndarray, dpi: int) -> list[tuple[str, float]]:
        return self.first.read_strip(gray, dpi)

    def close(self) -> None:
        self.first.close()
        self.second.close()


def joined_bands(upper: OcrResult, lower: OcrResult, cut: int) -> OcrResult:
    """One page's reading from its two bands' (the lower band's rows starting at row `cut`)."""
    lines = max((w.line for w in upper.words), default=-1) + 1
    blocks = max((w.block for w in upper.words), default=-1) + 1
    moved = tuple(
        replace(w, box=(x0, y0 + cut, x1, y1 + cut), line=w.line + lines, block=w.block + blocks)
        for w in lower.words
        for x0, y0, x1, y1 in (w.box,)
    )
    words = upper.words + moved
    text = "\n\n".join(t for t in (upper.text, lower.text) if t)
    mean = float(np.mean([w.conf for w in words])) if words else 0.0
    return OcrResult(text=text, confidence=round(mean, 2), words=words)
