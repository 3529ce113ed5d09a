"""The one pattern every dossier code matches, wherever it comes from (command line, API, receipt sheet).

Letters, digits, dots, dashes and underscores, starting with a letter or digit, at most 64 characters and no
`..`: safe as a file name, an object key and inside an HTTP header, with nothing to escape.
"""

from __future__ import annotations

import re

from schemas.errors import BadDossierCode

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
