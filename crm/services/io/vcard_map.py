"""From the properties of one card to a ContactRecord: Rapport's fields, and the rest in extra.

The rule is that nothing a person could read in the card is lost: what has a field in
Rapport goes there; everything else becomes an (label, value) pair in `extra`, which
the import service appends to the person's notes; what cannot be kept at all (a photo
that does not decode, a second photo) is named in `warnings`.
"""

from __future__ import annotations

import re

from crm.services.io.records import ContactRecord, Rejected
from crm.services.io.vcard_values import (
    Prop,
    binary,
    fields,
    listed,
    text,
    types_of,
)
from crm.services.people_data import EmailData, HandleData, PersonInput, PhoneData

# TYPE values → Rapport labels; "" means "says nothing a user cares about".
TYPE_LABELS = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "work": "work",
    "home": "home",
    "fax": "fax",
    "pager": "pager",
    "main": "main",
    "other": "other",
    "text": "text",
    "video": "video",
    "car": "car",
    "isdn": "isdn",
    "textphone": "textphone",
    "voice": "",
    "internet": "",
    "pref": "",
    "x400": "",
    "msg": "",
    "bbs": "",
    "modem": "",
    "dom": "",
    "intl": "",
    "postal": "",
    "parcel": "",
}
# IMPP URI schemes → network names, and X- properties that hold one handle each.
IMPP_SCHEMES = {
    "xmpp": "xmpp",
    "jabber": "xmpp",
    "sip": "sip",
    "skype": "skype",
    "aim": "aim",
    "ymsgr": "yahoo",
    "msnim": "msn",
    "icq": "icq",
    "gg": "gadugadu",
    "matrix": "matrix",
    "irc": "irc",
    "qq": "qq",
    "gtalk": "gtalk",
}
X_HANDLES = {
    "X-TWITTER": "twitter",
    "X-JABBER": "xmpp",
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-AIM": "aim",
    "X-ICQ": "icq",
    "X-MSN": "msn",
    "X-YAHOO": "yahoo",
    "X-GADUGADU": "gadugadu",
    "X-GOOGLE-TALK": "gtalk",
    "X-GTALK": "gtalk",
    "X-QQ": "qq",
    "X-MASTODON": "mastodon",
    "X-GITHUB": "github",
    "X-LINKEDIN": "linkedin",
    "X-FACEBOOK": "facebook",
    "X-INSTAGRAM": "instagram",
    "X-DISCORD": "discord",
    "X-TELEGRAM": "telegram",
    "X-SIGNAL": "signal",
    "X-MATRIX": "matrix",
    "X-BLUESKY": "bluesky",
    "X-WECHAT": "wechat",
}
# Bookkeeping of the writing program, not information about the person.
SKIP = {
    "VERSION",
    "PRODID",
    "REV",
    "UID",
    "X-ABLABEL",
    "X-ABUID",
    "X-ABSHOWAS",
    "X-ABADR",
    "KIND",
    "CLIENTPIDMAP",
    "PROFILE",
    "SORT-STRING",
    "X-RAPPORT-ROLES",
    "X-RAPPORT-BIO",
    "X-RAPPORT-FIELD",
    "END",
}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_BDAY = re.compile(r"(\d{4}|--)-?(\d\d)-?(\d\d)")


def _label(prop: Prop, group_labels: dict[str, str]) -> str:
    if prop.group and prop.group in group_labels:
        return group_labels[prop.group]
    words: list[str] = []
    for kind in types_of(prop):
        word = TYPE_LABELS.get(kind, kind.removeprefix("x-"))
        if word and word not in words:
            words.append(word)
    return " ".join(words)


def _apple_label(value: str) -> str:
    match = _APPLE_LABEL.fullmatch(value)
    return match.group(1).lower() if match else value


def _birthday(value: str) -> str:
    match = _BDAY.match(value.strip())
    if not match:
        return value
    year, month, day = match.groups()
    # 1604 is how Apple and CardBook write "no year" (a leap year before any real birth).
    return f"{year}-{month}-{day}" if year not in ("--", "1604") else f"--{month}-{day}"


