"""Vietnamese-aware reading of marks: a word's LSTM alternatives rescored with the syllable model.

Tesseract reads the letters of a 200-dpi bilevel scan well and their marks less so: "số" comes out "sô",
"QUYẾT" "QUYÉT", "dân" "dán". Its LSTM keeps, for every character, the other characters it weighed
(`lstm_choice_mode` 2), each with a cost (lower is likelier). A word is rescored only from those: each
character may become one of its own alternatives that is the same letter with other marks (ô/ố/ồ, â/ầ, ơ/ờ,
d/đ), or another letter the engine found nearly as likely (LETTER_COST: việt/việc, tàf/tài). Candidate
spellings are scored by

    log P(syllable) + PAIR_WEIGHT * log(1 + pairs with its neighbours) - COST_WEIGHT * extra engine cost,

and, between its neighbours, by the pair model's log P(syllable | left) P(right | syllable)
(pipeline/syllables.py `log_in_context`).

- A syllable the engine was sure of (confidence >= SURE_CONF), or one the model's texts attest (met at
  least ATTESTED times: "chống" is not "chồng" misread), yields only to a syllable its neighbours are
  written with (a pair met) that is likelier between them by CONTEXT_MARGIN nats, its engine cost counted:
  "đông" before "ý" is "đồng", "NGUYÊN" before a given name "NGUYỄN", "TÀI NGUYÊN" stays, "quy định chỉ
  tiết" read sure is "chi tiết". A reading with another letter is taken by that rule only.
- Such a syllable also yields, without a pair, to one whose changed marks the engine's characters found at
  least as likely as those its word beam wrote, when that one is likelier between the neighbours
  (ENGINE_FIRST_MARGIN): "NGUYÊN" over a cheapest Ễ before "QUỲNH" is "NGUYỄN"; "trợ phổ biến" over a
  cheapest ỗ stays.
- A word that is no syllable ("QUYÉT") becomes the best-scoring syllable among its candidates, if any.
- Another syllable ("sô", "đê": valid, hardly ever written) becomes a candidate only when that one scores
  clearly better (MARGIN).
- A mark the engine never offered is read only where the neighbours are sure of it (`unoffered`): the
  engine was not sure of the word, its neighbours are never written with its reading, and the same letters
  with another mark of the vowel's confusion class (a/á/à/â/ấ/ầ, ê/ề/ế, ô/ồ/ố/ổ) are written with one of
  them, met at least RARE_RATIO times as often, and likelier between them by CONTEXT_MARGIN ("ban nhán
  dân" -> "nhân", "tục điêu động" -> "điều": no â, no ề among the alternatives).
- A vowel written twice ("bằầu": the engine read one letter as two) is read once, when that makes a
  syllable and twice does not (`undoubled`).
Nothing else is read that the engine did not offer, and a word read without any mark is left as it is:
on these papers that is English or folded text ("VIET NAM", "NGUYEN" on a card), not a syllable's marks
lost one by one. Both readings stay in the record (the word's `read_as`, `read_conf`).
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline import syllables

SURE_CONF = 95.0  # a valid syllable read at least this sure yields to its context only
COST_WEIGHT = 0.12  # nats of language-model score per unit of the engine's alternative cost
PAIR_WEIGHT = 1.0
ATTESTED = 2  # a valid syllable met this often in the model's texts is left alone (but for its pairs)
MARGIN = 1.5  # nats a valid reading must lose by before another syllable replaces it
MAX_ALT_COST = 40.0  # alternatives costlier than this over the chosen character are not considered
MAX_OPTIONS = 4  # a character and at most 3 of its alternatives
MAX_CANDIDATES = 256
LETTER_COST = 10.0  # another letter (việt/việc) is a candidate when this close, and only by the context rule
ENGINE_FIRST_MARGIN = 0.0  # nats by which the engine's cheapest marks must be likelier, between the neighbours
CONTEXT_MARGIN = 3.0  # nats an attested reading must lose by, between its neighbours, to another
# A reading the engine never offered (a mark not among its alternatives, a vowel read once) costs as much as
# the costliest alternative considered: its confidence says the engine did not see it.
UNOFFERED_COST = MAX_ALT_COST
RARE_RATIO = 10  # a mark not offered: the other syllable met this many times as often as the reading
# Vowels whose marks the engine confuses on bilevel print and may not offer: a mark is read from its own
# class only (base letter and case kept).
CONFUSED = ("aáàâấầ", "êềế", "ôồốổ")

Choices = Sequence[Sequence[tuple[str, float]]]  # per character: (character, cost)


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
    dropped), each with the text's own character first, or None when they do not line up with the text.

    The word Tesseract writes is not always made of each position's cheapest character (its dictionary and
    word-level beam have the last say: "NGUYÊN" read over a position whose cheapest choice was "Ễ"), so the
    text's character is looked for among the position's choices; absent, it must at least be the same letter
    as the cheapest one, and is given that one's cost."""
    lists = [list(c) for c in choices if c and not c[0][0].isspace()]
    if len(lists) != len(text):
        return None
    out = []
    for lst, ch in zip(lists, text, strict=True):
        cheapest = min(cost for _c, cost in lst)
        own = [cost for c, cost in lst if unicodedata.normalize("NFC", c) == ch]
        if not own and not (ch.isalpha() and base_letter(lst[0][0]) == base_letter(ch)):
            return None
        cost = own[0] if own else cheapest
        out.append([(ch, cost), *(a for a in lst if unicodedata.normalize("NFC", a[0]) != ch)])
    return out


