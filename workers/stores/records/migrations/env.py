"""Alembic's environment: migrations run on the connection `workers.stores.records.migrate` hands over.

`alembic` on the command line is not needed (`hoso db upgrade`, or any start, upgrades); to write a new
revision: `alembic -c workers/stores/records/migrations/alembic.ini revision -m "what changes"`, then fill it in by hand
(or `--autogenerate` against a database at head) and raise `HEAD` in `workers/stores/records/migrate.py`.
"""

from __future__ import annotations

from alembic import context

from workers.stores.records.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # the alembic command line: a database URL in alembic.ini or -x url=...
    import sqlalchemy as sa

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = sa.create_engine(str(url))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    # render_as_batch: SQLite can only add columns in place; batch mode rebuilds its tables for the rest.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
