"""Family b: a second set of layouts and wordings, written apart from ``synth/docs`` (family a), so that field
extraction can be tuned on one family and measured on the other. ``build(world, rng, variant, seal, role)``
per type, as in family a; each returns a ``PlanB`` that also names the label printed for each field."""

from __future__ import annotations

from ..docs import Builder
from . import birth_notice, cccd, civil, diploma, forms, land, marital_status, other
from .parts import PlanB

REGISTRY_B: dict[str, tuple[Builder, int]] = {
    "cccd": (cccd.build, cccd.VARIANTS),
    "birth_certificate": (civil.build_birth, civil.BIRTH_VARIANTS),
    "marriage_certificate": (civil.build_marriage, civil.MARRIAGE_VARIANTS),
    "land_use_certificate": (land.build, land.VARIANTS),
    "diploma": (diploma.build, diploma.VARIANTS),
    "application_form": (forms.build, forms.VARIANTS),
    "other": (other.build, other.VARIANTS),
    "birth_notice": (birth_notice.build, birth_notice.VARIANTS),
    "marital_status_confirmation": (marital_status.build, marital_status.VARIANTS),
}

__all__ = ["REGISTRY_B", "PlanB"]
