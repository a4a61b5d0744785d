"""The vocabulary demo data is drawn from: places, tags, titles, topics and templates.

Everything here is a constant; `names.py` adds the name lists taken from Faker. Places
carry their country, time zone, phone region and name locale together, so a person's
city, time zone, phone number and name always agree with each other.

Addresses and websites use the reserved `example` names (RFC 2606): a demo database
must never hold an address that belongs to somebody real, because a later export or
calendar invitation could be sent to it.
"""

from __future__ import annotations

from typing import NamedTuple


def _split(text: str, sep: str) -> tuple[str, ...]:
    """Word lists kept compact in the source: "a | b | c" or "a b c"."""
    return tuple(w.strip() for w in text.replace("\n", " ").split(sep) if w.strip())


class Place(NamedTuple):
    city: str
    country: str
    time_zone: str
    region: str  # ISO 3166 region, for phone numbers
    locale: str  # Faker locale the names of people living here come from
    weight: int  # relative share of the membership


PLACES: tuple[Place, ...] = (
    Place("Berlin", "Germany", "Europe/Berlin", "DE", "de_DE", 60),
    Place("Munich", "Germany", "Europe/Berlin", "DE", "de_DE", 25),
    Place("Hamburg", "Germany", "Europe/Berlin", "DE", "de_DE", 15),
    Place("Vienna", "Austria", "Europe/Vienna", "AT", "de_AT", 12),
    Place("Zurich", "Switzerland", "Europe/Zurich", "CH", "de_CH", 12),
    Place("London", "United Kingdom", "Europe/London", "GB", "en_GB", 55),
    Place("Manchester", "United Kingdom", "Europe/London", "GB", "en_GB", 12),
    Place("Dublin", "Ireland", "Europe/Dublin", "IE", "en_IE", 12),
    Place("Paris", "France", "Europe/Paris", "FR", "fr_FR", 35),
    Place("Lyon", "France", "Europe/Paris", "FR", "fr_FR", 10),
    Place("Amsterdam", "Netherlands", "Europe/Amsterdam", "NL", "nl_NL", 25),
    Place("Madrid", "Spain", "Europe/Madrid", "ES", "es_ES", 18),
    Place("Barcelona", "Spain", "Europe/Madrid", "ES", "es_ES", 18),
    Place("Lisbon", "Portugal", "Europe/Lisbon", "PT", "pt_PT", 12),
    Place("Milan", "Italy", "Europe/Rome", "IT", "it_IT", 14),
    Place("Prague", "Czechia", "Europe/Prague", "CZ", "cs_CZ", 10),
    Place("Stockholm", "Sweden", "Europe/Stockholm", "SE", "sv_SE", 12),
    Place("Copenhagen", "Denmark", "Europe/Copenhagen", "DK", "da_DK", 8),
    Place("Helsinki", "Finland", "Europe/Helsinki", "FI", "fi_FI", 8),
    Place("Oslo", "Norway", "Europe/Oslo", "NO", "no_NO", 6),
    Place("Bucharest", "Romania", "Europe/Bucharest", "RO", "ro_RO", 8),
    Place("Istanbul", "Türkiye", "Europe/Istanbul", "TR", "tr_TR", 10),
    Place("New York", "United States", "America/New_York", "US", "en_US", 50),
    Place("Boston", "United States", "America/New_York", "US", "en_US", 15),
    Place("Chicago", "United States", "America/Chicago", "US", "en_US", 15),
    Place("Austin", "United States", "America/Chicago", "US", "en_US", 15),
    Place("Seattle", "United States", "America/Los_Angeles", "US", "en_US", 20),
    Place("San Francisco", "United States", "America/Los_Angeles", "US", "en_US", 45),
    Place("Toronto", "Canada", "America/Toronto", "CA", "en_US", 18),
    Place("Montreal", "Canada", "America/Toronto", "CA", "fr_CA", 8),
    Place("Mexico City", "Mexico", "America/Mexico_City", "MX", "es_MX", 12),
    Place("Bogotá", "Colombia", "America/Bogota", "CO", "es_CO", 8),
    Place("São Paulo", "Brazil", "America/Sao_Paulo", "BR", "pt_BR", 20),
    Place("Buenos Aires", "Argentina", "America/Argentina/Buenos_Aires", "AR", "es_AR", 10),
    Place("Bengaluru", "India", "Asia/Kolkata", "IN", "en_IN", 35),
    Place("Pune", "India", "Asia/Kolkata", "IN", "en_IN", 12),
    Place("Singapore", "Singapore", "Asia/Singapore", "SG", "en_IN", 10),
    Place("Jakarta", "Indonesia", "Asia/Jakarta", "ID", "id_ID", 8),
    Place("Tokyo", "Japan", "Asia/Tokyo", "JP", "ja_JP", 15),
    Place("Sydney", "Australia", "Australia/Sydney", "AU", "en", 14),
    Place("Melbourne", "Australia", "Australia/Melbourne", "AU", "en", 10),
    Place("Auckland", "New Zealand", "Pacific/Auckland", "NZ", "en_NZ", 6),
    Place("Nairobi", "Kenya", "Africa/Nairobi", "KE", "en_KE", 10),
    Place("Lagos", "Nigeria", "Africa/Lagos", "NG", "yo_NG", 12),
    Place("Dar es Salaam", "Tanzania", "Africa/Dar_es_Salaam", "TZ", "sw", 5),
    Place("Johannesburg", "South Africa", "Africa/Johannesburg", "ZA", "zu_ZA", 8),
)

