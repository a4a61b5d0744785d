"""A small index of the people in the Trash.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

The "members" goal counts the member roles off their covering index and subtracts
the members in the Trash; finding those few people took a scan of the whole person
table (≈ 8,000 pages at 100,000 people). Partial, so it holds only archived people:
a few hundred entries that cost nothing to keep. The Trash's own reads use it too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_archived", ["archived_at"], sqlite_where=sa.text("archived_at IS NOT NULL")
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_archived")
