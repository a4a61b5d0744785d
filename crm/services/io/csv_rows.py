"""One CSV row → one ContactRecord, through a mapping compiled once per file.

Kept apart from csv_read (which finds the encoding, delimiter, header and rows) because
this is the per-row hot path: a 100,000-row import spends most of its time here, so
the mapping is turned into lists of column indexes before the first row is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from crm.services.io.csv_layouts import OUTLOOK_PLACEHOLDERS, column_label, label_column
from crm.services.io.records import ContactRecord
from crm.services.people_data import ConsentData, EmailData, HandleData, PersonInput, PhoneData

_SINGLE = (
    "given_name",
    "family_name",
    "display_name",
    "organisation",
    "title",
    "city",
    "country",
    "time_zone",
    "pronouns",
    "bio",
    "notes",
    "uid",
)
_FORMULA = "=+-@\t\r"
_CONSENT = re.compile(
    r"^(?P<kind>[^=]+)=(?P<granted>[^@]+)@(?P<on>\d{4}-\d\d-\d\d)(?: \((?P<src>.*)\))?$"
)
_YES = {"yes": True, "true": True, "1": True, "granted": True, "no": False, "false": False}
_YES |= {"0": False, "withdrawn": False, "refused": False}
_LIST_SPLIT = re.compile(r"[,;]")


def unescape(v: str) -> str:
    """Undo csv_write's formula guard: "'=SUM(A1)" reads back as "=SUM(A1)"."""
    if v[:1] != "'":
        return v
    rest = v.lstrip("'")
    return v[1:] if rest[:1] and rest[0] in _FORMULA else v


def split_list(v: str) -> list[str]:
    """Tags and roles: one a line (Rapport), " ::: " (Google), else , or ; (people)."""
    if "\n" in v:
        parts = v.split("\n")
    elif " ::: " in v:
        parts = v.split(" ::: ")
    else:
        parts = _LIST_SPLIT.split(v)
    return [p.strip() for p in parts if p.strip()]


def _split_values(v: str, commas: bool) -> list[str]:
    """Emails and phones: one a line, " ::: ", ";" (and "," for emails)."""
    if "\n" in v:
        parts = v.split("\n")
    elif " ::: " in v:
        parts = v.split(" ::: ")
    elif ";" in v or (commas and "," in v):
        parts = _LIST_SPLIT.split(v) if commas else v.split(";")
    else:
        return [v]
    return [p.strip() for p in parts if p.strip()]


def _labelled(item: str, label: str) -> tuple[str, str]:
    """ "work: a@b.org" → ("a@b.org", "work"); a bare value keeps the column's label."""
    head, sep, tail = item.rpartition(": ")
    if sep and head.strip() and "@" not in head:
        return tail.strip(), head.strip()
    return item, label


def _google_label(v: str) -> str:
    return v.strip().lstrip("* ").strip().casefold()


