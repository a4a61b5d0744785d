"""Which column of a contacts CSV holds which Rapport field.

Three layouts are known by their header rows — Google Contacts (the old "Name, Given
Name, … Group Membership" export and the 2020+ "First Name, … Labels" one), Outlook
(English and the localised labels Outlook writes in de/fr/es/it/pl) and Rapport's own —
and every other CSV (Meetup, Eventbrite, Luma, Discourse, a spreadsheet) gets a best
guess by header name, which the user corrects in the mapping step. A mapping is a plain
dict header → target field, so it can be saved and reused by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

HANDLE_NETWORKS: dict[str, str] = {
    "github": "GitHub",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "x": "X (Twitter)",
    "bluesky": "Bluesky",
    "discord": "Discord",
    "instagram": "Instagram",
    "telegram": "Telegram",
    "youtube": "YouTube",
    "matrix": "Matrix",
}

# Rapport field → label in the mapping step. "extra" keeps the cell in the person's
# notes under its column's header; "ignore" drops the column.
TARGET_FIELDS: dict[str, str] = {
    "given_name": "First name",
    "family_name": "Last name",
    "display_name": "Full name",
    "organisation": "Organisation",
    "title": "Job title",
    "city": "City",
    "country": "Country",
    "time_zone": "Time zone",
    "pronouns": "Pronouns",
    "email": "Email",
    "phone": "Phone",
    **{f"handle:{k}": v for k, v in HANDLE_NETWORKS.items()},
    "handles": "Social handles (one “network: handle” a line)",
    "tags": "Tags",
    "roles": "Roles",
    "consents": "Consents (“kind=yes@date”)",
    "next_follow_up": "Next follow-up (YYYY-MM-DD)",
    "notes": "Notes",
    "bio": "Bio",
    "uid": "UID",
    "extra": "Keep in notes",
    "ignore": "Ignore",
}
# Besides these, "custom:<field name>" fills the custom field of that name.

# Rapport's own layout: these headers, then one "custom:<name>" column per custom field.
RAPPORT_COLUMNS: tuple[str, ...] = (
    "uid",
    "display_name",
    "given_name",
    "family_name",
    "pronouns",
    "organisation",
    "title",
    "city",
    "country",
    "time_zone",
    "roles",
    "emails",
    "phones",
    "handles",
    "tags",
    "consents",
    "next_follow_up",
    "bio",
    "notes",
)
_RAPPORT_TARGET = {"emails": "email", "phones": "phone"}

_PAIR = re.compile(r"^(E-mail|Phone) (\d+) - (Type|Label|Value)$")

_GOOGLE_FIXED = {
    "Name": "display_name",
    "Given Name": "given_name",
    "Family Name": "family_name",
    "First Name": "given_name",
    "Last Name": "family_name",
    "Organization 1 - Name": "organisation",
    "Organization 1 - Title": "title",
    "Organization Name": "organisation",
    "Organization Title": "title",
    "Address 1 - City": "city",
    "Address 1 - Country": "country",
    "Notes": "notes",
    "Group Membership": "tags",
    "Labels": "tags",
    # "Home"/"Work" of the address whose city and country are read: not worth a note.
    "Address 1 - Type": "ignore",
    "Address 1 - Label": "ignore",
}

# Outlook header → (target, label). Localised names are those Outlook writes in
# German, French, Spanish, Italian and Polish (csv/headers/ in the shared corpora).
_OUTLOOK: dict[str, tuple[str, str]] = {
    "First Name": ("given_name", ""),
    "Last Name": ("family_name", ""),
    "Company": ("organisation", ""),
    "Job Title": ("title", ""),
    "Business City": ("city", ""),
    "Home City": ("city", ""),
    "Other City": ("city", ""),
    "Business Country/Region": ("country", ""),
    "Business Country": ("country", ""),
    "Home Country/Region": ("country", ""),
    "Home Country": ("country", ""),
    "Other Country/Region": ("country", ""),
    "Other Country": ("country", ""),
    "E-mail Address": ("email", ""),
    "E-mail 2 Address": ("email", ""),
    "E-mail 3 Address": ("email", ""),
    "E-mail Type": ("ignore", ""),
    "E-mail 2 Type": ("ignore", ""),
    "E-mail 3 Type": ("ignore", ""),
    "E-mail Display Name": ("ignore", ""),
    "E-mail 2 Display Name": ("ignore", ""),
    "E-mail 3 Display Name": ("ignore", ""),
    "Mobile Phone": ("phone", "mobile"),
    "Business Phone": ("phone", "work"),
    "Business Phone 2": ("phone", "work"),
    "Home Phone": ("phone", "home"),
    "Home Phone 2": ("phone", "home"),
    "Other Phone": ("phone", "other"),
    "Primary Phone": ("phone", "primary"),
    "Company Main Phone": ("phone", "company"),
    "Assistant's Phone": ("phone", "assistant"),
    "Car Phone": ("phone", "car"),
    "Pager": ("phone", "pager"),
    "Business Fax": ("phone", "work fax"),
    "Home Fax": ("phone", "home fax"),
    "Other Fax": ("phone", "fax"),
    "Categories": ("tags", ""),
    "Notes": ("notes", ""),
    # de_DE
    "Vorname": ("given_name", ""),
    "Nachname": ("family_name", ""),
    "Firma": ("organisation", ""),
    "Position": ("title", ""),
    "E-Mail-Adresse": ("email", ""),
    "E-Mail 2: Adresse": ("email", ""),
    "E-Mail 3: Adresse": ("email", ""),
    "Mobiltelefon": ("phone", "mobile"),
    "Telefon geschäftlich": ("phone", "work"),
    "Telefon privat": ("phone", "home"),
    "Ort geschäftlich": ("city", ""),
    "Ort privat": ("city", ""),
    "Land geschäftlich": ("country", ""),
    "Land privat": ("country", ""),
    "Kategorien": ("tags", ""),
    "Notizen": ("notes", ""),
    # fr_FR
    "Prénom": ("given_name", ""),
    "Nom": ("family_name", ""),
    "Société": ("organisation", ""),
    "Adresse de messagerie": ("email", ""),
    "Tél. mobile": ("phone", "mobile"),
    "Téléphone (bureau)": ("phone", "work"),
    "Téléphone (domicile)": ("phone", "home"),
    "Ville (bureau)": ("city", ""),
    "Ville (domicile)": ("city", ""),
    "Pays/Région (bureau)": ("country", ""),
    "Pays/Région (domicile)": ("country", ""),
    "Catégories": ("tags", ""),
    # es_ES
    "Nombre": ("given_name", ""),
    "Apellidos": ("family_name", ""),
    "Organización": ("organisation", ""),
    "Puesto": ("title", ""),
    "Dirección de correo electrónico 2": ("email", ""),
    "Dirección del correo electrónico 3": ("email", ""),
    "Teléfono del trabajo": ("phone", "work"),
    "Particular": ("phone", "home"),
    "Teléfono móvil": ("phone", "mobile"),
    "Ciudad de trabajo": ("city", ""),
    "País o región del trabajo": ("country", ""),
    "Categorías": ("tags", ""),
    # it_IT
    "Nome": ("given_name", ""),
    "Cognome": ("family_name", ""),
    "Società": ("organisation", ""),
    "Qualifica": ("title", ""),
    "Indirizzo E-mail": ("email", ""),
    "Indirizzo E-mail 2": ("email", ""),
    "Indirizzo E-mail 3": ("email", ""),
    "Telefono Mobile": ("phone", "mobile"),
    "Telefono di Lavoro": ("phone", "work"),
    "Telefono di casa": ("phone", "home"),
    "Città di lavoro": ("city", ""),
    "Nazione/Regione di lavoro": ("country", ""),
    "Categorie": ("tags", ""),
    "Note": ("notes", ""),
    # pl_PL
    "Imię": ("given_name", ""),
    "Nazwisko": ("family_name", ""),
    "Stanowisko": ("title", ""),
    "Adres e-mail": ("email", ""),
    "Telefon komórkowy": ("phone", "mobile"),
    "Telefon służbowy": ("phone", "work"),
    "Telefon domowy": ("phone", "home"),
    "Miasto (biuro)": ("city", ""),
    "Kraj/region (biuro)": ("country", ""),
    "Kategorie": ("tags", ""),
    "Notatki": ("notes", ""),
}
# Headers only Outlook writes: one of them, with another Outlook header, is Outlook.
_OUTLOOK_ONLY = {
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail Display Name",
    "Business Phone",
    "Business City",
    "Business Country/Region",
    "E-mail-Adresse",
    "E-Mail-Adresse",
    "Telefon geschäftlich",
    "Adresse de messagerie",
    "Téléphone (bureau)",
    "Teléfono del trabajo",
    "Indirizzo E-mail",
    "Telefono di Lavoro",
    "Adres e-mail",
    "Telefon służbowy",
}
# Values Outlook writes into every empty contact: not worth a line in anyone's notes.
OUTLOOK_PLACEHOLDERS = frozenset({"0/0/00", "0.0.00", "00.00.00", "Unspecified", "Normal", "False"})

# Guessing, for every other CSV: a normalised header (lower case, words only) → target.
_GUESS_EXACT: dict[str, str] = {
    "name": "display_name",
    "full name": "display_name",
    "fullname": "display_name",
    "display name": "display_name",
    "displayname": "display_name",
    "contact name": "display_name",
    "member name": "display_name",
    "attendee name": "display_name",
    "your name": "display_name",
    "first name": "given_name",
    "firstname": "given_name",
    "first": "given_name",
    "given name": "given_name",
    "forename": "given_name",
    "last name": "family_name",
    "lastname": "family_name",
    "last": "family_name",
    "surname": "family_name",
    "family name": "family_name",
    "company": "organisation",
    "company name": "organisation",
    "organisation": "organisation",
    "organization": "organisation",
    "organisation name": "organisation",
    "organization name": "organisation",
    "org": "organisation",
    "employer": "organisation",
    "affiliation": "organisation",
    "title": "title",
    "job title": "title",
    "jobtitle": "title",
    "position": "title",
    "occupation": "title",
    "city": "city",
    "town": "city",
    "location": "city",
    "country": "country",
    "country region": "country",
    "time zone": "time_zone",
    "timezone": "time_zone",
    "tz": "time_zone",
    "pronouns": "pronouns",
    "tags": "tags",
    "tag": "tags",
    "labels": "tags",
    "categories": "tags",
    "groups": "tags",
    "group membership": "tags",
    "roles": "roles",
    "notes": "notes",
    "note": "notes",
    "comments": "notes",
    "bio": "bio",
    "about": "bio",
    "about me": "bio",
    "intro": "bio",
    "introduction": "bio",
    "uid": "uid",
    "mobile": "phone",
    "cell": "phone",
    "vorname": "given_name",
    "nachname": "family_name",
    "firma": "organisation",
    "prénom": "given_name",
    "nom": "family_name",
}
_GUESS_NETWORK = (
    ("twitter", "x"),
    ("github", "github"),
    ("mastodon", "mastodon"),
    ("linkedin", "linkedin"),
    ("bluesky", "bluesky"),
    ("discord", "discord"),
    ("instagram", "instagram"),
    ("telegram", "telegram"),
    ("youtube", "youtube"),
)
_LABEL_STOP = frozenset(
    {"e", "mail", "email", "emails", "address", "addresses", "value", "number", "no"}
    | {"phone", "phones", "tel", "telephone", "telefon", "téléphone", "your", "attendee"}
    | {"member", "contact"}
    | set("123456")
)
_WORDS = re.compile(r"[^\w]+")


def _norm(header: str) -> str:
    return " ".join(_WORDS.split(header.replace("_", " ").casefold())).strip()


def guess_target(header: str) -> str:
    """Best guess at the field a column of an unknown CSV holds; "extra" if none."""
    key = _norm(header)
    if key in _GUESS_EXACT:
        return _GUESS_EXACT[key]
    words = key.split()
    if key in ("x", "x handle", "x twitter") or "twitter" in words:
        return "handle:x"
    for needle, network in _GUESS_NETWORK:
        if needle in key:
            return f"handle:{network}"
    if "email" in words or "mail" in words or "e mail" in key:
        return "email"
    if {"phone", "mobile", "telephone", "tel", "cell", "telefon", "téléphone"} & set(words):
        return "phone"
    return "extra"


def column_label(header: str, target: str) -> str:
    """The label an email or phone column gives its values: "Work Email" → "work"."""
    if target == "phone" and header in _OUTLOOK:
        return _OUTLOOK[header][1]
    if target not in ("email", "phone") or header in _OUTLOOK:
        return ""
    words = [w for w in _norm(header).split() if w not in _LABEL_STOP]
    return " ".join(words)


def detect_layout(headers: Sequence[str]) -> str | None:
    """ "google", "outlook" or "rapport" when the header row is one of theirs, else None."""
    names = set(headers)
    if "uid" in names and {"display_name", "given_name", "emails"} & names:
        return "rapport"
    known = [h for h in headers if h in RAPPORT_COLUMNS or h.startswith("custom:")]
    if len(known) == len(headers) and len(names & set(RAPPORT_COLUMNS)) >= 2:
        return "rapport"  # a partner export: Rapport's own headers, some left out
    if "Group Membership" in names or any(_PAIR.match(h) for h in headers):
        return "google"
    if names & _OUTLOOK_ONLY and len(names & _OUTLOOK.keys()) >= 2:
        return "outlook"
    return None


def layout_mapping(layout: str | None, headers: Sequence[str]) -> dict[str, str]:
    """header → target for a known layout, or the best guess for any other CSV."""
    mapping: dict[str, str] = {}
    for h in headers:
        if h in mapping:
            continue
        if layout == "rapport":
            if h.startswith("custom:"):
                mapping[h] = h
            else:
                target = _RAPPORT_TARGET.get(h, h)
                mapping[h] = target if target in TARGET_FIELDS else "extra"
        elif layout == "google":
            pair = _PAIR.match(h)
            if pair:
                kind = "email" if pair.group(1) == "E-mail" else "phone"
                mapping[h] = kind if pair.group(3) == "Value" else "ignore"
            else:
                mapping[h] = _GOOGLE_FIXED.get(h, "extra")
        elif layout == "outlook":
            mapping[h] = _OUTLOOK[h][0] if h in _OUTLOOK else "extra"
        else:
            mapping[h] = guess_target(h)
    return mapping


def label_column(headers: Sequence[str], index: int) -> int | None:
    """For a Google "E-mail 1 - Value" column, the index of its "E-mail 1 - Type"/"Label"."""
    m = _PAIR.match(headers[index])
    if not m or m.group(3) != "Value":
        return None
    for kind in ("Type", "Label"):
        name = f"{m.group(1)} {m.group(2)} - {kind}"
        if name in headers:
            return headers.index(name)
    return None


LAYOUT_NAMES = {
    "google": "CSV (Google Contacts)",
    "outlook": "CSV (Outlook)",
    "rapport": "CSV (Rapport)",
    None: "CSV (mapped)",
}


def _static(layout: str) -> dict[str, str]:
    if layout == "rapport":
        return layout_mapping("rapport", RAPPORT_COLUMNS)
    if layout == "outlook":
        return {h: t for h, (t, _label) in _OUTLOOK.items()}
    pairs = [
        f"{kind} {n} - {part}"
        for kind in ("E-mail", "Phone")
        for n in range(1, 11)
        for part in ("Type", "Label", "Value")
    ]
    return layout_mapping("google", [*_GOOGLE_FIXED, *pairs])


# The built-in mappings by name (`crm import --mapping google`): every header the
# layout is known to write; any other header in a file is kept in notes.
LAYOUTS: dict[str, dict[str, str]] = {
    name: _static(name) for name in ("google", "outlook", "rapport")
}
