"""One builder per document type: ``build(world, rng, variant, seal, role) -> DocPlan``."""

from __future__ import annotations

import random
from collections.abc import Callable

from ..vn import World
from . import cccd, civil, diploma, forms, land, official, other, receipt
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
}

__all__ = ["REGISTRY", "Builder", "DocPlan", "receipt"]