class RowPlan:
    """A mapping compiled once per file, so each row is a few list lookups."""

    def __init__(self, headers: list[str], mapping: Mapping[str, str], layout: str | None) -> None:
        self.headers = headers
        self.n = len(headers)
        self.notes: list[str] = []
        self.singles: dict[str, list[int]] = {}
        self.emails: list[tuple[int, str, int | None]] = []
        self.phones: list[tuple[int, str, int | None]] = []
        self.handles: list[tuple[int, str]] = []
        self.lists: dict[str, list[int]] = {"handles": [], "tags": [], "roles": [], "consents": []}
        self.follow_up: list[int] = []
        self.custom: list[tuple[int, str]] = []
        self.extra: list[int] = []
        self.placeholders = OUTLOOK_PLACEHOLDERS if layout == "outlook" else frozenset()
        self.google = layout == "google"
        for i, h in enumerate(headers):
            target = mapping.get(h) or (
                h if layout == "rapport" and h.startswith("custom:") else "extra"
            )
            if target in _SINGLE:
                self.singles.setdefault(target, []).append(i)
            elif target in ("email", "phone"):
                spec = (i, column_label(h, target), label_column(headers, i))
                (self.emails if target == "email" else self.phones).append(spec)
            elif target.startswith("handle:"):
                self.handles.append((i, target.partition(":")[2]))
            elif target in self.lists:
                self.lists[target].append(i)
            elif target == "next_follow_up":
                self.follow_up.append(i)
            elif target.startswith("custom:"):
                self.custom.append((i, target.partition(":")[2]))
            elif target != "ignore":
                self.extra.append(i)

    def record(self, line: int, row: list[str]) -> ContactRecord | str | None:
        """A ContactRecord, a reason to reject the row, or None for an empty row."""
        n = self.n
        if len(row) < n:
            row = row + [""] * (n - len(row))
        headers = self.headers
        kw: dict[str, object] = {}
        extra: list[tuple[str, str]] = []
        warnings: list[str] = []
        for target, cols in self.singles.items():
            for c in cols:
                v = row[c]
                if not v or not (v := v.strip()):
                    continue
                if v[0] == "'" and not (v := unescape(v).strip()):
                    continue
                if "\r" in v:
                    v = v.replace("\r\n", "\n")
                if target not in kw:
                    kw[target] = v
                elif kw[target] != v:
                    extra.append((headers[c], v))
        if self.emails:
            emails = self._values(row, self.emails, True, EmailData)
            if emails:
                kw["emails"] = emails
        if self.phones:
            phones = self._values(row, self.phones, False, PhoneData)
            if phones:
                kw["phones"] = phones
        handles: list[HandleData] = []
        for c, network in self.handles:
            if v := row[c].strip():
                handles.append(HandleData(network, unescape(v)))
        for c in self.lists["handles"]:
            for item in unescape(row[c].strip()).split("\n"):
                net, sep, handle = item.strip().partition(": ")
                if sep and net and handle.strip():
                    handles.append(HandleData(net.strip(), handle.strip()))
                elif item.strip():
                    warnings.append(f"“{item.strip()}” is not “network: handle”; kept in notes")
                    extra.append((headers[c], item.strip()))
        if handles:
            kw["handles"] = tuple(handles)
        for key in ("tags", "roles"):
            for c in self.lists[key]:
                if (v := row[c]).strip():
                    items = split_list(unescape(v))  # unstripped: a newline marks a list
                    if self.google and key == "tags":
                        items = [t[2:] if t.startswith("* ") else t for t in items]
                        items = [t for t in items if t != "myContacts"]
                    kw[key] = (*kw.get(key, ()), *items)  # type: ignore[misc]
        if self.lists["consents"]:
            kw_consents = self._consents(row, extra, warnings)
            if kw_consents:
                kw["consents"] = kw_consents
        for c in self.follow_up:
            if v := row[c].strip():
                try:
                    kw["next_follow_up"] = date.fromisoformat(unescape(v))
                except ValueError:
                    warnings.append(
                        f"next follow-up “{v}” is not a date (YYYY-MM-DD); kept in notes"
                    )
                    extra.append((headers[c], v))
        custom = [(name, unescape(v)) for c, name in self.custom if (v := row[c].strip())]
        skip = self.placeholders
        for c in self.extra:
            if (v := row[c].strip()) and v not in skip:
                extra.append((headers[c], unescape(v)))
        for k, v in enumerate(row[n:], start=n + 1):
            if v.strip():
                extra.append((f"column {k}", v.strip()))
        uid = kw.pop("uid", "")
        if not kw and not extra and not custom and not uid:
            return None
        if not (
            kw.get("given_name")
            or kw.get("family_name")
            or kw.get("display_name")
            or "emails" in kw
            or "phones" in kw
            or kw.get("organisation")
        ):
            return "no name, email, phone or organisation in this row"
        return ContactRecord(
            line=line,
            person=PersonInput(**kw),  # type: ignore[arg-type]
            uid=str(uid),
            extra=tuple(extra),
            warnings=tuple(warnings),
            custom=tuple(custom),
        )

    def _values(self, row: list[str], specs, commas: bool, cls):  # type: ignore[no-untyped-def]
        out = []
        for c, label, label_col in specs:
            v = row[c]
            if not v or not (v := v.strip()):
                continue
            if label_col is not None and row[label_col].strip():
                label = _google_label(row[label_col])
            if v[0] == "'":
                v = unescape(v)
            for item in _split_values(v, commas):
                value, lab = _labelled(item, label) if ": " in item else (item, label)
                if value:
                    out.append(cls(value, lab))
        return tuple(out)

    def _consents(
        self, row: list[str], extra: list[tuple[str, str]], warnings: list[str]
    ) -> tuple[ConsentData, ...]:
        out: list[ConsentData] = []
        for c in self.lists["consents"]:
            for item in unescape(row[c].strip()).split("\n"):
                if not (item := item.strip()):
                    continue
                m = _CONSENT.match(item)
                granted = _YES.get(m.group("granted").strip().casefold()) if m else None
                try:
                    on = date.fromisoformat(m.group("on")) if m else None
                except ValueError:
                    on = None
                if m is None or granted is None or on is None:
                    warnings.append(f"consent “{item}” is not “kind=yes@YYYY-MM-DD”; kept in notes")
                    extra.append((self.headers[c], item))
                    continue
                src = m.group("src") or ""
                out.append(ConsentData(m.group("kind").strip(), granted, on, src))
        return tuple(out)
