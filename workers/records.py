"""The dossier record database: the source of truth for dossiers, their files and their pages.

SQLAlchemy Core on SQLite (embedded default) or PostgreSQL (HOSO_DATABASE_URL). Every write is keyed so that
doing it twice changes nothing twice: pages are keyed by (dossier, number), originals by their SHA-256.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from schemas.errors import DatabaseUnavailable, DossierNotFound
from schemas.record import Document, Dossier, DossierStatus, FileProblem, Page

metadata = sa.MetaData()

dossiers = sa.Table(
    "dossiers",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("meta", sa.JSON, nullable=False, default=dict),
    sa.Column("documents", sa.JSON, nullable=False, default=list),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)

originals = sa.Table(
    "originals",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("object_key", sa.String(200), nullable=False),
    sa.Column("first_name", sa.String(500), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

files = sa.Table(
    "dossier_files",
    metadata,
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=True),
    sa.Column("kind", sa.String(8), nullable=True),
    sa.Column("pages", sa.Integer, nullable=True),
    sa.Column("error_kind", sa.String(64), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
)

pages = sa.Table(
    "pages",
    metadata,
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("file_position", sa.Integer, nullable=False),
    sa.Column("source_page", sa.Integer, nullable=False),
    sa.Column("state", sa.String(12), nullable=False),  # pending | running | done | failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("lease_until", sa.Float, nullable=True),
    sa.Column("result", sa.JSON, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("updated_at", sa.Float, nullable=False),
)
# The sweeper looks for pages left pending or running too long across all dossiers.
sa.Index("pages_by_state_and_age", pages.c.state, pages.c.updated_at)


corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), nullable=False),
    sa.Column("target", sa.String(32), nullable=False),  # document_type | field | word
    sa.Column("document", sa.Integer, nullable=True),  # index in the dossier's documents
    sa.Column("key", sa.String(64), nullable=True),  # field key, or page:word for OCR text
    sa.Column("old", sa.Text, nullable=True),
    sa.Column("new", sa.Text, nullable=True),
    sa.Column("pages", sa.JSON, nullable=True),  # the document's page numbers at the time
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

# --- the web app: staff, their API tokens, the search text of each dossier ----------------------------------

users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),  # counter | reviewer | admin
    sa.Column("password_hash", sa.String(200), nullable=True),  # argon2; None: API token only
    sa.Column("lang", sa.String(8), nullable=False, default="vi"),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),  # the token itself is never stored
    sa.Column("user_name", sa.String(100), sa.ForeignKey("users.name"), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

dossier_search = sa.Table(
    "dossier_search",
    metadata,
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), primary_key=True),
    sa.Column("folded", sa.Text, nullable=False),  # code, citizen, page text, field values: lower case, no diacritics
    sa.Column("indexed_at", sa.Float, nullable=False),
)

# --- the watch folder's intake journal: one row per file taken, so a restarted watcher resumes -------------

watch_intake = sa.Table(
    "watch_intake",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("root", sa.String(1000), nullable=False),  # the watch folder, absolute
    sa.Column("path", sa.String(1000), nullable=False),  # the file inside it, as found
    sa.Column("folder", sa.String(1000), nullable=False),  # its subfolder ('' at the top)
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("mtime_ns", sa.BigInteger, nullable=False),  # with size: is the file in the folder still this one?
    sa.Column("state", sa.String(12), nullable=False),  # received | stored | split | done | duplicate | failed
    sa.Column("segments", sa.JSON, nullable=True),  # [{"code", "first", "last"}]: the dossiers the file makes
    sa.Column("error_kind", sa.String(64), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("settled", sa.Boolean, nullable=False, default=False),  # the file has left the folder
    sa.Column("settled_as", sa.String(1000), nullable=True),  # done/… | failed/… | deleted | vanished
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)


@dataclass(frozen=True)
class FileRow:
    position: int
    name: str
    sha256: str | None
    kind: str | None
    pages: int | None
    error_kind: str | None
    error_message: str | None


@dataclass(frozen=True)
class PageTask:
    """What a worker needs to process one page: ids and keys only."""

    code: str
    number: int
    file_name: str
    sha256: str
    kind: str
    source_page: int  # 1-based


@dataclass(frozen=True)
class CorrectionRow:
    """One reviewer's correction as stored: who, when, what (target, document, key), the old and new value."""

    id: int
    code: str
    target: str  # field | document_type | word | line | split | merge | status
    document: int | None
    key: str | None
    old: str | None
    new: str | None
    pages: list[int] | None
    who: str
    at: float


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    password_hash: str | None
    lang: str
    active: bool
    created_at: float


