"""The procedure a dossier is for (issue 17): its key, so that lists, exports and the portal can name it.

The procedure's definition as it applied when the dossier was received is kept in the dossier's meta beside it
(a province may change the list later; a dossier is judged by the list it was received under).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("procedure", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("dossiers", "procedure")
