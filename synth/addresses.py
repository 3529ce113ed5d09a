"""Addresses as papers print them, on both administrative maps, with the slips Tesseract's Vietnamese model
makes in them.

Units come from the administrative-units dataset (`pipeline/extract/admin_map.py`), so every generated address
names real units with their codes: the truth a reading is scored against. Styles vary as on real papers: the
type words written out, abbreviated ("P.", "Q.", "TX.", "TP.") or left out; "tỉnh"/"thành phố" before the
province or not; a house and street, a hamlet, or nothing before the ward.

`ocr_slips` is a character-confusion channel modelled on what Tesseract (`vie`) gets wrong on scanned
Vietnamese print: a tone mark read as another one or lost, a hat or horn lost (ư→u, ơ→o, â/ă→a, ê→e, ô→o),
đ read as d, and a few letter shapes (N→Ñ, l→I, m→rn, i→í, c→e, h→b); and its punctuation slips (`punctuation_slips`,
as measured by bench/addresses.py drawing addresses and reading them with Tesseract).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from pipeline.extract.admin_map import LEGACY, MAP_2025, Unit, admin_map

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_HATS = {"ư": "u", "ơ": "o", "â": "a", "ă": "a", "ê": "e", "ô": "o", "Ư": "U", "Ơ": "O", "Â": "A", "Ă": "A",
         "Ê": "E", "Ô": "O"}  # fmt: skip
_LETTERS = (("N", "Ñ"), ("l", "I"), ("m", "rn"), ("i", "í"), ("đ", "d"), ("Đ", "D"), ("h", "b"), ("c", "e"))
# How often each kind of slip is met at a place where it can happen: marks far more than letter shapes.
_WEIGHT = {"tone": 3.0, "lose": 1.5, "hat": 1.0, "letter": 0.25}

_WARD_TYPES = {"Phường": ("phường ", "Phường ", "P. ", "P.", ""), "Xã": ("xã ", "Xã ", "X. ", ""),
               "Thị trấn": ("thị trấn ", "Thị trấn ", "TT. ", ""), "Đặc khu": ("đặc khu ", "Đặc khu ")}  # fmt: skip
_DISTRICT_TYPES = {"Quận": ("quận ", "Quận ", "Q. ", "Q.", ""), "Huyện": ("huyện ", "Huyện ", "H. ", ""),
                   "Thị xã": ("thị xã ", "Thị xã ", "TX. ", "TX."),
                   "Thành phố": ("thành phố ", "Thành phố ", "TP. ")}  # fmt: skip
_PROVINCE_TYPES = {"Tỉnh": ("tỉnh ", "Tỉnh ", ""), "Thành phố": ("thành phố ", "Thành phố ", "TP. ", "TP ", "")}
_STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hùng Vương", "Lý Thường Kiệt", "Hai Bà Trưng", "Quang Trung",
            "Nguyễn Trãi", "Điện Biên Phủ", "Phan Đình Phùng", "Lê Duẩn", "Bạch Đằng")  # fmt: skip


@dataclass(frozen=True)
class SampleAddress:
    text: str  # as OCR read it
    printed: str  # as printed
    map: str  # "legacy" or "2025"
    province: Unit
    district: Unit | None
    ward: Unit
    issued: date | None  # the paper's date, when the paper has one
    slips: int  # characters changed by the OCR channel

    @property
    def province_group(self) -> int:
        """Provinces in four groups by code: group 3 is held back (never looked at while writing rules)."""
        return int(self.province.code) % 4


def _decompose(ch: str) -> tuple[str, str]:
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    return base, tone


def _slip(rng: random.Random, text: str) -> str:
    """One slip of Tesseract's kind at a random place of the text (the text unchanged if none fits)."""
    spots: list[tuple[int, str]] = []
    weights: list[float] = []
    for i, ch in enumerate(text):
        base, tone = _decompose(ch)
        if tone:
            spots += [(i, "tone"), (i, "lose")]
            weights += [_WEIGHT["tone"], _WEIGHT["lose"]]
        if base in _HATS:
            spots.append((i, "hat"))
            weights.append(_WEIGHT["hat"])
        for a, _ in _LETTERS:
            if text.startswith(a, i):
                spots.append((i, a))
                weights.append(_WEIGHT["letter"])
    if not spots:
        return text
    i, what = rng.choices(spots, weights)[0]
    ch = text[i]
    base, tone = _decompose(ch)
    if what == "tone":
        new = unicodedata.normalize("NFC", base + rng.choice([t for t in _TONES if t != tone]))
        return text[:i] + new + text[i + 1 :]
    if what == "lose":
        return text[:i] + base + text[i + 1 :]
    if what == "hat":
        return text[:i] + unicodedata.normalize("NFC", _HATS[base] + tone) + text[i + 1 :]
    b = dict(_LETTERS)[what]
    return text[:i] + b + text[i + len(what) :]


