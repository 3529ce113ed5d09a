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
        """Create pending page rows (idempotent: existing rows are left as they are)."""
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
                    "source_page": i + 1,
                    "state": "pending",
                    "attempts": 0,
                    "updated_at": now,
                }
                for i in range(count)
                if first_number + i not in have
            ]
            if rows:
                conn.execute(pages.insert(), rows)

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

    # --- corrections -----------------------------------------------------------------------------------------

    def add_correction(
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
    ) -> None:
        with self._tx() as conn:
            conn.execute(
                corrections.insert().values(
                    dossier_code=code,
                    target=target,
                    document=document,
                    key=key,
                    old=old,
                    new=new,
                    pages=pages,
                    who=who,
                    at=time.time(),
                )
            )

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

    # --- the record ---------------------------------------------------------------------------------------------

    def dossier(self, code: str) -> Dossier:
        with self._tx() as conn:
            row = conn.execute(sa.select(dossiers).where(dossiers.c.code == code)).mappings().first()
            if row is None:
                raise DossierNotFound(f"no dossier with code {code!r}")
            page_rows = conn.execute(
                sa.select(pages.c.result)
                .where(pages.c.dossier_code == code, pages.c.state == "done")
                .order_by(pages.c.number)
            ).all()
        problems = [
            FileProblem(file=f.name, sha256=f.sha256, error=f.error_kind, message=f.error_message or "")
            for f in self.files(code)
            if f.error_kind
        ]
        return Dossier(
            code=row["code"],
            status=DossierStatus(row["status"]),
            pages=[Page.model_validate(r) for (r,) in page_rows],
            documents=[Document.model_validate(d) for d in row["documents"] or []],
            problems=problems,
        )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
