"""Write people as CSV: Rapport's own layout, or Google's and Outlook's as they import them.

Rapport's layout keeps every field a person has in PersonInput, one column each
(lists one item a line in the cell), so read_csv gives the same people back. Google's
and Outlook's layouts carry what those programs have columns for; the rest goes into
their Notes (Outlook) or custom fields (Google), never silently dropped.

Formula guard (OWASP "CSV injection"): a cell that starts with = + - @ tab or CR is
run as a formula by Excel, LibreOffice and Google Sheets, so it gets a leading
apostrophe, which makes a spreadsheet show it as text. A cell already starting with
apostrophes before one of those gets one more, so read_csv can undo exactly one.

One exception, decided on purpose: a phone number in E.164 form (+ then digits only,
e.g. +493012345678) is written as it is. A formula of a sign and digits only can call
no function and reference no cell, so it cannot do harm; and Google and Outlook would
import the apostrophe literally into the number, breaking every phone of every export.
"""

from __future__ import annotations

import csv
import io
import operator
import re
from collections.abc import Callable, Collection, Iterable
from typing import Literal

from crm.services.common import ValidationError
from crm.services.io.csv_layouts import RAPPORT_COLUMNS
from crm.services.people_data import PersonDetail

_TRIGGERS = frozenset("=+-@\t\r")
_E164 = re.compile(r"\+[1-9]\d{1,14}")
_ALIASES = {
    "email": "emails",
    "phone": "phones",
    "handle": "handles",
    "tag": "tags",
    "role": "roles",
    "consent": "consents",
    "name": "display_name",
}


def guard(cell: str) -> str:
    """The cell as a spreadsheet will show it, never run it (see the module docstring)."""
    if not cell:
        return cell
    first = cell[0]
    if first == "'":
        rest = cell.lstrip("'")
        return "'" + cell if rest[:1] in _TRIGGERS and rest else cell
    if first in _TRIGGERS and not (first == "+" and _E164.fullmatch(cell)):
        return "'" + cell
    return cell


def _join(items: Iterable[str]) -> str:
    """One item a line; a lone item holding , or ; gets a newline so it is not split."""
    items = [
        i.replace("\r", " ").replace("\n", " ") if "\n" in i or "\r" in i else i for i in items
    ]
    text = "\n".join(items)
    if len(items) == 1 and (
        "," in text or ";" in text or " ::: " in text or text.startswith(("'", " "))
    ):
        text += "\n"
    return text


def _item(value: str, label: str) -> str:
    """ "label: value", read back by splitting at the last ": " (labels may hold one)."""
    if "\n" in value or ": " in value:
        value = value.replace("\n", " ").replace(": ", ":")
    if not label:
        return value
    return f"{label.replace(chr(10), ' ')}: {value}" if "\n" in label else f"{label}: {value}"


def _selected(fields: Collection[str] | None, custom_names: list[str]) -> tuple[set[str], set[str]]:
    """(Rapport columns, custom field names) that `fields` asks for; all when None."""
    if fields is None:
        return set(RAPPORT_COLUMNS), set(custom_names)
    cols: set[str] = set()
    customs: set[str] = set()
    unknown = []
    for f in fields:
        f = _ALIASES.get(f, f)
        if f in RAPPORT_COLUMNS:
            cols.add(f)
        elif f == "custom":
            customs.update(custom_names)
        elif f.startswith("custom:"):
            customs.add(f.partition(":")[2])
        elif f.startswith("handle:"):
            cols.add(f)
        elif f == "photo":
            continue  # a CSV has no place for a photo: vCard exports carry it
        else:
            unknown.append(f)
    if unknown:
        raise ValidationError(
            {"fields": f"unknown field(s) for a CSV export: {', '.join(unknown)}"}
        )
    return cols, customs


def _handles(p: PersonDetail, cols: set[str]) -> list[tuple[str, str]]:
    if "handles" in cols:
        return [(h.network, h.handle) for h in p.handles]
    return [(h.network, h.handle) for h in p.handles if f"handle:{h.network}" in cols]


def _has_handles(cols: set[str]) -> bool:
    return "handles" in cols or any(c.startswith("handle:") for c in cols)