def _address(parts: list[str]) -> str:
    """ADR's seven fields as a person would write them on an envelope."""
    parts = (parts + [""] * 7)[:7]
    box, extended, street, city, region, code, country = parts
    lines = [p.replace("\n", ", ") for p in (box, extended, street) if p]
    lines.append(" ".join(p for p in (code, city) if p))
    lines += [p for p in (region, country) if p]
    return ", ".join(line for line in lines if line)


def _handle(prop: Prop, value: str) -> HandleData | None:
    if prop.name == "IMPP":
        scheme, colon, rest = value.partition(":")
        service = (prop.params.get("X-SERVICE-TYPE") or [""])[0].strip().lower()
        if not colon:
            network = IMPP_SCHEMES.get(service, service) or "im"
            return HandleData(network, value) if value else None
        network = service or scheme.lower()
        network = IMPP_SCHEMES.get(network, network)
        return HandleData(network, rest.lstrip("/")) if rest else None
    if prop.name == "X-SOCIALPROFILE":
        kinds = [t for t in types_of(prop) if t != "pref"]
        raw_types = [t for raw in prop.params.get("TYPE", ()) for t in raw.split(",")]
        network = next((t for t in raw_types if t.lower() != "pref"), kinds[0] if kinds else "")
        user = (prop.params.get("X-USER") or [""])[0].strip()
        return HandleData(network or "web", user or value) if (user or value) else None
    network = X_HANDLES[prop.name]
    return HandleData(network, value) if value else None


