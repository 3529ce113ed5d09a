"""The record database's migrations on a real PostgreSQL (loopback): a database made before migrations, with
its rows, is taken as the first revision and upgraded; a later revision reaches it; processes starting
together upgrade it once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cluster.servers import Process, ServerMissing, start_postgres
from tests.test_migrations import NEXT, OLD_CODE, assert_old_rows_kept, load_dump, revision, schema_differences
from tests.test_migrations import with_second_revision as second_revision
from workers.stores.records import Records
from workers.stores.records.migrate import HEAD, upgrade


@pytest.fixture(scope="module")
def postgres() -> Iterator[Process]:
    try:
        server = start_postgres()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def db_url(postgres: Process, request: pytest.FixtureRequest) -> str:
    """A fresh database of its own for each test."""
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:50]
    admin = sa.create_engine(
        f"postgresql+psycopg://hoso@127.0.0.1:{postgres.port}/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return f"postgresql+psycopg://hoso@127.0.0.1:{postgres.port}/{name}"


def test_a_postgres_database_made_before_migrations_is_upgraded_and_keeps_its_rows(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    load_dump(engine, "postgresql")
    assert revision(engine) is None
    engine.dispose()

    records = Records(db_url)
    try:
        assert revision(records.engine) == HEAD
        assert schema_differences(records.engine) == []
        assert_old_rows_kept(records)
    finally:
        records.close()


def test_a_second_revision_reaches_a_postgres_database_in_use(db_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(db_url)
    load_dump(engine, "postgresql")
    Records(db_url).close()
    upgrade(engine, script_location=second_revision(tmp_path))
    assert revision(engine) == NEXT
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT code, channel FROM dossiers").all() == [(OLD_CODE, "counter")]
    engine.dispose()


def test_processes_starting_together_on_a_new_postgres_database_upgrade_it_once(db_url: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            Records(db_url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    engine = sa.create_engine(db_url)
    assert revision(engine) == HEAD
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    engine.dispose()
