"""The generator's entry points: single pages, documents, receipt sheets, blank backs and whole dossiers."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .canvas import Canvas
from .docs import REGISTRY, Builder
from .docs import receipt as _receipt
from .docs.base import DocPlan
from .family_b import REGISTRY_B
from .family_c import REGISTRY_C
from .family_d import REGISTRY_D
from .fonts import FONTS, family
from .model import GeneratedDocument, GeneratedDossier, GeneratedPage
from .photo import photograph
from .scan import DEFECTS, ROTATIONS, apply_defects, apply_geometry, bilevel, blank_page
from .stamps import add_stamps
from .stamps import check as check_stamps
from .vn import World, make_world

DOC_TYPES: list[str] = ["cccd", "birth_certificate", "marriage_certificate", "land_use_certificate", "diploma",
                        "application_form", "other", "official_document", "birth_notice",
                        "marital_status_confirmation"]
PAGE_TYPES: list[str] = [*DOC_TYPES, "receipt", "blank"]
VARIANTS: dict[str, int] = {t: REGISTRY[t][1] for t in DOC_TYPES}
"""How many layout variants each document type has (variant indexes 0..n-1)."""
FAMILIES = ("a", "b", "c", "d")
VARIANTS_B: dict[str, int] = {t: n for t, (_, n) in REGISTRY_B.items()}
"""How many layout variants family b (``synth/family_b``, written apart from family a) has per type."""
VARIANTS_C: dict[str, int] = {t: n for t, (_, n) in REGISTRY_C.items()}
"""How many layout variants family c (``synth/family_c``, written apart from families a and b) has per type."""
VARIANTS_D: dict[str, int] = {t: n for t, (_, n) in REGISTRY_D.items()}
"""How many layout variants family d (``synth/family_d``, written apart from families a, b and c) has per type."""

_PREFERRED_FONTS = ("liberation-serif", "liberation-serif", "noto-serif", "dejavu-serif", "liberation-sans",
                    "dejavu-sans", "noto-sans", "dejavu-serif-condensed")
_PREFERRED_FONTS_B = ("dejavu-sans", "noto-sans", "liberation-sans", "dejavu-serif-condensed", "noto-serif",
                      "dejavu-serif", "liberation-serif")
_PREFERRED_FONTS_C = ("noto-serif", "liberation-sans", "dejavu-serif", "noto-sans", "liberation-serif",
                      "dejavu-serif-condensed", "dejavu-sans")
_PREFERRED_FONTS_D = ("dejavu-serif", "liberation-serif", "noto-sans", "dejavu-serif-condensed", "liberation-sans",
                      "noto-serif", "dejavu-sans")
_FAMILY_FONTS = {"a": _PREFERRED_FONTS, "b": _PREFERRED_FONTS_B, "c": _PREFERRED_FONTS_C, "d": _PREFERRED_FONTS_D}
_REGISTRIES: dict[str, dict[str, tuple[Builder, int]]] = {"a": REGISTRY, "b": REGISTRY_B, "c": REGISTRY_C,
                                                          "d": REGISTRY_D}


def variants(family: str = "a") -> dict[str, int]:
    """How many layout variants each document type has in layout family ``family`` ("a", "b", "c" or "d")."""
    return dict(_counts(family))


def _counts(family: str) -> dict[str, int]:
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
    return {"a": VARIANTS, "b": VARIANTS_B, "c": VARIANTS_C, "d": VARIANTS_D}[family]


def _builder(doc_type: str, family: str) -> tuple[Builder, int]:
    """The builder of ``doc_type`` in ``family``; a type family b, c or d lacks is drawn by family a (dossiers only)."""
    return _REGISTRIES[family].get(doc_type) or REGISTRY[doc_type]


def sub_seed(seed: int, *keys: object) -> int:
    """A 64-bit seed derived from ``seed`` and names, stable across runs and platforms."""
    text = repr((int(seed), *keys)).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def _pick_font(rng: random.Random, fonts: Sequence[str] | None, family: str = "a") -> str:
    pool = [f for f in (fonts or _FAMILY_FONTS[family]) if f in FONTS]
    if not pool:
        raise ValueError(f"none of the fonts {list(fonts or [])} is installed; choose from {sorted(FONTS)}")
    return rng.choice(pool)


def _pick_variant(rng: random.Random, doc_type: str, variants: Sequence[int] | None, family: str = "a") -> int:
    count = _builder(doc_type, family)[1]
    if variants is None:
        return rng.randrange(count)
    usable = [v for v in variants if 0 <= v < count] or [v % count for v in variants]
    return rng.choice(usable)


def _check(doc_type: str, dpi: int, defects: str, family: str = "a") -> None:
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}; choose from {DOC_TYPES}")
    if doc_type not in _counts(family):
        raise ValueError(f"layout family {family!r} has no {doc_type}; it has {sorted(_counts(family))}")
    if dpi < 20 or dpi > 1200:
        raise ValueError(f"dpi {dpi} is out of range")
    if defects not in DEFECTS:
        raise ValueError(f"defects must be one of {DEFECTS}, not {defects!r}")


def _resolve(doc_type: str, seed: int, variant: int | None, font: str | None, fam: str = "a") -> tuple[int, str]:
    """The variant and font asked for, or the seed's choice of them (``fam``: the layout family)."""
    key = "choice" if fam == "a" else f"choice-{fam}"
    choice = random.Random(sub_seed(seed, key, doc_type))
    count = _counts(fam)[doc_type]
    v = _pick_variant(choice, doc_type, None, fam) if variant is None else variant
    if not 0 <= v < count:
        raise ValueError(f"{doc_type} has variants 0..{count - 1} in family {fam!r}, not {v}")
    f = _pick_font(choice, None, fam) if font is None else font
    family(f)  # raises for a font that is not installed
    return v, f


