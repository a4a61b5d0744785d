"""Helpers shared by the service tests: quick ways to make people and read raw counts."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from crm.services import Changes, Database, Services
from crm.services.interactions import InteractionInput
from crm.services.people_data import PersonInput

MakePerson = Callable[..., int]


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly migrated database per run; each test gets a copy (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "rapport.sqlite"
    Database(f"sqlite:///{path}").close()  # closing checkpoints the WAL into the file
    return path


@pytest.fixture
def db_url(tmp_path: Path, _migrated_template: Path) -> str:
    """Overrides the root fixture: the same empty, current database, without the wait."""
    path = tmp_path / "rapport.sqlite"
    shutil.copyfile(_migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def make_person(services: Services) -> MakePerson:
    """make_person("Ada Lovelace", organisation="Analytical") -> id."""

    def make(name: str, **fields: object) -> int:
        return services.people.create(PersonInput(display_name=name, **fields))  # type: ignore[arg-type]

    return make


@pytest.fixture
def log_touch(services: Services) -> Callable[..., int]:
    """log_touch([ids], "summary", when) -> interaction id."""

    def log(
        people: list[int], summary: str, when: datetime, kind: str = "meeting", **extra: object
    ) -> int:
        return services.interactions.log(
            InteractionInput(
                kind=kind,
                occurred_at=when,
                participant_ids=tuple(people),
                summary=summary,
                **extra,  # type: ignore[arg-type]
            )
        )

    return log


@pytest.fixture
def changes(services: Services) -> list[Changes]:
    """Every change notice the services emit during the test, in order."""
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)
    return seen


def _count(services: Services, table: str) -> int:
    with services.db.read() as s:
        return int(s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# Every table a write can touch, to prove a refused write left nothing behind.
_TABLES = (
    "person",
    "email",
    "phone",
    "handle",
    "consent",
    "person_role",
    "person_tag",
    "tag",
    "relationship",
    "field_value",
    "field_def",
    "audit_log",
    "person_fts",
    "community",
    "community_fts",
    "membership",
    "interaction",
    "participant",
)


@pytest.fixture
def count_rows(services: Services) -> Callable[[str], int]:
    """count_rows("email") -> rows in that table now."""
    return lambda table: _count(services, table)


@pytest.fixture
def snapshot(services: Services) -> Callable[[], dict[str, int]]:
    """snapshot() -> row counts of every table; equal before and after = nothing written."""
    return lambda: {t: _count(services, t) for t in _TABLES}
