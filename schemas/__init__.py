"""Typed data shared by every layer: the dossier record, settings and the error family.

Nothing here imports from `pipeline` or `workers`.
"""

from schemas.errors import HosoError
from schemas.record import (
    SCHEMA_VERSION,
    Document,
    Dossier,
    DossierStatus,
    Field,
    Page,
    PageSource,
    Word,
)
from schemas.settings import PipelineSettings

__all__ = [
    "SCHEMA_VERSION",
    "Document",
    "Dossier",
    "DossierStatus",
    "Field",
    "HosoError",
    "Page",
    "PageSource",
    "PipelineSettings",
    "Word",
]
