"""Build pipeline/models/syllables.json: Vietnamese syllable and syllable-pair counts for the marks rescoring
(pipeline/marks.py), from what ships with the packages or the project itself:

- the word list inside Tesseract's own `vie` model (`combine_tessdata -u`, then `dawg2wordlist`): each valid
  syllable in it counts once;
- the generator's texts (names, places, document texts: every string literal under synth/) and the labels of
  schemas/doctypes.json: each syllable counts as often as it is written there, each pair of syllables
  written one after the other as a pair.

Never the ground-truth texts of ../shared/data/real-vn: they are the measurement.

    .venv/bin/python scripts/build_syllables.py [--tessdata DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.syllables import MODEL_PATH, is_syllable  # noqa: E402
from schemas.settings import DEFAULT_TESSDATA  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")


def engine_words(tessdata: str) -> list[str]:
    """The words of the `vie` model's own dictionary (its LSTM word DAWG)."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/vie."
        subprocess.run(
            ["combine_tessdata", "-u", f"{tessdata}/vie.traineddata", prefix], check=True, capture_output=True
        )
        out = Path(tmp) / "words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(out)],
            check=True,
            capture_output=True,
        )
        return out.read_text(encoding="utf-8").split()


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def project_texts() -> Iterator[str]:
    """The Vietnamese string literals of the generator's sources (those with a letter beyond ASCII: its
    docstrings and keys are English) and every string of schemas/doctypes.json."""
    for path in sorted((ROOT / "synth").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            vietnamese = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            if vietnamese and any(ord(c) > 127 and c.isalpha() for c in node.value):  # type: ignore[attr-defined]
                yield node.value  # type: ignore[attr-defined]
    yield from _strings(json.loads((ROOT / "schemas" / "doctypes.json").read_text(encoding="utf-8")))


def syllables_of(text: str) -> list[str]:
    """The runs of letters of a text, lower case NFC; a run that is no syllable splits the pairs (None)."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def build(tessdata: str) -> dict[str, object]:
    counts: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for word in engine_words(tessdata):
        w = unicodedata.normalize("NFC", word).lower()
        if is_syllable(w):
            counts[w] += 1
    for text in project_texts():
        for line in text.splitlines():
            prev: str | None = None
            for w in syllables_of(line):
                if not is_syllable(w):
                    prev = None
                    continue
                counts[w] += 1
                if prev is not None:
                    pairs[f"{prev} {w}"] += 1
                prev = w
    return {
        "about": "Vietnamese syllable and syllable-pair counts (lower case, NFC) from the vie model's word list, "
        "the generator's texts and the document types' labels; built by scripts/build_syllables.py",
        "syllables": dict(sorted(counts.items())),
        "pairs": dict(sorted(pairs.items())),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tessdata", default=DEFAULT_TESSDATA)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args()
    model = build(args.tessdata)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    n_syl, n_pairs = len(model["syllables"]), len(model["pairs"])  # type: ignore[arg-type]
    print(f"{n_syl} syllables, {n_pairs} pairs -> {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
