"""The one pattern every dossier code matches, wherever it comes from (command line, API, receipt sheet), and
the pattern of a service centre's code (the same characters).

Letters, digits, dots, dashes and underscores, starting with a letter or digit, at most 64 characters and no
`..`: safe as a file name, an object key and inside an HTTP header, with nothing to escape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemas.errors import BadDossierCode, RequestError

DOSSIER_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_CODE = re.compile(DOSSIER_CODE_PATTERN)


def is_valid_code(code: str) -> bool:
    return bool(_CODE.fullmatch(code)) and ".." not in code


def checked_code(code: str) -> str:
    """`code` itself, or `BadDossierCode` saying what a code may hold."""
    if not is_valid_code(code):
        raise BadDossierCode(
            f"{code!r} is not a dossier code: letters, digits, '.', '-' and '_', starting with a letter or digit, "
            "at most 64 characters"
        )
    return code


def checked_centres(centres: Sequence[str]) -> tuple[str, ...]:
    """Service centre codes (e.g. 000.00.28.H57, phuong-thuan-hoa) as given, repeats dropped, each checked."""
    out: list[str] = []
    for c in (c.strip() for c in centres):
        if not _CODE.fullmatch(c) or ".." in c:
            raise RequestError(
                f"centre {c!r}: letters, digits and . _ - only, starting with a letter or digit, up to 64"
            )
        if c not in out:
            out.append(c)
    return tuple(out)
