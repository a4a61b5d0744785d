"""Use cases, one service per area. No Qt: the GUI and the `crm` command share these.

Each service is built the first time it is used. Importing a service module imports the
ORM models (and with them `sqlalchemy.orm`, ≈ 0.14 s); the import, export and duplicate
services bring rapidfuzz, numpy, vobject and the CSV layouts too. The desktop app paints
its People table through `people_reads` (plain SQL over a Core connection) before any
of that is loaded; the rest loads on first use, right after the window is up.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

from crm.services.common import ChangeNotifier, Changes, NotFound, ServiceError, ValidationError
from crm.services.database import Database, DatabaseError

if TYPE_CHECKING:
    from crm.services.advocacy import AdvocacyService
    from crm.services.backup import BackupService
    from crm.services.calendar import CalendarService
    from crm.services.communities import CommunityService
    from crm.services.content import ContentService
    from crm.services.dept_tasks import DeptTaskService
    from crm.services.duplicates import DuplicateService
    from crm.services.event_plan import EventPlanService
    from crm.services.events import EventService
    from crm.services.exports import ExportService
    from crm.services.feedback import FeedbackService
    from crm.services.fields import FieldService
    from crm.services.goals import GoalService
    from crm.services.imports import ImportService
    from crm.services.initiatives import InitiativeService
    from crm.services.interactions import InteractionService
    from crm.services.invitations import InvitationService
    from crm.services.moderation import ModerationService
    from crm.services.outreach import OutreachService
    from crm.services.people import PeopleService
    from crm.services.people_query import PeopleReads
    from crm.services.reports import ReportService
    from crm.services.search import SearchService
    from crm.services.settings import SettingsService
    from crm.services.stats import StatsService
    from crm.services.tags import TagService

_build_lock = threading.Lock()  # tasks may touch a service first from a worker thread


class _OnFirstUse:
    """A Services attribute whose service class is imported and built on first access.

    `args` names the Services attributes passed to the constructor, in order. The built
    service replaces the descriptor in the instance's __dict__, so later reads are plain
    attribute reads.
    """

    def __init__(self, module: str, cls: str, *args: str) -> None:
        self.module, self.cls, self.args = module, cls, args

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Services | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        with _build_lock:
            if self.name not in obj.__dict__:
                cls = getattr(importlib.import_module(self.module), self.cls)
                obj.__dict__[self.name] = cls(*(getattr(obj, a) for a in self.args))
            return obj.__dict__[self.name]


class Services:
    """Everything the UI or the CLI may call, over one open database."""

    if TYPE_CHECKING:
        people: PeopleService
        people_reads: PeopleReads
        interactions: InteractionService
        communities: CommunityService
        tags: TagService
        fields: FieldService
        search: SearchService
        stats: StatsService
        imports: ImportService
        duplicates: DuplicateService
        exports: ExportService
        outreach: OutreachService
        calendar: CalendarService
        events: EventService
        event_plan: EventPlanService
        invitations: InvitationService
        settings: SettingsService
        content: ContentService
        goals: GoalService
        advocacy: AdvocacyService
        dept_tasks: DeptTaskService
        moderation: ModerationService
        feedback: FeedbackService
        initiatives: InitiativeService
        backups: BackupService
        reports: ReportService
    else:
        people = _OnFirstUse("crm.services.people", "PeopleService", "db", "changes", "region")
        people_reads = _OnFirstUse("crm.services.people_query", "PeopleReads", "db")
        interactions = _OnFirstUse(
            "crm.services.interactions", "InteractionService", "db", "changes"
        )
        communities = _OnFirstUse("crm.services.communities", "CommunityService", "db", "changes")
        tags = _OnFirstUse("crm.services.tags", "TagService", "db", "changes")
        fields = _OnFirstUse("crm.services.fields", "FieldService", "db", "changes")
        search = _OnFirstUse("crm.services.search", "SearchService", "db")
        stats = _OnFirstUse("crm.services.stats", "StatsService", "db")
        imports = _OnFirstUse("crm.services.imports", "ImportService", "db", "changes", "region")
        duplicates = _OnFirstUse("crm.services.duplicates", "DuplicateService", "db", "changes")
        exports = _OnFirstUse("crm.services.exports", "ExportService", "db", "changes")
        outreach = _OnFirstUse("crm.services.outreach", "OutreachService", "db", "changes")
        calendar = _OnFirstUse("crm.services.calendar", "CalendarService", "db", "changes")
        events = _OnFirstUse("crm.services.events", "EventService", "db", "changes")
        event_plan = _OnFirstUse("crm.services.event_plan", "EventPlanService", "db", "changes")
        invitations = _OnFirstUse("crm.services.invitations", "InvitationService", "db", "changes")
        settings = _OnFirstUse("crm.services.settings", "SettingsService", "db", "changes")
        content = _OnFirstUse("crm.services.content", "ContentService", "db", "changes")
        goals = _OnFirstUse("crm.services.goals", "GoalService", "db", "changes")
        advocacy = _OnFirstUse("crm.services.advocacy", "AdvocacyService", "db", "changes")
        dept_tasks = _OnFirstUse("crm.services.dept_tasks", "DeptTaskService", "db", "changes")
        moderation = _OnFirstUse("crm.services.moderation", "ModerationService", "db", "changes")
        feedback = _OnFirstUse("crm.services.feedback", "FeedbackService", "db", "changes")
        initiatives = _OnFirstUse("crm.services.initiatives", "InitiativeService", "db", "changes")
        backups = _OnFirstUse("crm.services.backup", "BackupService", "db", "changes")
        reports = _OnFirstUse("crm.services.reports", "ReportService", "db")

    def __init__(
        self, db: Database, changes: ChangeNotifier, phone_region: str | None = None
    ) -> None:
        self.db = db
        self.changes = changes
        self.region = phone_region  # the default country for phone numbers typed without +CC

    def close(self) -> None:
        self.db.close()


def open_services(url: str, *, create: bool = True, phone_region: str | None = None) -> Services:
    """Open (creating and migrating if needed) the database at url. Raises DatabaseError."""
    return Services(Database(url, create=create), ChangeNotifier(), phone_region)


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
