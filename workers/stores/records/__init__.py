"""The dossier record database: the source of truth for dossiers, their files and their pages.

SQLAlchemy Core on SQLite (embedded default) or PostgreSQL (HOSO_DATABASE_URL). Every write is keyed so that
doing it twice changes nothing twice: pages are keyed by (dossier, number), originals by their SHA-256.
"""

from __future__ import annotations

from workers.stores.records.accounts import Accounts
from workers.stores.records.correction_log import CorrectionLog
from workers.stores.records.deletions import DeletionRow, Deletions, DossierContents
from workers.stores.records.delivery_queue import Delivery, DeliveryRow, Outbox
from workers.stores.records.dossier_store import DossierStore
from workers.stores.records.intake_journal import IntakeJournal
from workers.stores.records.page_queue import PageQueue
from workers.stores.records.problem_list import ProblemList
from workers.stores.records.retention import Retention
from workers.stores.records.review_claims import ReviewClaims
from workers.stores.records.rows import (
    CorrectionRow,
    DossierFilter,
    DossierRow,
    FileRow,
    IntakeRow,
    PageTask,
    TokenRow,
    UserRow,
)
from workers.stores.records.search_text import SearchText
from workers.stores.records.sign_ins import FailureRow, LoginAuditRow, ReadRow, SignIns
from workers.stores.records.tables import (
    api_tokens,
    corrections,
    dossier_search,
    dossiers,
    files,
    login_audit,
    login_failures,
    metadata,
    originals,
    outbox,
    pages,
    read_audit,
    users,
    watch_intake,
    web_sessions,
)

__all__ = [
    "CorrectionRow",
    "DeletionRow",
    "Delivery",
    "DeliveryRow",
    "DossierContents",
    "DossierFilter",
    "DossierRow",
    "FailureRow",
    "FileRow",
    "IntakeRow",
    "LoginAuditRow",
    "PageTask",
    "ReadRow",
    "Records",
    "TokenRow",
    "UserRow",
    "api_tokens",
    "corrections",
    "dossier_search",
    "dossiers",
    "files",
    "login_audit",
    "login_failures",
    "metadata",
    "originals",
    "outbox",
    "pages",
    "read_audit",
    "users",
    "watch_intake",
    "web_sessions",
]


class Records(
    DossierStore,
    PageQueue,
    CorrectionLog,
    ReviewClaims,
    ProblemList,
    SearchText,
    Accounts,
    SignIns,
    IntakeJournal,
    Deletions,
    Outbox,
    Retention,
):
    """The record database: one engine, each concern's methods from its own module."""
