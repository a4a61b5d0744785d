"""Turn the bytes of a .vcf file into cards of clean logical lines, before any parser sees them.

vobject trips over what real programs write (see /work/shared/corpora/NASTY_CASES.md):
QUOTED-PRINTABLE soft line breaks (the next line is not indented, so it looks like a new
property), a multibyte character split by such a break, 8-bit text in the file's own
charset, base64 photos whose continuation lines are not indented (vCard 2.1), nested
cards. Everything here is plain string work that repairs those shapes, so that the
parser downstream only ever sees one property per logical line.

The values themselves are decoded later (vcard_values), the same way for both parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
# A line of nothing but base64: the continuation of a vCard 2.1 photo.
_B64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_CHARSET = re.compile(r";\s*CHARSET=\"?([A-Za-z0-9_.:\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Card:
    """The logical lines of one card, each with the number of its first physical line."""

    line: int  # of BEGIN:VCARD, 1-based
    lines: tuple[tuple[int, str], ...]
    closed: bool  # False when the file ended before END:VCARD


@dataclass(frozen=True)
class Garbage:
    """Non-blank lines outside any card."""

    line: int
    text: str


def decode_file(data: bytes) -> tuple[str, bool, str | None]:
    """(text, eight_bit, note): UTF-8 (with or without BOM) first, then UTF-16, then bytes.

    When the file is not UTF-8 it is read as Latin-1 (every byte maps to one character,
    nothing is lost) and eight_bit is True: each line is then decoded on its own with its
    declared CHARSET, else UTF-8, else cp1252 (see repair_line). Files mixing a UTF-8
    body with one Windows-1252 line exist (Outlook), so the decision is per line.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), False, "read as UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), False, None
    except UnicodeDecodeError:
        pass
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a byte order mark
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "BEGIN:" in text.upper():
                return text, False, f"read as {codec.upper()}"
    return data.decode("latin-1"), True, "not UTF-8: lines read in their declared charset or cp1252"


def repair_line(line: str) -> str:
    """Re-decode one line of an 8-bit file (held as Latin-1) in its real charset."""
    raw = line.encode("latin-1")
    if raw.isascii():
        return line
    match = _CHARSET.search(line.split(":", 1)[0])
    codecs = [match.group(1)] if match else []
    for codec in [*codecs, "utf-8", "cp1252"]:
        try:
            return raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return line  # Latin-1 as it was: every byte is a character


def split_cards(text: str) -> tuple[list[Card], list[Garbage]]:
    """Cards (nested ones stay inside their parent) and the junk lines between them."""
    # Only CR and LF end lines: str.splitlines would also split at U+2028, NEL, \x0c …,
    # which are text inside a value.
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cards: list[Card] = []
    garbage: list[Garbage] = []
    depth = 0
    start = 0
    body: list[str] = []
    junk_start = 0
    junk: list[str] = []
    for index, line in enumerate(physical):
        head = line.lstrip().upper()
        if head.rstrip() == _BEGIN or (
            depth and head.rstrip().endswith(":" + _BEGIN)  # AGENT:BEGIN:VCARD (2.1 agent)
        ):
            if depth == 0:
                if junk:
                    garbage.append(Garbage(junk_start + 1, " ".join(junk)[:80]))
                    junk = []
                start = index
                body = []
            else:
                body.append(line)
            depth += 1
            continue
        if depth == 0:
            if line.strip():
                if not junk:
                    junk_start = index
                junk.append(line.strip())
            continue
        if head.rstrip() == _END:
            depth -= 1
            if depth == 0:
                cards.append(Card(start + 1, _logical(body, start + 2), True))
                continue
        body.append(line)
    if depth:
        cards.append(Card(start + 1, _logical(body, start + 2), False))
    if junk:
        garbage.append(Garbage(junk_start + 1, " ".join(junk)[:80]))
    return cards, garbage


def _is_qp(line: str) -> bool:
    colon = line.find(":")
    return colon > 0 and "QUOTED-PRINTABLE" in line[:colon].upper()


def _is_base64(line: str) -> bool:
    colon = line.find(":")
    if colon <= 0:
        return False
    head = line[:colon].upper()
    return "BASE64" in head or "ENCODING=B" in head


def _logical(body: list[str], first: int) -> tuple[tuple[int, str], ...]:
    """Unfold: indented continuations, QP soft breaks, unindented base64 runs."""
    out: list[tuple[int, str]] = []
    joined = "\n".join(body)
    plain = "QUOTED-PRINTABLE" not in joined.upper() and "BASE64" not in joined.upper()
    if plain:  # the common case (vCard 3.0/4.0): folding only
        for offset, line in enumerate(body):
            if not line:
                continue
            if line[0] in " \t" and out:
                number, text = out[-1]
                out[-1] = (number, text + line[1:])
            elif line.strip():
                out.append((first + offset, line))
        return tuple(out)

    index = 0
    base64_open = False
    while index < len(body):
        line = body[index]
        number = first + index
        index += 1
        if not line.strip():
            base64_open = False  # a blank line ends a 2.1 base64 value
            continue
        if out and line[0] in " \t":
            last_number, text = out[-1]
            out[-1] = (last_number, text + (line.strip() if base64_open else line[1:]))
            continue
        if base64_open and _B64_LINE.fullmatch(line.strip()):
            last_number, text = out[-1]
            out[-1] = (last_number, text + line.strip())
            continue
        base64_open = False
        if _is_qp(line):
            # A soft break: "=" at the end, and the value goes on in the next line, which
            # may begin with anything (even a space that belongs to the text).
            while line.endswith("=") and index < len(body):
                line = line[:-1] + body[index]
                index += 1
        elif _is_base64(line):
            base64_open = True
        out.append((number, line))
    return tuple(out)
