"""Use cases, one service per area. No Qt: the GUI and the `crm` command share these."""

from __future__ import annotations

from dataclasses import dataclass

from crm.services.common import ChangeNotifier, Changes, NotFound, ServiceError, ValidationError
from crm.services.communities import CommunityService
from crm.services.database import Database, DatabaseError
from crm.services.duplicates import DuplicateService
from crm.services.exports import ExportService
from crm.services.fields import FieldService
from crm.services.imports import ImportService
from crm.services.interactions import InteractionService
from crm.services.people import PeopleService
from crm.services.search import SearchService
from crm.services.stats import StatsService
from crm.services.tags import TagService


@dataclass
class Services:
    """Everything the UI or the CLI may call, over one open database."""

    db: Database
    changes: ChangeNotifier
    people: PeopleService
    interactions: InteractionService
    communities: CommunityService
    tags: TagService
    fields: FieldService
    search: SearchService
    stats: StatsService
    imports: ImportService
    duplicates: DuplicateService
    exports: ExportService

    def close(self) -> None:
        self.db.close()


def open_services(url: str, *, create: bool = True, phone_region: str | None = None) -> Services:
    """Open (creating and migrating if needed) the database at url. Raises DatabaseError."""
    db = Database(url, create=create)
    notifier = ChangeNotifier()
    return Services(
        db=db,
        changes=notifier,
        people=PeopleService(db, notifier, phone_region),
        interactions=InteractionService(db, notifier),
        communities=CommunityService(db, notifier),
        tags=TagService(db, notifier),
        fields=FieldService(db, notifier),
        search=SearchService(db),
        stats=StatsService(db),
        imports=ImportService(db, notifier, phone_region),
        duplicates=DuplicateService(db, notifier),
        exports=ExportService(db, notifier),
    )


__all__ = [
    "ChangeNotifier",
    "Changes",
    "Database",
    "DatabaseError",
    "NotFound",
    "ServiceError",
    "Services",
    "ValidationError",
    "open_services",
]
