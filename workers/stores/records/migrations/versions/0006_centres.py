"""Centres: each dossier records the service centre that received it, each user the centres they serve (none:
every centre, as before). Existing dossiers and users keep seeing and being seen as before (no centre).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("centres", sa.Text, nullable=False, server_default=""))
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("centre", sa.String(64), nullable=True))
    op.create_index("ix_dossiers_centre", "dossiers", ["centre"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_centre", "dossiers")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("centre")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("centres")
