"""The machine-readable zone of a Vietnamese identity card (CCCD / Căn cước; ICAO 9303 TD1, three lines).

    IDVNM<last 9 digits of the ID><check><the 12-digit ID><<<check>
    <birth YYMMDD><check><M|F><expiry YYMMDD or <<<<<<><check>VNM<<<<<<<<<<<<composite check>
    <FAMILY<<GIVEN<NAMES, without diacritics>

The back of the card is usually photocopied beside its front, and its zone is printed in OCR-B, which
Tesseract reads better than the small print of the front. Every number in it carries a check digit (weights
7, 3, 1): a value whose check holds was read right unless two errors cancel out, so the zone fills or
confirms the card's number, birth date and expiry, and its sex letter agrees or not with the number.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.extract.text import fold
from pipeline.extract.validate import province_codes

_VALUES = {**{str(i): i for i in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
# OCR-B digits that Tesseract reads as letters.
_DIGITS = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
)


@dataclass(frozen=True)
class MrzValue:
    value: str
    checked: bool  # its check digit holds (sex has none: it agrees with the number or not)
    seg: int


@dataclass(frozen=True)
class Mrz:
    id_number: MrzValue | None = None
    date_of_birth: MrzValue | None = None
    sex: MrzValue | None = None
    expiry_date: MrzValue | None = None  # value "" when the card does not expire
    name: str | None = None  # folded capitals: "NGUYEN VAN AN"

    def get(self, key: str) -> MrzValue | None:
        return {
            "id_number": self.id_number,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
        }.get(key)


def check_digit(text: str) -> str:
    weights = (7, 3, 1)
    return str(sum(_VALUES.get(c, 0) * weights[i % 3] for i, c in enumerate(text)) % 10)


def _digits(text: str) -> str:
    return text.upper().translate(_DIGITS)


def _ok(value: str, check: str) -> bool:
    return value.isdigit() and check.isdigit() and check_digit(value) == check


def read_id_line(text: str) -> str | None:
    """The 12-digit number from a first line, when check digits confirm it.

    The line holds the number twice: its last 9 digits (with their own check) and all 12 (with a check at
    the end of the line). When OCR garbled the 12-digit copy, the 9 digits and a province code before them
    are taken, and only if the final check holds for the result.
    """
    compact = fold(text).upper().replace(" ", "")
    m = re.search(r"VNM([0-9A-Z]{20,26})<", compact)
    if m is None:
        return None
    body = _digits(m.group(1))
    after = _digits(compact[m.end() :].lstrip("<"))[:1]
    if not body.isdigit() or len(body) < 22 or not after.isdigit():
        return None
    doc, doc_check, rest = body[:9], body[9], body[10:]
    full = rest[-12:]
    if len(body) == 22 and full[3:] == doc and _ok(full, after):
        return full
    if _ok(doc, doc_check):
        prefixes = [rest[i - 3 : i] for i in range(3, len(rest) - 8) if rest[i : i + 9] == doc]
        for prefix in [*prefixes, full[:3], rest[:3]]:
            merged = prefix + doc
            if prefix in province_codes() and _ok(merged, after):
                return merged
    return None


def _birth(yymmdd: str, id_number: str | None, today: date) -> date | None:
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if id_number is not None and id_number[3].isdigit():
        century = 1900 + 100 * (int(id_number[3]) // 2)  # the number's 4th digit says the century
    else:
        century = 2000 if 2000 + yy <= today.year else 1900
    try:
        return date(century + yy, mm, dd)
    except ValueError:
        return None


def read_dates_line(text: str, id_number: str | None, today: date | None = None) -> dict[str, str]:
    """Birth date (ISO), sex (Nam/Nữ) and expiry (ISO, or "" for none) from a second line, each only
    when its check digit holds (sex: when the letter is M or F)."""
    today = today or date.today()
    compact = fold(text).upper().replace(" ", "")
    nationality = re.search(r"V[A-Z]?N[A-Z]?M<", compact)
    if nationality is None or nationality.start() < 15:
        return {}
    head = compact[: nationality.start()]
    sex_at = max(head.rfind("M", 0, len(head) - 7), head.rfind("F", 0, len(head) - 7))
    if sex_at < 7:
        return {}
    born, born_check = _digits(head[sex_at - 7 : sex_at - 1]), _digits(head[sex_at - 1])
    expires, exp_check = head[sex_at + 1 : sex_at + 7], head[sex_at + 7 : sex_at + 8]
    out: dict[str, str] = {"sex": "Nam" if head[sex_at] == "M" else "Nữ"}
    if _ok(born, born_check):
        birth = _birth(born, id_number, today)
        if birth is not None:
            out["date_of_birth"] = birth.isoformat()
    if expires == "<<<<<<":
        out["expiry_date"] = ""
    elif _ok(_digits(expires), _digits(exp_check)):
        e = _digits(expires)
        with contextlib.suppress(ValueError):  # a check that holds on an impossible date
            out["expiry_date"] = date(2000 + int(e[:2]), int(e[2:4]), int(e[4:6])).isoformat()
    return out


def read_name_line(text: str) -> str | None:
    compact = text.replace(" ", "")
    m = re.search(r"([A-Z0-9]{2,})<<([A-Z0-9<]{2,})", compact)
    if m is None:
        return None
    words = [w.replace("0", "O").replace("1", "I") for w in (m.group(1) + "<" + m.group(2)).split("<") if w]
    return " ".join(words) if len(words) >= 2 else None


def read_mrz(texts: Sequence[tuple[int, str]]) -> Mrz | None:
    """The zone among a card's lines (segment index, text), or None when there is none."""
    id_line = next(((i, t) for i, t in texts if re.search(r"[A-Z0-9]{2}VNM[0-9A-Z]{9}", t.replace(" ", ""))), None)
    id_number: MrzValue | None = None
    if id_line is not None:
        number = read_id_line(id_line[1])
        if number is not None:
            id_number = MrzValue(number, True, id_line[0])
    dates_line = next(
        ((i, t) for i, t in texts if re.search(r"[MF<][0-9A-Z<]{7}V[A-Z]?N[A-Z]?M<", fold(t).upper().replace(" ", ""))),
        None,
    )
    if id_line is None and dates_line is None:
        return None
    found: dict[str, MrzValue] = {}
    if dates_line is not None:
        read = read_dates_line(dates_line[1], id_number.value if id_number else None)
        for key, value in read.items():
            checked = key != "sex" or (id_number is not None and (int(id_number.value[3]) % 2 == 1) == (value == "Nữ"))
            found[key] = MrzValue(value, checked, dates_line[0])
    name = None
    start = dates_line[0] if dates_line else id_line[0] if id_line else 0
    for i, t in texts:
        if i > start and "<<" in t:
            name = read_name_line(t)
            if name:
                break
    return Mrz(
        id_number=id_number,
        date_of_birth=found.get("date_of_birth"),
        sex=found.get("sex"),
        expiry_date=found.get("expiry_date"),
        name=fold(name).upper() if name else None,
    )
