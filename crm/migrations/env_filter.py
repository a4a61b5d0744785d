"""What Alembic's autogenerate compares: everything but the FTS5 tables."""

from __future__ import annotations

from typing import Any


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """FTS5 tables and their shadow tables are made by raw SQL, not by the models."""
    return not (type_ == "table" and name is not None and "_fts" in name)
