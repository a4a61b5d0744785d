"""Contact files: a stable UID on every person, saved CSV mappings, the merge journal.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm.models.people import UID_DEFAULT

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds a column with an expression default only by rebuilding the table,
    # which batch mode does; every existing person gets a fresh UID on the way.
    with op.batch_alter_table(
        "person", schema=None, recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(
            sa.Column(
                "uid", sa.String(length=200), nullable=False, server_default=sa.text(UID_DEFAULT)
            )
        )
        batch_op.create_unique_constraint(batch_op.f("uq_person_uid"), ["uid"])
    _restore_name_index()
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("name", name=op.f("uq_import_mapping_name")),
    )
    op.create_table(
        "merge_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_journal")),
    )
    with op.batch_alter_table("merge_journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_journal_kept_id"), ["kept_id"])
        batch_op.create_index(batch_op.f("ix_merge_journal_merged_id"), ["merged_id"])


def downgrade() -> None:
    op.drop_table("merge_journal")
    op.drop_table("import_mapping")
    with op.batch_alter_table(
        "person", schema=None, recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_person_uid"), type_="unique")
        batch_op.drop_column("uid")
    _restore_name_index()


def _restore_name_index() -> None:
    """Rebuilding the table reflects the expression index without its COLLATE NOCASE."""
    op.execute("DROP INDEX IF EXISTS ix_person_active_name")
    op.execute(
        "CREATE INDEX ix_person_active_name ON person (display_name COLLATE NOCASE) "
        "WHERE archived_at IS NULL"
    )
