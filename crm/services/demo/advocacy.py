"""Demo advocacy notes with the members behind them, department tasks and moderation cases.

Written after the people exist, on the loader's connection, from the demo's seed. At
100,000 contacts: 5,000 notes with about 50,000 voices (a few requests carry hundreds
of members, most a handful, as real request boards look), about 1,200 tasks and 400
moderation cases (a fifth of them on repeat subjects).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from crm.models import ADVOCACY_STATUSES, DEPARTMENTS
from crm.services.demo.bulk import Writer
from crm.services.demo.clock import ts
from crm.services.demo.produce import Plan

NOTE_COLUMNS = (
    "id", "title", "kind", "details", "department", "status", "ticket_url", "outcome",
    "created_at", "updated_at",
)  # fmt: skip
TASK_COLUMNS = (
    "id", "title", "department", "owner_name", "due_on", "status", "note_id", "event_id",
    "details", "created_at", "done_at",
)  # fmt: skip
CASE_COLUMNS = (
    "id", "subject_id", "reporter_id", "occurred_on", "channel", "guideline", "severity",
    "action", "status", "notes", "created_at", "updated_at",
)  # fmt: skip
COUNTED = ("advocacy notes", "advocacy voices", "department tasks", "moderation cases")

_FEATURES = (
    "dark mode", "single sign-on", "a CLI installer", "offline docs", "webhooks",
    "a Python SDK", "rate-limit headers", "audit logs", "a Terraform provider",
    "bulk export", "two-factor login", "a status page", "ARM builds", "a VS Code plugin",
    "usage dashboards", "GraphQL subscriptions", "a free tier for students",
    "a self-hosted edition", "localised docs", "a changelog feed",
)  # fmt: skip
_AREAS = (
    "the dashboard", "the docs", "the onboarding flow", "the billing page", "the API",
    "the community forum", "the mobile app", "search", "the release notes", "the sandbox",
)  # fmt: skip
_TEMPLATES = {
    "request": ("Add {feature}", "Support {feature} in {area}", "{feature} for teams"),
    "pain point": ("{area} is slow to load", "Hard to find {feature} in {area}",
                   "Confusing errors in {area}"),
    "bug": ("Crash when opening {area}", "{area}: broken links", "Login loop in {area}"),
    "praise": ("Members love {feature}", "Great feedback on {area}",
               "Thanks for {feature} from the meetup"),
}  # fmt: skip
_KIND_ODDS = (("request", 0.55), ("pain point", 0.2), ("bug", 0.15), ("praise", 0.1))
_DEPT_FOR = {"request": "product", "pain point": "product", "bug": "engineering",
             "praise": "marketing"}  # fmt: skip
# How far notes have come: most are still open or shared.
_REACHED = (("open", 0.38), ("shared", 0.2), ("acknowledged", 0.14), ("planned", 0.1),
            ("shipped", 0.1), ("declined", 0.08))  # fmt: skip
_OWNERS = ("Priya N.", "Marco B.", "Lena K.", "Sam O.", "Jules R.", "Aiko T.", "Dev P.")
_TASKS = ("Scope “{t}”", "Estimate “{t}”", "Member quotes for “{t}”",
          "Reply to members on “{t}”", "Demo “{t}” at a meetup")  # fmt: skip
_EVENT_TASKS = ("Book a speaker slot", "Order swag", "Review the talk abstracts",
                "Set up the live stream", "Send the sponsor brief")  # fmt: skip
_GUIDELINES = ("Be respectful", "No spam or self-promotion", "No harassment",
               "Stay on topic", "No sharing of private information", "No hate speech")  # fmt: skip
_CHANNELS = ("forum", "chat", "discord", "slack", "event", "social media")
_ACTION_BY_SEVERITY = {
    "low": ("none", "warning"),
    "medium": ("warning", "content removed", "mute"),
    "high": ("content removed", "mute", "temporary ban"),
    "critical": ("temporary ban", "permanent ban"),
}
_CASE_NOTES = (
    "Several members flagged the thread.", "Posted the same link in {n} channels.",
    "Apologised after a warning.", "Second report this quarter.",
    "Escalated by a volunteer moderator.", "Heated reply in a support thread.",
)  # fmt: skip


def _pick(r: random.Random, odds: tuple[tuple[str, float], ...]) -> str:
    x, acc = r.random(), 0.0
    for value, p in odds:
        acc += p
        if x < acc:
            return value
    return odds[-1][0]


def write_operations(w: Writer, plan: Plan, counts: dict[str, int]) -> None:
    """Notes, voices, steps, tasks and cases for the people already written."""
    people = [r[0] for r in w.cur.execute("SELECT id FROM person WHERE archived_at IS NULL")]
    if not people:
        for key in COUNTED:
            counts[key] = 0
        return
    events = [r[0] for r in w.cur.execute("SELECT id FROM event ORDER BY id")]
    r = random.Random(plan.seed * 1_000_003 + 55)
    today = plan.now.date()
    n_notes = max(3, len(people) // 20)
    notes, steps, voices, closed = _notes(r, people, n_notes, today)
    w.insert("advocacy_note", NOTE_COLUMNS, notes)
    w.insert("advocacy_step", ("id", "note_id", "status", '"on"'), steps)
    w.insert("advocacy_voice", ("note_id", "person_id", "added_on"), voices)
    tasks = _tasks(r, {int(n[0]): str(n[1]) for n in notes}, closed, events, today)
    w.insert("department_task", TASK_COLUMNS, tasks)
    cases = _cases(r, people, max(6, len(people) // 250), today)
    w.insert("moderation_case", CASE_COLUMNS, cases)
    counts["advocacy notes"] = len(notes)
    counts["advocacy voices"] = len(voices)
    counts["department tasks"] = len(tasks)
    counts["moderation cases"] = len(cases)


def _notes(
    r: random.Random, people: list[int], n: int, today: date
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]], set[int]]:
    notes: list[tuple[object, ...]] = []
    steps: list[tuple[object, ...]] = []
    voices: list[tuple[object, ...]] = []
    closed: set[int] = set()
    cap = min(len(people), 600)
    # Pareto weights scaled to ten voices a note on average: a long tail of big requests.
    raw = [r.paretovariate(1.4) for _ in range(n)]
    target, scale = 10 * n, 10 * n / sum(raw)
    for _ in range(5):  # the cap cuts the tail: scale again until the total is on target
        weights = [max(1, min(cap, int(x * scale))) for x in raw]
        if abs(sum(weights) - target) <= target // 50 or cap * n <= target:
            break
        scale *= target / sum(weights)
    step_id = 0
    for nid in range(1, n + 1):
        kind = _pick(r, _KIND_ODDS)
        template = r.choice(_TEMPLATES[kind])
        title = template.format(feature=r.choice(_FEATURES), area=r.choice(_AREAS))
        title = title[0].upper() + title[1:]
        dept = _DEPT_FOR[kind] if r.random() < 0.7 else r.choice(DEPARTMENTS)
        reached = _pick(r, _REACHED)
        path = (
            ["open", "shared", "declined"]
            if reached == "declined"
            else list(ADVOCACY_STATUSES[: ADVOCACY_STATUSES.index(reached) + 1])
        )
        age = 5 + int(r.random() ** 1.5 * 700)
        created = today - timedelta(days=age)
        # Later steps on days spread over the note's life, in order (not all up to today).
        offsets = [0, *sorted(int(r.random() * age) for _ in path[1:])]
        for status, offset in zip(path, offsets, strict=True):
            step_id += 1
            steps.append((step_id, nid, status, (created + timedelta(days=offset)).isoformat()))
        last = date.fromisoformat(str(steps[-1][3]))
        ticket = f"https://tracker.example.com/{dept[:3].upper()}-{1000 + nid}" if (
            reached != "open" and r.random() < 0.7
        ) else ""  # fmt: skip
        outcome = ""
        if reached == "shipped":
            outcome = f"Shipped on {last:%d %b %Y}; members were told in the newsletter."
        elif reached == "declined":
            outcome = "Not planned this year; we explained why in the forum thread."
        if reached in ("shipped", "declined"):
            closed.add(nid)
        details = f"Raised by members in {r.choice(_CHANNELS)} threads and at meetups."
        stamp = f"{created.isoformat()} 09:00:00.000000"
        notes.append(
            (nid, title, kind, details, dept, reached, ticket, outcome, stamp,
             f"{last.isoformat()} 17:00:00.000000")
        )  # fmt: skip
        k = weights[nid - 1]
        span = max(1, (today - created).days)
        for pid in r.sample(people, k):
            added = created + timedelta(days=int(r.random() * span))
            voices.append((nid, pid, added.isoformat()))
    return notes, steps, voices, closed


def _tasks(
    r: random.Random, titles: dict[int, str], closed: set[int], events: list[int], today: date
) -> list[tuple[object, ...]]:
    note_ids = list(titles)
    out: list[tuple[object, ...]] = []
    open_notes = [n for n in note_ids if n not in closed]
    n = max(2, len(note_ids) // 5) + min(len(events), 200)
    for tid in range(1, n + 1):
        note_id = event_id = None
        if events and tid > n - min(len(events), 200):
            event_id = r.choice(events)
            title = r.choice(_EVENT_TASKS)
            dept = r.choice(("marketing", "leadership", "support"))
        else:
            note_id = r.choice(open_notes or note_ids) if r.random() < 0.85 else None
            about = titles[note_id] if note_id else "Q3 themes"
            title = r.choice(_TASKS).format(t=about)
            dept = r.choice(DEPARTMENTS)
        due = today + timedelta(days=int(r.random() * 75) - 30)
        status = _pick(r, (("open", 0.4), ("in progress", 0.25), ("blocked", 0.08), ("done", 0.27)))
        created = ts(_at(due - timedelta(days=14 + int(r.random() * 30))))
        done = ts(_at(min(today, due))) if status == "done" else None
        out.append(
            (tid, title, dept, r.choice(_OWNERS), due.isoformat(), status, note_id, event_id,
             "", created, done)
        )  # fmt: skip
    return out


def _cases(r: random.Random, people: list[int], n: int, today: date) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    repeaters = r.sample(people, max(1, n // 20))
    for cid in range(1, n + 1):
        # The first two cases share a subject, so even a tiny demo shows a repeat.
        if cid < 3:
            subject = repeaters[0]
        else:
            subject = r.choice(repeaters) if r.random() < 0.2 else r.choice(people)
        reporter = r.choice(people) if r.random() < 0.7 else None
        if reporter == subject:
            reporter = None
        severity = _pick(r, (("low", 0.45), ("medium", 0.33), ("high", 0.17), ("critical", 0.05)))
        on = today - timedelta(days=int(r.random() * 540))
        status = "open" if (today - on).days < 20 and r.random() < 0.6 else _pick(
            r, (("resolved", 0.9), ("appealed", 0.1))
        )  # fmt: skip
        stamp = ts(_at(on))
        out.append(
            (cid, subject, reporter, on.isoformat(), r.choice(_CHANNELS), r.choice(_GUIDELINES),
             severity, r.choice(_ACTION_BY_SEVERITY[severity]), status,
             r.choice(_CASE_NOTES).format(n=2 + int(r.random() * 6)), stamp, stamp)
        )  # fmt: skip
    return out


def _at(d: date) -> datetime:
    return datetime.combine(d, time(10, 0))
