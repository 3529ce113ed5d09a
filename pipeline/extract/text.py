"""Text helpers for matching Vietnamese as OCR gives it: NFC, diacritics folded, spaces squashed."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Đ/đ do not decompose; OCR also confuses Đ (U+0110) with Ð (U+00D0).
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case without diacritics, same length as the NFC input (one character for one)."""
    out = []
    for ch in nfc(text):
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.translate(_FOLD_EXTRA).lower()[:1] or ch)
    return "".join(out)