def punctuation_slips(rng: random.Random, text: str) -> str:
    """What Tesseract does to the punctuation of an address line: a comma read as ";", a space inside a name as
    "." or ":", a speck before the line or after it read as "." , "_" or a lone letter."""
    what = rng.choice(("semicolon", "inner", "before", "after"))
    if what == "semicolon" and ", " in text:
        i = rng.choice([i for i in range(len(text)) if text.startswith(", ", i)])
        return text[:i] + ";" + text[i + 1 :]
    if what == "inner":
        spaces = [i for i in range(1, len(text) - 1) if text[i] == " " and text[i - 1].isalpha()]
        if spaces:
            i = rng.choice(spaces)
            return text[:i] + rng.choice((".", ":", ". ")) + text[i + 1 :]
    if what == "before":
        return rng.choice((".", "_ ", "'", ". ")) + text
    return text + rng.choice((" .", ", .", " ị", " i"))


def ocr_slips(rng: random.Random, name: str, count: int) -> str:
    for _ in range(count):
        name = _slip(rng, name)
    return name


def _street(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return f"{rng.randint(1, 320)} {rng.choice(_STREETS)}"
    if r < 0.55:
        return f"Số {rng.randint(1, 99)}/{rng.randint(1, 30)} {rng.choice(_STREETS)}"
    if r < 0.8:
        return f"{rng.choice(('Thôn', 'Xóm', 'Tổ', 'Ấp'))} {rng.randint(1, 12)}"
    return ""


def _typed(rng: random.Random, unit: Unit, styles: dict[str, tuple[str, ...]], noise: float) -> tuple[str, str, int]:
    prefix = rng.choice(styles.get(unit.kind, ("",)))
    name = unit.short
    if name.startswith(unit.kind + " "):  # "Phường 5", "Quận 1": the number needs its type
        name = name[len(unit.kind) + 1 :]
        prefix = prefix or {"Phường": "P.", "Quận": "Q."}.get(unit.kind, unit.kind + " ")
    slips = 1 + (rng.random() < 0.25) if rng.random() < noise else 0
    read = ocr_slips(rng, name, slips)
    return prefix + name, prefix + read, int(read != name)


def sample_addresses(seed: int, n_legacy: int, n_new: int, noise: float = 0.4) -> list[SampleAddress]:
    """`n_legacy` addresses on the legacy map and `n_new` on the 2025 map, units drawn uniformly from the
    dataset; a share `noise` of the unit names with one or two OCR slips."""
    rng = random.Random(seed)
    m = admin_map()
    out: list[SampleAddress] = []
    legacy = sorted(
        ((p, d, w) for p in m.provinces[LEGACY].units for d in m.districts[p.code].units
         for w in m.legacy_wards.get((p.code, d.code), _EMPTY).units),
        key=lambda t: t[2].code,
    )  # fmt: skip
    for p, d, w in rng.sample(legacy, n_legacy):
        parts = [(s, s, 0) for s in [_street(rng)] if s]
        parts += [_typed(rng, w, _WARD_TYPES, noise), _typed(rng, d, _DISTRICT_TYPES, noise)]
        parts.append(_typed(rng, p, _PROVINCE_TYPES, noise))
        issued = date(rng.randint(2005, 2025), rng.randint(1, 6), rng.randint(1, 28)) if rng.random() < 0.5 else None
        out.append(_sample(parts, LEGACY, p, d, w, issued, rng, noise))
    new = sorted(
        ((p, w) for p in m.provinces[MAP_2025].units for w in m.wards_2025[p.code].units), key=lambda t: t[1].code
    )
    for p, w in rng.sample(new, n_new):
        parts = [(s, s, 0) for s in [_street(rng)] if s]
        parts += [_typed(rng, w, _WARD_TYPES, noise), _typed(rng, p, _PROVINCE_TYPES, noise)]
        issued = date(2025, rng.randint(7, 12), rng.randint(1, 28)) if rng.random() < 0.5 else None
        out.append(_sample(parts, MAP_2025, p, None, w, issued, rng, noise))
    return out


def _sample(
    parts: list[tuple[str, str, int]],
    which: str,
    p: Unit,
    d: Unit | None,
    w: Unit,
    issued: date | None,
    rng: random.Random,
    noise: float,
) -> SampleAddress:
    text = ", ".join(r for _, r, _ in parts)
    if rng.random() < noise / 2:
        text = punctuation_slips(rng, text)
    return SampleAddress(
        text=text,
        printed=", ".join(s for s, _, _ in parts),
        map=which,
        province=p,
        district=d,
        ward=w,
        issued=issued,
        slips=sum(n for _, _, n in parts),
    )


class _Empty:
    units: tuple[Unit, ...] = ()


_EMPTY = _Empty()