# Technologies and themes: tags, interaction topics and community names share them.
TOPICS = _split(
    """
    Rust | Python | Go | TypeScript | Kotlin | WebAssembly | Kubernetes | Postgres |
    GraphQL | machine learning | data engineering | observability | security |
    accessibility | DevOps | open source | API design | mobile | edge computing |
    documentation
    """,
    "|",
)

TAGS_TECH = _split(
    """
    rust python go typescript kotlin wasm kubernetes postgres graphql ml data observability
    security a11y devops mobile
    """,
    " ",
)
TAGS_COMMUNITY = _split(
    """
    core-contributor newsletter meetup-host speaker-alumni mentor mentee beta-tester vip
    sponsor-contact docs-contributor translator student champion hackathon-winner
    forum-moderator early-adopter needs-follow-up conference-2025 conference-2026
    advisory-board
    """,
    " ",
)
TAG_CITIES = ("berlin", "london", "paris", "new-york", "san-francisco", "bengaluru", "amsterdam")

ROLE_ODDS = (
    ("member", 0.90),
    ("expert", 0.10),
    ("speaker", 0.08),
    ("volunteer", 0.07),
    ("influencer", 0.05),
    ("partner liaison", 0.03),
    ("staff", 0.01),
)

TITLES = _split(
    """
    Software Engineer | Senior Software Engineer | Staff Engineer | Principal Engineer |
    Engineering Manager | Developer Advocate | Community Manager | Data Scientist |
    Data Engineer | Site Reliability Engineer | Platform Engineer | Security Engineer |
    Product Manager | CTO | Founder | Technical Writer | Frontend Developer |
    Backend Developer | Mobile Developer | ML Engineer | Solutions Architect | Designer |
    QA Engineer | VP Engineering
    """,
    "|",
)

ORG_FIRST = _split(
    """
    Blue North Bright Silver Quiet Red Iron Cloud Open Swift Green Deep Clear Polar Solar
    Little Wild True Nova Lumen
    """,
    " ",
)
ORG_SECOND = _split(
    """
    harbor wave forge pine stack field bridge river beam leaf byte peak loop spark stone
    grid path owl fox kite
    """,
    " ",
)
ORG_SUFFIX = _split(
    """
    Labs Systems Software Analytics Cloud Technologies Studio Health Robotics Data Security
    Networks
    """,
    " ",
)
UNIVERSITIES = ("University of {city}", "{city} Institute of Technology", "{city} Tech College")

BIO_TEMPLATES = (
    "{title} at {org}. Writes about {topic} and {topic2}.",
    "{title} working on {topic} tooling. Based in {city}.",
    "Loves {topic}, organises the local {topic2} study group.",
    "{title}. Previously a teacher; now happiest deep in {topic} internals.",
    "Speaks at meetups about {topic}. Runner, baker, occasional podcaster.",
    "Maintainer of a small {topic} library; curious about {topic2}.",
    "{title} at {org}, helping teams adopt {topic}.",
    "Career switcher learning {topic}; volunteers at {city} meetups.",
)
NOTE_TEMPLATES = (
    "Met at the {city} {topic} meetup. Interested in speaking.",
    "Prefers email over chat. Ask about {topic} before the next event.",
    "Could host a meetup at the {org} office.",
    "Wants an intro to someone on the {topic} team.",
    "Gave great feedback on the {topic} docs.",
    "Time-zone tricky: schedule calls in the morning.",
)

CONSENT_SOURCES = (
    "signup form",
    "meetup registration",
    "event badge scan",
    "email reply",
    "newsletter double opt-in",
    "conference registration",
    "in person, verbal",
    "survey checkbox",
)
CONSENT_ODDS = (  # kind, share that has a recorded answer, share of answers that grant it
    ("partner sharing", 0.55, 0.65),
    ("newsletter", 0.70, 0.80),
    ("photos", 0.45, 0.85),
)

RELATIONSHIP_KINDS = (
    "works with",
    "works with",
    "mentor of",
    "mentored by",
    "friend of",
    "co-organiser with",
    "manager of",
    "reports to",
)

MASTODON_SERVERS = ("mastodon.social", "fosstodon.org", "hachyderm.io", "chaos.social")
PERSONAL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example")


PERSON_FIELDS = (  # name, type, choices
    ("T-shirt size", "choice", ("XS", "S", "M", "L", "XL", "XXL")),
    ("GitHub stars", "number", ()),
    ("First event", "date", ()),
    ("Dietary needs", "text", ()),
)
COMMUNITY_FIELDS = (
    ("Meetup cadence", "choice", ("weekly", "monthly", "quarterly", "yearly")),
    ("Partner since", "date", ()),
)
DIETARY = ("vegetarian", "vegan", "gluten-free", "halal", "kosher", "no nuts")
