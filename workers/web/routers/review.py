"""API: corrections (with their audit trail), marking a dossier reviewed, the review queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from workers.web import review
from workers.web.deps import RecordsDep, Reviewer, StateDep, Viewer
from workers.web.models import CorrectionEntry, CorrectionResult, DossierSummary, Fix
from workers.web.views import queue_rows, row_confidence

router = APIRouter(prefix="/api", tags=["review"])


@router.get(
    "/dossiers/{code}/corrections", response_model=list[CorrectionEntry], summary="The dossier's corrections (audit)"
)
def list_corrections(code: str, records: RecordsDep, _user: Viewer) -> list[CorrectionEntry]:
    """Every correction: who, when, what, the old and the new value; oldest first."""
    records.status(code)  # 404 for an unknown dossier
    return [CorrectionEntry.of(r) for r in records.corrections_of(code)]


@router.post(
    "/dossiers/{code}/corrections", status_code=201, response_model=CorrectionResult, summary="Correct the dossier"
)
def add_correction(
    code: str, state: StateDep, user: Reviewer, fix: Annotated[Fix, Body(discriminator="target")]
) -> CorrectionResult:
    """A field's value (the machine's value again accepts it), a document's type, the OCR text of a word or a
    line, a split or a merge of documents. Stored apart with who and when; reprocessing never overwrites it.
    With `version`, a correction made from an older version of the dossier is refused (409 StaleEdit, with the
    dossier's `version` and the field's `current` value)."""
    row = review.correct(state.records, state.runner, code, fix, who=user.name)
    record = state.records.dossier(code)
    return CorrectionResult(
        correction=CorrectionEntry.of(row),
        status=record.status.value,
        documents=record.documents,
        version=state.records.version(code),
    )


@router.post("/dossiers/{code}/review", summary="Mark the dossier reviewed")
def mark_reviewed(
    code: str,
    records: RecordsDep,
    user: Reviewer,
    version: Annotated[
        int | None, Query(ge=0, description="the dossier's version the reviewer saw: 409 StaleEdit if changed since")
    ] = None,
    reason: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="why a dossier lacking papers its procedure requires is reviewed anyway "
            "(without it such a dossier is refused: 409 DossierIncomplete); kept in the correction log",
        ),
    ] = None,
) -> dict[str, str]:
    status = review.mark_reviewed(records, code, who=user.name, version=version, reason=reason)
    return {"code": code, "status": status.value}


@router.get("/review-queue", response_model=list[DossierSummary], summary="Dossiers to review, lowest confidence first")
def review_queue(
    records: RecordsDep, user: Reviewer, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[DossierSummary]:
    rows = queue_rows(records.dossier_rows(statuses=["needs_review"], centres=user.centre_filter, limit=5000))[:limit]
    return [DossierSummary.of(r, row_confidence(r)) for r in rows]
