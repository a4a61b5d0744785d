"""One property of a card, however it was parsed, and the decoding of its value.

Both parsers (vobject's content-line parser and the plain fallback reader) produce a
Prop with the value still as written, so that one set of rules decodes it: vobject's own
value behaviours lose text (a NOTE is cut at its first unescaped comma, a data: URI
photo raises binascii.Error), so they are not used.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from typing import NamedTuple

_ESCAPES = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
# vCard 2.1 lets a parameter stand alone ("TEL;WORK;VOICE:"); these are not types.
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}


class Prop(NamedTuple):
    line: int
    group: str  # "" when none; Apple's item1, item2 …
    name: str  # upper case
    params: dict[str, list[str]]  # upper-case keys
    value: str  # as written (escapes, QP and base64 still in place)


def types_of(prop: Prop) -> list[str]:
    """TYPE values and 2.1 bare parameters, lower case, in order, without duplicates."""
    found: list[str] = []
    for raw in prop.params.get("TYPE", ()):
        for part in raw.split(","):
            part = part.strip().lower()
            if part and part not in found:
                found.append(part)
    return found


def make_params(pairs: list[list[str]]) -> dict[str, list[str]]:
    """vobject's parseParams output ([[name, value…], [bare]…]) as one dict."""
    params: dict[str, list[str]] = {}
    for pair in pairs:
        if len(pair) == 1:
            bare = pair[0].strip()
            upper = bare.upper()
            if upper in _ENCODINGS:
                params.setdefault("ENCODING", []).append(upper)
            elif upper.startswith("CHARSET"):
                params.setdefault("CHARSET", []).append(bare.partition("=")[2])
            elif bare:
                params.setdefault("TYPE", []).append(bare)
        else:
            params.setdefault(pair[0].upper(), []).extend(pair[1:])
    return params


def is_qp(prop: Prop) -> bool:
    return any(e.upper() == "QUOTED-PRINTABLE" for e in prop.params.get("ENCODING", ()))


def is_base64(prop: Prop) -> bool:
    return any(e.upper() in ("B", "BASE64") for e in prop.params.get("ENCODING", ()))


def decode_bytes(raw: bytes, prop: Prop) -> str:
    """Bytes of a QP value → text, in the declared charset, else UTF-8, else cp1252."""
    codecs = [c for c in prop.params.get("CHARSET", ()) if c]
    for codec in [*codecs, "utf-8", "cp1252"]:
        try:
            return raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")


def raw_text(prop: Prop) -> str:
    """The value with QUOTED-PRINTABLE undone but escapes still in place (for splitting)."""
    if is_qp(prop):
        return decode_bytes(quopri.decodestring(prop.value.encode("latin-1", "replace")), prop)
    return prop.value


def unescape(text: str) -> str:
    if "\r" in text:  # QP values carry the CRLF of the program that wrote them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\\" not in text:
        return text
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def split_escaped(text: str, sep: str) -> list[str]:
    """Split on sep where it is not backslash-escaped; the parts keep their escapes."""
    if "\\" not in text:
        return text.split(sep)
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(char)
            current.append(next(chars, ""))
        elif char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def text(prop: Prop) -> str:
    """A single text value, unescaped. Commas and semicolons are text here."""
    return unescape(raw_text(prop)).strip()


def fields(prop: Prop) -> list[str]:
    """A structured value (N, ADR, ORG, GENDER …): ';'-separated, each unescaped."""
    return [unescape(part).strip() for part in split_escaped(raw_text(prop), ";")]


def listed(prop: Prop) -> list[str]:
    """A list value (CATEGORIES, NICKNAME): ','-separated, each unescaped."""
    return [s for s in (unescape(p).strip() for p in split_escaped(raw_text(prop), ",")) if s]


def binary(prop: Prop) -> bytes | None:
    """A photo or logo: base64 (2.1 BASE64, 3.0 ENCODING=b) or a data: URI (4.0); else None.

    A URL to a picture elsewhere is not binary data: the caller keeps it as text.
    """
    value = prop.value.strip()
    try:
        if value[:5].lower() == "data:":
            meta, comma, payload = value.partition(",")
            if not comma:
                return None
            if meta.lower().endswith(";base64"):
                return base64.b64decode(_pad(payload), validate=False)
            return payload.encode()
        if is_base64(prop):
            return base64.b64decode(_pad(value), validate=False)
    except (binascii.Error, ValueError):
        return None
    return None


def _pad(data: str) -> str:
    data = "".join(data.split())
    return data + "=" * (-len(data) % 4)
