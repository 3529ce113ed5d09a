"""Text helpers for matching Vietnamese as OCR gives it: NFC, diacritics folded, spaces squashed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Đ/đ do not decompose; OCR also confuses Đ (U+0110) with Ð (U+00D0).
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    return base.translate(_FOLD_EXTRA).lower()[:1] or ch


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics, same length as the NFC input (one character for one).

    Cached: the document stage folds the same lines and labels tens of thousands of times a dossier."""
    return "".join(map(_fold_char, nfc(text)))
