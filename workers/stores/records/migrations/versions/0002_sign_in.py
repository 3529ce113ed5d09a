"""Sign-in that can be throttled, audited and ended: server-side sessions, failed sign-ins per account and per
address, the sign-in audit, an expiry on API tokens; and the audit of who read which dossier.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

API tokens made before this revision get an expiry 90 days after the upgrade (the default of new tokens), so
that no token lives forever and no integration stops on the day of the upgrade.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_EXISTING_TOKEN_DAYS = 90


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.Float, nullable=True))
    op.execute(
        sa.text("UPDATE api_tokens SET expires_at = :at").bindparams(at=time.time() + _EXISTING_TOKEN_DAYS * 86400)
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_sha256", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(100), sa.ForeignKey("users.name"), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("seen_at", sa.Float, nullable=False),
        sa.Column("ended_at", sa.Float, nullable=True),
    )
    op.create_index("ix_web_sessions_user_name", "web_sessions", ["user_name"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "login_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_index("ix_login_audit_at", "login_audit", ["at"])
    op.create_table(
        "read_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("what", sa.String(16), nullable=False),
        sa.Column("page", sa.Integer, nullable=True),
    )
    op.create_index("ix_read_audit_dossier_code", "read_audit", ["dossier_code"])


def downgrade() -> None:
    op.drop_index("ix_read_audit_dossier_code", "read_audit")
    op.drop_table("read_audit")
    op.drop_index("ix_login_audit_at", "login_audit")
    op.drop_table("login_audit")
    op.drop_table("login_failures")
    op.drop_index("ix_web_sessions_user_name", "web_sessions")
    op.drop_table("web_sessions")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