def _rapport(people: list[PersonDetail], fields: Collection[str] | None) -> list[list[str]]:
    custom_names = list(dict.fromkeys(f.name for p in people for f in p.custom))
    cols, customs = _selected(fields, custom_names)
    header = [c for c in RAPPORT_COLUMNS if c in cols or (c == "handles" and _has_handles(cols))]
    header += [f"custom:{n}" for n in custom_names if n in customs]
    header += [f"custom:{n}" for n in sorted(customs - set(custom_names))]
    cells: dict[str, Callable[[PersonDetail], str]] = {
        "roles": lambda p: _join(p.roles),
        "tags": lambda p: _join(p.tags),
        "emails": lambda p: "\n".join(_item(e.address, e.label) for e in p.emails),
        "phones": lambda p: "\n".join(_item(t.number, t.label) for t in p.phones),
        "handles": lambda p: "\n".join(f"{n}: {h}" for n, h in _handles(p, cols)),
        "consents": lambda p: "\n".join(
            f"{c.kind}={'yes' if c.granted else 'no'}@{c.recorded_on.isoformat()}"
            + (f" ({c.source})" if c.source else "")
            for c in p.consents
        ),
        "next_follow_up": lambda p: p.next_follow_up.isoformat() if p.next_follow_up else "",
    }
    getters: list[Callable[[PersonDetail], str]] = []
    for h in header:
        if h.startswith("custom:"):
            getters.append(_custom_getter(h.partition(":")[2]))
        elif h in cells:
            getters.append(cells[h])
        else:
            getters.append(_attr_getter(h))
    rows = [header]
    rows.extend([g(p) for g in getters] for p in people)
    return rows


def _attr_getter(name: str) -> Callable[[PersonDetail], str]:
    return operator.attrgetter(name)  # every plain field of PersonDetail is a str


def _custom_getter(name: str) -> Callable[[PersonDetail], str]:
    return lambda p: next((f.value for f in p.custom if f.name == name), "")


def _names(p: PersonDetail, cols: set[str]) -> tuple[str, str]:
    """(first, last) of the chosen name fields; a display name alone goes in first."""
    given = p.given_name if "given_name" in cols else ""
    family = p.family_name if "family_name" in cols else ""
    if not (given or family) and "display_name" in cols:
        return p.display_name, ""
    return given, family


def _google(people: list[PersonDetail], fields: Collection[str] | None) -> list[list[str]]:
    cols, _customs = _selected(fields, [])
    want_handles = _has_handles(cols)
    named = bool(cols & {"display_name", "given_name", "family_name"})
    n_email = max((len(p.emails) for p in people), default=0) if "emails" in cols else 0
    n_phone = max((len(p.phones) for p in people), default=0) if "phones" in cols else 0
    others = [c for c in ("pronouns", "time_zone", "bio") if c in cols]
    n_custom = max((len(_google_custom(p, others, want_handles, cols)) for p in people), default=0)
    header: list[str] = []
    if named:
        header += ["First Name", "Last Name"]
    simple = [
        ("organisation", "Organization Name"),
        ("title", "Organization Title"),
        ("notes", "Notes"),
        ("tags", "Labels"),
    ]
    header += [h for c, h in simple if c in cols]
    for i in range(1, max(n_email, 1 if "emails" in cols else 0) + 1):
        header += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, max(n_phone, 1 if "phones" in cols else 0) + 1):
        header += [f"Phone {i} - Label", f"Phone {i} - Value"]
    address = [c for c in ("city", "country") if c in cols]
    if address:
        header += ["Address 1 - Label"] + [f"Address 1 - {c.title()}" for c in address]
    for i in range(1, n_custom + 1):
        header += [f"Custom Field {i} - Label", f"Custom Field {i} - Value"]
    rows = [header]
    for p in people:
        row: list[str] = list(_names(p, cols)) if named else []
        for c, _h in simple:
            if c in cols:
                row.append(" ::: ".join(p.tags) if c == "tags" else getattr(p, c))
        if "emails" in cols:
            row += _pairs([(e.label.title(), e.address) for e in p.emails], max(n_email, 1))
        if "phones" in cols:
            row += _pairs([(t.label.title(), t.number) for t in p.phones], max(n_phone, 1))
        if address:
            row += ["Work" if p.organisation else ""] + [getattr(p, c) for c in address]
        row += _pairs(_google_custom(p, others, want_handles, cols), n_custom)
        rows.append(row)
    return rows


_LABELS = {"pronouns": "Pronouns", "time_zone": "Time zone", "bio": "Bio"}


def _google_custom(
    p: PersonDetail, others: list[str], handles: bool, cols: set[str]
) -> list[tuple[str, str]]:
    out = [(_LABELS[c], getattr(p, c)) for c in others if getattr(p, c)]
    if handles:
        out += _handles(p, cols)
    return out


