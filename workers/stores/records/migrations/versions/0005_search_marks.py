"""Search ranks by the words as printed: the dossier's search text kept as printed (NFC)
beside the folded one the LIKE filter reads. The search rows are a cache: marked stale here, each is rebuilt by the
next search.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE dossier_search SET indexed_at = 0")  # each rebuilt by the next search, with its text
    with op.batch_alter_table("dossier_search") as batch:
        batch.add_column(sa.Column("text", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("dossier_search") as batch:
        batch.drop_column("text")
