"""Words the engine ran together: "ngày23" is "ngày" "23", "23tháng" is "23" "tháng", "trợ:khủng" is
"trợ:" "khủng".

On real scans the gap between a word and a handwritten or small printed number is often too narrow for
Tesseract, which then writes one token that neither a reader nor a field finder can use. A token is split
only when one side is a run of digits and the other a Vietnamese syllable with a mark, written in lower case
(its first letter may be a capital), or both sides lower-case syllables, one with a mark, with a comma,
colon or semicolon between them (the engine took the gap for punctuation, or ran a clause's end into the
next word): codes ("QĐ-UBND", "2280/QĐ-TTg", "CS823149"), units ("m2", "3ha", "km")
and machine-readable lines are never syllables with marks, so they stay as read.

The other way round, a syllable the engine cut in two ("THÀN" "H" for "THÀNH", the last letter a word of its
own a pixel away) is joined when the first part is no syllable the model attests, the last a single letter
of the same case, and the two together a syllable it attests (`joined`).
"""

from __future__ import annotations

import re

from pipeline import marks, syllables

# Leading punctuation, then letters and digits in either order, then trailing punctuation.
_GLUED = re.compile(r"^(\W*)(?:([^\W\d_]+)(\d+)|(\d+)([^\W\d_]+))(\W*)$")
_PUNCT_GLUED = re.compile(r"^(\W*[^\W\d_]+[,;:])([^\W\d_]+\W*)$")


def _syllable(word: str) -> bool:
    """A Vietnamese syllable in lower case, its first letter perhaps a capital."""
    return (word.islower() or (word[0].isupper() and word[1:].islower())) and syllables.is_syllable(word)


def _marked_syllable(word: str) -> bool:
    return not word.isascii() and _syllable(word)


def split(token: str) -> tuple[str, str] | None:
    """The two words of a token that runs a marked syllable and a number, or two syllables and a comma,
    colon or semicolon, together (punctuation kept where it was: "(ngày23," -> "(ngày", "23,"; "trợ:khủng"
    -> "trợ:", "khủng"), or None when it is not such a token."""
    m = _PUNCT_GLUED.match(token)
    if m is not None:
        first, second = m.groups()
        words = (first.strip(".,;:!?()\"'"), second.strip(".,;:!?()\"'"))
        joined = all(_syllable(w) for w in words) and any(_marked_syllable(w) for w in words)
        return (first, second) if joined else None
    m = _GLUED.match(token)
    if m is None:
        return None
    head, letters, digits, digits_first, letters_after, tail = m.groups()
    if letters is not None:
        return (head + letters, digits + tail) if _marked_syllable(letters) else None
    return (head + digits_first, letters_after + tail) if _marked_syllable(letters_after) else None


def joined(left: str, right: str, model: syllables.SyllableModel) -> str | None:
    """The syllable two neighbouring words make when the engine cut one in two ("THÀN", "H" -> "THÀNH"; see
    the module's docstring), or None ("nhà", "ở" and "Châu", "Á" stay: attested, or no syllable together)."""
    if len(right) != 1 or not right.isalpha() or not left.isalpha() or right.isupper() != left[-1].isupper():
        return None
    word = left + right
    if model.count(left) >= marks.ATTESTED or not syllables.is_syllable(word):
        return None
    return word if model.count(word) >= marks.ATTESTED else None
