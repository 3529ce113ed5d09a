"""Checks on extracted values. A failed check lowers a field's confidence; it never drops the value."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pipeline.extract.admin_map import card_province_codes


def province_codes() -> frozenset[str]:
    """Province codes of birth registration (Circular 07/2016/TT-BCA and later), as printed on CCCD numbers:
    from the administrative-units dataset."""
    return card_province_codes()


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def check_cccd(number: str, *, sex: str | None = None, date_of_birth: str | None = None) -> list[str]:
    """Problems with a 12-digit personal identification number; empty when it is consistent."""
    problems: list[str] = []
    if len(number) != 12 or not number.isdigit():
        return ["not 12 digits"]
    if number[:3] not in province_codes():
        problems.append(f"unknown province code {number[:3]}")
    code = int(number[3])
    if code > 9:
        problems.append("bad sex/century digit")
    dob = _iso(date_of_birth)
    if dob is not None:
        century = (dob.year // 100) - 19  # 1900s → 0, 2000s → 1, 2100s → 2
        if code // 2 != century:
            problems.append("century digit disagrees with the date of birth")
        if number[4:6] != f"{dob.year % 100:02d}":
            problems.append("birth-year digits disagree with the date of birth")
    if sex in ("Nam", "Nữ") and (code % 2 == 1) != (sex == "Nữ"):
        problems.append("sex digit disagrees with the sex")
    return problems


def check_date_exists(value: str, today: date | None = None) -> list[str]:
    d = _iso(value)
    if d is None:
        return ["not a date"]
    today = today or date.today()
    if d.year < 1900:
        return ["before 1900"]
    return []


def check_not_future(value: str, today: date | None = None) -> list[str]:
    d = _iso(value)
    today = today or date.today()
    if d is not None and d > today:
        return ["in the future"]
    return []


def check_order(earlier: str | None, later: str | None) -> list[str]:
    a, b = _iso(earlier), _iso(later)
    if a is not None and b is not None and a > b:
        return ["birth after registration"]
    return []


def check_card_expiry(expiry: str, date_of_birth: str | None) -> list[str]:
    """A CCCD expires on the holder's 25th, 40th or 60th birthday."""
    e, b = _iso(expiry), _iso(date_of_birth)
    if e is None or b is None:
        return []
    if (e.month, e.day) != (b.month, b.day) or e.year - b.year not in (25, 40, 60):
        return ["expiry is not a 25th, 40th or 60th birthday"]
    return []


def check_year(value: str, today: date | None = None) -> list[str]:
    today = today or date.today()
    if not value.isdigit() or not (1900 <= int(value) <= today.year + 1):
        return ["implausible year"]
    return []


def check_phone(value: str) -> list[str]:
    if not (value.startswith("0") and len(value) == 10):
        return ["not a 10-digit Vietnamese number"]
    return []


def run_validators(key: str, value: str, validators: list[str], values: Mapping[str, str]) -> list[str]:
    """Problems found by the named validators; `values` holds the document's other fields."""
    problems: list[str] = []
    for name in validators:
        if name == "cccd":
            problems += check_cccd(value, sex=values.get("sex"), date_of_birth=values.get("date_of_birth"))
        elif name == "date_exists":
            problems += check_date_exists(value)
        elif name == "birth_before_registration":
            problems += check_order(values.get("date_of_birth"), values.get("registration_date"))
        elif name == "year_plausible":
            problems += check_year(value)
        elif name == "phone_vn":
            problems += check_phone(value)
        elif name == "card_expiry":
            problems += check_card_expiry(value, values.get("date_of_birth"))
    return problems
