"""One CSV row → one ContactRecord, through a mapping compiled once per file.

Kept apart from csv_read (which finds the encoding, delimiter, header and rows) because
this is the per-row hot path: a 100,000-row import spends most of its time here, so
the mapping is turned into lists of column indexes before the first row is read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date

from crm.services.io.csv_layouts import (
    OUTLOOK_PLACEHOLDERS,
    TARGET_FIELDS,
    column_label,
    label_column,
)
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


def cell(v: str) -> str:
    """A cell's value: the formula guard undone, then the spaces around it dropped."""
    return (unescape(v) if v[:1] == "'" else v).strip()


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


def _google_label(v: str) -> str:
    return v.strip().lstrip("* ").strip().casefold()


_NOBODY = "no name, email, phone or organisation in this row"
_BLANK: tuple[str, ...] = ("",)  # a list cell of spaces only (compared by identity)

# Frozen dataclasses set each field through object.__setattr__, which costs more than
# reading the row: records are built by filling __dict__ instead. Same objects, equal
# to what the constructors give (test_csv_read checks it); neither class has a
# __post_init__ or validation to skip.
_new = object.__new__
_PERSON_DEFAULTS = {
    f.name: f.default
    for f in dataclasses.fields(PersonInput)
    if f.default is not dataclasses.MISSING
}


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
            if target not in TARGET_FIELDS and not target.startswith(("custom:", "handle:")):
                target = f"?{target}"  # reported below, kept as extra
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
                if target != "extra":
                    self.notes.append(f"“{target[1:]}” is not a field: column “{h}” kept in notes")
                self.extra.append(i)
        present = set(headers)
        absent = [h for h, t in mapping.items() if t != "ignore" and h not in present]
        if absent and layout is None:  # a saved mapping made for another file
            self.notes.append(f"no column{'s' if len(absent) > 1 else ''} {', '.join(absent)} here")
        self.single_one = [(t, cols[0]) for t, cols in self.singles.items() if len(cols) == 1]
        self.single_many = [(t, cols) for t, cols in self.singles.items() if len(cols) > 1]
        self.email_cols = [c for c, _label, _lc in self.emails]
        self.phone_cols = [c for c, _label, _lc in self.phones]
        self.handle_lists = self.lists["handles"]
        self.handle_cols = [c for c, _net in self.handles] + self.handle_lists
        self.consents = self.lists["consents"]
        self.list_cols = [(k, c) for k in ("tags", "roles") for c in self.lists[k]]
        # Cell → its tags or roles: a file repeats the same few lists on every row.
        self._lists: dict[tuple[str, str], tuple[str, ...]] = {}

    def record(self, line: int, row: list[str]) -> ContactRecord | str | None:
        """A ContactRecord, a reason to reject the row, or None for an empty row.

        The hot path of an import: every branch is skipped when its columns are empty.
        """
        n = self.n
        if len(row) < n:
            row = row + [""] * (n - len(row))
        headers = self.headers
        kw: dict[str, object] = {}
        extra: list[tuple[str, str]] = []
        warnings: list[str] = []
        for target, c in self.single_one:
            v = row[c]
            if v and (v := (unescape(v) if v[0] == "'" else v).strip()):
                kw[target] = v.replace("\r\n", "\n") if "\r" in v else v
        for target, cols in self.single_many:
            for c in cols:
                v = row[c]
                if not v or not (v := (unescape(v) if v[0] == "'" else v).strip()):
                    continue
                if "\r" in v:
                    v = v.replace("\r\n", "\n")
                if target not in kw:
                    kw[target] = v
                elif kw[target] != v:
                    extra.append((headers[c], v))
        for c in self.email_cols:
            if row[c]:
                if emails := self._values(row, self.emails, True, EmailData):
                    kw["emails"] = emails
                break
        for c in self.phone_cols:
            if row[c]:
                if phones := self._values(row, self.phones, False, PhoneData):
                    kw["phones"] = phones
                break
        for c in self.handle_cols:
            if row[c]:
                self._handles(row, kw, extra, warnings)
                break
        for key, c in self.list_cols:
            if v := row[c]:
                items = self._lists.get((key, v))
                if items is None:
                    items = self._list(key, v)
                if items is not _BLANK:
                    kw[key] = (*kw[key], *items) if key in kw else items  # type: ignore[misc]
        for c in self.consents:
            if row[c]:
                if consents := self._consents(row, extra, warnings):
                    kw["consents"] = consents
                break
        for c in self.follow_up:
            if (v := row[c]) and (v := cell(v)):
                try:
                    kw["next_follow_up"] = date.fromisoformat(v)
                except ValueError:
                    warnings.append(
                        f"next follow-up “{v}” is not a date (YYYY-MM-DD); kept in notes"
                    )
                    extra.append((headers[c], v))
        custom = (
            [(name, v) for c, name in self.custom if (v := row[c]) and (v := cell(v))]
            if self.custom
            else ()
        )
        skip = self.placeholders
        for c in self.extra:
            if (v := row[c]) and (v := cell(v)) and v not in skip:
                extra.append((headers[c], v))
        if len(row) > n:
            for k, v in enumerate(row[n:], start=n + 1):
                if v.strip():
                    extra.append((f"column {k}", v.strip()))
        uid = kw.pop("uid", "")
        if not kw:
            if not extra and not custom and not uid:
                return None
            return _NOBODY
        if not (
            "given_name" in kw
            or "family_name" in kw
            or "display_name" in kw
            or "emails" in kw
            or "phones" in kw
            or "organisation" in kw
        ):
            return _NOBODY
        person = _new(PersonInput)
        d = person.__dict__
        d.update(_PERSON_DEFAULTS)
        d["custom"] = {}
        d.update(kw)
        rec = _new(ContactRecord)
        rec.__dict__.update(
            line=line,
            person=person,
            uid=uid,
            extra=tuple(extra) if extra else (),
            warnings=tuple(warnings) if warnings else (),
            custom=tuple(custom) if custom else (),
        )
        return rec

    def _list(self, key: str, v: str) -> tuple[str, ...]:
        """A tags or roles cell as a tuple, or _BLANK for spaces only; remembered."""
        items: tuple[str, ...] = _BLANK
        if v.strip():
            parts = split_list(unescape(v))  # unstripped: a newline marks a list
            if self.google and key == "tags":
                parts = [t[2:] if t.startswith("* ") else t for t in parts]
                parts = [t for t in parts if t != "myContacts"]
            items = tuple(parts)
        if len(self._lists) < 10_000:  # a file of all-different lists: stop remembering
            self._lists[key, v] = items
        return items

    def _handles(
        self,
        row: list[str],
        kw: dict[str, object],
        extra: list[tuple[str, str]],
        warnings: list[str],
    ) -> None:
        handles: list[HandleData] = []
        for c, network in self.handles:
            if (v := row[c]) and (v := cell(v)):
                handles.append(HandleData(network, v))
        for c in self.handle_lists:
            for item in unescape(row[c]).strip().split("\n"):
                net, sep, handle = item.strip().partition(": ")
                if sep and net and handle.strip():
                    handles.append(HandleData(net.strip(), handle.strip()))
                elif item.strip():
                    warnings.append(f"“{item.strip()}” is not “network: handle”; kept in notes")
                    extra.append((self.headers[c], item.strip()))
        if handles:
            kw["handles"] = tuple(handles)

    def _values(self, row, specs, commas: bool, cls):  # type: ignore[no-untyped-def]
        out = []
        key = "address" if cls is EmailData else "number"
        for c, label, label_col in specs:
            v = row[c]
            if not v or not (v := cell(v)):
                continue
            if label_col is not None and row[label_col].strip():
                label = _google_label(row[label_col])
            if "\n" in v or ";" in v or " ::: " in v or (commas and "," in v):
                items = _split_values(v, commas)
            else:
                items = [v]
            for item in items:
                if ": " in item:
                    head, _sep, tail = item.rpartition(": ")
                    if "@" not in head and (head := head.strip()):
                        value, lab = tail.strip(), head
                    else:
                        value, lab = item, label
                else:
                    value, lab = item, label
                if value:
                    obj = _new(cls)
                    obj.__dict__.update({key: value, "label": lab})
                    out.append(obj)
        return tuple(out)

    def _consents(
        self, row: list[str], extra: list[tuple[str, str]], warnings: list[str]
    ) -> tuple[ConsentData, ...]:
        out: list[ConsentData] = []
        for c in self.consents:
            for item in unescape(row[c]).strip().split("\n"):
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
