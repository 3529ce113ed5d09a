"""Synthetic scans of Vietnamese public-administration dossiers with their ground truth.

Fixed-seed and deterministic: the same arguments give the same pixels. See ``synth/README.md``.
"""

from .fonts import FONTS
from .generate import (
    DOC_TYPES,
    FAMILIES,
    PAGE_TYPES,
    VARIANTS,
    VARIANTS_B,
    VARIANTS_C,
    VARIANTS_D,
    make_blank_page,
    make_document,
    make_dossier,
    make_page,
    make_receipt_sheet,
    variants,
)
from .io import dossier_truth, write_images, write_pdf, write_tiff, write_truth
from .model import GeneratedDocument, GeneratedDossier, GeneratedPage, TruthField
from .stamps import STAMPS

__all__ = [
    "DOC_TYPES",
    "FAMILIES",
    "FONTS",
    "PAGE_TYPES",
    "STAMPS",
    "VARIANTS",
    "VARIANTS_B",
    "VARIANTS_C",
    "VARIANTS_D",
    "GeneratedDocument",
    "GeneratedDossier",
    "GeneratedPage",
    "TruthField",
    "dossier_truth",
    "make_blank_page",
    "make_document",
    "make_dossier",
    "make_page",
    "make_receipt_sheet",
    "variants",
    "write_images",
    "write_pdf",
    "write_tiff",
    "write_truth",
]
