"""What a contact file reader hands to the import service, and how it reports trouble."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.services.common import ServiceError
from crm.services.people_data import PersonInput


class NotAContactFile(ServiceError):
    """The whole file is unusable (not a vCard/CSV, wrong encoding beyond repair …).

    The message names the file (and the line, when one is to blame) and says why.
    """


@dataclass(frozen=True)
class ContactRecord:
    """One contact read from a file, before it is matched against the database.

    `person` holds what lands in Rapport's own fields: names, organisation, title,
    city, country, emails, phones (as written in the file: the service normalises
    them), handles, tags, notes, photo. Everything without a field of its own is in
    `extra` as (label, value) pairs, and ends up in the person's notes, never dropped.
    """

    line: int  # first line of the record in its file, 1-based, for messages
    person: PersonInput
    uid: str = ""  # the card's UID: re-imports match on it and exports keep it
    extra: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()  # repaired on the way (e.g. "undecodable photo kept as text")
    # Custom field values by the field's name (Rapport CSV "custom:<name>" columns):
    # the import service resolves the names to field ids.
    custom: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rejected:
    """A record that could not be read at all, with where and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ReadResult:
    """Everything one reader got out of one file."""

    name: str  # the file name, for messages
    format: str  # e.g. "vCard 2.1", "vCard 3.0", "CSV (Google Contacts)", "CSV (mapped)"
    records: tuple[ContactRecord, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. "read as cp1252"
