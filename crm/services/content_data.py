"""What the content service takes and returns, and how it checks what it is given.

Kept apart from the service so the checks can be read (and tested) on their own: a
content item is refused whole, with one message per field, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit

from crm.models.engagement import CONTENT_KINDS, CONTENT_STATUSES

# Statuses that promise a publish date: a scheduled item is published on a day, a
# published one was.
NEEDS_PUBLISH_DATE = ("scheduled", "published")
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class ContentInput:
    title: str
    kind: str = "blog post"
    status: str = "idea"
    channel: str = ""
    owner: str = ""
    guest_author_id: int | None = None
    due_on: date | None = None
    publish_on: date | None = None
    url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ContentRow:
    id: int
    title: str
    kind: str
    status: str
    channel: str
    owner: str
    guest_author_id: int | None
    guest_author: str  # the person's display name, "" without one
    due_on: date | None
    publish_on: date | None
    url: str


@dataclass(frozen=True)
class ContentDetail:
    id: int
    title: str
    kind: str
    status: str
    channel: str
    owner: str
    guest_author_id: int | None
    guest_author: str
    due_on: date | None
    publish_on: date | None
    url: str
    notes: str
    created_at: datetime
    initiatives: tuple[tuple[int, str], ...]  # (id, title) of the initiatives it belongs to

    def to_input(self) -> ContentInput:
        return ContentInput(
            self.title,
            self.kind,
            self.status,
            self.channel,
            self.owner,
            self.guest_author_id,
            self.due_on,
            self.publish_on,
            self.url,
            self.notes,
        )


@dataclass(frozen=True)
class WeekEntry:
    """An item on the by-week calendar, on the day that places it there."""

    day: date
    what: str  # "due", "scheduled" or "published": which date this is
    id: int
    title: str
    kind: str
    status: str
    owner: str
    guest_author: str


@dataclass(frozen=True)
class DeletedContent:
    """Everything a deleted item was, so undo can put it back with the same id."""

    id: int
    data: ContentInput
    created_at: datetime
    initiative_ids: tuple[int, ...]


def calendar_day(status: str, due_on: date | None, publish_on: date | None) -> tuple[date, str]:
    """The day an item sits on in the calendar, and what that day is.

    Scheduled and published items sit on their publish date; everything still being
    written sits on its due date (or its planned publish date when it has no due date).
    """
    if status in NEEDS_PUBLISH_DATE and publish_on is not None:
        return publish_on, status
    if due_on is not None:
        return due_on, "due"
    assert publish_on is not None
    return publish_on, "planned"


def clean_url(raw: str) -> tuple[str, str | None]:
    """(url, error): a web address, with https:// added when no scheme was typed."""
    url = raw.strip()
    if not url:
        return "", None
    if "://" not in url and not url.lower().startswith(("mailto:", "javascript:", "data:")):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return url, "This is not a web address."
    if parts.scheme.lower() not in ("http", "https"):
        return url, "Only http:// and https:// addresses are accepted."
    if any(c.isspace() for c in url) or not host or ("." not in host and host != "localhost"):
        return url, "This is not a web address (e.g. https://blog.example.org/post)."
    if len(url) > 500:
        return url, "The address is longer than 500 characters."
    return url, None


def check(d: ContentInput, today: date) -> tuple[ContentInput, dict[str, str]]:
    """The input tidied (trimmed, URL completed) and the errors per field."""
    errors: dict[str, str] = {}
    title = " ".join(d.title.split())
    if not title:
        errors["title"] = "A content item needs a title."
    elif len(title) > 300:
        errors["title"] = "The title is longer than 300 characters."
    if d.kind not in CONTENT_KINDS:
        errors["kind"] = f"Unknown kind: {d.kind}"
    if d.status not in CONTENT_STATUSES:
        errors["status"] = f"Unknown status: {d.status}"
    channel, owner = d.channel.strip(), " ".join(d.owner.split())
    if len(channel) > 60:
        errors["channel"] = "The channel is longer than 60 characters."
    if len(owner) > 200:
        errors["owner"] = "The owner is longer than 200 characters."
    for key, day in (("due_on", d.due_on), ("publish_on", d.publish_on)):
        if day is not None and not EARLIEST <= day <= LATEST:
            errors[key] = f"Pick a date between {EARLIEST.year} and {LATEST.year}."
    if d.status in NEEDS_PUBLISH_DATE and d.publish_on is None and "publish_on" not in errors:
        errors["publish_on"] = f"A {d.status} item needs a publish date."
    if d.status == "published" and d.publish_on is not None and d.publish_on > today:
        errors["publish_on"] = (
            "A published item cannot have a publish date in the future; "
            "set it to scheduled instead."
        )
    url, url_error = clean_url(d.url)
    if url_error:
        errors["url"] = url_error
    tidy = replace(d, title=title, channel=channel, owner=owner, url=url, notes=d.notes.strip())
    return tidy, errors
