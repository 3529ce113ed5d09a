"""The engine the record database's parts share: the schema brought up to date, one transaction, durability,
closing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from schemas.errors import DatabaseUnavailable, MissingExtra
from workers.private import private_sqlite
from workers.stores.records.migrate import upgrade
from workers.stores.records.tables import _sqlite_pragmas


class RecordsBase:
    """The engine and `_tx()`; each concern of the record database is a mixin over this class."""

    def __init__(self, url: str) -> None:
        kwargs: dict[str, Any] = {"future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine: Engine = sa.create_engine(url, **kwargs)
        except ModuleNotFoundError as exc:  # psycopg: PostgreSQL is the cluster's
            from workers.extras import extra_of

            extra = extra_of(exc.name or "")
            if extra is None:
                raise
            scheme = url.split(":", 1)[0]
            raise MissingExtra(f"the database {scheme}:// needs the [{extra}] extra: install hoso[{extra}]") from exc
        if url.startswith("sqlite"):
            db = sa.engine.make_url(url).database
            if db and db != ":memory:" and not db.startswith("file:"):
                private_sqlite(Path(db))  # 0600 before SQLite makes it, and its -wal/-shm after it
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            upgrade(self.engine)  # never create_all: a column added later must reach an existing database
        except OperationalError as exc:
            raise DatabaseUnavailable(f"the record database failed: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise DatabaseUnavailable(f"the record database failed: {exc.orig}") from exc

    def make_durable(self) -> None:
        """Make every commit so far survive a power cut, before a file is let go. SQLite in WAL mode with
        synchronous=NORMAL syncs only at checkpoints, so run one; PostgreSQL's commits are durable already."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
