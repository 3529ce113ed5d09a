"""One builder per document type: ``build(world, rng, variant, seal, role) -> DocPlan``."""

from __future__ import annotations

import random
from collections.abc import Callable

from ..vn import World
from . import birth_notice, cccd, civil, diploma, forms, land, marital_status, official, other, receipt
from .base import DocPlan

Builder = Callable[[World, random.Random, int, bool, int], DocPlan]

REGISTRY: dict[str, tuple[Builder, int]] = {
    "cccd": (cccd.build, cccd.VARIANTS),
    "birth_certificate": (civil.build_birth, civil.BIRTH_VARIANTS),
    "marriage_certificate": (civil.build_marriage, civil.MARRIAGE_VARIANTS),
    "land_use_certificate": (land.build, land.VARIANTS),
    "diploma": (diploma.build, diploma.VARIANTS),
    "application_form": (forms.build, forms.VARIANTS),
    "other": (other.build, other.VARIANTS),
    "official_document": (official.build, official.VARIANTS),
    "birth_notice": (birth_notice.build, birth_notice.VARIANTS),
    "marital_status_confirmation": (marital_status.build, marital_status.VARIANTS),
}

__all__ = ["REGISTRY", "Builder", "DocPlan", "receipt"]
