"""The audits' retention (HOSO_AUDIT_DAYS): what is older is deleted by `hoso db prune` and at `hoso serve`'s start."""

from __future__ import annotations

import logging
import time

from workers.stores.records import Records

log = logging.getLogger("hoso.retention")


def prune(records: Records, days: int, *, now: float | None = None) -> dict[str, int] | None:
    """Delete the audit rows older than `days` (0: keep for ever, None returned); how many of each were deleted."""
    if days <= 0:
        return None
    gone = records.prune_audits((time.time() if now is None else now) - days * 86400.0)
    log.info("audits pruned", extra={"stage": "retention", "count": sum(gone.values())})
    return gone