def _plan(doc_type: str, seed: int, *, variant: int, seal: bool, world: World | None = None,
          role: int = 0, family: str = "a") -> DocPlan:
    data = random.Random(sub_seed(seed, "data" if family == "a" else f"data-{family}", doc_type))
    if world is None:
        world = make_world(random.Random(sub_seed(seed, "world")))
    builder = _REGISTRIES[family][doc_type][0]
    return builder(world, data, variant, seal, role)


@dataclass(frozen=True)
class Capture:
    """How the printed page was captured, beyond the scan defects: all off by default (and then the page is the
    same, pixel for pixel, as without these options).

    ``stamps`` (``synth.STAMPS``) are pressed over the text before the page is scanned; on a ``bilevel`` scan
    they are laid over it in colour afterwards, as some offices publish their papers. ``photo``: a phone
    photo of the sheet on a desk (``thumb``: with the thumb holding it) instead of a flatbed scan."""

    stamps: tuple[str, ...] = ()
    bilevel: bool = False
    photo: bool = False
    thumb: bool = False


def _render(plan: DocPlan, page_no: int, *, seed: int, dpi: int, font: str, skew_deg: float, rotation: int,
            defects: str, doc_index: int, capture: Capture | None = None) -> GeneratedPage:
    capture = capture or Capture()
    cv = Canvas(dpi=dpi, fam=family(font), rng=random.Random(sub_seed(seed, "page", page_no)))
    plan.pages[page_no](cv)
    img = cv.finish()

    def stamped(image: Image.Image) -> Image.Image:
        return add_stamps(image, capture.stamps, dpi=dpi, fam=family(font),
                          rng=random.Random(sub_seed(seed, "stamps", page_no)))

    if not capture.bilevel:
        img = stamped(img)
    img = apply_geometry(img, skew_deg, rotation)
    img = apply_defects(img, defects, np.random.default_rng(sub_seed(seed, "defects", page_no)), dpi)
    if capture.bilevel:
        img = stamped(bilevel(img))
    if capture.photo:
        img = photograph(img, np.random.default_rng(sub_seed(seed, "photo", page_no)), dpi, thumb=capture.thumb)
    receipt_sheet = plan.doc_type == "receipt"
    return GeneratedPage(image=img, dpi=dpi, skew_deg=float(skew_deg), rotation=int(rotation),
                         lines=tuple(cv.lines), doc_type=plan.doc_type,
                         doc_index=-1 if receipt_sheet else doc_index, blank=False, separator=receipt_sheet,
                         qr_text=plan.qr_text if receipt_sheet else None, photo=capture.photo,
                         stamps=capture.stamps)


def make_document(doc_type: str, *, seed: int, dpi: int = 300, skew_deg: float = 0.0, rotation: int = 0,
                  seal: bool = True, defects: str = "scan", variant: int | None = None,
                  font: str | None = None, family: str = "a") -> tuple[GeneratedDocument, tuple[GeneratedPage, ...]]:
    """All pages of one document with its field truth (the same seed gives the same person and values).

    ``family`` "b", "c" or "d" draws the document in another layout family (``synth/family_b``, ``_c``, ``_d``)."""
    _check(doc_type, dpi, defects, family)
    v, f = _resolve(doc_type, seed, variant, font, family)
    plan = _plan(doc_type, seed, variant=v, seal=seal, family=family)
    pages = tuple(_render(plan, i, seed=seed, dpi=dpi, font=f, skew_deg=skew_deg, rotation=rotation,
                          defects=defects, doc_index=0) for i in range(len(plan.pages)))
    doc = GeneratedDocument(doc_type, tuple(range(len(pages))), plan.fields)
    return doc, pages


