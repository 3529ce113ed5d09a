"""The trash: a dossier an admin deleted in the app is kept, hidden, for HOSO_DELETE_GRACE_DAYS (then removed for
good, as `hoso delete` does at once): when and by whom it was put there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("deleted_at", sa.Float, nullable=True))
        batch.add_column(sa.Column("deleted_by", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")
