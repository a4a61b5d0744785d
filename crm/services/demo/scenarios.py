"""What happens in the demo: communities and the interactions people have.

Interaction variants are (kind, channels, directions, summary templates) kept
together, so that a phone call is never "in person" and a note is never inbound.
Placeholders: {topic}, {event}, {org}, {city}, {n}.
"""

from __future__ import annotations

COMMUNITY_KIND_ODDS = (
    ("user group", 0.40),
    ("partner community", 0.25),
    ("company", 0.15),
    ("sponsor", 0.10),
    ("media", 0.10),
)
COMMUNITY_STATUS_ODDS = (("active", 0.55), ("prospect", 0.20), ("paused", 0.15), ("ended", 0.10))
COMMUNITY_TOPICS = (
    "Rust",
    "Python",
    "Go",
    "TypeScript",
    "Kubernetes",
    "Postgres",
    "Data Science",
    "DevOps",
    "WebAssembly",
    "Machine Learning",
    "Security",
    "Accessibility",
)
USER_GROUP_NAMES = ("{city} {topic} Meetup", "{topic} {city}", "{city} {topic} User Group")
PARTNER_NAMES = (
    "{topic} Community",
    "Open {topic} Foundation",
    "The {topic} Guild",
    "{topic} Collective",
    "Women in {topic}",
)
MEDIA_NAMES = ("{topic} Weekly", "The {topic} Podcast", "{topic} Radio", "{topic} Digest")
COMMUNITY_NOTES = (
    "Cross-promote meetups; quarterly sync with the liaison.",
    "Shares our newsletter with their members; wants speakers for {topic} nights.",
    "Sponsored two events last year; renewal talks pending.",
    "Co-hosts the {topic} workshop series.",
    "Good reach among students; ask about the hackathon.",
    "",
)

EVENTS = (
    "{city} {topic} Meetup",
    "{topic} Summit",
    "community call",
    "contributor summit",
    "{topic} office hours",
    "{topic} workshop",
    "hackathon",
    "AMA on {topic}",
    "{city} {topic} Night",
    "webinar on {topic}",
)

# kind -> (channels, directions, summary templates). Placeholders: topic, event, org, city, n.
SCENARIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "meeting": (
        ("in person", "in person", "video"),
        ("mutual",),
        (
            "Coffee chat about the {topic} meetup",
            "Lunch with the {org} team about {topic}",
            "1:1 about contributing to the {topic} docs",
            "Planning session for the {event}",
            "Met at the {event} to talk about {topic}",
            "Walked through the {topic} roadmap together",
        ),
    ),
    "call": (
        ("video", "phone", "video"),
        ("outbound", "inbound", "mutual"),
        (
            "Call about speaking at the {event}",
            "Intro call: {topic} partnership with {org}",
            "Follow-up call on {topic} feedback",
            "Catch-up call, discussed hosting the {event}",
            "Call to prepare their {topic} talk",
        ),
    ),
    "email": (
        ("email",),
        ("outbound", "inbound"),
        (
            "Sent the speaker invitation for the {event}",
            "Asked for feedback on the {topic} guide",
            "Shared the recording of the {event}",
            "Thanked them for the {topic} talk",
            "Replied to their question about {topic} licensing",
            "Newsletter feature request about {topic}",
        ),
    ),
    "message": (
        ("slack", "discord", "social", "forum"),
        ("inbound", "outbound", "mutual"),
        (
            "Quick question about {topic} setup",
            "Shared slides from the {event}",
            "Asked whether {org} could sponsor the {event}",
            "Congratulated them on the {topic} release",
            "Pinged about the {event} volunteer rota",
        ),
    ),
    "intro": (
        ("email", "in person"),
        ("outbound",),
        (
            "Intro to a {topic} maintainer",
            "Introduced to the {org} developer relations team",
            "Intro to the {city} {topic} organisers",
        ),
    ),
    "note": (
        ("other",),
        ("mutual",),
        (
            "Note: interested in speaking about {topic}",
            "Note: moving to {city} next year",
            "Note: prefers async communication",
            "Note: changed jobs, now at {org}",
        ),
    ),
    "contribution": (
        ("forum", "social", "other"),
        ("inbound",),
        (
            "Opened a pull request for the {topic} docs",
            "Wrote a blog post about {topic}",
            "Answered {n} forum questions about {topic}",
            "Translated the {topic} tutorial",
            "Reported a bug in the {topic} SDK",
        ),
    ),
}
# No "event attendance" here: those come from the demo's attended invitations
# (crm/services/demo/attendance.py), about one interaction in ten.
KIND_WEIGHTS = {
    "meeting": 14,
    "call": 10,
    "email": 24,
    "message": 22,
    "intro": 4,
    "note": 6,
    "contribution": 8,
}
DETAIL_TEMPLATES = (
    "Follow up with the slides next week.",
    "They asked for an intro to someone working on {topic}.",
    "Open question: can {org} host the next meetup?",
    "Positive overall; wants more {topic} content.",
    "Mentioned friction with the {topic} onboarding.",
    "Agreed to review the {event} agenda.",
)
SENTIMENT_WEIGHTS = ((-2, 2), (-1, 6), (0, 42), (1, 35), (2, 15))