@dataclass(frozen=True)
class DossierRow:
    """A dossier's row without its pages: for lists, the review queue and search results."""

    code: str
    status: str
    meta: dict[str, Any]
    documents: list[dict[str, Any]]
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class IntakeRow:
    """A file the watch folder took, and how far its intake went."""

    id: int
    root: str
    path: str
    folder: str
    sha256: str
    size: int
    mtime_ns: int
    state: str
    segments: list[dict[str, Any]]
    error_kind: str | None
    error_message: str | None
    settled: bool
    settled_as: str | None
    created_at: float

    @property
    def codes(self) -> list[str]:
        return [str(s["code"]) for s in self.segments]


_INTAKE_UPDATABLE = frozenset(
    {"path", "folder", "state", "segments", "error_kind", "error_message", "settled", "settled_as"}
)


class Records:
    def __init__(self, url: str) -> None:
        kwargs: dict[str, Any] = {"future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = sa.create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        with self._tx() as conn:
            metadata.create_all(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise DatabaseUnavailable(f"the record database failed: {exc.orig}") from exc

    # --- dossiers ----------------------------------------------------------------------------------------

    def create_dossier(self, code: str, meta: dict[str, Any] | None = None) -> bool:
        """Create the dossier; False when it already exists (a repeated request)."""
        now = time.time()
        try:
            with self._tx() as conn:
                conn.execute(
                    dossiers.insert().values(
                        code=code,
                        status=DossierStatus.received.value,
                        meta=meta or {},
                        documents=[],
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def exists(self, code: str) -> bool:
        with self._tx() as conn:
            return conn.execute(sa.select(dossiers.c.code).where(dossiers.c.code == code)).first() is not None

    def set_status(self, code: str, status: DossierStatus) -> None:
        with self._tx() as conn:
            conn.execute(
                dossiers.update().where(dossiers.c.code == code).values(status=status.value, updated_at=time.time())
            )

    def set_documents(self, code: str, documents: Sequence[Document]) -> None:
        with self._tx() as conn:
            conn.execute(
                dossiers.update()
                .where(dossiers.c.code == code)
                .values(documents=[d.model_dump(mode="json") for d in documents], updated_at=time.time())
            )

    # --- originals and files ------------------------------------------------------------------------------

    def add_original(self, sha256: str, size: int, object_key: str, name: str) -> bool:
        """Record a stored original; False when the same content was stored before."""
        try:
            with self._tx() as conn:
                conn.execute(
                    originals.insert().values(
                        sha256=sha256, size=size, object_key=object_key, first_name=name, created_at=time.time()
                    )
                )
        except IntegrityError:
            return False
        return True

    def add_file(
        self,
        code: str,
        position: int,
        name: str,
        *,
        sha256: str | None,
        kind: str | None = None,
        page_count: int | None = None,
        error_kind: str | None = None,
        error_message: str | None = None,
    ) -> None:
        values = {
            "name": name,
            "sha256": sha256,
            "kind": kind,
            "pages": page_count,
            "error_kind": error_kind,
            "error_message": error_message,
        }
        with self._tx() as conn:
            found = conn.execute(
                sa.select(files.c.position).where(files.c.dossier_code == code, files.c.position == position)
            ).first()
            if found:
                conn.execute(
                    files.update().where(files.c.dossier_code == code, files.c.position == position).values(**values)
                )
            else:
                conn.execute(files.insert().values(dossier_code=code, position=position, **values))

    def files(self, code: str) -> list[FileRow]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(files).where(files.c.dossier_code == code).order_by(files.c.position)
            ).mappings()
            return [
                FileRow(
                    position=r["position"],
                    name=r["name"],
                    sha256=r["sha256"],
                    kind=r["kind"],
                    pages=r["pages"],
                    error_kind=r["error_kind"],
                    error_message=r["error_message"],
                )
                for r in rows
            ]

    # --- pages ----------------------------------------------------------------------------------------------

    def add_pages(self, code: str, file_position: int, first_number: int, count: int) -> None:
        """Create pending page rows for a whole file (idempotent: existing rows are left as they are)."""
        self.add_page_range(code, file_position, first_number, 1, count)

    def page_tasks(self, code: str, states: Sequence[str] = ("pending",)) -> list[PageTask]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.number, pages.c.source_page, files.c.name, files.c.sha256, files.c.kind)
                .join(
                    files,
                    sa.and_(files.c.dossier_code == pages.c.dossier_code, files.c.position == pages.c.file_position),
                )
                .where(pages.c.dossier_code == code, pages.c.state.in_(list(states)))
                .order_by(pages.c.number)
            ).all()
        return [
            PageTask(code=code, number=n, file_name=name, sha256=sha, kind=kind, source_page=sp)
            for n, sp, name, sha, kind in rows
        ]

    def claim_page(self, code: str, number: int, lease_seconds: float) -> bool:
        """Take a page for processing unless it is done or leased by a live worker."""
        now = time.time()
        with self._tx() as conn:
            res = conn.execute(
                pages.update()
                .where(
                    pages.c.dossier_code == code,
                    pages.c.number == number,
                    pages.c.state != "done",
                    sa.or_(pages.c.state != "running", pages.c.lease_until < now),
                )
                .values(state="running", lease_until=now + lease_seconds, attempts=pages.c.attempts + 1, updated_at=now)
            )
            return bool(res.rowcount)

    def finish_page(self, code: str, number: int, page: Page) -> bool:
        """Store a page's result; False (and nothing changed) when it was already done."""
        with self._tx() as conn:
            res = conn.execute(
                pages.update()
                .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state != "done")
                .values(
                    state="done",
                    result=json.loads(page.model_dump_json()),
                    error=None,
                    lease_until=None,
                    updated_at=time.time(),
                )
            )
            return bool(res.rowcount)

    def fail_page(self, code: str, number: int, error: str) -> None:
        with self._tx() as conn:
            conn.execute(
                pages.update()
                .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state != "done")
                .values(state="failed", error=error, lease_until=None, updated_at=time.time())
            )

    def page_counts(self, code: str) -> dict[str, int]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.state, sa.func.count()).where(pages.c.dossier_code == code).group_by(pages.c.state)
            ).all()
        return {state: int(n) for state, n in rows}

    # --- the cluster: one page's task, leases given back, stalled work for the sweeper ----------------------

    def page_task(self, code: str, number: int) -> PageTask | None:
        with self._tx() as conn:
            row = conn.execute(
                sa.select(pages.c.source_page, files.c.name, files.c.sha256, files.c.kind)
                .join(
                    files,
                    sa.and_(files.c.dossier_code == pages.c.dossier_code, files.c.position == pages.c.file_position),
                )
                .where(pages.c.dossier_code == code, pages.c.number == number)
            ).first()
        if row is None:
            return None
        sp, name, sha, kind = row
        return PageTask(code=code, number=number, file_name=name, sha256=sha, kind=kind, source_page=sp)

    def release_page(self, code: str, number: int, error: str) -> None:
        """Give a running page back (pending, no lease) after a transient failure, so a retry can claim it."""
        with self._tx() as conn:
            conn.execute(
                pages.update()
                .where(pages.c.dossier_code == code, pages.c.number == number, pages.c.state == "running")
                .values(state="pending", error=error, lease_until=None, updated_at=time.time())
            )

    def status(self, code: str) -> DossierStatus:
        with self._tx() as conn:
            value = conn.execute(sa.select(dossiers.c.status).where(dossiers.c.code == code)).scalar()
        if value is None:
            raise DossierNotFound(f"no dossier with code {code!r}")
        return DossierStatus(value)

    def stalled_pages(self, *, now: float, resend_after: float) -> list[tuple[str, int]]:
        """Pages whose message may be lost: running with an expired lease (a worker died), or pending and
        untouched for `resend_after` seconds. They are marked touched, so each is re-sent once per period."""
        with self._tx() as conn:
            rows = conn.execute(
                pages.update()
                .where(
                    pages.c.updated_at < now - resend_after,
                    sa.or_(
                        pages.c.state == "pending",
                        sa.and_(pages.c.state == "running", pages.c.lease_until < now),
                    ),
                )
                .values(updated_at=now)
                .returning(pages.c.dossier_code, pages.c.number)
            ).all()
        return sorted((code, int(n)) for code, n in rows)

    def dossiers_due(self, *, now: float, quiet_for: float) -> tuple[list[str], list[str]]:
        """(dossiers received but not taken in for `quiet_for` seconds: their intake is due;
        dossiers processing with no page pending or running nor any page touched for `quiet_for` seconds:
        their dossier stage is due)."""
        busy = (
            sa.select(pages.c.number)
            .where(
                pages.c.dossier_code == dossiers.c.code,
                sa.or_(pages.c.state.in_(["pending", "running"]), pages.c.updated_at >= now - quiet_for),
            )
            .exists()
        )
        with self._tx() as conn:
            received = conn.execute(
                sa.select(dossiers.c.code).where(
                    dossiers.c.status == DossierStatus.received.value, dossiers.c.updated_at < now - quiet_for
                )
            ).scalars()
            received_codes = sorted(received)
            finishing = conn.execute(
                sa.select(dossiers.c.code).where(
                    dossiers.c.status == DossierStatus.processing.value,
                    dossiers.c.updated_at < now - quiet_for,
                    ~busy,
                )
            ).scalars()
            finishing_codes = sorted(finishing)
        return received_codes, finishing_codes

    # --- corrections -----------------------------------------------------------------------------------------

    def type_corrections(self) -> list[tuple[str, str]]:
        """(text of the corrected document's pages, the type a reviewer gave it), latest correction first."""
        out: list[tuple[str, str]] = []
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(corrections.c.dossier_code, corrections.c.pages, corrections.c.new)
                .where(corrections.c.target == "document_type")
                .order_by(corrections.c.at.desc())
            ).all()
            for code, page_numbers, new in rows:
                texts = conn.execute(
                    sa.select(pages.c.result).where(
                        pages.c.dossier_code == code, pages.c.number.in_(list(page_numbers or []))
                    )
                ).all()
                for (result,) in texts:
                    if result and result.get("text"):
                        out.append((result["text"], str(new)))
        return out

    # --- corrections as the web app reads and writes them -------------------------------------------------------

    def record_correction(
        self,
        code: str,
        *,
        target: str,
        who: str,
        old: str | None,
        new: str | None,
        document: int | None = None,
        key: str | None = None,
        pages: list[int] | None = None,
    ) -> int:
        """Store a correction and mark the dossier changed (its search text is then rebuilt); its id."""
        now = time.time()
        with self._tx() as conn:
            res = conn.execute(
                corrections.insert().values(
                    dossier_code=code,
                    target=target,
                    document=document,
                    key=key,
                    old=old,
                    new=new,
                    pages=pages,
                    who=who,
                    at=now,
                )
            )
            conn.execute(dossiers.update().where(dossiers.c.code == code).values(updated_at=now))
            key = res.inserted_primary_key
            assert key is not None
            return int(key[0])

    def corrections_of(self, code: str) -> list[CorrectionRow]:
        """The dossier's corrections, oldest first (the order they are applied in)."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(corrections).where(corrections.c.dossier_code == code).order_by(corrections.c.id)
            ).mappings()
            return [_correction_row(r) for r in rows]

    # --- dossiers as lists -----------------------------------------------------------------------------------------

    def dossier_rows(
        self, *, statuses: Sequence[str] | None = None, codes: Sequence[str] | None = None, limit: int = 200
    ) -> list[DossierRow]:
        """Dossiers without their pages, newest first."""
        query = sa.select(dossiers).order_by(dossiers.c.created_at.desc()).limit(limit)
        if statuses is not None:
            query = query.where(dossiers.c.status.in_(list(statuses)))
        if codes is not None:
            query = query.where(dossiers.c.code.in_(list(codes)))
        with self._tx() as conn:
            return [_dossier_row(r) for r in conn.execute(query).mappings()]

    def page_states(self, code: str) -> list[tuple[int, str]]:
        """(page number, pending | running | done | failed) for each page taken in so far."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.number, pages.c.state).where(pages.c.dossier_code == code).order_by(pages.c.number)
            ).all()
        return [(int(n), str(s)) for n, s in rows]

    def page(self, code: str, number: int) -> Page | None:
        """One processed page as the machine read it (no corrections), or None."""
        with self._tx() as conn:
            result = conn.execute(
                sa.select(pages.c.result).where(
                    pages.c.dossier_code == code, pages.c.number == number, pages.c.state == "done"
                )
            ).scalar()
        return Page.model_validate(result) if result else None

    def delete_dossier(self, code: str) -> None:
        """Remove the dossier's rows (its corrections too). Objects stay: originals are shared by content."""
        with self._tx() as conn:
            found = conn.execute(sa.select(dossiers.c.code).where(dossiers.c.code == code)).first()
            if found is None:
                raise DossierNotFound(f"no dossier with code {code!r}")
            for table in (dossier_search, corrections, pages, files):
                conn.execute(table.delete().where(table.c.dossier_code == code))
            conn.execute(dossiers.delete().where(dossiers.c.code == code))

    # --- search: folded text per dossier, rebuilt when the dossier changed -------------------------------------

    def search_stale(self, limit: int = 100) -> list[str]:
        """Dossiers whose search text is missing or older than their last change."""
        s = dossier_search
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(dossiers.c.code)
                .select_from(dossiers.outerjoin(s, s.c.dossier_code == dossiers.c.code))
                .where(sa.or_(s.c.indexed_at.is_(None), s.c.indexed_at < dossiers.c.updated_at))
                .limit(limit)
            ).scalars()
            return list(rows)

    def set_search_text(self, code: str, folded: str, *, as_of: float) -> None:
        """Store the folded text of the dossier as it was at `as_of` (read before the text was built)."""
        s = dossier_search
        try:
            with self._tx() as conn:
                conn.execute(s.delete().where(s.c.dossier_code == code))
                conn.execute(s.insert().values(dossier_code=code, folded=folded, indexed_at=as_of))
        except IntegrityError:
            pass  # indexed at the same moment by another request (or the dossier was just deleted)

    def search(self, folded_terms: Sequence[str], *, limit: int = 50) -> list[DossierRow]:
        """Dossiers whose folded text holds every term (already folded), newest first. LIKE: SQLite and PostgreSQL."""
        query = (
            sa.select(dossiers)
            .join(dossier_search, dossier_search.c.dossier_code == dossiers.c.code)
            .order_by(dossiers.c.created_at.desc())
            .limit(limit)
        )
        for term in folded_terms:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(dossier_search.c.folded.like(f"%{escaped}%", escape="\\"))
        with self._tx() as conn:
            return [_dossier_row(r) for r in conn.execute(query).mappings()]

    # --- users and API tokens ------------------------------------------------------------------------------------

    def add_user(self, name: str, *, role: str, password_hash: str | None, lang: str = "vi") -> bool:
        """Create a user; False when the name is taken."""
        try:
            with self._tx() as conn:
                conn.execute(
                    users.insert().values(
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        lang=lang,
                        active=True,
                        created_at=time.time(),
                    )
                )
        except IntegrityError:
            return False
        return True

    def user(self, name: str) -> UserRow | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        return _user_row(row) if row else None

    def users_list(self) -> list[UserRow]:
        with self._tx() as conn:
            return [_user_row(r) for r in conn.execute(sa.select(users).order_by(users.c.name)).mappings()]

    def update_user(
        self,
        name: str,
        *,
        role: str | None = None,
        password_hash: str | None = None,
        lang: str | None = None,
        active: bool | None = None,
    ) -> None:
        changes: dict[str, Any] = {
            k: v
            for k, v in {"role": role, "password_hash": password_hash, "lang": lang, "active": active}.items()
            if v is not None
        }
        if changes:
            with self._tx() as conn:
                conn.execute(users.update().where(users.c.name == name).values(**changes))

    def add_token(self, user_name: str, token_sha256: str) -> None:
        with self._tx() as conn:
            conn.execute(
                api_tokens.insert().values(token_sha256=token_sha256, user_name=user_name, created_at=time.time())
            )

    def user_by_token(self, token_sha256: str) -> UserRow | None:
        """The active user holding the token, or None."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(users)
                    .join(api_tokens, api_tokens.c.user_name == users.c.name)
                    .where(api_tokens.c.token_sha256 == token_sha256, users.c.active.is_(True))
                )
                .mappings()
                .first()
            )
        return _user_row(row) if row else None

    # --- the watch folder: a file's pages among several dossiers, its intake journal -------------------------

    def add_page_range(
        self, code: str, file_position: int, first_number: int, first_source_page: int, count: int
    ) -> None:
        """Pending page rows numbered from `first_number` for the file's pages `first_source_page`…
        (1-based), the part of a file that makes this dossier. Idempotent: existing rows are left as they are."""
        now = time.time()
        with self._tx() as conn:
            have = {
                n
                for (n,) in conn.execute(
                    sa.select(pages.c.number).where(
                        pages.c.dossier_code == code,
                        pages.c.number >= first_number,
                        pages.c.number < first_number + count,
                    )
                )
            }
            rows = [
                {
                    "dossier_code": code,
                    "number": first_number + i,
                    "file_position": file_position,
                    "source_page": first_source_page + i,
                    "state": "pending",
                    "attempts": 0,
                    "updated_at": now,
                }
                for i in range(count)
                if first_number + i not in have
            ]
            if rows:
                conn.execute(pages.insert(), rows)

    def dossier_meta(self, code: str) -> dict[str, Any] | None:
        with self._tx() as conn:
            meta = conn.execute(sa.select(dossiers.c.meta).where(dossiers.c.code == code)).first()
        return None if meta is None else dict(meta[0] or {})

    def has_original(self, sha256: str) -> bool:
        with self._tx() as conn:
            return conn.execute(sa.select(originals.c.sha256).where(originals.c.sha256 == sha256)).first() is not None

    def dossiers_with_file(self, sha256: str) -> list[str]:
        """Codes of the dossiers that hold a file with this content."""
        with self._tx() as conn:
            query = sa.select(files.c.dossier_code).where(files.c.sha256 == sha256).distinct()
            return list(conn.execute(query.order_by(files.c.dossier_code)).scalars())

    def page_errors(self, code: str) -> list[tuple[int, str]]:
        """(page number, error) of the dossier's failed pages."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(pages.c.number, pages.c.error)
                .where(pages.c.dossier_code == code, pages.c.state == "failed")
                .order_by(pages.c.number)
            ).all()
        return [(int(n), str(e or "")) for n, e in rows]

    def make_durable(self) -> None:
        """Make every commit so far survive a power cut, before a file is let go. SQLite in WAL mode with
        synchronous=NORMAL syncs only at checkpoints, so run one; PostgreSQL's commits are durable already."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")

    def intake_add(
        self,
        *,
        root: str,
        path: str,
        folder: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        state: str,
        error_kind: str | None = None,
        error_message: str | None = None,
    ) -> IntakeRow:
        now = time.time()
        values = {
            "root": root,
            "path": path,
            "folder": folder,
            "sha256": sha256,
            "size": size,
            "mtime_ns": mtime_ns,
            "state": state,
            "segments": [],
            "error_kind": error_kind,
            "error_message": error_message,
            "settled": False,
            "created_at": now,
            "updated_at": now,
        }
        with self._tx() as conn:
            key = conn.execute(watch_intake.insert().values(**values)).inserted_primary_key
            assert key is not None
            row = conn.execute(sa.select(watch_intake).where(watch_intake.c.id == key[0])).mappings().one()
        return _intake_row(row)

    def intake_update(self, intake_id: int, **values: Any) -> IntakeRow:
        unknown = set(values) - _INTAKE_UPDATABLE
        if unknown:
            raise ValueError(f"not journal columns: {sorted(unknown)}")
        with self._tx() as conn:
            conn.execute(
                watch_intake.update().where(watch_intake.c.id == intake_id).values(**values, updated_at=time.time())
            )
            row = conn.execute(sa.select(watch_intake).where(watch_intake.c.id == intake_id)).mappings().one()
        return _intake_row(row)

    def intake_open(self, root: str, sha256: str) -> IntakeRow | None:
        """The intake of this content from this folder that has not finished (its file not yet let go)."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(watch_intake)
                    .where(
                        watch_intake.c.root == root,
                        watch_intake.c.sha256 == sha256,
                        watch_intake.c.settled.is_(False),
                    )
                    .order_by(watch_intake.c.id)
                )
                .mappings()
                .first()
            )
        return _intake_row(row) if row else None

    def intake_first(self, sha256: str) -> IntakeRow | None:
        """The first intake of this content (any folder), other than duplicates."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    sa.select(watch_intake)
                    .where(watch_intake.c.sha256 == sha256, watch_intake.c.state != "duplicate")
                    .order_by(watch_intake.c.id)
                )
                .mappings()
                .first()
            )
        return _intake_row(row) if row else None

    def intake_rows(self, root: str, *, unsettled_only: bool = False) -> list[IntakeRow]:
        query = sa.select(watch_intake).where(watch_intake.c.root == root).order_by(watch_intake.c.id)
        if unsettled_only:
            query = query.where(watch_intake.c.settled.is_(False))
        with self._tx() as conn:
            return [_intake_row(r) for r in conn.execute(query).mappings()]

    # --- the record ---------------------------------------------------------------------------------------------

    def dossier(self, code: str, *, corrected: bool = True) -> Dossier:
        """The dossier record; with `corrected` (the default), reviewers' corrections applied over the machine's
        values (they are stored apart, so reprocessing never overwrites them)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(dossiers).where(dossiers.c.code == code)).mappings().first()
            if row is None:
                raise DossierNotFound(f"no dossier with code {code!r}")
            page_rows = conn.execute(
                sa.select(pages.c.result)
                .where(pages.c.dossier_code == code, pages.c.state == "done")
                .order_by(pages.c.number)
            ).all()
            fixes = (
                [
                    _correction_row(r)
                    for r in conn.execute(
                        sa.select(corrections).where(corrections.c.dossier_code == code).order_by(corrections.c.id)
                    ).mappings()
                ]
                if corrected
                else []
            )
            failed = conn.execute(
                sa.select(pages.c.number, pages.c.source_page, pages.c.error, files.c.name, files.c.sha256)
                .join(
                    files,
                    sa.and_(files.c.dossier_code == pages.c.dossier_code, files.c.position == pages.c.file_position),
                )
                .where(pages.c.dossier_code == code, pages.c.state == "failed")
                .order_by(pages.c.number)
            ).all()
        problems = [
            FileProblem(file=f.name, sha256=f.sha256, error=f.error_kind, message=f.error_message or "")
            for f in self.files(code)
            if f.error_kind
        ] + [
            FileProblem(
                file=name,
                sha256=sha,
                page=number,
                error="PageFailed",
                message=f"page {source_page} of the file could not be processed: {error or 'unknown error'}",
            )
            for number, source_page, error, name, sha in failed
        ]
        record = Dossier(
            code=row["code"],
            status=DossierStatus(row["status"]),
            pages=[Page.model_validate(r) for (r,) in page_rows],
            documents=[Document.model_validate(d) for d in row["documents"] or []],
            problems=problems,
            source=(row["meta"] or {}).get("source"),
        )
        if fixes:
            from workers.corrections import apply_corrections  # the pipeline's extraction, only when needed

            record = apply_corrections(record, fixes)
        return record


