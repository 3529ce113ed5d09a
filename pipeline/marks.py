"""Vietnamese-aware reading of marks: a word's LSTM alternatives rescored with the syllable model.

Tesseract reads the letters of a 200-dpi bilevel scan well and their marks less so: "số" comes out "sô",
"QUYẾT" "QUYÉT", "dân" "dán". Its LSTM keeps, for every character, the other characters it weighed
(`lstm_choice_mode` 2), each with a cost (lower is likelier; the chosen one lowest). A word is rescored
only from those: each character may become one of its own alternatives that is the same letter with other
marks (ô/ố/ồ, â/ầ, ơ/ờ, d/đ), and the candidate spellings are scored by

    log P(syllable) + PAIR_WEIGHT * log(1 + pairs with its neighbours) - COST_WEIGHT * extra engine cost.

- A syllable the engine was sure of (confidence >= SURE_CONF), or one the model's texts attest (met at
  least ATTESTED times: "chống" is not "chồng" misread), is left alone; an attested one yields only to a
  syllable the model's texts write beside its neighbours when they never write it there.
- A word that is no syllable ("QUYÉT") becomes the best-scoring syllable among its candidates, if any.
- Another syllable ("sô", "đê": valid, hardly ever written) becomes a candidate only when that one scores
  clearly better (MARGIN).
Nothing is ever read that the engine did not offer, and a word read without any mark is left as it is:
on these papers that is English or folded text ("VIET NAM", "NGUYEN" on a card), not a syllable's marks
lost one by one.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline import syllables

SURE_CONF = 95.0  # a valid syllable read at least this sure is left alone
COST_WEIGHT = 0.12  # nats of language-model score per unit of the engine's alternative cost
PAIR_WEIGHT = 1.0
ATTESTED = 2  # a valid syllable met this often in the model's texts is left alone (but for its pairs)
MARGIN = 1.5  # nats a valid reading must lose by before another syllable replaces it
MAX_ALT_COST = 40.0  # alternatives costlier than this over the chosen character are not considered
MAX_OPTIONS = 4  # a character and at most 3 of its alternatives
MAX_CANDIDATES = 256

Choices = Sequence[Sequence[tuple[str, float]]]  # per character: (character, cost), the chosen one first


@dataclass(frozen=True)
class Rescored:
    text: str
    changed: bool
    extra_cost: float  # the engine's cost of the new reading over its own


def base_letter(ch: str) -> str:
    """The letter without any mark, lower case (đ counts as d)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return bare.lower().replace("đ", "d")


def align(text: str, choices: Choices) -> list[list[tuple[str, float]]] | None:
    """The choice lists of `text`'s characters, one per character (the engine's leading space positions
    dropped), or None when they do not line up with the text."""
    lists = [list(c) for c in choices if c and not c[0][0].isspace()]
    if len(lists) != len(text) or any(lst[0][0] != ch for lst, ch in zip(lists, text, strict=True)):
        return None
    return lists


def _options(ch: str, lst: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """`ch` and its alternatives that are the same letter, same case, with other marks: (char, extra cost)."""
    chosen_cost = lst[0][1]
    if not ch.isalpha():
        return [(ch, 0.0)]
    alts: dict[str, float] = {}
    for alt, cost in lst[1:]:
        alt = unicodedata.normalize("NFC", alt)
        if (
            len(alt) == 1
            and alt != ch
            and alt.isupper() == ch.isupper()
            and base_letter(alt) == base_letter(ch)
            and cost - chosen_cost <= MAX_ALT_COST
        ):
            alts[alt] = min(alts.get(alt, math.inf), max(0.0, cost - chosen_cost))
    out = [(ch, 0.0), *sorted(alts.items(), key=lambda a: a[1])]
    return out[:MAX_OPTIONS]


def _split_punct(text: str) -> tuple[str, str, str]:
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[:start], text[start:end], text[end:]


def rescore(
    text: str,
    conf: float,
    choices: Choices,
    model: syllables.SyllableModel,
    prev: str | None = None,
    following: str | None = None,
) -> Rescored:
    """The word's reading after rescoring (see the module's docstring); `prev` and `following` are the
    neighbouring words on its line as the engine read them, or None."""
    same = Rescored(text=text, changed=False, extra_cost=0.0)
    lists = align(text, choices)
    if lists is None:
        return same
    head, core, tail = _split_punct(text)
    if not core or not core.isalpha() or core.isascii():
        return same  # a word without a mark is English or folded text ("VIET NAM" on a card), not a misread
    valid = syllables.is_syllable(core)
    if valid and conf >= SURE_CONF:
        return same
    attested = valid and model.count(core) >= ATTESTED
    options = [_options(ch, lists[len(head) + i]) for i, ch in enumerate(core)]
    if all(len(o) == 1 for o in options):
        return same
    left = _split_punct(prev)[1].lower() if prev else ""
    right = _split_punct(following)[1].lower() if following else ""

    def pairs(word: str) -> int:
        w = word.lower()
        return (model.pair_count(left, w) if left else 0) + (model.pair_count(w, right) if right else 0)

    def lm(word: str) -> float:
        return model.log_prob(word) + PAIR_WEIGHT * math.log1p(pairs(word))

    own = lm(core)
    best: tuple[float, str, float] | None = None
    for n, combo in enumerate(itertools.product(*options)):
        if n >= MAX_CANDIDATES:
            break
        word = "".join(c for c, _ in combo)
        if word == core or not syllables.is_syllable(word):
            continue
        if attested and (pairs(word) == 0 or pairs(core) > 0):
            continue  # an attested syllable yields only to one its neighbours are written with
        cost = sum(c for _, c in combo)
        score = lm(word) - COST_WEIGHT * cost
        if best is None or score > best[0]:
            best = (score, word, cost)
    if best is None:
        return same
    score, word, cost = best
    if valid and score < own + MARGIN:
        return same
    return Rescored(text=head + word + tail, changed=True, extra_cost=cost)


def confidence(engine_conf: float, extra_cost: float) -> float:
    """The confidence given to a rescored reading: the engine's confidence in the word, less what the
    alternatives it took cost over the engine's own choice (one point per unit), never below 0."""
    return round(max(0.0, engine_conf - extra_cost), 2)