def to_record(props: list[Prop], line: int, warnings: list[str]) -> ContactRecord | Rejected:
    """One card's properties → a record, or Rejected when nothing identifies a person."""
    group_labels = {
        p.group: _apple_label(text(p)) for p in props if p.name == "X-ABLABEL" and p.group
    }
    data: dict[str, object] = {}
    emails: list[EmailData] = []
    phones: list[PhoneData] = []
    handles: list[HandleData] = []
    im_handles: list[HandleData] = []
    custom: list[tuple[str, str]] = []
    tags: list[str] = []
    notes: list[str] = []
    extra: list[tuple[str, str]] = []
    uid = ""
    n_fields: list[str] = []
    fn = ""
    photo: bytes | None = None
    depth = 0  # inside a nested card (Lotus Notes AGENT)
    agent_name = ""
    for prop in props:
        name = prop.name
        if name == "BEGIN" or (name == "AGENT" and prop.value.strip().upper() == "BEGIN:VCARD"):
            depth += 1
            continue
        if depth:
            if name == "END":
                depth -= 1
                if depth == 0:
                    extra.append(("Agent", agent_name or "(a nested card)"))
                    agent_name = ""
            elif name == "FN" and not agent_name:
                agent_name = text(prop)
            continue
        if name in SKIP:
            if name == "UID":
                uid = text(prop)
            elif name == "X-RAPPORT-ROLES":
                data["roles"] = tuple(listed(prop))
            elif name == "X-RAPPORT-BIO":
                data["bio"] = text(prop)
            elif name == "X-RAPPORT-FIELD":
                field_name, field_value = [*fields(prop), ""][:2]
                if field_name and field_value:
                    custom.append((field_name, field_value))
            continue
        if name == "PHOTO":
            picture = binary(prop)
            if picture is not None and photo is None:
                photo = picture
            elif picture is not None:
                warnings.append(f"line {prop.line}: a second photo was not kept")
            elif prop.value.strip().lower().startswith(("http:", "https:")):
                extra.append(("Photo", prop.value.strip()))
            elif prop.value.strip():
                warnings.append(f"line {prop.line}: a photo that does not decode was not kept")
            continue
        if name in ("LOGO", "SOUND", "KEY"):
            if binary(prop) is not None:
                warnings.append(f"line {prop.line}: {name} data was not kept (no field for it)")
            elif prop.value.strip():
                extra.append((name.title(), text(prop)))
            continue
        if name == "N":
            n_fields = fields(prop)
            continue
        value = text(prop)
        if not value:
            continue
        if name == "FN":
            fn = fn or value
        elif name == "EMAIL":
            emails.append(EmailData(value, _label(prop, group_labels)))
        elif name == "TEL":
            phones.append(PhoneData(value, _label(prop, group_labels)))
        elif name == "ORG":
            org = [f for f in fields(prop) if f]
            if org and "organisation" not in data:
                data["organisation"] = org[0]
                if org[1:]:
                    extra.append(("Department", ", ".join(org[1:])))
            elif org:
                extra.append(("Organisation", ", ".join(org)))
        elif name == "TITLE":
            data.setdefault("title", value)
        elif name == "ROLE":  # a job ("Project Leader"), not a Rapport community role
            extra.append(("Role", value))
        elif name == "NOTE":
            notes.append(value)
        elif name == "CATEGORIES":
            tags.extend(t for t in listed(prop) if t not in tags)
        elif name == "ADR":
            parts = fields(prop)
            parts = (parts + [""] * 7)[:7]
            label = _label(prop, group_labels)
            has_more = any(parts[i] for i in (0, 1, 2, 4, 5))
            if "city" not in data and "country" not in data and (parts[3] or parts[6]):
                data["city"], data["country"] = parts[3], parts[6]
                if has_more:
                    extra.append((f"Address ({label})" if label else "Address", _address(parts)))
            elif any(parts):
                extra.append((f"Address ({label})" if label else "Address", _address(parts)))
        elif name == "LABEL":
            label = _label(prop, group_labels)
            extra.append((f"Address label ({label})" if label else "Address label", value))
        elif name in ("BDAY", "X-BIRTHDAY"):
            omit = (prop.params.get("X-APPLE-OMIT-YEAR") or [""])[0]
            if omit and value.startswith(omit):  # Apple's "no year": 1604-04-15
                value = "--" + value[len(omit) :].lstrip("-")
            extra.append(("Birthday", _birthday(value)))
        elif name == "ANNIVERSARY" or name == "X-ANNIVERSARY":
            extra.append(("Anniversary", _birthday(value)))
        elif name == "NICKNAME":
            extra.append(("Nickname", ", ".join(listed(prop))))
        elif name == "URL":
            label = _label(prop, group_labels)
            extra.append((f"URL ({label})" if label else "URL", value))
        elif name == "TZ":
            if ("/" in value and " " not in value) or value.upper() == "UTC":
                data.setdefault("time_zone", value)
            else:
                extra.append(("Time zone", value))
        elif name in ("PRONOUNS", "X-PRONOUNS"):
            data.setdefault("pronouns", value)
        elif name in ("IMPP", "X-SOCIALPROFILE") or name in X_HANDLES:
            handle = _handle(prop, value)
            if handle:  # profiles first: Rapport writes messengers as both, in order
                (handles if name == "X-SOCIALPROFILE" else im_handles).append(handle)
        else:
            extra.append((name, value))

    handles.extend(h for h in im_handles if h not in handles)
    handles = list(dict.fromkeys(handles))
    given = n_fields[1] if len(n_fields) > 1 else ""
    family = n_fields[0] if n_fields else ""
    display = fn
    if not display and n_fields:
        order = [n_fields[i] for i in (3, 1, 2, 0, 4) if i < len(n_fields)]
        display = " ".join(p for p in order if p)
    display = (
        display
        or str(data.get("organisation", ""))
        or (emails[0].address if emails else "")
        or (phones[0].number if phones else "")
        or (handles[0].handle if handles else "")
    )
    if not display:
        return Rejected(line, "a card without a name, email, phone, handle or organisation")
    bio = str(data.get("bio", ""))
    note = "\n\n".join(notes)
    if bio and note == bio:
        note = ""
    elif bio and note.startswith(bio + "\n\n"):  # Rapport writes NOTE as bio + notes
        note = note[len(bio) + 2 :]
    person = PersonInput(
        given_name=given,
        family_name=family,
        display_name=display,
        emails=tuple(emails),
        phones=tuple(phones),
        handles=tuple(handles),
        tags=tuple(tags),
        notes=note,
        photo=photo,
        **data,  # type: ignore[arg-type]
    )
    return ContactRecord(line, person, uid, tuple(extra), tuple(warnings), tuple(custom))
