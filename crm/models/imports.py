"""What contact imports and merges keep: saved column mappings and the merge journal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow


class ImportMapping(Base):
    """A CSV column mapping saved by name (e.g. "Meetup members"), reused on later imports."""

    __tablename__ = "import_mapping"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # CSV header → Rapport field (see crm.services.io for the field names).
    columns: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MergeRecord(Base):
    """One merge of two people, with what both were before, so it can be undone."""

    __tablename__ = "merge_journal"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kept_id: Mapped[int] = mapped_column(index=True)
    merged_id: Mapped[int] = mapped_column(index=True)
    # Snapshots of both people with every row that hangs off them (JSON).
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
