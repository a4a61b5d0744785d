"""read_vcards: every card of a .vcf file (vCard 2.1, 3.0, 4.0) as ContactRecords.

The pipeline, and why each step exists:

1. decode_file: UTF-8 (BOM or not) first; otherwise each line in its declared CHARSET,
   UTF-8 or cp1252, so a Latin-1 or mixed file reads as its author saw it.
2. split_cards: cards by BEGIN/END (nested cards stay inside their parent, lines
   outside any card are reported as rejected with their line number).
3. Per card, the logical lines (folding, QP soft breaks and 2.1 base64 runs undone) go
   through vobject's content-line parser; if vobject refuses any line of the card, the
   whole card is read again by the plain fallback reader, which skips only the bad
   lines. vobject's Component layer is not used: it raises on nested cards and on
   2.1 files, and its value decoding cuts text at unescaped commas.
4. vcard_map turns the properties into a ContactRecord, or a Rejected when not even a
   name, email, phone or organisation is there.

Nothing here raises but NotAContactFile (the file has no card at all).
"""

from __future__ import annotations

from vobject.base import parseLine

from crm.services.io.records import ContactRecord, NotAContactFile, ReadResult, Rejected
from crm.services.io.vcard_fallback import read_props
from crm.services.io.vcard_map import to_record
from crm.services.io.vcard_normalise import (
    Card,
    decode_file,
    repair_line,
    split_cards,
)
from crm.services.io.vcard_values import Prop, make_params

__all__ = ["read_vcards"]


def _vobject_props(card: Card) -> list[Prop]:
    """Every logical line through vobject.base.parseLine; raises on the first it refuses."""
    props = []
    for number, line in card.lines:
        name, params, value, group = parseLine(line, number)
        props.append(
            Prop(number, group or "", name.upper(), make_params(params) if params else {}, value)
        )
    return props


def _read_card(card: Card) -> tuple[ContactRecord | Rejected, str | None]:
    warnings: list[str] = []
    version = None
    try:
        props = _vobject_props(card)
    except Exception as exc:  # vobject raises ParseError, VObjectError, ValueError …
        props, skipped = read_props(card.lines)
        first = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        warnings.append(f"line {card.line}: read without vobject ({first})")
        warnings.extend(skipped)
    if not card.closed:
        warnings.append(f"line {card.line}: the file ends before END:VCARD")
    for prop in props:
        if prop.name == "VERSION":
            version = prop.value.strip()
            break
    try:
        record = to_record(props, card.line, warnings)
    except Exception as exc:  # a last guard: one odd card never stops the file
        record = Rejected(card.line, f"could not be read ({type(exc).__name__}: {exc})")
    return record, version


def read_vcards(data: bytes, name: str) -> ReadResult:
    """All cards of one file; raises NotAContactFile when there is no card at all."""
    text, eight_bit, note = decode_file(data)
    if "BEGIN:VCARD" not in text.upper():
        raise NotAContactFile(f"{name}: not a vCard file (no BEGIN:VCARD)")
    if eight_bit:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        text = "\n".join(repair_line(line) for line in lines)
    cards, garbage = split_cards(text)
    if not cards:
        raise NotAContactFile(f"{name}: not a vCard file (no BEGIN:VCARD)")
    records: list[ContactRecord] = []
    rejected: list[Rejected] = [
        Rejected(g.line, f"not part of any card: “{g.text}”") for g in garbage
    ]
    versions: list[str] = []
    for card in cards:
        record, version = _read_card(card)
        if isinstance(record, Rejected):
            rejected.append(record)
        else:
            records.append(record)
        if version and version not in versions:
            versions.append(version)
    rejected.sort(key=lambda r: r.line)
    label = "vCard " + "/".join(versions) if versions else "vCard"
    return ReadResult(
        name=name,
        format=label,
        records=tuple(records),
        rejected=tuple(rejected),
        notes=(note,) if note else (),
    )
