"""Counts per table and a few headline figures, for `crm stats` and the status bar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from crm.services.database import Database

TABLES = (
    "person",
    "community",
    "membership",
    "interaction",
    "participant",
    "tag",
    "person_tag",
    "relationship",
    "field_def",
    "audit_log",
    "outreach",
    "outreach_move",
    # events (issue 4)
    "event",
    "agenda_item",
    "logistics_task",
    "invitation",
    "content_item",
    "goal",
    "survey",
    "feedback_response",
    "initiative",
    "initiative_participant",
)


class StatsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def counts(self) -> dict[str, int]:
        with self.db.read() as s:
            out = {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
            out["person_active"] = s.execute(
                text("SELECT count(*) FROM person WHERE archived_at IS NULL")
            ).scalar_one()
            out["person_archived"] = out["person"] - out["person_active"]
            out["people_touched_last_30_days"] = s.execute(
                text(
                    "SELECT count(*) FROM person WHERE archived_at IS NULL AND "
                    "last_interaction_at >= datetime('now', '-30 days')"
                )
            ).scalar_one()
            out["follow_ups_due"] = s.execute(
                text(
                    "SELECT count(*) FROM person WHERE archived_at IS NULL AND "
                    "next_follow_up <= :today"
                ),
                # The user's calendar day, not SQLite's UTC one: a follow-up is a local date.
                {"today": date.today().isoformat()},
            ).scalar_one()
            out["events_upcoming"] = s.execute(
                text(
                    "SELECT count(*) FROM event WHERE archived_at IS NULL "
                    "AND starts_utc >= datetime('now')"
                )
            ).scalar_one()
            _advocacy_counts(s, out)
        return out


def _advocacy_counts(s, out: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """Advocacy, department tasks and moderation: numbers only (never case text)."""
    one = lambda sql, **p: int(s.execute(text(sql), p).scalar_one())  # noqa: E731
    out["advocacy_note"] = one("SELECT count(*) FROM advocacy_note")
    out["advocacy_open"] = one(
        "SELECT count(*) FROM advocacy_note WHERE status NOT IN ('shipped', 'declined')"
    )
    out["advocacy_voice"] = one("SELECT count(*) FROM advocacy_voice")
    out["department_task"] = one("SELECT count(*) FROM department_task")
    out["department_tasks_overdue"] = one(
        "SELECT count(*) FROM department_task WHERE status != 'done' AND due_on < :today",
        today=date.today().isoformat(),
    )
    out["moderation_case"] = one("SELECT count(*) FROM moderation_case")
    out["moderation_open"] = one("SELECT count(*) FROM moderation_case WHERE status = 'open'")