def make_page(doc_type: str, *, seed: int, dpi: int = 300, skew_deg: float = 0.0, rotation: int = 0,
              seal: bool = True, defects: str = "scan", variant: int | None = None, font: str | None = None,
              page: int = 0, family: str = "a", stamps: Sequence[str] = (), bilevel: bool = False,
              photo: bool = False, thumb: bool = False) -> GeneratedPage:
    """One page (``page``, default the first) of a document of ``doc_type``; also "receipt" and "blank"
    (the same in both layout families). ``stamps``, ``bilevel``, ``photo``, ``thumb``: see ``Capture``."""
    _counts(family)  # raises for an unknown family
    if doc_type == "receipt":
        code = _receipt.dossier_code(random.Random(sub_seed(seed, "code")))
        return make_receipt_sheet(code, seed=seed, dpi=dpi, skew_deg=skew_deg, rotation=rotation, defects=defects,
                                  font=font)
    if doc_type == "blank":
        return make_blank_page(seed=seed, dpi=dpi)
    _check(doc_type, dpi, defects, family)
    v, f = _resolve(doc_type, seed, variant, font, family)
    plan = _plan(doc_type, seed, variant=v, seal=seal, family=family)
    if not 0 <= page < len(plan.pages):
        raise ValueError(f"this {doc_type} has {len(plan.pages)} pages; page {page} does not exist")
    capture = Capture(tuple(stamps), bilevel, photo, thumb)
    check_stamps(capture.stamps)
    return _render(plan, page, seed=seed, dpi=dpi, font=f, skew_deg=skew_deg, rotation=rotation, defects=defects,
                   doc_index=0, capture=capture)


def make_receipt_sheet(code: str, *, seed: int, dpi: int = 300, skew_deg: float = 0.0, rotation: int = 0,
                       defects: str = "scan", world: World | None = None, contents: Sequence[str] | None = None,
                       font: str | None = None) -> GeneratedPage:
    """The "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả" with a QR code holding ``code`` and its printed text.

    ``world`` and ``contents`` (document types) tie the sheet to a dossier; by default they come from the seed.
    """
    if world is None:
        world = make_world(random.Random(sub_seed(seed, "world")))
    plan = _receipt.build(world, random.Random(sub_seed(seed, "data", "receipt")), code, contents)
    choice = random.Random(sub_seed(seed, "choice", "receipt"))
    f = _pick_font(choice, None) if font is None else font
    family(f)
    return _render(plan, 0, seed=seed, dpi=dpi, font=f, skew_deg=skew_deg, rotation=rotation, defects=defects,
                   doc_index=-1)


def make_blank_page(*, seed: int, dpi: int = 300, bleed: GeneratedPage | None = None) -> GeneratedPage:
    """The back of a sheet scanned in duplex: no text, maybe faint show-through of ``bleed``'s text."""
    rng = np.random.default_rng(sub_seed(seed, "blank"))
    ghost = bleed.image if bleed is not None and rng.random() < 0.5 else None
    img = blank_page(rng, dpi, ghost)
    return GeneratedPage(image=img, dpi=dpi, skew_deg=0.0, rotation=0, lines=(), doc_type="blank", doc_index=-1,
                         blank=True, separator=False, qr_text=None)


PROCEDURE_DOCS: dict[str, list[tuple[str, int, int | None]]] = {
    # (doc type, role, preferred variant); role 0 is the applicant, 1 the spouse, 2 someone else
    "birth": [("application_form", 0, None), ("birth_notice", 0, None), ("cccd", 0, None), ("cccd", 1, None),
              ("marriage_certificate", 0, None)],
    "marriage": [("application_form", 0, None), ("cccd", 0, None), ("cccd", 1, None),
                 ("marital_status_confirmation", 1, None)],
    "diploma_copy": [("application_form", 0, None), ("cccd", 0, None), ("diploma", 0, None)],
    "land": [("application_form", 0, None), ("land_use_certificate", 0, None), ("cccd", 0, None),
             ("cccd", 1, None), ("marriage_certificate", 0, None)],
    "certify": [("application_form", 0, None), ("birth_certificate", 0, None), ("cccd", 0, None)],
}

