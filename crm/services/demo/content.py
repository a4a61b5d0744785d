"""Demo content calendar and goals, written after everything else exists.

Content: a few hundred items over the past year and the coming quarter. What is long
past is mostly published, what is due soon is being drafted or reviewed, what is far
ahead is still an idea; some items stalled. The owners are the demo's staff, and about
a third have a guest author among the experts, speakers and influencers.

Goals come last because they are set against the data: each goal's baseline and
target are placed around what its metric measures now, so that a fresh demo shows
some goals on track and some behind, whatever the contact count.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from crm.models.goals import GOAL_METRICS
from crm.services.demo import pools
from crm.services.demo.bulk import Writer
from crm.services.demo.clock import ts
from crm.services.demo.names import ascii_slug
from crm.services.goals_progress import measure

CONTENT_COLUMNS = (
    "id",
    "title",
    "kind",
    "channel",
    "owner",
    "guest_author_id",
    "status",
    "due_on",
    "publish_on",
    "url",
    "notes",
    "created_at",
)
GOAL_COLUMNS = (
    "id",
    "title",
    "metric",
    "baseline",
    "target",
    "starts_on",
    "deadline",
    "notes",
    "created_at",
)
KIND_ODDS = (
    ("blog post", 40),
    ("social post", 25),
    ("newsletter", 12),
    ("video", 13),
    ("docs", 10),
)
CHANNELS = {
    "blog post": ("Blog", "Blog", "Dev.to", "Medium"),
    "social post": ("Mastodon", "LinkedIn", "Bluesky"),
    "newsletter": ("Newsletter",),
    "video": ("YouTube", "YouTube", "Twitch"),
    "docs": ("Docs site",),
}
TITLES = {
    "blog post": (
        "What we learned running {topic} meetups",
        "A beginner's guide to {topic}",
        "Community spotlight: {topic} in production",
        "{topic} tips from our last workshop",
        "Why our members love {topic}",
    ),
    "social post": (
        "Call for speakers: {topic} night",
        "Recap thread: {topic} meetup",
        "Member of the month ({topic})",
        "Poll: your favourite {topic} tool",
    ),
    "newsletter": ("{month} newsletter", "{month} community digest"),
    "video": (
        "{topic} talk recording",
        "Live coding: {topic} from scratch",
        "Panel: the future of {topic}",
    ),
    "docs": ("{topic} contributor guide", "Getting started with {topic}", "{topic} FAQ update"),
}
NOTES = (
    "",
    "",
    "Needs a cover image.",
    "Waiting for legal review of the quotes.",
    "Cross-post to the newsletter.",
    "Ask the speaker for slides.",
)
FALLBACK_OWNERS = ("Maya Okafor", "Jonas Weber", "Priya Raman", "Lucas Martin")


def _status(rng: random.Random, offset: int) -> str:
    """A plausible status for an item due `offset` days from today."""
    if offset < -21:
        return "published" if rng.random() < 0.9 else rng.choice(("review", "drafting"))
    if offset < 0:
        return rng.choice(("published", "published", "scheduled", "review"))
    if offset < 21:
        return rng.choice(("drafting", "review", "review", "scheduled"))
    return rng.choice(("idea", "idea", "drafting"))


def write_content(w: Writer, *, seed: int, contacts: int, now: datetime) -> int:
    rng = random.Random(f"content-{seed}")
    today = now.date()
    count = max(60, min(400, contacts // 200))
    found = w.cur.execute(
        "SELECT p.id, p.display_name, r.role FROM person_role r JOIN person p "
        "ON p.id = r.person_id WHERE r.role IN ('staff', 'expert', 'speaker', 'influencer') "
        "AND p.archived_at IS NULL ORDER BY p.id"
    ).fetchall()
    owners = [name for _pid, name, role in found if role == "staff"][:6] or list(FALLBACK_OWNERS)
    authors = sorted({pid for pid, _name, role in found if role != "staff"})
    kinds = [k for k, _ in KIND_ODDS]
    weights = [n for _, n in KIND_ODDS]
    rows = []
    for item_id in range(1, count + 1):
        kind = rng.choices(kinds, weights)[0]
        offset = rng.randint(-360, 90)
        due = today + timedelta(days=offset)
        status = _status(rng, offset)
        publish: date | None = None
        if status == "published":
            publish = min(due + timedelta(days=rng.randint(0, 6)), today)
        elif status == "scheduled":
            publish = max(due, today) + timedelta(days=rng.randint(1, 14))
        elif status in ("drafting", "review") and rng.random() < 0.4:
            publish = due + timedelta(days=rng.randint(3, 10))
        topic = rng.choice(pools.TOPICS)
        title = rng.choice(TITLES[kind]).format(topic=topic, month=due.strftime("%B %Y"))
        title = title[0].upper() + title[1:]
        guest = (
            rng.choice(authors)
            if authors and kind != "newsletter" and rng.random() < 0.33
            else None
        )
        url = ""
        if status == "published":
            url = (
                f"https://community.example.org/{kind.replace(' ', '-')}s/{ascii_slug(title, '-')}"
            )
        created = now - timedelta(days=max(-offset, 0) + rng.randint(7, 40))
        rows.append(
            (
                item_id,
                title,
                kind,
                rng.choice(CHANNELS[kind]),
                rng.choice(owners),
                guest,
                status,
                due.isoformat(),
                publish.isoformat() if publish else None,
                url,
                rng.choice(NOTES),
                ts(created),
            )
        )
    w.insert("content_item", CONTENT_COLUMNS, rows)
    return len(rows)


# metric → (title, days since the start, days to the deadline, the pace it keeps:
# the share of the way covered divided by the share of the time used)
GOAL_PLANS = {
    "members": ("Grow the membership", 120, 60, 1.25),
    "members active in the last 30 days": ("Keep members active", 60, 30, 0.7),
    "interactions per week": ("More conversations every week", 45, 45, 1.1),
    "events held": ("Hold regular events this half", 90, 90, 0.8),
    "average NPS": ("Lift the community NPS", 150, 30, 1.05),
    "speakers confirmed": ("Book speakers for the season", 60, 60, 0.6),
    "advocacy notes shipped": ("Get member requests shipped", 100, 80, 1.3),
}


def _days_since_last_nps_survey(s: Session, today: date) -> int:
    """Days back to a week before the newest NPS survey's first response (0: none).

    A small demo has few surveys, months apart; an NPS goal whose period holds none
    of them would show "no data".
    """
    first = s.execute(
        text(
            "SELECT min(r.responded_at) FROM feedback_response r "
            "JOIN survey v ON v.id = r.survey_id WHERE v.scale = 'nps' AND r.score IS NOT NULL "
            "GROUP BY v.id ORDER BY max(r.responded_at) DESC LIMIT 1"
        )
    ).scalar()
    if first is None:
        return 0
    return (today - date.fromisoformat(str(first)[:10])).days + 7


def write_goals(w: Writer, s: Session, *, now: datetime) -> int:
    """One goal per metric, its baseline and target set around what it measures now."""
    today = now.date()
    rows = []
    for goal_id, metric in enumerate(GOAL_METRICS, start=1):
        title, since, left, pace = GOAL_PLANS[metric]
        if metric == "average NPS":
            since = max(since, _days_since_last_nps_survey(s, today))
        start, deadline = today - timedelta(days=since), today + timedelta(days=left)
        current = measure(s, metric, start, deadline, now).value
        used = since / (since + left)
        if metric == "average NPS":
            now_nps = 20.0 if current is None else current
            baseline, target = now_nps - 8, now_nps - 8 + 8 / (pace * used)
            baseline, target = max(baseline, -100), min(round(target), 100)
        elif metric in ("events held", "speakers confirmed", "advocacy notes shipped"):
            got = current or 0
            baseline = 0.0
            target = float(max(round(got / (pace * used)), 3 if not got else got + 1))
        else:
            # Grown 15 % from the baseline so far, at the pace the plan says.
            got = current or 0
            baseline = float(round(got * 0.85))
            target = float(round(baseline + (got - baseline) / (pace * used))) if got else 10.0
        notes = f"Set for the {today.year} community plan."
        rows.append(
            (
                goal_id,
                title,
                metric,
                baseline,
                target,
                start.isoformat(),
                deadline.isoformat(),
                notes,
                ts(now - timedelta(days=since)),
            )
        )
    w.insert("goal", GOAL_COLUMNS, rows)
    return len(rows)
