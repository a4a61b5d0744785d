"""What kind of file is this? vCard, CSV or iCalendar, decided by its content.

Extensions lie: phones save vCards as .txt, Outlook exports .CSV in UTF-16, and a
file dropped on the window may have no extension at all. So the first bytes decide;
the extension only breaks a tie (a one-column CSV has no delimiter to find).
"""

from __future__ import annotations

import codecs
from pathlib import PurePath
from typing import Literal

Kind = Literal["vcard", "csv", "ics"]

_SNIFF_BYTES = 64 * 1024
_CSV_EXTENSIONS = {".csv", ".tsv", ".txt"}
_VCARD_EXTENSIONS = {".vcf", ".vcard"}
_ICS_EXTENSIONS = {".ics", ".ical", ".ifb"}


def _text_head(data: bytes) -> str | None:
    """The start of the file as text, or None when it looks binary."""
    head = data[:_SNIFF_BYTES]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    # UTF-16 without a BOM: every other byte is zero in mostly-ASCII text.
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return head.decode("utf-16-le", errors="replace")
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return head.decode("utf-16-be", errors="replace")
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a character at the end of the sniffed part is fine.
        if exc.start < len(head) - 4:
            text = head.decode("cp1252", errors="replace")
        else:
            text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f\v")
    if controls > max(2, len(text) // 100):
        return None
    return text


def detect(data: bytes, name: str = "") -> Kind | None:
    """ "vcard", "csv", "ics", or None when the file is none of them."""
    text = _text_head(data)
    if text is None:
        return None
    stripped = text.lstrip().upper()
    if stripped.startswith("BEGIN:VCARD"):
        return "vcard"
    if stripped.startswith("BEGIN:VCALENDAR"):
        return "ics"
    suffix = PurePath(name).suffix.lower()
    if suffix in _VCARD_EXTENSIONS and "BEGIN:VCARD" in stripped:
        return "vcard"  # a preamble before the first card (some exporters write one)
    if suffix in _ICS_EXTENSIONS and "BEGIN:VCALENDAR" in stripped:
        return "ics"
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0]
    if any(sep in first for sep in (",", ";", "\t", "|")):
        return "csv"
    if suffix in _CSV_EXTENSIONS and len(first) <= 200:
        return "csv"  # one column: only the name says it is a table
    return None


def describe(kind: Kind | None) -> str:
    """For messages: why a file was refused."""
    if kind == "ics":
        return "a calendar file (iCalendar), not contacts"
    return "neither a vCard nor a CSV file"
