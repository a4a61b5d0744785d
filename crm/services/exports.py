"""Exporting contacts: vCard and CSV files, and consent-gated exports for partners.

A partner export is a promise to the people in it: only those with a current, granted
consent to partner sharing, only the fields chosen, and a record in the audit log of
what left the building (who for, how many, which fields, and the file's SHA-256).
So the people for a partner are read here from their contact fields alone — nothing
else about them (interactions, notes, moderation) is even loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from crm.models import AuditEntry
from crm.services import people_query
from crm.services.common import ChangeNotifier, NotFound, ServiceError, ValidationError, chunks
from crm.services.database import Database
from crm.services.io.atomic import write_atomic
from crm.services.people_data import (
    PeopleQuery,
    PersonDetail,
)

ExportFormat = Literal["vcard3", "vcard4", "csv", "csv-google", "csv-outlook"]
FORMATS: tuple[str, ...] = ("vcard3", "vcard4", "csv", "csv-google", "csv-outlook")
PARTNER_CONSENT = "partner sharing"
# The fields a partner may be given (PersonDetail names); notes never leave.
PARTNER_FIELDS = (
    "display_name",
    "given_name",
    "family_name",
    "pronouns",
    "organisation",
    "title",
    "city",
    "country",
    "time_zone",
    "bio",
    "emails",
    "phones",
    "handles",
    "photo",
)
ALIASES = {"name": "display_name", "email": "emails", "phone": "phones", "handle": "handles"}
_BLANK_TEXT = {f for f in PARTNER_FIELDS if f not in ("emails", "phones", "handles", "photo")}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int
    sha256: str


@dataclass(frozen=True)
class PartnerPreview:
    community: str
    included: tuple[tuple[int, str], ...]
    left_out: tuple[tuple[int, str, str], ...]  # (id, name, reason)


@dataclass(frozen=True)
class ExportLogEntry:
    id: int
    at: datetime
    action: str  # "export" or "partner export"
    community_id: int | None
    community: str
    count: int
    fields: tuple[str, ...]
    format: str
    file: str
    sha256: str

    @property
    def when(self) -> datetime:
        return self.at


def partner_fields(fields: Collection[str]) -> tuple[str, ...]:
    """The chosen fields in PARTNER_FIELDS order (then "handle:<network>" ones).

    Names as the CSV mapping uses them ("email", "handle:github", …) are accepted too;
    anything that is not a contact field (tags, roles, notes, consents …) is refused.
    """
    chosen: set[str] = set()
    unknown: list[str] = []
    for raw in fields:
        f = ALIASES.get(raw.strip(), raw.strip())
        if f in PARTNER_FIELDS or (f.startswith("handle:") and f.partition(":")[2]):
            chosen.add(f)
        elif f and f not in ("uid", "ignore"):  # the UID goes with every card anyway
            unknown.append(f)
    if unknown:
        raise ValidationError(
            {
                "fields": f"Not a contact field a partner can receive: {', '.join(unknown)} "
                f"(choose from {', '.join(PARTNER_FIELDS)})"
            }
        )
    if not chosen:
        raise ValidationError({"fields": "Choose at least one field to share."})
    return tuple(f for f in PARTNER_FIELDS if f in chosen) + tuple(
        sorted(f for f in chosen if f.startswith("handle:"))
    )


def render(people: Sequence[PersonDetail], format: str, fields: Sequence[str] | None) -> bytes:
    if format in ("vcard3", "vcard4"):
        from crm.services.io.vcard_write import write_vcards

        return write_vcards(people, "3.0" if format == "vcard3" else "4.0").encode("utf-8")
    if format in ("csv", "csv-google", "csv-outlook"):
        from crm.services.io.csv_write import write_csv

        layout = {"csv": "rapport", "csv-google": "google", "csv-outlook": "outlook"}[format]
        return write_csv(people, layout, list(fields) if fields else None).encode("utf-8")
    raise ValidationError({"format": f"Unknown format {format!r} (use {', '.join(FORMATS)})"})


class ExportService:
    def __init__(self, db: Database, notifier: ChangeNotifier) -> None:
        self.db = db
        self.notifier = notifier

    def selection_ids(
        self,
        role: str | None = None,
        tag: str | None = None,
        community_id: int | None = None,
        text: str = "",
        ids: Sequence[int] | None = None,
    ) -> list[int]:
        """People not in the Trash matching every filter given, in the People order."""
        with self.db.read() as s:
            found = people_query.query_ids(
                s, PeopleQuery(text=text, role=role, tag=tag, community_id=community_id)
            )
        if ids is None:
            return found
        keep = set(found)
        return [i for i in dict.fromkeys(ids) if i in keep]

    def export_contacts(
        self,
        ids: Sequence[int],
        format: ExportFormat,
        out: str | Path,
        fields: Collection[str] | None = None,
    ) -> ExportResult:
        if format not in FORMATS:
            raise ValidationError({"format": f"Unknown format {format!r}"})
        people = self._load(list(dict.fromkeys(ids)), full=True)
        data = render(people, format, list(fields) if fields else None)
        return self._write_logged(out, data, len(people), format, fields or (), None, "")

    # ---- partners ------------------------------------------------------------------
    def partner_preview(
        self, community_id: int, ids: Sequence[int] | None = None
    ) -> PartnerPreview:
        with self.db.read() as s:
            raw = s.connection().connection.driver_connection  # type: ignore[union-attr]
            found_name = raw.execute(
                "SELECT name FROM community WHERE id = ?", (community_id,)
            ).fetchone()
            if found_name is None:
                raise NotFound(f"No community with id {community_id}")
            if ids is None:
                ids = [
                    r[0]
                    for r in raw.execute(
                        "SELECT m.person_id FROM membership m JOIN person p ON p.id = m.person_id "
                        "WHERE m.community_id = ? ORDER BY p.display_name COLLATE NOCASE, p.id",
                        (community_id,),
                    )
                ]
            included: list[tuple[int, str]] = []
            left_out: list[tuple[int, str, str]] = []
            for part in chunks(list(dict.fromkeys(ids))):
                marks = ",".join("?" * len(part))
                found = {
                    r[0]: r[1:]
                    for r in raw.execute(
                        "SELECT p.id, p.display_name, p.archived_at, c.granted, c.recorded_on "
                        "FROM person p LEFT JOIN consent c ON c.person_id = p.id AND c.kind = ? "
                        f"WHERE p.id IN ({marks})",
                        (PARTNER_CONSENT, *part),
                    )
                }
                for pid in part:
                    if pid not in found:
                        continue
                    name, archived, granted, on = found[pid]
                    if archived is not None:
                        left_out.append((pid, name, "in the Trash"))
                    elif granted is None:
                        left_out.append((pid, name, "no consent to partner sharing"))
                    elif not granted:
                        left_out.append((pid, name, f"consent withdrawn on {str(on)[:10]}"))
                    else:
                        included.append((pid, name))
            return PartnerPreview(found_name[0], tuple(included), tuple(left_out))

    def partner_export(
        self,
        community_id: int,
        fields: Collection[str],
        format: ExportFormat,
        out: str | Path,
        ids: Sequence[int] | None = None,
    ) -> ExportResult:
        if format not in FORMATS:
            raise ValidationError({"format": f"Unknown format {format!r}"})
        chosen = partner_fields(fields)
        preview = self.partner_preview(community_id, ids)
        if not preview.included:
            raise ServiceError(
                f"Nobody to export for {preview.community}: none of the "
                f"{len(preview.left_out)} people has a current consent to partner sharing"
            )
        people = [_only(p, chosen) for p in self._load([i for i, _ in preview.included], False)]
        columns = ["uid", *(f for f in chosen if f != "photo")]
        data = render(people, format, columns)
        return self._write_logged(
            out, data, len(people), format, chosen, community_id, preview.community
        )

    def export_log(self, limit: int = 100) -> list[ExportLogEntry]:
        """Partner exports, newest first (plain exports are in the audit log as "export")."""
        with self.db.read() as s:
            entries = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "partner export")
                .order_by(AuditEntry.id.desc())
                .limit(limit)
            ).all()
            return [
                ExportLogEntry(
                    id=e.id,
                    at=e.at,
                    action=e.action,
                    community_id=e.entity_id,
                    community=str(e.detail.get("community", "")),
                    count=int(e.detail.get("count", 0)),
                    fields=tuple(e.detail.get("fields", ())),
                    format=str(e.detail.get("format", "")),
                    file=str(e.detail.get("file", "")),
                    sha256=str(e.detail.get("sha256", "")),
                )
                for e in entries
            ]

    # ---- helpers -------------------------------------------------------------------
    def _write_logged(
        self,
        out: str | Path,
        data: bytes,
        count: int,
        format: str,
        fields: Collection[str],
        community_id: int | None,
        community: str,
    ) -> ExportResult:
        """Write the file and its audit entry together: no logged export without a file,
        and a file whose entry could not be written is taken back."""
        path = Path(out)
        if not path.parent.is_dir():
            raise ServiceError(f"{path}: folder {path.parent} does not exist")
        digest = hashlib.sha256(data).hexdigest()
        existed = path.exists()
        with self.db.session() as s:
            s.add(
                AuditEntry(
                    action="partner export" if community_id is not None else "export",
                    entity="community" if community_id is not None else "person",
                    entity_id=community_id,
                    detail={
                        "community": community,
                        "count": count,
                        "fields": list(fields),
                        "format": format,
                        "file": path.name,
                        "path": str(path.resolve()),
                        "sha256": digest,
                    },
                )
            )
            s.flush()
            try:
                write_atomic(path, data)
            except OSError as exc:
                raise ServiceError(f"{path}: cannot be written ({exc.strerror or exc})") from None
            try:
                s.commit()
            except Exception:
                if not existed:
                    path.unlink(missing_ok=True)
                raise
        self.notifier.emit("exports")
        return ExportResult(path, count, digest)

    def _load(self, ids: list[int], full: bool) -> list[PersonDetail]:
        from crm.services.exports_people import load

        with self.db.read() as s:
            raw = s.connection().connection.driver_connection  # type: ignore[union-attr]
            return load(raw, ids, full)


def _only(p: PersonDetail, fields: Sequence[str]) -> PersonDetail:
    """The person with every field not chosen emptied (the UID always stays)."""
    blank: dict[str, object] = {f: "" for f in _BLANK_TEXT if f not in fields}
    for f in ("emails", "phones"):
        if f not in fields:
            blank[f] = ()
    if "handles" not in fields:
        networks = {f.partition(":")[2] for f in fields if f.startswith("handle:")}
        blank["handles"] = tuple(h for h in p.handles if h.network in networks)
    if "photo" not in fields:
        blank["photo"] = None
    return replace(p, **blank)  # type: ignore[arg-type]
