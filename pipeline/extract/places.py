"""Vietnam's provinces, to set right the last part of an address that OCR misspelt.

An address on Vietnamese papers ends with its province ("…, Nam Đàn, Nghệ An"). There are few provinces and
their names are fixed, so a last part that is a province's name with wrong marks ("Cấn Thơ", "Hà Ñjội") is
that province. Names are those of the 63 provinces and centrally-run cities before the July 2025 merger
(what existing papers carry); every name of the 34 after it is among them, "Huế" included below. Both tone
mark placements ("Thanh Hóa", "Thanh Hoá") are as printed and are left alone.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from pipeline.extract.text import fold

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

# The older placement of the tone mark on "oa" ("Hoá" for "Hóa"), which papers also print.
_OLD_STYLE = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ"}
_PREFIX = re.compile(r"^((?:tp|thành phố|tỉnh|t)\.?\s+)", re.IGNORECASE)
_JOINERS = re.compile(r"[\s\-–—]+")


def _key(name: str) -> str:
    """Letters only, marks kept: "Bà Rịa-Vũng Tàu" and "Bà Rịa - Vũng Tàu" are one spelling."""
    return _JOINERS.sub("", unicodedata.normalize("NFC", name)).lower()


def _spellings(province: str) -> set[str]:
    old = province
    for new_style, old_style in _OLD_STYLE.items():
        old = old.replace(new_style, old_style)
    return {_key(province), _key(old)}


_BY_FOLD = {fold(_key(p)): p for p in PROVINCES}


def province_of(part: str) -> str | None:
    """The province a misspelt name stands for: the one with the same letters without marks, else the one
    clearly nearest (OCR letter slips). None when no province is clearly meant."""
    key = fold(_key(part))
    if key in _BY_FOLD:
        return _BY_FOLD[key]
    scored = sorted(((fuzz.ratio(key, k), p) for k, p in _BY_FOLD.items()), reverse=True)
    best, second = scored[0], scored[1]
    if best[0] >= 85 and best[0] - second[0] >= 8:
        return best[1]
    return None


def fix_province(address: str) -> tuple[str, bool]:
    """The address with its last part, when it is a misspelt province, spelt as the province is; and
    whether it changed. A prefix ("TP. ", "tỉnh ") stays as printed."""
    head, sep, last = address.rpartition(",")
    part = last.strip()
    m = _PREFIX.match(part)
    prefix = m.group(1) if m else ""
    name = part[len(prefix) :]
    if len(fold(name).strip()) < 3:
        return address, False
    province = province_of(name)
    if province is None or _key(name) in _spellings(province):
        return address, False
    lead = last[: len(last) - len(last.lstrip())]
    return f"{head}{sep}{lead}{prefix}{province}", True
