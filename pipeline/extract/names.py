"""Vietnamese personal names: the family name is one of a short, well-known list.

OCR loses or swaps the marks on capitals (NGUYỄN → NGUYÊN, TRẦN → TRẤN, ĐẶNG → ĐĂNG) while reporting a high
confidence. A first word that is no family name but folds to exactly one is put right, and the field's
confidence says a guess was made.
"""

from __future__ import annotations

from pipeline.extract.text import fold

FAMILY_NAMES = (
    "NGUYỄN",
    "TRẦN",
    "LÊ",
    "PHẠM",
    "HOÀNG",
    "HUỲNH",
    "PHAN",
    "VŨ",
    "VÕ",
    "ĐẶNG",
    "BÙI",
    "ĐỖ",
    "HỒ",
    "NGÔ",
    "DƯƠNG",
    "LÝ",
    "ĐINH",
    "ĐOÀN",
    "LƯƠNG",
    "TRỊNH",
    "MAI",
    "CAO",
    "LÂM",
    "HÀ",
    "TẠ",
    "TÔ",
    "TRƯƠNG",
    "QUÁCH",
    "CHÂU",
    "THÁI",
    "LA",
    "ĐÀO",
    "KIỀU",
    "VƯƠNG",
    "TRIỆU",
    "LƯU",
    "ĐÀM",
    "GIANG",
    "KHÚC",
    "LỤC",
    "MẠC",
    "HỨA",
    "NÔNG",
    "TĂNG",
    "TÔN",
    "THÂN",
    "PHÙNG",
    "NGHIÊM",
    "TỪ",
    "VI",
    "LỤC",
    "CÙ",
    "DIỆP",
    "DOÃN",
    "KHỔNG",
    "LỀU",
    "MÔNG",
    "PHÍ",
    "QUAN",
    "THẠCH",
    "TIÊU",
    "ÂU",
    "ÔNG",
    "BẠCH",
    "CHU",
    "ĐỒNG",
    "HẦU",
    "KIM",
    "LẠI",
    "NINH",
)
_BY_FOLD: dict[str, list[str]] = {}
for _name in FAMILY_NAMES:
    _BY_FOLD.setdefault(fold(_name), []).append(_name)


def fix_family_name(name: str) -> tuple[str, bool]:
    """The name with its first word put right when OCR garbled its marks; and whether it was changed."""
    words = name.split(" ")
    if not words or words[0] in FAMILY_NAMES:
        return name, False
    options = _BY_FOLD.get(fold(words[0]), [])
    if len(set(options)) != 1:
        return name, False
    return " ".join([options[0], *words[1:]]), True
