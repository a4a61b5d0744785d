"""Settings that travel with the database: the organiser of the community's events.

The organiser's name and email go into every calendar invitation (iCalendar
ORGANIZER), so they belong to the database, not to the machine's QSettings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from crm.models import Setting
from crm.services import validate
from crm.services.common import ChangeNotifier, ValidationError
from crm.services.database import Database

ORGANISER_NAME = "organiser_name"  # the only keys; crm.services.calendar reads them
ORGANISER_EMAIL = "organiser_email"


@dataclass(frozen=True)
class Organiser:
    name: str = ""
    email: str = ""

    @property
    def is_set(self) -> bool:
        return bool(self.email)


class SettingsService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    def get(self, key: str, default: str = "") -> str:
        with self.db.read() as s:
            value = s.execute(
                text("SELECT value FROM setting WHERE key = :k"), {"k": key}
            ).scalar_one_or_none()
        return default if value is None else str(value)

    def organiser(self) -> Organiser:
        return Organiser(self.get(ORGANISER_NAME), self.get(ORGANISER_EMAIL))

    def set_organiser(self, name: str, email: str) -> Organiser:
        """Save the organiser; the email is required and must be a valid address."""
        errors: dict[str, str] = {}
        clean_name = " ".join(name.split())
        if len(clean_name) > 200:
            errors["name"] = "Keep the name under 200 characters."
        address = email.strip()
        clean_email: str | None = None
        if not address:
            errors["email"] = "Calendar invitations need the organiser's email address."
        else:
            clean_email, problem = validate.email(address)
            if problem:
                errors["email"] = problem
        if errors:
            raise ValidationError(errors)
        with self.db.session() as s:
            s.merge(Setting(key=ORGANISER_NAME, value=clean_name))
            s.merge(Setting(key=ORGANISER_EMAIL, value=clean_email or ""))
        self.notifier.emit("settings")
        return Organiser(clean_name, clean_email or "")
