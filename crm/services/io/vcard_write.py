"""write_vcards: people as vCard 3.0 or 4.0 text, serialised by vobject.

Each value is escaped here (text, list and structured values escape differently) and
handed to vobject as an already-encoded content line, because vobject's own behaviours
re-decode values when a line is added (a data: URI photo is cut at its comma). vobject
writes the properties, their parameters (quoting where needed) and CRLF line ends;
the folding at 75 octets is done here (see _fold).

Everything Rapport holds about a person that a vCard can carry is written, and always
the UID (CardDAV servers refuse cards without one; khard hides them). Fields with no
vCard property use X-RAPPORT-* properties so that read_vcards gives back the same
person, field for field.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterable
from typing import Literal

import vobject
from vobject.base import ContentLine

from crm.services.people_data import PersonDetail

__all__ = ["write_vcards"]

PRODID = "-//Rapport//Rapport contacts//EN"
# Labels that read back as themselves from a TYPE parameter (see vcard_map.TYPE_LABELS);
# any other label is written as an Apple item group with X-ABLabel.
_TYPE_WORDS = {
    "work": "work",
    "home": "home",
    "mobile": "cell",
    "fax": "fax",
    "pager": "pager",
    "main": "main",
    "other": "other",
    "text": "text",
    "video": "video",
    "car": "car",
    "isdn": "isdn",
    "textphone": "textphone",
}
# Networks written as IMPP URIs (scheme per network); the rest as X-SOCIALPROFILE.
_IMPP = {
    "xmpp": "xmpp",
    "sip": "sip",
    "skype": "skype",
    "aim": "aim",
    "yahoo": "ymsgr",
    "msn": "msnim",
    "icq": "icq",
    "gadugadu": "gg",
    "matrix": "matrix",
    "irc": "irc",
    "qq": "qq",
    "gtalk": "gtalk",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNFOLDED = 10**9  # lineLength for vobject: fold nothing (see _fold)
_PARAM_BAD = re.compile(r"[\";:,\x00-\x1f\x7f]")


def _clean(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def _esc(value: str) -> str:
    """A text value: backslash, newline, comma and semicolon escaped (RFC 6350 3.4)."""
    return (
        _clean(value)
        .replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"GIF8"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "jpeg"


class _Card:
    """Collects encoded content lines for one vobject component."""

    def __init__(self) -> None:
        self.component = vobject.vCard()
        self.groups = 0

    def add(self, name: str, value: str, params: list[list[str]] | None = None, group=None):
        line = ContentLine(name, params or [], value, group=group, encoded=True)
        self.component.contents.setdefault(name.lower(), []).append(line)

    def labelled(self, name: str, value: str, label: str, v4: bool) -> None:
        words = label.split()
        if all(w in _TYPE_WORDS for w in words):
            types = [_TYPE_WORDS[w] for w in words]
            params = [["TYPE", *(t if v4 else t.upper() for t in types)]] if types else []
            self.add(name, value, params)
            return
        self.groups += 1
        group = f"item{self.groups}"
        self.add(name, value, group=group)
        self.add("X-ABLABEL", _esc(label), group=group)


def _fold(line: str) -> str:
    """One line folded at 75 octets (RFC 6350 3.2), never inside a UTF-8 character.

    vobject folds by characters only when a line has 75 or more of them (a line of 40
    "é" is 80 octets and stays whole), and never folds PHOTO; it also folds one
    character at a time, which is most of its serialising time for photos. So vobject
    serialises unfolded and the lines are folded here, on bytes.
    """
    raw = line.encode()
    if len(raw) <= 75:
        return line
    pieces: list[bytes] = []
    start, limit = 0, 75
    while len(raw) - start > limit:
        end = start + limit
        while raw[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        pieces.append(raw[start:end])
        start, limit = end, 74  # continuation lines begin with a space
    pieces.append(raw[start:])
    return b"\r\n ".join(pieces).decode()


def _card(person: PersonDetail, v4: bool) -> str:
    card = _Card()
    card.add("VERSION", "4.0" if v4 else "3.0")
    card.add("PRODID", PRODID)
    uid = person.uid or str(uuid.uuid5(uuid.NAMESPACE_URL, f"rapport:person:{person.id}"))
    card.add("UID", _esc(uid))
    display = person.display_name or " ".join(
        p for p in (person.given_name, person.family_name) if p
    )
    card.add("FN", _esc(display))
    card.add("N", f"{_esc(person.family_name)};{_esc(person.given_name)};;;")
    if person.organisation:
        card.add("ORG", _esc(person.organisation))
    if person.title:
        card.add("TITLE", _esc(person.title))
    if person.roles:  # not ROLE: that is the job ("Project Leader"), not a community role
        card.add("X-RAPPORT-ROLES", ",".join(_esc(r) for r in person.roles))
    for email in person.emails:
        card.labelled("EMAIL", _esc(email.address), email.label, v4)
    for phone in person.phones:
        card.labelled("TEL", _esc(phone.number), phone.label, v4)
    if person.city or person.country:
        card.add("ADR", f";;;{_esc(person.city)};;;{_esc(person.country)}")
    if person.time_zone:
        card.add("TZ", _esc(person.time_zone), None if v4 else [["VALUE", "text"]])
    note = "\n\n".join(p for p in (person.bio, person.notes) if p)
    if note:
        card.add("NOTE", _esc(note))
    if person.bio:
        card.add("X-RAPPORT-BIO", _esc(person.bio))
    if person.tags:
        card.add("CATEGORIES", ",".join(_esc(t) for t in person.tags))
    if person.pronouns:
        card.add("X-PRONOUNS", _esc(person.pronouns))
        if v4:
            card.add("PRONOUNS", _esc(person.pronouns))  # RFC 9554
    for handle in person.handles:
        # X-SOCIALPROFILE for every handle keeps their order (vobject sorts properties
        # by name); messengers also get the IMPP that address books show.
        network = _PARAM_BAD.sub("-", handle.network) or "web"
        card.add("X-SOCIALPROFILE", _esc(handle.handle), [["TYPE", network]])
        scheme = _IMPP.get(handle.network.lower())
        if scheme:
            card.add("IMPP", f"{scheme}:{_esc(handle.handle)}")
    for value in person.custom:  # custom fields, by name: the import resolves the names
        if value.value:
            card.add("X-RAPPORT-FIELD", f"{_esc(value.name)};{_esc(value.value)}")
    if person.photo:
        kind = _image_type(person.photo)
        data = base64.b64encode(person.photo).decode("ascii")
        if v4:
            card.add("PHOTO", f"data:image/{kind};base64,{data}")
        else:
            card.add("PHOTO", data, [["ENCODING", "b"], ["TYPE", kind.upper()]])
    # Validation is vobject's check that FN and VERSION are there: both always are.
    text = card.component.serialize(lineLength=_UNFOLDED, validate=False)
    return "\r\n".join(map(_fold, text.split("\r\n")))


def write_vcards(people: Iterable[PersonDetail], version: Literal["3.0", "4.0"]) -> str:
    """All people as one .vcf text with CRLF line ends; version "3.0" or "4.0"."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version!r}")
    v4 = version == "4.0"
    return "".join(_card(person, v4) for person in people)
