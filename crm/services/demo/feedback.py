"""Demo surveys with their responses, and engagement initiatives with participants.

About one response per five contacts (20,000 at 100,000) over a few dozen surveys, a
third of them anonymous; scores drawn per survey around a mood that drifts upward
over time, so the NPS and CSAT trends have a shape. A dozen initiatives at 100,000
contacts (three at a few hundred), with participants and a handful of winners. Rows
are written with executemany on the demo's connection, after the people; events and
content are linked when the demo made some before this runs.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from crm.services.demo.bulk import Writer

SURVEY_COLUMNS = (
    "id",
    "title",
    "kind",
    "scale",
    "description",
    "event_id",
    "opened_on",
    "closed_on",
    "created_at",
)
QUESTION_COLUMNS = ("id", "survey_id", "position", "text", "kind", "choices")
RESPONSE_COLUMNS = (
    "id",
    "survey_id",
    "person_id",
    "event_id",
    "responded_at",
    "score",
    "comment",
    "tags",
    "answers",
)
INITIATIVE_COLUMNS = (
    "id",
    "title",
    "kind",
    "starts_on",
    "ends_on",
    "goal",
    "description",
    "created_at",
)
PARTICIPANT_COLUMNS = ("initiative_id", "person_id", "result", "joined_on")

# (title, scale, kind, score question)
_SURVEYS = (
    (
        "Community NPS",
        "nps",
        "survey",
        "How likely are you to recommend our community to a friend?",
    ),
    (
        "Meetup feedback",
        "nps",
        "survey",
        "How likely are you to recommend this meetup to a colleague?",
    ),
    ("Webinar satisfaction", "csat", "survey", "How satisfied were you with the webinar?"),
    ("Docs satisfaction", "csat", "survey", "How satisfied are you with the documentation?"),
    ("Onboarding check-in", "csat", "survey", "How satisfied are you with your first month?"),
    ("Next meetup topic", "nps", "poll", "How likely are you to come to the next meetup?"),
)
_WHY = "What is the main reason for your score?"
_TOPICS = ("Performance", "Security", "Tooling", "Career", "Open source")
_GOOD = (
    "Great speakers and a friendly crowd.",
    "I always learn something new.",
    "The docs answered everything I needed.",
    "Helpful people on the forum.",
    "Well organised, started on time.",
    "Loved the hands-on part.",
)
_MEH = (
    "Good, but the venue was too small.",
    "Some talks were too basic for me.",
    "Fine overall; the schedule came late.",
    "Audio was hard to follow at times.",
)
_BAD = (
    "Hard to find the schedule.",
    "Too much marketing, not enough content.",
    "Nobody answered my question on the forum.",
    "The livestream kept dropping.",
    "Examples in the docs are out of date.",
)
_TAGS = (
    "venue",
    "speakers",
    "content",
    "docs",
    "onboarding",
    "schedule",
    "networking",
    "food",
    "livestream",
    "forum",
)
_INITIATIVES = (
    ("Spring hackathon", "contest", "200 project submissions"),
    ("30 days of open source", "challenge", "500 people finishing every day"),
    ("Ambassador programme", "ambassador programme", "25 active ambassadors in 10 cities"),
    ("Security webinar series", "webinar series", "1,500 live attendees over the series"),
    ("Write for the blog", "campaign", "12 guest posts"),
    ("Swag for first PRs", "promotion", "300 first-time contributors"),
    ("Docs sprint", "challenge", "Close 150 docs issues"),
    ("Meetup in a box", "campaign", "20 new city meetups"),
    ("Community awards", "contest", "1,000 nominations"),
    ("Student champions", "ambassador programme", "40 university champions"),
    ("Year-end giveaway", "promotion", "5,000 newsletter sign-ups"),
    ("Demo day series", "webinar series", "8 sessions with 100 attendees each"),
)


def _score(r: random.Random, scale: str, mood: float) -> int:
    """A realistic score: mood (−1 … 1) shifts the whole distribution."""
    if scale == "nps":
        x = r.random() + 0.15 * mood
        if x < 0.2:
            return r.choice((0, 2, 3, 4, 5, 5, 6, 6, 6))
        if x < 0.55:
            return r.choice((7, 8, 8))
        return r.choice((9, 10, 10))
    x = r.random() + 0.1 * mood
    if x < 0.05:
        return r.choice((1, 2))
    if x < 0.2:
        return 3
    return 4 if x < 0.6 else 5


def _band_comment(r: random.Random, scale: str, score: int) -> str:
    good = score >= (9 if scale == "nps" else 4)
    bad = score <= (6 if scale == "nps" else 2)
    return r.choice(_GOOD if good else _BAD if bad else _MEH)


def write_feedback(
    w: Writer, seed: int, contacts: int, today: date, counts: dict[str, int]
) -> None:
    """Surveys, questions and responses; then initiatives and their participants."""
    if contacts <= 0:
        return
    r = random.Random(seed * 7919 + 5)
    w.execute("SELECT id FROM event WHERE archived_at IS NULL ORDER BY starts_at")
    events = [row[0] for row in w.cur.fetchall()]
    w.execute("SELECT id FROM content_item ORDER BY id")
    content = [row[0] for row in w.cur.fetchall()]
    created = f"{today.isoformat()} 09:00:00.000000"

    n_surveys = max(3, min(36, contacts // 3000))
    n_responses = max(10, contacts // 5)
    surveys, questions, plan = [], [], []
    qid = 0
    for sid in range(1, n_surveys + 1):
        title, scale, kind, ask = _SURVEYS[(sid - 1) % len(_SURVEYS)]
        back = int(720 * (n_surveys - sid) / n_surveys) + 7 + r.randrange(5)
        opened = today - timedelta(days=back)
        closed = opened + timedelta(days=30)
        event = r.choice(events) if events and title == "Meetup feedback" else None
        label = f"{title} — {opened:%B %Y}"
        surveys.append(
            (
                sid,
                label,
                kind,
                scale,
                f"{title} sent to members in {opened:%B %Y}.",
                event,
                opened.isoformat(),
                None if closed > today else closed.isoformat(),
                created,
            )
        )
        qid += 1
        questions.append((qid, sid, 0, ask, "score", "[]"))
        qid += 1
        why_q = qid
        questions.append((qid, sid, 1, _WHY, "text", "[]"))
        choice_q = None
        if kind == "poll" or r.random() < 0.4:
            qid += 1
            choice_q = qid
            questions.append(
                (
                    qid,
                    sid,
                    2,
                    "Which topic would you like next?",
                    "choice",
                    json.dumps(list(_TOPICS)),
                )
            )
        # the mood drifts upward over the two years, with a survey's own ups and downs
        mood = -0.4 + 0.8 * sid / n_surveys + r.uniform(-0.3, 0.3)
        # answers come in up to yesterday, so none is later than "now"
        until = min(closed, today - timedelta(days=1))
        plan.append((sid, scale, opened, until, event, choice_q, why_q, mood))
    weights = [r.uniform(0.5, 1.5) for _ in plan]
    total_w = sum(weights)
    responses = []
    rid = 0
    for (sid, scale, opened, until, event, choice_q, why_q, mood), wt in zip(
        plan, weights, strict=True
    ):
        window = max(1, (until - opened).days)
        for _ in range(max(1, round(n_responses * wt / total_w))):
            rid += 1
            score = _score(r, scale, mood)
            person = None if r.random() < 0.3 else r.randint(1, contacts)
            day = opened + timedelta(days=r.randrange(window + 1))
            when = f"{day.isoformat()} {r.randrange(7, 23):02d}:{r.randrange(60):02d}:00.000000"
            comment = _band_comment(r, scale, score) if r.random() < 0.45 else ""
            tags = ", ".join(sorted(set(r.sample(_TAGS, r.choice((0, 0, 1, 1, 2))))))
            answers = {}
            if choice_q is not None and r.random() < 0.7:
                answers[str(choice_q)] = r.choice(_TOPICS)
            if comment:
                answers[str(why_q)] = comment
            responses.append(
                (rid, sid, person, event, when, score, comment, tags, json.dumps(answers))
            )
    w.insert("survey", SURVEY_COLUMNS, surveys)
    w.insert("survey_question", QUESTION_COLUMNS, questions)
    w.insert("feedback_response", RESPONSE_COLUMNS, responses)
    counts["surveys"] = len(surveys)
    counts["feedback responses"] = len(responses)
    _write_initiatives(w, r, contacts, today, events, content, created, counts)


def _write_initiatives(  # type: ignore[no-untyped-def]
    w: Writer,
    r: random.Random,
    contacts: int,
    today: date,
    events,
    content,
    created,
    counts: dict[str, int],
) -> None:
    n = max(3, min(len(_INITIATIVES), contacts // 8000))
    rows, parts, ev_links, ct_links = [], [], [], []
    for iid in range(1, n + 1):
        title, kind, goal = _INITIATIVES[iid - 1]
        start = today - timedelta(days=r.randrange(-60, 400))
        end = (
            None
            if kind == "ambassador programme"
            else start + timedelta(days=r.choice((14, 30, 60, 90)))
        )
        rows.append(
            (
                iid,
                title,
                kind,
                start.isoformat(),
                end.isoformat() if end else None,
                goal,
                f"{title}: {goal.lower()}.",
                created,
            )
        )
        size = max(3, min(contacts, int(contacts * r.uniform(0.0015, 0.006))))
        people = r.sample(range(1, contacts + 1), size)
        winners = set(people[: r.randint(1, 3)]) if kind in ("contest", "challenge") else set()
        joined_day = start if start <= today else today
        for pid in people:
            result = "winner" if pid in winners else ("submitted" if r.random() < 0.3 else "joined")
            if start > today:
                result = "joined"
            day = joined_day - timedelta(days=r.randrange(0, 20))
            parts.append((iid, pid, result, day.isoformat()))
        if events:
            ev_links.extend(
                (iid, e) for e in sorted(set(r.sample(events, min(len(events), r.randint(0, 3)))))
            )
        if content:
            ct_links.extend(
                (iid, c) for c in sorted(set(r.sample(content, min(len(content), r.randint(0, 3)))))
            )
    w.insert("initiative", INITIATIVE_COLUMNS, rows)
    w.insert("initiative_participant", PARTICIPANT_COLUMNS, parts)
    w.insert("initiative_event", ("initiative_id", "event_id"), ev_links)
    w.insert("initiative_content", ("initiative_id", "content_id"), ct_links)
    counts["initiatives"] = len(rows)
    counts["initiative participants"] = len(parts)
