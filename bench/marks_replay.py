"""Replay the marks rescoring on captured pages: words found on the tuned pair and the generated dossier.

    python bench/marks_replay.py [--capture] [MODEL.json ...]

Tuning `pipeline/marks.py` or the syllable model by running the page stage each time costs minutes; the
rescoring itself is milliseconds a page. `--capture` reads each page once through `process_page` (rescoring
on) and keeps what the rescoring is given (the engine's words with their per-character choices, and the page
text) in `bench/out/marks_replay/capture.json`; a replay then runs `pipeline.ocr._reread` (the joins, the
rescoring and the splits) on those, with the code as it is now and each model named (the shipped one by
default), and prints the words found (word recall as bench/common.py counts it) and every word that reads
otherwise than with the shipped model. The capture checks itself: replayed with the code and model it was
made with, each page's text is the page stage's.

The pages are the two real ones the thresholds are tuned on (bench/real_vn.py TUNED) and the 20-page
generated dossier, never the six other real pages: they are the measurement (bench/README, real_vn.py).
Delete the capture after changing anything before the rescoring (the engine, its settings, the page stage).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, dossier_pdf, out_dir, word_recall
from bench.real_vn import TUNED
from pipeline import ocr, raster, syllables
from pipeline.ocr import OcrWord

CAPTURE = out_dir("marks_replay") / "capture.json"


def capture(path: Path) -> None:
    """Each page through the page stage once, what the rescoring was given kept (see the docstring)."""
    from pipeline.ocr import OcrEngine
    from pipeline.page import process_page
    from schemas.settings import PipelineSettings

    calls: list[tuple[list[OcrWord], Any, str]] = []
    original = ocr._reread

    def spy(words: list[OcrWord], choices: Any, model: syllables.SyllableModel, text: str) -> Any:
        calls.append((list(words), [[list(c) for c in word] for word in choices], text))
        return original(words, choices, model, text)

    settings = PipelineSettings()
    engine = OcrEngine(settings.lang, settings.tessdata, rescore_marks=True)
    pages: list[tuple[str, str, raster.PageImage, list[str]]] = []
    for name in TUNED:
        truth = (SHARED / "real-vn" / f"{name}.gt.txt").read_text(encoding="utf-8").split()
        pages.append(("tuned", name, raster.load_page(SHARED / "real-vn" / f"{name}.pdf", "pdf", 0, settings), truth))
    pdf, truths = dossier_pdf(False)
    for i, t in enumerate(truths):
        pages.append(("generated", f"generated {i + 1}", raster.load_page(pdf, "pdf", i, settings), t["words"]))
    out = []
    ocr._reread = spy  # type: ignore[assignment]
    try:
        for split, name, page, truth in pages:
            calls.clear()
            result = process_page(page, settings, engine)
            if not calls:
                continue
            words, choices, text = calls[-1]  # the reading the page stage kept comes last
            out.append(
                {
                    "split": split,
                    "name": name,
                    "truth": truth,
                    "text": result.ocr.text,
                    "words": [[w.text, w.conf, list(w.box), w.line, w.block] for w in words],
                    "choices": choices,
                    "page_text": text,
                }
            )
            print(f"captured {name}", flush=True)
    finally:
        ocr._reread = original  # type: ignore[assignment]
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


def replay(pages: Sequence[dict[str, Any]], model: syllables.SyllableModel) -> dict[str, list[OcrWord]]:
    """Each page's words after the rescoring and the splits, with the code as it is now."""
    out = {}
    for page in pages:
        words = [
            OcrWord(text=t, conf=c, box=(b[0], b[1], b[2], b[3]), line=ln, block=bl)
            for t, c, b, ln, bl in page["words"]
        ]
        choices = [[[(c, k) for c, k in position] for position in word] for word in page["choices"]]
        new, text = ocr._reread(words, choices, model, page["page_text"])
        out[page["name"]] = new
        page["replayed"] = text
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--capture", action="store_true", help="read the pages through the page stage again first")
    ap.add_argument("models", nargs="*", type=Path, help="syllables.json files (default: the shipped one)")
    args = ap.parse_args()
    if args.capture or not CAPTURE.exists():
        capture(CAPTURE)
    pages = json.loads(CAPTURE.read_text(encoding="utf-8"))
    shipped = replay(pages, syllables.load())
    stale = [p["name"] for p in pages if p["replayed"] != p["text"]]
    if stale:
        print(f"the replay differs from the page stage on {', '.join(stale)}: the code or the model changed since "
              "the capture (run --capture to start from what the page stage reads now)")  # fmt: skip
    for path in args.models or [syllables.MODEL_PATH]:
        model = syllables.load(path)
        words = replay(pages, model)
        found: dict[str, list[int]] = {}
        for page in pages:
            _r, f, n = word_recall(page["truth"], page["replayed"])
            found.setdefault(page["split"], [0, 0])
            found[page["split"]][0] += f
            found[page["split"]][1] += n
        summary = ", ".join(f"{split} {f}/{n}" for split, (f, n) in found.items())
        print(f"{path}: words found {summary}")
        for page in pages:
            a, b = shipped[page["name"]], words[page["name"]]
            changed = [(x.text, y.text) for x, y in zip(a, b, strict=False) if x.text != y.text]
            if changed or len(a) != len(b):
                print(f"  {page['name']}: " + ", ".join(f"{x} -> {y}" for x, y in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
