"""The record database's migrations (Alembic) on SQLite: a new database, one made before migrations existed
(tests/resources/db/, with its rows), and a later revision reaching a database already in use.

The same cases run on a real PostgreSQL in tests/cluster/test_migrations_postgres.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.conftest import RESOURCES, ROOT
from workers.stores.records import Records, metadata
from workers.stores.records.migrate import HEAD, MIGRATIONS, current_revision, upgrade

BEFORE = RESOURCES / "db"
ADDED_SINCE_DUMP = {
    "web_sessions",
    "login_failures",
    "login_audit",
    "read_audit",
    "deletion_audit",
    "deleted_corrections",
    "outbox",
}  # tables of later revisions: empty
OLD_CODE = "HS-OLD-1"

# A later revision, for the tests only: a column and an index on a table that has rows.
NEXT = f"{int(HEAD) + 1:04d}"
SECOND_REVISION = '''"""Test only: where a dossier came from."""
import pytest
import sqlalchemy as sa
from alembic import op

revision = "NEXT"
down_revision = "HEAD"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("channel", sa.String(16), nullable=True, server_default="counter"))
    op.create_index("dossiers_by_channel", "dossiers", ["channel"])


def downgrade() -> None:
    op.drop_index("dossiers_by_channel", "dossiers")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("channel")
'''


def load_dump(engine: Engine, dialect: str) -> None:
    """A database as `create_all` made it before migrations: the schema and one row in every table."""
    text = (BEFORE / f"before-migrations.{dialect}.sql").read_text(encoding="utf-8")
    with engine.begin() as conn:
        for statement in text.split(";\n"):
            body = "\n".join(line for line in statement.splitlines() if not line.startswith("--")).strip()
            if body:
                conn.exec_driver_sql(body)


def with_second_revision(tmp_path: Path) -> Path:
    """A copy of the shipped migrations with the test's second revision added."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    text = SECOND_REVISION.replace('"NEXT"', f'"{NEXT}"').replace('"HEAD"', f'"{HEAD}"')
    (scripts / "versions" / f"{NEXT}_test_channel.py").write_text(text, encoding="utf-8")
    return scripts


def revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision(conn)


def assert_old_rows_kept(records: Records) -> None:
    record = records.dossier(OLD_CODE, corrected=False)
    assert record.status.value == "needs_review" and record.documents[0].type == "birth_certificate"
    user = records.user("reviewer1")
    assert user is not None and user.role == "reviewer" and user.active
    (fix,) = records.corrections_of(OLD_CODE)
    assert (fix.key, fix.new, fix.who) == ("full_name", "Nguyễn Văn A", "reviewer1")
    with records.engine.connect() as conn:
        counts = {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in metadata.sorted_tables
        }
    dumped = {t for t in counts if t not in ADDED_SINCE_DUMP}
    assert {t: counts[t] for t in dumped} == dict.fromkeys(dumped, 1), counts
    # and the old database takes new rows: ids go on after the old ones
    new_id = records.record_correction(OLD_CODE, target="field", who="reviewer1", old=None, new="x", key="place")
    assert new_id == 2


def schema_differences(engine: Engine) -> list[object]:
    """What Alembic's autogenerate would change to make the database match workers/stores/records/tables.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def test_the_head_revision_constant_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD]


def test_the_migrations_run_on_an_empty_database_make_the_tables_as_defined(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'hoso.db'}")
    try:
        upgrade(engine, new_from_tables=False)
        assert revision(engine) == HEAD
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def _schema(engine: Engine) -> dict[str, object]:
    """Every table's columns (name, type, nullable, default), primary key, foreign keys, indexes, uniques."""
    inspector = sa.inspect(engine)
    out: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        out[table] = (
            [(c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in inspector.get_columns(table)],
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted(
                (fk["constrained_columns"], fk["referred_table"], fk["referred_columns"])
                for fk in inspector.get_foreign_keys(table)
            ),
            sorted((ix["name"], ix["column_names"], bool(ix["unique"])) for ix in inspector.get_indexes(table)),
            sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
        )
    return out


def test_a_new_database_is_made_from_the_tables_at_head_with_the_schema_the_migrations_make(tmp_path: Path) -> None:
    by_migrations = sa.create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    records = Records(f"sqlite:///{tmp_path / 'hoso.db'}")  # a new database, as every start makes it
    try:
        upgrade(by_migrations, new_from_tables=False)
        assert revision(records.engine) == HEAD
        assert schema_differences(records.engine) == []
        assert _schema(records.engine) == _schema(by_migrations)
    finally:
        records.close()
        by_migrations.dispose()


def test_a_database_made_before_migrations_is_taken_as_the_first_revision_and_keeps_its_rows(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'hoso.db'}")
    load_dump(engine, "sqlite")
    assert revision(engine) is None
    engine.dispose()

    records = Records(f"sqlite:///{tmp_path / 'hoso.db'}")
    try:
        assert revision(records.engine) == HEAD
        assert schema_differences(records.engine) == []
        assert_old_rows_kept(records)
        (token,) = records.tokens_of("reviewer1")  # a token of before: it expires now, in 90 days
        assert token.expires_at is not None and 89 * 86400 < token.expires_at - time.time() <= 90 * 86400
    finally:
        records.close()


def test_a_database_made_before_migrations_short_of_a_table_and_an_index_is_completed(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'hoso.db'}")
    load_dump(engine, "sqlite")
    with engine.begin() as conn:  # as an older hoso left it: no watch folder yet, no sweeper index
        conn.exec_driver_sql("DROP TABLE watch_intake")
        conn.exec_driver_sql("DROP INDEX pages_by_state_and_age")
    upgrade(engine)
    assert revision(engine) == HEAD
    assert schema_differences(engine) == []
    engine.dispose()


def test_a_second_revision_reaches_a_database_in_use_and_keeps_its_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hoso.db'}"
    engine = sa.create_engine(url)
    load_dump(engine, "sqlite")
    engine.dispose()
    Records(url).close()  # a start of today's hoso: its HEAD

    engine = sa.create_engine(url)
    upgrade(engine, script_location=with_second_revision(tmp_path))
    assert revision(engine) == NEXT
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT code, channel FROM dossiers").all() == [(OLD_CODE, "counter")]
    assert "dossiers_by_channel" in {ix["name"] for ix in sa.inspect(engine).get_indexes("dossiers")}
    engine.dispose()
    records = Records(url)  # today's code on the newer database: already past its head, nothing is undone
    try:
        assert revision(records.engine) == NEXT
        assert_old_rows_kept(records)
    finally:
        records.close()


@pytest.mark.parametrize("database", ["at the newest revision", "new"])
def test_a_start_does_not_import_alembic(tmp_path: Path, database: str) -> None:
    url = f"sqlite:///{tmp_path / 'hoso.db'}"
    if database != "new":
        Records(url).close()
    probe = (
        "import sys; from workers.stores.records import Records; "
        f"Records({url!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_hoso_db_upgrade_upgrades_an_old_database_and_says_from_which_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workers.cli import main

    data = tmp_path / "data"
    data.mkdir()
    engine = sa.create_engine(f"sqlite:///{data / 'hoso.db'}")
    load_dump(engine, "sqlite")
    assert main(["db", "upgrade", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.strip() == f"record database at revision {HEAD} (was none)"
    assert revision(engine) == HEAD
    assert main(["db", "revision", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.strip() == f"{HEAD} (newest: {HEAD})"
    engine.dispose()
