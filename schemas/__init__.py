"""Typed data shared by every layer: the dossier record, settings and the error family.

Nothing here imports from `pipeline` or `workers`. The names below are loaded on first use (PEP 562), so
that `from schemas.errors import ...` does not import pydantic with the record (some 90 ms at every start).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemas.errors import HosoError
    from schemas.record import SCHEMA_VERSION, Document, Dossier, DossierStatus, Field, Page, PageSource, Word
    from schemas.settings import PipelineSettings

_WHERE = {
    "HosoError": "schemas.errors",
    "SCHEMA_VERSION": "schemas.record",
    "Document": "schemas.record",
    "Dossier": "schemas.record",
    "DossierStatus": "schemas.record",
    "Field": "schemas.record",
    "Page": "schemas.record",
    "PageSource": "schemas.record",
    "Word": "schemas.record",
    "PipelineSettings": "schemas.settings",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'schemas' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
