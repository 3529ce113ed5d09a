"""The record database's schema brought to the newest revision (Alembic), on SQLite and PostgreSQL alike.

Every start calls `upgrade`: a database already at `HEAD` costs one query and Alembic is not even imported; a
new, empty one is made from the tables' definitions (`tables.py`) and stamped at `HEAD`, as Alembic's
documentation advises (running every revision on nothing costs a third of a second of a one-page `hoso
process`; tests check that the revisions make the same schema); a database at an older revision is upgraded
by the revisions in `migrations/versions/` (shipped in the package); a database made by
`create_all` before migrations existed is taken as revision 0001 (completed if a table or index is missing)
and upgraded from there. Processes starting together take turns: PostgreSQL by an advisory lock held for
the upgrade's transaction, SQLite by a lock on a file beside the database.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0009"  # the newest revision in migrations/versions (a test checks they agree)
VERSION_TABLE = "alembic_version"
_PG_LOCK = 0x686F736F  # "hoso": the advisory lock key of schema upgrades


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at; None for an empty database or one made before migrations."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()


def upgrade(
    engine: Engine, *, script_location: Path = MIGRATIONS, target: str = "head", new_from_tables: bool = True
) -> None:
    """Bring the database to `target` (the newest revision by default); nothing to do costs one query. An
    empty database is made from the tables' definitions and stamped at HEAD (`new_from_tables`, when the
    target is the shipped HEAD); with `new_from_tables=False` it is made by running every revision."""
    newest = script_location == MIGRATIONS and target == "head"
    if newest:
        with engine.connect() as conn:
            if current_revision(conn) == HEAD:
                return
    with _file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        if newest and new_from_tables and not sa.inspect(conn).get_table_names():
            _make_new(conn)
            return
        _run(conn, script_location, target)


def _make_new(conn: Connection) -> None:
    """An empty database made at HEAD: the tables as `tables.py` defines them, the version Alembic keeps."""
    from workers.stores.records.tables import metadata

    metadata.create_all(conn)
    version = sa.Table(
        VERSION_TABLE,
        sa.MetaData(),
        sa.Column("version_num", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    version.create(conn)
    conn.execute(version.insert().values(version_num=HEAD))
    log.info("record database made at revision %s", HEAD)


def _run(conn: Connection, script_location: Path, target: str) -> None:
    from alembic import command  # only when there is something to do: it costs start-up time
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = conn
    before = current_revision(conn)
    if before is None and sa.inspect(conn).has_table("dossiers"):
        log.info("record database made before migrations: taken as revision 0001, then upgraded")
    elif before is not None:
        try:
            ScriptDirectory.from_config(config).get_revision(before)
        except CommandError:
            # A newer hoso has upgraded it (a rolling update): revisions only add, so this one goes on as it is.
            log.warning("record database at revision %s, newer than this hoso knows; left as it is", before)
            return
    command.upgrade(config, target)
    after = current_revision(conn)
    if after != before:
        log.info("record database upgraded from revision %s to %s", before or "none", after)


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """SQLite has no advisory lock: processes on this machine take turns on `<database>.migrate-lock`."""
    db = engine.url.database if engine.dialect.name == "sqlite" else None
    if not db or db == ":memory:" or not Path(db).parent.is_dir():
        yield  # nothing to share, or no folder: SQLite's own error says so
        return
    with open(Path(db).with_name(Path(db).name + ".migrate-lock"), "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