def _correction_row(r: Any) -> CorrectionRow:
    return CorrectionRow(
        id=int(r["id"]),
        code=r["dossier_code"],
        target=r["target"],
        document=r["document"],
        key=r["key"],
        old=r["old"],
        new=r["new"],
        pages=list(r["pages"]) if r["pages"] is not None else None,
        who=r["who"],
        at=float(r["at"]),
    )


def _user_row(r: Any) -> UserRow:
    return UserRow(
        name=r["name"],
        role=r["role"],
        password_hash=r["password_hash"],
        lang=r["lang"] or "vi",
        active=bool(r["active"]),
        created_at=float(r["created_at"]),
    )


def _dossier_row(r: Any) -> DossierRow:
    return DossierRow(
        code=r["code"],
        status=r["status"],
        meta=dict(r["meta"] or {}),
        documents=list(r["documents"] or []),
        created_at=float(r["created_at"]),
        updated_at=float(r["updated_at"]),
    )


def _intake_row(r: Any) -> IntakeRow:
    return IntakeRow(
        id=int(r["id"]),
        root=r["root"],
        path=r["path"],
        folder=r["folder"],
        sha256=r["sha256"],
        size=int(r["size"]),
        mtime_ns=int(r["mtime_ns"]),
        state=r["state"],
        segments=list(r["segments"] or []),
        error_kind=r["error_kind"],
        error_message=r["error_message"],
        settled=bool(r["settled"]),
        settled_as=r["settled_as"],
        created_at=float(r["created_at"]),
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
