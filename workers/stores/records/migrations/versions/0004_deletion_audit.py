"""Real deletion: the audit of each deleted dossier (who, when, which code, counts) and the audit of its
corrections, kept without their values.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deletion_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("files", sa.Integer, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("objects", sa.Integer, nullable=False),
        sa.Column("originals_removed", sa.Integer, nullable=False),
        sa.Column("originals_kept", sa.Integer, nullable=False),
        sa.Column("corrections", sa.Integer, nullable=False),
    )
    op.create_index("ix_deletion_audit_dossier_code", "deletion_audit", ["dossier_code"])
    op.create_table(
        "deleted_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("deletion_id", sa.Integer, sa.ForeignKey("deletion_audit.id"), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("target", sa.String(32), nullable=False),
        sa.Column("document", sa.Integer, nullable=True),
        sa.Column("key", sa.String(64), nullable=True),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_deleted_corrections_deletion_id", "deleted_corrections", ["deletion_id"])


def downgrade() -> None:
    op.drop_index("ix_deleted_corrections_deletion_id", "deleted_corrections")
    op.drop_table("deleted_corrections")
    op.drop_index("ix_deletion_audit_dossier_code", "deletion_audit")
    op.drop_table("deletion_audit")