def _options(ch: str, lst: list[tuple[str, float]]) -> list[tuple[str, float, bool]]:
    """`ch` and its alternatives that are the same letter, same case, with other marks, and the other letters
    the engine found nearly as likely (LETTER_COST): (char, extra cost, another letter)."""
    chosen_cost = lst[0][1]
    if not ch.isalpha():
        return [(ch, 0.0, False)]
    alts: dict[str, float] = {}
    for alt, cost in lst[1:]:
        alt = unicodedata.normalize("NFC", alt)
        extra = max(0.0, cost - chosen_cost)
        if len(alt) != 1 or alt == ch or not alt.isalpha() or alt.isupper() != ch.isupper():
            continue
        if extra <= (MAX_ALT_COST if base_letter(alt) == base_letter(ch) else LETTER_COST):
            alts[alt] = min(alts.get(alt, math.inf), extra)
    ranked = sorted(((a, c, base_letter(a) != base_letter(ch)) for a, c in alts.items()), key=lambda a: (a[2], a[1]))
    return [(ch, 0.0, False), *ranked][:MAX_OPTIONS]


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
    head, core, tail = _split_punct(text)
    if not core or not core.isalpha() or core.isascii():
        return same  # a word without a mark is English or folded text ("VIET NAM" on a card), not a misread
    left = _split_punct(prev)[1].lower() if prev else ""
    right = _split_punct(following)[1].lower() if following else ""
    valid = syllables.is_syllable(core)
    if not valid:
        once = undoubled(core, model, left, right)
        if once is not None:
            return Rescored(text=head + once + tail, changed=True, extra_cost=UNOFFERED_COST)
    lists = align(text, choices)
    if lists is None:
        return same
    # A syllable the engine was sure of, or one the model's texts attest, yields to the context rule only.
    attested = valid and (conf >= SURE_CONF or model.count(core) >= ATTESTED)
    options = [_options(ch, lists[len(head) + i]) for i, ch in enumerate(core)]
    if all(len(o) == 1 for o in options):
        return _unoffered_or(same, head, core, tail, conf, model, left, right)

    def pairs(word: str) -> int:
        w = word.lower()
        return (model.pair_count(left, w) if left else 0) + (model.pair_count(w, right) if right else 0)

    def lm(word: str) -> float:
        return model.log_prob(word) + PAIR_WEIGHT * math.log1p(pairs(word))

    def in_context(word: str) -> float:
        return model.log_in_context(left, word.lower(), right)

    own, own_context = lm(core), in_context(core)
    best: tuple[float, str, float] | None = None  # (gain over the engine's reading, word, extra cost)
    for n, combo in enumerate(itertools.product(*options)):
        if n >= MAX_CANDIDATES:
            break
        word = "".join(c for c, _, _ in combo)
        if word == core or not syllables.is_syllable(word):
            continue
        cost = sum(c for _, c, _ in combo)
        if attested and cost == 0 and not any(other for _, _, other in combo):
            # Each changed mark is one the engine's characters found at least as likely as the one its word
            # beam wrote ("NGUYÊN" over a cheapest "Ễ"): the syllable model decides between them.
            gain = in_context(word) - own_context
            if gain <= ENGINE_FIRST_MARGIN:
                continue
        elif attested or any(other for _, _, other in combo):
            # An attested syllable, or a reading with another letter, yields only to a syllable its
            # neighbours are written with and clearly likelier between them ("đông" before "ý" is "đồng").
            gain = in_context(word) - COST_WEIGHT * cost - own_context
            if pairs(word) == 0 or gain < CONTEXT_MARGIN:
                continue
        else:
            gain = lm(word) - COST_WEIGHT * cost - own
            if valid and gain < MARGIN:
                continue
        if best is None or gain > best[0]:
            best = (gain, word, cost)
    if best is None:
        return _unoffered_or(same, head, core, tail, conf, model, left, right)
    _gain, word, cost = best
    return Rescored(text=head + word + tail, changed=True, extra_cost=cost)


