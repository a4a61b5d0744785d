"""Community operations: advocacy, department tasks, feedback, moderation,
initiatives, content calendar and goals.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advocacy_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ticket_url", sa.String(length=500), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_note")),
    )
    with op.batch_alter_table("advocacy_note", schema=None) as batch_op:
        batch_op.create_index("ix_advocacy_note_status", ["status", "department"], unique=False)
        batch_op.create_index("ix_advocacy_note_updated_at", ["updated_at"], unique=False)
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("metric", sa.String(length=60), nullable=False),
        sa.Column("baseline", sa.Double(), nullable=False),
        sa.Column("target", sa.Double(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    op.create_table(
        "initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("goal", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiative_starts_on"), ["starts_on"], unique=False)
    op.create_table(
        "advocacy_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["advocacy_note.id"],
            name=op.f("fk_advocacy_step_note_id_advocacy_note"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_step")),
    )
    with op.batch_alter_table("advocacy_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advocacy_step_note_id"), ["note_id"], unique=False)
    op.create_table(
        "advocacy_voice",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["advocacy_note.id"],
            name=op.f("fk_advocacy_voice_note_id_advocacy_note"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_advocacy_voice_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", "person_id", name=op.f("pk_advocacy_voice")),
    )
    with op.batch_alter_table("advocacy_voice", schema=None) as batch_op:
        batch_op.create_index("ix_advocacy_voice_person", ["person_id", "note_id"], unique=False)
    op.create_table(
        "content_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=60), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("guest_author_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("publish_on", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guest_author_id"],
            ["person.id"],
            name=op.f("fk_content_item_guest_author_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_item")),
    )
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_item_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_content_item_guest_author_id"), ["guest_author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_content_item_publish_on"), ["publish_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_content_item_status"), ["status"], unique=False)
    op.create_table(
        "initiative_participant",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_participant_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_initiative_participant_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "person_id", name=op.f("pk_initiative_participant")
        ),
    )
    with op.batch_alter_table("initiative_participant", schema=None) as batch_op:
        batch_op.create_index(
            "ix_initiative_participant_person", ["person_id", "initiative_id"], unique=False
        )
    op.create_table(
        "moderation_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("guideline", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["person.id"],
            name=op.f("fk_moderation_case_reporter_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["person.id"],
            name=op.f("fk_moderation_case_subject_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_case")),
    )
    with op.batch_alter_table("moderation_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_case_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderation_case_reporter_id"), ["reporter_id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_case_subject", ["subject_id", "occurred_on"], unique=False
        )
    op.create_table(
        "department_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_department_task_event_id_event"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["advocacy_note.id"],
            name=op.f("fk_department_task_note_id_advocacy_note"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department_task")),
    )
    with op.batch_alter_table("department_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_department_task_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_department_task_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_department_task_note_id"), ["note_id"], unique=False)
    op.create_table(
        "initiative_content",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["content_item.id"],
            name=op.f("fk_initiative_content_content_id_content_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_content_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", "content_id", name=op.f("pk_initiative_content")),
    )
    with op.batch_alter_table("initiative_content", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_content_content_id"), ["content_id"], unique=False
        )
    op.create_table(
        "initiative_event",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_initiative_event_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_event_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", "event_id", name=op.f("pk_initiative_event")),
    )
    with op.batch_alter_table("initiative_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_event_event_id"), ["event_id"], unique=False
        )
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_survey_event_id_event"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_event_id"), ["event_id"], unique=False)
    op.create_table(
        "feedback_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", sa.DateTime(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(length=500), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_feedback_response_event_id_event"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_feedback_response_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_feedback_response_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_response")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("feedback_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_response_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_response_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_response_responded_at"), ["responded_at"], unique=False
        )
        batch_op.create_index(
            "ix_feedback_response_survey", ["survey_id", "responded_at", "score"], unique=False
        )
        batch_op.create_index(
            "ix_feedback_response_survey_score", ["survey_id", "score"], unique=False
        )
    op.create_table(
        "survey_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_question_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_question")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("survey_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_question_survey_id"), ["survey_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_question_survey_id"))
    op.drop_table("survey_question")
    with op.batch_alter_table("feedback_response", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_response_survey_score")
        batch_op.drop_index("ix_feedback_response_survey")
        batch_op.drop_index(batch_op.f("ix_feedback_response_responded_at"))
        batch_op.drop_index(batch_op.f("ix_feedback_response_person_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_response_event_id"))
    op.drop_table("feedback_response")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_event_id"))
    op.drop_table("survey")
    with op.batch_alter_table("initiative_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_event_event_id"))
    op.drop_table("initiative_event")
    with op.batch_alter_table("initiative_content", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_content_content_id"))
    op.drop_table("initiative_content")
    with op.batch_alter_table("department_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_task_note_id"))
        batch_op.drop_index(batch_op.f("ix_department_task_event_id"))
        batch_op.drop_index(batch_op.f("ix_department_task_due_on"))
    op.drop_table("department_task")
    with op.batch_alter_table("moderation_case", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_case_subject")
        batch_op.drop_index(batch_op.f("ix_moderation_case_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_case_occurred_on"))
    op.drop_table("moderation_case")
    with op.batch_alter_table("initiative_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_initiative_participant_person")
    op.drop_table("initiative_participant")
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_item_status"))
        batch_op.drop_index(batch_op.f("ix_content_item_publish_on"))
        batch_op.drop_index(batch_op.f("ix_content_item_guest_author_id"))
        batch_op.drop_index(batch_op.f("ix_content_item_due_on"))
    op.drop_table("content_item")
    with op.batch_alter_table("advocacy_voice", schema=None) as batch_op:
        batch_op.drop_index("ix_advocacy_voice_person")
    op.drop_table("advocacy_voice")
    with op.batch_alter_table("advocacy_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advocacy_step_note_id"))
    op.drop_table("advocacy_step")
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_starts_on"))
    op.drop_table("initiative")
    op.drop_table("goal")
    with op.batch_alter_table("advocacy_note", schema=None) as batch_op:
        batch_op.drop_index("ix_advocacy_note_updated_at")
        batch_op.drop_index("ix_advocacy_note_status")
    op.drop_table("advocacy_note")