def _pairs(items: list[tuple[str, str]], n: int) -> list[str]:
    flat: list[str] = []
    for label, value in items[:n]:
        flat += [label, value]
    return flat + [""] * (2 * (n - len(items[:n])))


_OUTLOOK_PHONES = (
    ("Mobile Phone", ("mobile", "cell", "cellphone", "iphone")),
    ("Business Phone", ("work", "business", "office")),
    ("Business Phone 2", ("work", "business", "office")),
    ("Home Phone", ("home",)),
    ("Home Phone 2", ("home",)),
    ("Business Fax", ("work fax", "fax")),
    ("Other Phone", None),
)


def _outlook(people: list[PersonDetail], fields: Collection[str] | None) -> list[list[str]]:
    cols, _customs = _selected(fields, [])
    named = bool(cols & {"display_name", "given_name", "family_name"})
    simple = [
        ("organisation", "Company"),
        ("title", "Job Title"),
        ("city", "Business City"),
        ("country", "Business Country/Region"),
    ]
    header = ["First Name", "Last Name"] if named else []
    header += [h for c, h in simple if c in cols]
    if "emails" in cols:
        header += ["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"]
    if "phones" in cols:
        header += [h for h, _labels in _OUTLOOK_PHONES]
    if "tags" in cols:
        header.append("Categories")
    in_notes = [c for c in ("pronouns", "time_zone", "bio") if c in cols]
    want_handles = _has_handles(cols)
    has_notes = bool(in_notes) or want_handles or bool(cols & {"notes", "emails", "phones"})
    if has_notes:
        header.append("Notes")
    rows = [header]
    for p in people:
        row: list[str] = list(_names(p, cols)) if named else []
        row += [getattr(p, c) for c, _h in simple if c in cols]
        overflow: list[str] = []
        if "emails" in cols:
            row += [e.address for e in p.emails[:3]] + [""] * (3 - len(p.emails[:3]))
            overflow += [f"E-mail ({e.label or 'other'}): {e.address}" for e in p.emails[3:]]
        if "phones" in cols:
            slots, rest = _outlook_phones(p)
            row += slots
            overflow += [f"Phone ({t.label or 'other'}): {t.number}" for t in rest]
        if "tags" in cols:
            row.append(";".join(p.tags))
        if has_notes:
            notes = [p.notes] if "notes" in cols and p.notes else []
            notes += [f"{_LABELS[c]}: {getattr(p, c)}" for c in in_notes if getattr(p, c)]
            notes += [f"{n}: {h}" for n, h in _handles(p, cols)] if want_handles else []
            row.append("\n".join([*notes, *overflow]).replace("\n", "\r\n"))
        rows.append(row)
    return rows


def _outlook_phones(p: PersonDetail) -> tuple[list[str], list]:  # type: ignore[type-arg]
    slots = {h: "" for h, _labels in _OUTLOOK_PHONES}
    rest = []
    for t in p.phones:
        label = t.label.casefold()
        for h, labels in _OUTLOOK_PHONES:
            if not slots[h] and (labels is None or label in labels):
                slots[h] = t.number
                break
        else:
            rest.append(t)
    return list(slots.values()), rest


def write_csv(
    people: Iterable[PersonDetail],
    layout: Literal["rapport", "google", "outlook"],
    fields: Collection[str] | None = None,
) -> str:
    """The whole file as text; the caller encodes it as UTF-8 (write_atomic does).

    `fields` limits the columns to those Rapport fields (a partner export): names as in
    RAPPORT_COLUMNS ("emails" or "email", "phones", "handles" or "handle:<network>",
    "custom" or "custom:<name>" …). Outlook's text starts with a BOM, so the UTF-8 file
    it becomes is read as UTF-8 by Outlook and Excel rather than in the ANSI code page.
    """
    people = list(people)
    if layout == "rapport":
        rows = _rapport(people, fields)
    elif layout == "google":
        rows = _google(people, fields)
    elif layout == "outlook":
        rows = _outlook(people, fields)
    else:
        raise ValidationError({"layout": f"unknown CSV layout “{layout}”"})
    out = io.StringIO()
    if layout == "outlook":
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    triggers = _TRIGGERS | {"'"}
    writer.writerows([guard(c) if c and c[0] in triggers else c for c in row] for row in rows[1:])
    return out.getvalue()