def _unoffered_or(
    same: Rescored, head: str, core: str, tail: str, conf: float, model: syllables.SyllableModel, left: str, right: str
) -> Rescored:
    word = unoffered(core, conf, model, left, right)
    return same if word is None else Rescored(text=head + word + tail, changed=True, extra_cost=UNOFFERED_COST)


def _remarked(word: str) -> list[str]:
    """`word` with one vowel given another mark of its confusion class (CONFUSED), case kept."""
    out: list[str] = []
    for i, ch in enumerate(word):
        for vowels in CONFUSED:
            group = vowels.upper() if ch.isupper() else vowels
            if ch in group:
                out.extend(word[:i] + alt + word[i + 1 :] for alt in group if alt != ch)
    return out


def unoffered(core: str, conf: float, model: syllables.SyllableModel, left: str, right: str) -> str | None:
    """The syllable `core` should be read as with a mark the engine did not offer, or None (the rule in the
    module's docstring); `left` and `right` are the neighbours in lower case, '' for none."""
    if conf >= SURE_CONF or not (left or right) or not syllables.is_syllable(core):
        return None
    own = core.lower()
    if (left and model.pair_count(left, own)) or (right and model.pair_count(own, right)):
        return None  # a neighbour is written with the reading
    own_context = model.log_in_context(left, own, right)
    best: tuple[float, str] | None = None
    for word in _remarked(core):
        low = word.lower()
        if not syllables.is_syllable(word) or model.count(low) < RARE_RATIO * max(1, model.count(own)):
            continue
        if not ((left and model.pair_count(left, low)) or (right and model.pair_count(low, right))):
            continue
        gain = model.log_in_context(left, low, right) - own_context
        if gain >= CONTEXT_MARGIN and (best is None or gain > best[0]):
            best = (gain, word)
    return None if best is None else best[1]


def undoubled(core: str, model: syllables.SyllableModel, left: str = "", right: str = "") -> str | None:
    """A non-syllable with one vowel written twice over ("bằầu": two marks of one a) read with that vowel
    once, the likelier of the two between its neighbours; None when neither is a syllable."""
    found: list[str] = []
    for i in range(len(core) - 1):
        a, b = core[i], core[i + 1]
        if base_letter(a) == base_letter(b) and base_letter(a) in "aeiouy":
            found += [core[:i] + core[i + 1 :], core[: i + 1] + core[i + 2 :]]
    words = [w for w in found if syllables.is_syllable(w)]
    if not words:
        return None
    return max(words, key=lambda w: model.log_in_context(left, w.lower(), right))


def confidence(engine_conf: float, extra_cost: float) -> float:
    """The confidence given to a rescored reading: the engine's confidence in the word, less what the
    alternatives it took cost over the engine's own choice (one point per unit), never below 0."""
    return round(max(0.0, engine_conf - extra_cost), 2)
