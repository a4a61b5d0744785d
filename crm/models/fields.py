"""User-defined custom fields on people and communities."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base

FIELD_TYPES = ("text", "number", "date", "choice")
FIELD_ENTITIES = ("person", "community")


class FieldDef(Base):
    __tablename__ = "field_def"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(20))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    __table_args__ = (UniqueConstraint("entity", "name"),)


class FieldValue(Base):
    """One value; text holds text, choice and ISO dates, number holds numbers (for sorting)."""

    __tablename__ = "field_value"
    field_id: Mapped[int] = mapped_column(
        ForeignKey("field_def.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (Index("ix_field_value_entity", "entity_id"),)
