"""Completeness at the counter: which papers the dossier's procedure requires are there, and which are missing.

A plain function of the procedure (schemas/procedures.py) and the dossier's documents (their types, confidences
and pages). Documents are given to components in the procedure's order: first each component takes up to the
number of papers it asks for, then documents left over go to the first component of their type (a second copy);
a document of no component's type is listed apart. A document whose type confidence is below `sure` still counts
(the reviewer decides) but marks its component `uncertain`.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.procedures import Procedure
from schemas.record import Completeness, ComponentStatus, Document

SURE = 0.5  # below this a document's type is a guess: it fulfils its component, marked uncertain


def completeness(procedure: Procedure, documents: Sequence[Document], *, sure: float = SURE) -> Completeness:
    taken: list[list[int]] = [[] for _ in procedure.components]
    free = list(range(len(documents)))
    for ci, comp in enumerate(procedure.components):
        for di in list(free):
            if len(taken[ci]) >= comp.count:
                break
            if documents[di].type in comp.types:
                taken[ci].append(di)
                free.remove(di)
    other: list[int] = []
    for di in free:
        home = next((i for i, c in enumerate(procedure.components) if documents[di].type in c.types), None)
        if home is None:
            other.append(di)
        else:
            taken[home].append(di)
    components = []
    for comp, docs in zip(procedure.components, taken, strict=True):
        docs.sort()
        missing = comp.required and len(docs) < comp.count
        components.append(
            ComponentStatus(
                key=comp.key,
                name=comp.name_vi,
                required=comp.required,
                documents=docs,
                missing=missing,
                pages=sorted({n for d in docs for n in documents[d].pages}),
                count=comp.count,
                condition=comp.condition,
                portal_name=comp.portal_name,
                uncertain=bool(docs) and all(documents[d].type_confidence < sure for d in docs),
            )
        )
    return Completeness(
        complete=not any(c.missing for c in components),
        components=components,
        missing=[c.name for c in components if c.missing],
        other_documents=other,
    )


def missing_text(result: Completeness) -> str:
    """The clerk's line for what is missing: "Thiếu: Giấy chứng sinh; …" ("" when nothing is)."""
    parts = []
    for c in result.components:
        if c.missing:
            short = c.count - len(c.documents)
            parts.append(f"{c.name} ({short}/{c.count})" if c.count > 1 else c.name)
    return f"Thiếu: {'; '.join(parts)}" if parts else ""
