"""Importing contact files: preview, plan (match against the database), apply.

The wizard works in three steps so the user decides before anything is written:
`preview` reads one file, `plan` reads every file and finds the people each record
may already be, `apply` writes the whole plan in one transaction — all of it or, on
cancel or error, nothing. The readers (crm.services.io.*) are imported when first
used, so this module loads without them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from crm.models import ImportMapping
from crm.services.common import (
    ChangeNotifier,
    NotFound,
    ServiceError,
    ValidationError,
    gc_paused,
)
from crm.services.database import Database
from crm.services.imports_clean import Cleaner, Prepared
from crm.services.imports_match import Match, Matcher, batch_matches
from crm.services.io.records import ContactRecord, NotAContactFile, ReadResult, Rejected

if TYPE_CHECKING:
    from crm.services.io.csv_read import CsvPreview

Format = Literal["auto", "vcard", "csv"]
Decision = Literal["merge", "skip", "add"]
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

SAMPLE_SIZE = 20
BUILTIN_MAPPINGS = ("google", "outlook")
CANCELLED = "Import cancelled; nothing was changed"
_STEP = 2000  # records between progress reports and cancel checks
_new = object.__new__


@dataclass(frozen=True)
class FilePreview:
    name: str
    format: str
    total: int
    sample: tuple[ContactRecord, ...]
    rejected: tuple[Rejected, ...]
    csv: CsvPreview | None = None


@dataclass(frozen=True)
class PlannedRecord:
    file: str
    record: ContactRecord
    matches: tuple[Match, ...] = ()
    # Cleaned once while planning and reused by apply (not part of equality).
    prepared: Prepared | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ImportPlan:
    items: tuple[PlannedRecord, ...] = ()
    rejected: tuple[tuple[str, Rejected], ...] = ()


@dataclass(frozen=True)
class ImportReport:
    added: int
    merged: int
    skipped: int
    rejected: tuple[tuple[str, Rejected], ...]
    person_ids: tuple[int, ...]


def read_file(
    path: str | Path,
    format: Format = "auto",
    mapping: Mapping[str, str] | None = None,
    *,
    sniff: bool = True,
) -> tuple[ReadResult, CsvPreview | None]:
    """(ReadResult, CsvPreview or None) for one file; NotAContactFile when unusable.
    sniff=False skips the CSV preview, which planning does not need (~30 ms at 100k rows)."""
    from crm.services.io.detect import describe, detect

    p = Path(path)
    name = p.name or str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise NotAContactFile(f"{p}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise NotAContactFile(f"{name}: the file is empty")
    kind: str | None = format
    if format == "auto":
        kind = detect(data, name)
        if kind not in ("vcard", "csv"):
            raise NotAContactFile(f"{name}: {describe(kind)}")  # type: ignore[arg-type]
    preview: CsvPreview | None = None
    try:
        if kind == "vcard":
            from crm.services.io.vcard_read import read_vcards

            result: ReadResult = read_vcards(data, name)
        elif kind == "csv":
            from crm.services.io.csv_read import read_csv, sniff_csv

            if sniff:
                preview = sniff_csv(data, name)
            result = read_csv(data, name, dict(mapping) if mapping else None)
        else:
            raise NotAContactFile(f"{name}: unknown format {format!r} (use vcard or csv)")
    except ServiceError:
        raise
    except Exception as exc:  # a reader's bug must not become a traceback for the user
        raise NotAContactFile(f"{name}: could not be read ({type(exc).__name__}: {exc})") from None
    if not result.records and not result.rejected:
        raise NotAContactFile(f"{name}: holds no contacts")
    return result, preview


class ImportService:
    def __init__(self, db: Database, notifier: ChangeNotifier, phone_region: str | None = None):
        self.db = db
        self.notifier = notifier
        self.phone_region = phone_region

    # ---- reading -----------------------------------------------------------------
    def preview(
        self,
        path: str | Path,
        format: Format = "auto",
        mapping: Mapping[str, str] | None = None,
    ) -> FilePreview:
        result, csv_preview = read_file(path, format, mapping)
        return FilePreview(
            name=result.name,
            format=result.format,
            total=len(result.records),
            sample=result.records[:SAMPLE_SIZE],
            rejected=result.rejected,
            csv=csv_preview,
        )

    def plan(
        self,
        paths: Sequence[str | Path],
        format: Format = "auto",
        mapping: Mapping[str, str] | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> ImportPlan:
        with gc_paused():
            return self._plan(paths, format, mapping, progress, cancelled)

    def _plan(
        self,
        paths: Sequence[str | Path],
        format: Format,
        mapping: Mapping[str, str] | None,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> ImportPlan:
        results = []
        for path in paths:
            if cancelled is not None and cancelled():
                raise ServiceError(CANCELLED)
            results.append(read_file(path, format, mapping, sniff=False)[0])
        matcher = Matcher(self.db)
        cleaner = Cleaner(self.phone_region)
        total = sum(len(r.records) for r in results)
        items: list[PlannedRecord] = []
        rejected: list[tuple[str, Rejected]] = []
        done = 0
        for result in results:
            rejected.extend((result.name, r) for r in result.rejected)
            for record in result.records:
                prep = cleaner.prepare(record)
                if isinstance(prep, str):
                    rejected.append((result.name, Rejected(record.line, prep)))
                else:
                    # Built without the frozen dataclass's per-field __setattr__ (one
                    # per row of a 100,000-row file); equal to the constructor's.
                    item = _new(PlannedRecord)
                    item.__dict__.update(
                        file=result.name,
                        record=record,
                        matches=matcher.matches(record, prep),
                        prepared=prep,
                    )
                    items.append(item)
                done += 1
                if done % _STEP == 0:
                    if cancelled is not None and cancelled():
                        raise ServiceError(CANCELLED)
                    if progress is not None:
                        progress(done, total)
        # The same person twice in this import (in one file or two): matched here,
        # after the people in Rapport, so that a merge goes to the person first.
        for index, earlier in batch_matches(items).items():
            item = items[index]
            item.__dict__["matches"] = item.matches + earlier
        if progress is not None:
            progress(total, total)
        return ImportPlan(tuple(items), tuple(rejected))

    # ---- writing -----------------------------------------------------------------
    def apply(
        self,
        plan: ImportPlan,
        decisions: Mapping[int, Decision] | None = None,
        default: Decision = "merge",
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        name_default: Decision = "add",
    ) -> ImportReport:
        """Write the plan. A matched record without a decision takes `default`, or
        `name_default` when it matches by name alone (same or similar name at the same
        organisation, no shared email, phone or UID): two people may share a name, so
        unless told otherwise such a record is added, never merged."""
        from crm.services import imports_apply

        decisions = decisions or {}
        for choice in (default, name_default, *decisions.values()):
            if choice not in ("merge", "skip", "add"):
                raise ValidationError({"decision": f"Unknown choice {choice!r}"})
        from sqlalchemy.orm import Session

        with gc_paused(), self.db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            try:
                with Session(bind=conn, expire_on_commit=False) as s, s.begin():
                    outcome = imports_apply.apply(
                        s,
                        plan,
                        decisions,
                        default,
                        name_default,
                        Cleaner(self.phone_region),
                        progress,
                        cancelled,
                    )
            finally:
                # A bulk load runs with foreign-key checks off (it checks the links
                # itself before committing); the pragma only takes effect outside a
                # transaction, so it is put back here, committed or rolled back. A
                # connection where that fails is not given back to the pool.
                try:
                    raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
                except sqlite3.Error:
                    conn.invalidate()
        report = ImportReport(
            added=outcome.added,
            merged=outcome.merged,
            skipped=outcome.skipped,
            rejected=plan.rejected,
            person_ids=outcome.person_ids,
        )
        if report.person_ids:
            self.notifier.emit("people", "tags", ids=report.person_ids)
        return report

    def import_files(
        self,
        paths: Sequence[str | Path],
        format: Format = "auto",
        mapping: Mapping[str, str] | None = None,
        on_duplicate: Decision = "merge",
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        on_similar_name: Decision = "add",
    ) -> ImportReport:
        """plan + apply, for `crm import`. Progress counts planning and writing alike."""

        def part(offset: int) -> ProgressFn | None:
            if progress is None:
                return None
            return lambda done, total: progress(offset * total + done, 2 * max(total, 1))

        # One GC pause over both steps, and the plan freed inside it: re-enabling the
        # collector between them (or before the plan is gone) makes it walk every
        # record of the plan once, ~0.3 s at 100,000 rows, for nothing (no cycles).
        with gc_paused():
            plan = self.plan(paths, format, mapping, part(0), cancelled)
            try:
                return self.apply(
                    plan, {}, on_duplicate, part(1), cancelled, name_default=on_similar_name
                )
            finally:
                del plan

    # ---- saved mappings --------------------------------------------------------------
    def save_mapping(self, name: str, columns: Mapping[str, str]) -> None:
        name = name.strip()
        if not name:
            raise ValidationError({"name": "A mapping needs a name."})
        if name.casefold() in BUILTIN_MAPPINGS:
            raise ValidationError({"name": f"“{name}” is a built-in layout; choose another name."})
        clean = {str(k): str(v) for k, v in columns.items() if str(v).strip()}
        known = _target_fields()
        if known is not None:
            unknown = sorted(
                {v for v in clean.values() if v not in known and not v.startswith("custom:")}
            )
            if unknown:
                raise ValidationError({"columns": f"Unknown field: {', '.join(unknown)}"})
        with self.db.session() as s:
            row = s.scalar(select(ImportMapping).where(ImportMapping.name == name))
            if row is None:
                s.add(ImportMapping(name=name, columns=clean))
            else:
                row.columns = clean
        self.notifier.emit("mappings")

    def mapping(self, name: str) -> dict[str, str]:
        if name.strip().casefold() in BUILTIN_MAPPINGS:
            return _builtin_layout(name.strip().casefold())
        with self.db.read() as s:
            row = s.scalar(select(ImportMapping).where(ImportMapping.name == name.strip()))
            if row is None:
                raise NotFound(f"No saved column mapping called “{name}”")
            return dict(row.columns)

    def mappings(self) -> list[str]:
        """Saved mappings by name (the built-in "google" and "outlook" are not listed)."""
        with self.db.read() as s:
            names = s.scalars(
                # Survey-result mappings (crm.services.feedback_import) share the table.
                select(ImportMapping.name).where(~ImportMapping.name.startswith("survey: "))
            )
            return sorted(names.all(), key=str.casefold)

    def delete_mapping(self, name: str) -> None:
        with self.db.session() as s:
            row = s.scalar(select(ImportMapping).where(ImportMapping.name == name.strip()))
            if row is None:
                raise NotFound(f"No saved column mapping called “{name}”")
            s.delete(row)
        self.notifier.emit("mappings")


def _target_fields() -> frozenset[str] | None:
    try:
        from crm.services.io.csv_read import TARGET_FIELDS
    except ImportError:
        return None
    return frozenset(TARGET_FIELDS)


def _builtin_layout(name: str) -> dict[str, str]:
    try:
        from crm.services.io import csv_read
    except ImportError:
        raise NotFound(f"The {name} layout is not available in this build") from None
    layouts: Any = getattr(csv_read, "LAYOUTS", {})
    layout = layouts.get(name)
    if layout is None:
        raise NotFound(f"The {name} layout is not available in this build")
    return dict(layout)