_COPIED = ("birth_certificate", "marriage_certificate", "diploma", "other")


def _dossier_entries(rng: random.Random, world: World, n: int | None,
                     doc_types: Sequence[str] | None) -> list[tuple[str, int, int | None]]:
    if doc_types is not None:
        unknown = [t for t in doc_types if t not in DOC_TYPES]
        if unknown:
            raise ValueError(f"unknown document types {unknown}; choose from {DOC_TYPES}")
        if n is not None and n != len(doc_types):
            raise ValueError(f"n_documents={n} does not match the {len(doc_types)} doc_types given")
        entries: list[tuple[str, int, int | None]] = []
        cards = 0
        for t in doc_types:
            role = 0
            if t == "cccd":
                role, cards = min(cards, 2), cards + 1
            entries.append((t, role, None))
        return entries
    entries = list(PROCEDURE_DOCS[world.procedure])
    if n is None:
        return entries
    if n < 1:
        raise ValueError("a dossier needs at least one document")
    entries = entries[:n]
    while len(entries) < n:
        t = rng.choice([t for t in DOC_TYPES if t != "application_form"])
        entries.append((t, 2 if t == "cccd" else 0, None))
    return entries


def make_dossier(seed: int, *, n_documents: int | None = None, doc_types: Sequence[str] | None = None,
                 dpi: int = 300, max_skew: float = 3.0, rotations: Sequence[int] = (0,), blank_backs: bool = False,
                 receipt: bool = False, variants: Sequence[int] | None = None,
                 fonts: Sequence[str] | None = None, family: str = "a") -> GeneratedDossier:
    """A dossier as scanned: optional receipt sheet first, then the documents in order, each sheet optionally
    followed by its blank back. The papers agree with each other (one applicant, spouse, child, place).

    ``family`` "b", "c" or "d" draws the documents in another layout family (the same world, so they still agree)."""
    _counts(family)  # raises for an unknown family
    rotations = tuple(rotations) or (0,)
    for r in rotations:
        if r not in ROTATIONS:
            raise ValueError(f"rotations must be among {ROTATIONS}, not {r!r}")
    rng = random.Random(sub_seed(seed, "dossier"))
    world = make_world(random.Random(sub_seed(seed, "world")))
    code = _receipt.dossier_code(rng, world)
    entries = _dossier_entries(rng, world, n_documents, doc_types)
    pages: list[GeneratedPage] = []
    documents: list[GeneratedDocument] = []

    def geometry() -> tuple[float, int]:
        skew = round(rng.uniform(-max_skew, max_skew), 2) if max_skew > 0 else 0.0
        return skew, rng.choice(rotations)

    if receipt:
        skew, rot = geometry()
        sheet = make_receipt_sheet(code, seed=sub_seed(seed, "receipt"), dpi=dpi, skew_deg=skew, rotation=rot,
                                   world=world, contents=[t for t, _, _ in entries], font=_pick_font(rng, fonts))
        pages.append(sheet)
        if blank_backs:
            pages.append(make_blank_page(seed=sub_seed(seed, "receipt-back"), dpi=dpi, bleed=sheet))
    for i, (doc_type, role, preferred) in enumerate(entries):
        doc_seed = sub_seed(seed, "doc", i)
        if family == "a" and preferred is not None and (variants is None or preferred in variants):
            variant = preferred
        else:
            variant = _pick_variant(rng, doc_type, variants, family)
        font = _pick_font(rng, fonts, family)
        builder = _builder(doc_type, family)[0]
        plan = builder(world, random.Random(sub_seed(doc_seed, "data")), variant, True, role)
        if doc_type == "cccd" or (doc_type in _COPIED and rng.random() < 0.35):
            defects = "photocopy"
        else:
            defects = "scan"
        duplex = len(plan.pages) > 1 and doc_type == "land_use_certificate"
        indexes = []
        for k in range(len(plan.pages)):
            skew, rot = geometry()
            page = _render(plan, k, seed=doc_seed, dpi=dpi, font=font, skew_deg=skew, rotation=rot,
                           defects=defects, doc_index=i)
            indexes.append(len(pages))
            pages.append(page)
            last = k == len(plan.pages) - 1
            if blank_backs and (not duplex or (last and k % 2 == 0)):
                pages.append(make_blank_page(seed=sub_seed(doc_seed, "back", k), dpi=dpi, bleed=page))
        documents.append(GeneratedDocument(doc_type, tuple(indexes), plan.fields))
    return GeneratedDossier(code=code, pages=tuple(pages), documents=tuple(documents))
