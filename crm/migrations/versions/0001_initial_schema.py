"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 09:20:01.878672
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "community",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_archived_at"), ["archived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_community_name"), ["name"], unique=False)

    op.create_table(
        "field_def",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_def")),
        sa.UniqueConstraint("entity", "name", name=op.f("uq_field_def_entity")),
    )
    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("sentiment", sa.SmallInteger(), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("given_name", sa.String(length=150), nullable=False),
        sa.Column("family_name", sa.String(length=150), nullable=False),
        sa.Column("pronouns", sa.String(length=40), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=120), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("next_follow_up", sa.Date(), nullable=True),
        sa.Column("last_interaction_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["referred_by_id"],
            ["person.id"],
            name=op.f("fk_person_referred_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        # Never reuse the id of a person deleted for good: audit entries name it.
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        # The People table's default order, read straight off this index (no sort step).
        batch_op.create_index(
            "ix_person_active_name",
            [sa.text("display_name COLLATE NOCASE")],
            unique=False,
            sqlite_where=sa.text("archived_at IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_person_last_interaction_at"), ["last_interaction_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_person_next_follow_up"), ["next_follow_up"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_organisation"), ["organisation"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_referred_by_id"), ["referred_by_id"], unique=False
        )

    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "consent",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consent_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "kind", name=op.f("pk_consent")),
    )
    op.create_table(
        "email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_email_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email")),
    )
    with op.batch_alter_table("email", schema=None) as batch_op:
        batch_op.create_index("ix_email_address_lower", ["address"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_person_id"), ["person_id"], unique=False)

    op.create_table(
        "field_value",
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("number", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["field_id"],
            ["field_def.id"],
            name=op.f("fk_field_value_field_id_field_def"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("field_id", "entity_id", name=op.f("pk_field_value")),
    )
    with op.batch_alter_table("field_value", schema=None) as batch_op:
        batch_op.create_index("ix_field_value_entity", ["entity_id"], unique=False)

    op.create_table(
        "handle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=40), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_handle_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handle")),
    )
    with op.batch_alter_table("handle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handle_person_id"), ["person_id"], unique=False)

    op.create_table(
        "membership",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_membership_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_membership_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "community_id", name=op.f("pk_membership")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(
            "ix_membership_community", ["community_id", "person_id"], unique=False
        )

    op.create_table(
        "participant",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_participant_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_participant_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "person_id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(
            "ix_participant_person", ["person_id", "interaction_id"], unique=False
        )

    op.create_table(
        "person_role",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_role_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "role", name=op.f("pk_person_role")),
    )
    with op.batch_alter_table("person_role", schema=None) as batch_op:
        batch_op.create_index("ix_person_role_role", ["role", "person_id"], unique=False)

    op.create_table(
        "person_tag",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_tag_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_person_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "tag_id", name=op.f("pk_person_tag")),
    )
    with op.batch_alter_table("person_tag", schema=None) as batch_op:
        batch_op.create_index("ix_person_tag_tag", ["tag_id", "person_id"], unique=False)

    op.create_table(
        "phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_phone_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone")),
    )
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_person_id"), ["person_id"], unique=False)

    op.create_table(
        "relationship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["person.id"],
            name=op.f("fk_relationship_other_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_relationship_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship")),
        sa.UniqueConstraint(
            "person_id", "other_id", "kind", name=op.f("uq_relationship_person_id")
        ),
    )
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relationship_other_id"), ["other_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relationship_person_id"), ["person_id"], unique=False)

    # Full-text search (FTS5). person_fts holds one document per person, rebuilt by
    # the search service on every write; interaction_fts mirrors interaction.summary
    # through triggers, so it can never drift.
    op.execute(
        "CREATE VIRTUAL TABLE person_fts USING fts5("
        "name, emails, organisation, handles, tags, notes, custom, "
        "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE community_fts USING fts5("
        "name, notes, website, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE interaction_fts USING fts5("
        "summary, content='interaction', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    op.execute(
        "CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN "
        "INSERT INTO interaction_fts(rowid, summary) VALUES (new.id, new.summary); END"
    )
    op.execute(
        "CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN "
        "INSERT INTO interaction_fts(interaction_fts, rowid, summary) "
        "VALUES ('delete', old.id, old.summary); END"
    )
    op.execute(
        "CREATE TRIGGER interaction_fts_au AFTER UPDATE OF summary ON interaction BEGIN "
        "INSERT INTO interaction_fts(interaction_fts, rowid, summary) "
        "VALUES ('delete', old.id, old.summary); "
        "INSERT INTO interaction_fts(rowid, summary) VALUES (new.id, new.summary); END"
    )


def downgrade() -> None:
    for name in ("interaction_fts_ai", "interaction_fts_ad", "interaction_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in ("person_fts", "community_fts", "interaction_fts"):
        op.execute(f"DROP TABLE IF EXISTS {name}")
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relationship_person_id"))
        batch_op.drop_index(batch_op.f("ix_relationship_other_id"))

    op.drop_table("relationship")
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_person_id"))

    op.drop_table("phone")
    with op.batch_alter_table("person_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_person_tag_tag")

    op.drop_table("person_tag")
    with op.batch_alter_table("person_role", schema=None) as batch_op:
        batch_op.drop_index("ix_person_role_role")

    op.drop_table("person_role")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_person")

    op.drop_table("participant")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index("ix_membership_community")

    op.drop_table("membership")
    with op.batch_alter_table("handle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handle_person_id"))

    op.drop_table("handle")
    with op.batch_alter_table("field_value", schema=None) as batch_op:
        batch_op.drop_index("ix_field_value_entity")

    op.drop_table("field_value")
    with op.batch_alter_table("email", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_person_id"))
        batch_op.drop_index("ix_email_address_lower")

    op.drop_table("email")
    op.drop_table("consent")
    op.drop_table("tag")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_referred_by_id"))
        batch_op.drop_index(batch_op.f("ix_person_organisation"))
        batch_op.drop_index(batch_op.f("ix_person_next_follow_up"))
        batch_op.drop_index(batch_op.f("ix_person_last_interaction_at"))
        batch_op.drop_index("ix_person_active_name")

    op.drop_table("person")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_occurred_at"))

    op.drop_table("interaction")
    op.drop_table("field_def")
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_name"))
        batch_op.drop_index(batch_op.f("ix_community_archived_at"))

    op.drop_table("community")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_log")
