"""The outbox: every change of a dossier's status, written in the transaction that makes it, delivered to the
portal (workers/usecases/outbox.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(36), nullable=False, unique=True),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("centre", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("since", sa.Float, nullable=True),
        sa.Column("next_at", sa.Float, nullable=False),
        sa.Column("lease", sa.String(32), nullable=True),
        sa.Column("lease_until", sa.Float, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("delivered_at", sa.Float, nullable=True),
    )
    op.create_index("outbox_by_dossier", "outbox", ["dossier_code", "id"])
    op.create_index("outbox_by_state", "outbox", ["state", "next_at"])


def downgrade() -> None:
    op.drop_index("outbox_by_state", "outbox")
    op.drop_index("outbox_by_dossier", "outbox")
    op.drop_table("outbox")
