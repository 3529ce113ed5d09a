"""Family d: a fourth set of layouts and wordings, written apart from ``synth/docs`` (family a),
``synth/family_b`` and ``synth/family_c``, so that the field scorer learns from more families' habits: grids of
labelled cells, digits in closed boxes, colons aligned, bold capital labels, values under labels or before
their captions, bilingual labels, forms filled by hand in pen, stray numbers (phone and fax, form codes, page
numbers) and seals over values. ``build(world, rng, variant, seal, role)`` per type, as in the other families;
each returns a ``family_b.PlanB``. It reuses family b's drawing helpers (``family_b.parts``), not its wording."""

from __future__ import annotations

from ..docs import Builder
from . import birth_notice, cccd, civil, diploma, forms, land, marital_status, other

REGISTRY_D: dict[str, tuple[Builder, int]] = {
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

__all__ = ["REGISTRY_D"]
