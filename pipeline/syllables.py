"""Vietnamese syllables: which strings are one (an onset, a rhyme and a tone that go together), and how
often each, and each pair, is met in the texts the model was built from (`pipeline/models/syllables.json`,
built offline by `scripts/build_syllables.py`; loaded once per process).

Spelling, not sound, is checked: the rules are those of the written syllable (quốc ngữ), so "nguôn" is a
valid syllable that is merely never met, "nguồn" a frequent one, "quyét" (uyê spelled without its
circumflex) and "bẩp" (a stop ending with a hook tone) are no syllables at all.
"""

from __future__ import annotations

import json
import math
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "models" / "syllables.json"

# The five tone marks (the level tone has none), as combining characters.
GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONES = (GRAVE, ACUTE, HOOK, TILDE, DOT)

ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph",
    "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
# Rhymes without their tone, glide included (oa, uy...). Grouped by main vowel.
_RHYMES_TEXT = """
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot oong ooc
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêt yêu
    oa oac oach oai oam oan oang oanh oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
    uân uâng uât uây uê uêch uênh uơ uy uya uych uyên uyêt uynh uyt uyu
"""
RHYMES = frozenset(_RHYMES_TEXT.split())
STOPS = ("p", "t", "c", "ch")  # a rhyme ending so takes only the acute or the dot below
FRONT = ("i", "e", "ê", "y")  # k, gh, ngh go before these; c, g, ng never do


def split_tone(syllable: str) -> tuple[str, str]:
    """(the syllable in lower case without its tone mark, NFC; the tone mark or ''). Raises ValueError
    when it carries more than one tone mark."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones = [c for c in decomposed if c in TONES]
    if len(tones) > 1:
        raise ValueError("two tone marks")
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return bare, tones[0] if tones else ""


def _fits(onset: str, rhyme: str) -> bool:
    if rhyme not in RHYMES:
        return False
    first = rhyme[0]
    if onset in ("k", "gh", "ngh"):
        return first in FRONT
    if onset in ("c", "g", "ng"):
        return first not in FRONT
    if onset == "qu":  # the glide is the onset's u: qua, quân, quốc, quyên
        return first not in ("u", "ư", "o")
    if rhyme.startswith("y") and len(rhyme) > 1:  # yên, yêu stand alone (uyên carries its glide)
        return onset == ""
    return True


@cache
def is_syllable(word: str) -> bool:
    """True when `word` (any case, NFC or not) is spelled as one Vietnamese syllable."""
    try:
        bare, tone = split_tone(word)
    except ValueError:
        return False
    if not bare or not bare.isalpha():
        return False
    for onset in ONSETS:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset) :]
        if onset == "gi" and rhyme not in RHYMES:
            rhyme = "i" + rhyme  # gì = gi + ì, gìn = gi + ìn, giếng = gi + iếng
        if not _fits(onset, rhyme):
            continue
        if rhyme.endswith(STOPS) and tone not in (ACUTE, DOT):
            continue
        return True
    return False


@dataclass(frozen=True)
class SyllableModel:
    """Counts of syllables (lower case, NFC) and of syllable pairs met in the model's texts."""

    counts: dict[str, int]
    pairs: dict[str, int]  # "a b" -> count
    total: int
    followers: dict[str, tuple[int, int]] = field(default_factory=dict)  # a -> (pairs "a x" met, distinct x)

    def log_prob(self, syllable: str) -> float:
        """Log probability of a syllable (add-half smoothing; an unseen valid syllable scores below any seen
        one; a non-syllable far below)."""
        key = unicodedata.normalize("NFC", syllable.lower())
        count = self.counts.get(key, 0)
        if count == 0 and not is_syllable(key):
            return math.log(0.01 / self.total)
        return math.log((count + 0.5) / self.total)

    def count(self, syllable: str) -> int:
        return self.counts.get(unicodedata.normalize("NFC", syllable.lower()), 0)

    def pair_count(self, left: str, right: str) -> int:
        return self.pairs.get(f"{left.lower()} {right.lower()}", 0)

    def log_next(self, left: str, right: str) -> float:
        """Log probability that `right` follows `left` (Witten-Bell: the pair's count, and the share of
        `left`'s followers never met before given to `right`'s own probability); `right`'s own log
        probability when nothing is known of `left`."""
        own = self.log_prob(right)
        seen, distinct = self.followers.get(unicodedata.normalize("NFC", left.lower()), (0, 0))
        if not seen:
            return own
        pair = self.pair_count(unicodedata.normalize("NFC", left), unicodedata.normalize("NFC", right))
        return math.log((pair + distinct * math.exp(own)) / (seen + distinct))

    def log_in_context(self, left: str, word: str, right: str) -> float:
        """Log probability of `word` between its neighbours ('' for none): P(word | left) P(right | word)."""
        score = self.log_next(left, word) if left else self.log_prob(word)
        if right:
            score += self.log_next(word, right) - self.log_prob(right)
        return score


_LOADING = threading.Lock()


def load(path: Path = MODEL_PATH) -> SyllableModel:
    """The model file, read once per process (two engines reading a page's two bands ask at once)."""
    with _LOADING:
        return _load(path)


@lru_cache(maxsize=1)
def _load(path: Path) -> SyllableModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    counts: dict[str, int] = data["syllables"]  # as JSON gives them: text keys, whole counts
    pairs: dict[str, int] = data["pairs"]
    seen: dict[str, int] = {}
    distinct: dict[str, int] = {}
    for pair, n in pairs.items():
        left = pair.split(" ", 1)[0]
        seen[left] = seen.get(left, 0) + n
        distinct[left] = distinct.get(left, 0) + 1
    followers = {w: (n, distinct[w]) for w, n in seen.items()}
    return SyllableModel(counts=counts, pairs=pairs, total=max(1, sum(counts.values())), followers=followers)
