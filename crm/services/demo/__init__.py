"""`crm demo`: realistic, deterministic sample data for every table, written fast.

The same seed gives the same data (for a given `now`). All of it is written in one
transaction through executemany on the session's connection, with ids assigned in
Python and secondary indexes built once at the end, which is what lets 100,000
people and a million interactions load in seconds rather than minutes. Progress is
reported between batches; cancelling raises inside the transaction, so a cancelled
run leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from crm.models import utcnow
from crm.services import search
from crm.services.common import ServiceError, gc_paused
from crm.services.database import Database
from crm.services.demo.advocacy import COUNTED as OPERATIONS_COUNTED
from crm.services.demo.advocacy import write_operations
from crm.services.demo.bulk import Cancelled, Writer
from crm.services.demo.clock import ts
from crm.services.demo.content import write_content, write_goals
from crm.services.demo.events import write_events
from crm.services.demo.feedback import write_feedback
from crm.services.demo.interactions import INTERACTION_COLUMNS
from crm.services.demo.organiser import write_organiser
from crm.services.demo.outreach import write_outreach
from crm.services.demo.people import PERSON_COLUMNS, Batch
from crm.services.demo.produce import Plan, WorldRows, produce, produce_in_child, should_fork

__all__ = ["Cancelled", "generate"]

# Progress units: roughly microseconds of work per person or interaction in each
# stage on a 2-core laptop, so that the bar moves at an even pace.
COST_PERSON = 45
COST_INTERACTION = 6
COST_INDEX = 10  # per person: rebuilding the deferred indexes
COST_FTS = 2  # per interaction: the interaction search index
COST_PERSON_FTS = 30  # per person: the people and community search documents
COST_EVENTS = 15  # per person: events and about two invitations each
# The counts generate() returns, in the order `crm demo` prints them.
COUNTED = (
    "people",
    "emails",
    "phones",
    "handles",
    "roles",
    "tags",
    "person tags",
    "consents",
    "relationships",
    "referrals",
    "custom fields",
    "custom values",
    "communities",
    "memberships",
    "interactions",
    "participants",
    "content items",
    "goals",
    *OPERATIONS_COUNTED,
    "surveys",
    "feedback responses",
    "initiatives",
    "initiative participants",
    "events",
    "agenda items",
    "logistics tasks",
    "invitations",
)
# Tables whose secondary indexes are dropped while loading and rebuilt at the end.
INDEXED_LATER = (
    "person",
    "email",
    "phone",
    "handle",
    "person_role",
    "person_tag",
    "consent",
    "membership",
    "relationship",
    "field_value",
    "audit_log",
    "interaction",
    "participant",
)
FTS_TABLES = ("person_fts", "community_fts", "interaction_fts")
AUDIT = "audit_log"
AUDIT_COLUMNS = ("id", "at", "action", "entity", "entity_id", "detail")
FIELD_DEF_COLUMNS = ("id", "entity", "name", "type", "choices", "position")
FIELD_VALUE_COLUMNS = ("field_id", "entity_id", "text", "number")
COMMUNITY_COLUMNS = (
    "id",
    "name",
    "kind",
    "status",
    "website",
    "size",
    "notes",
    "created_at",
    "archived_at",
)


def _check_empty(writer: Writer) -> None:
    for table in ("person", "community", "tag", "interaction", "field_def"):
        writer.cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if writer.cur.fetchone()[0]:
            raise ServiceError("demo data goes into an empty database; this one holds data")


def _write_people(w: Writer, b: Batch, counts: dict[str, int]) -> None:
    w.insert("person", PERSON_COLUMNS, b.person)
    w.insert("person_role", ("person_id", "role"), b.role)
    w.insert("email", ("id", "person_id", "address", "label"), b.email)
    w.insert("phone", ("id", "person_id", "number", "label"), b.phone)
    w.insert("handle", ("id", "person_id", "network", "handle"), b.handle)
    w.insert("person_tag", ("person_id", "tag_id"), b.person_tag)
    w.insert("consent", ("person_id", "kind", "granted", "recorded_on", "source"), b.consent)
    w.insert("membership", ("person_id", "community_id", "role", "since"), b.membership)
    w.insert("relationship", ("id", "person_id", "other_id", "kind"), b.relationship)
    w.insert("field_value", FIELD_VALUE_COLUMNS, b.field_value)
    w.insert(AUDIT, AUDIT_COLUMNS, b.audit)
    for key, rows in (
        ("people", b.person),
        ("emails", b.email),
        ("phones", b.phone),
        ("handles", b.handle),
        ("roles", b.role),
        ("person tags", b.person_tag),
        ("consents", b.consent),
        ("memberships", b.membership),
        ("relationships", b.relationship),
        ("custom values", b.field_value),
    ):
        counts[key] += len(rows)
    referred = PERSON_COLUMNS.index("referred_by_id")
    counts["referrals"] += sum(1 for p in b.person if p[referred] is not None)


def generate(
    db: Database,
    *,
    contacts: int,
    interactions: int | None = None,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    now: datetime | None = None,
    parallel: bool | None = None,
) -> dict[str, int]:
    """Fill an empty database; returns how many rows of each kind were created.

    interactions defaults to ten per contact; the attendance records of the attended
    invitations count within it (a smaller number still gets those, about one per
    contact). now (naive UTC) pins "today" so that
    tests can compare two runs; by default it is the current time. parallel chooses
    whether rows are generated in a child process (None: when it pays off). Raises
    ServiceError("cancelled") when cancelled() turns true, with nothing written.
    """
    if contacts < 0 or (interactions is not None and interactions < 0):
        raise ValueError("contacts and interactions cannot be negative")
    n_inter = 10 * contacts if interactions is None else interactions
    if contacts == 0:
        n_inter = 0
    plan = Plan(contacts, n_inter, int(seed), (now or utcnow()).replace(microsecond=0, tzinfo=None))
    if parallel is None:
        parallel = should_fork(plan)
    # Millions of fresh tuples would trigger full cyclic-GC passes over all of them,
    # for nothing: they hold no cycles. Collection resumes when the load is over.
    with gc_paused(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        # Ids are assigned here, so every reference is valid by construction (the
        # tests run PRAGMA foreign_key_check); checking each of ~3 million rows
        # costs seconds. The pragma only takes effect outside a transaction, so it
        # is set before the load begins and restored after it commits or rolls back.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with Session(bind=conn) as s, s.begin():
                return _load(s, plan, parallel, progress, cancelled)
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _load(
    s: Session,
    plan: Plan,
    parallel: bool,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> dict[str, int]:
    n, m = plan.contacts, plan.interactions
    total = (COST_PERSON + COST_INDEX + COST_PERSON_FTS + COST_EVENTS) * n + (
        COST_INTERACTION + COST_FTS
    ) * m
    w = Writer(s, total, progress, cancelled)
    source = produce_in_child(plan) if parallel else produce(plan)
    counts = dict.fromkeys(COUNTED, 0)
    try:
        w.step(0)
        _check_empty(w)
        demo = f'{{"seed": {plan.seed}}}'
        w.insert(AUDIT, AUDIT_COLUMNS, [(1, ts(plan.now), "demo", "database", None, demo)])
        w.suspend("index", INDEXED_LATER)
        w.suspend("trigger", ("interaction",))
        w.fts_load_mode(FTS_TABLES, on=True)
        for kind, body in source:
            if kind == "world":
                _write_world(w, body, counts)  # type: ignore[arg-type]
            elif kind == "people":
                _write_people(w, body, counts)  # type: ignore[arg-type]
                w.step(COST_PERSON * len(body.person))  # type: ignore[attr-defined]
            elif kind == "interactions":
                rows, parts = body  # type: ignore[misc]
                w.insert("interaction", INTERACTION_COLUMNS, rows)
                w.insert("participant", ("interaction_id", "person_id"), parts)
                counts["interactions"] += len(rows)
                counts["participants"] += len(parts)
                w.step(COST_INTERACTION * len(rows))
            elif kind == "events":  # with the attendance links to the interactions above
                counts.update(write_events(w, body))  # type: ignore[arg-type]
                w.step(COST_EVENTS * plan.contacts)
            elif kind == "last":
                w.executemany(
                    "UPDATE person SET last_interaction_at = ? WHERE id = ?",
                    ((when, pid) for pid, when in body),  # type: ignore[attr-defined]
                )
        # Outreach cards target events: written after them.
        counts.update(write_outreach(w, plan.seed, plan.now, plan.contacts))
        write_operations(w, plan, counts)  # advocacy, department tasks, moderation
        _finish(w, s, plan)
        if plan.contacts:
            write_organiser(w)  # whom invitations name as organiser (File → Settings…)
            counts["content items"] = write_content(
                w, seed=plan.seed, contacts=plan.contacts, now=plan.now
            )
            # After events and content, which initiatives link to; before the goals.
            write_feedback(w, plan.seed, plan.contacts, plan.now.date(), counts)
            # Goals last: their baselines and targets are set against everything else.
            counts["goals"] = write_goals(w, s, now=plan.now)
        w.fts_load_mode(FTS_TABLES, on=False)
        w.finish()
    finally:
        source.close()
        w.close()
    return counts


def _write_world(w: Writer, world: WorldRows, counts: dict[str, int]) -> None:
    w.insert("tag", ("id", "name"), world.tags)
    w.insert("field_def", FIELD_DEF_COLUMNS, world.field_defs)
    w.insert("community", COMMUNITY_COLUMNS, world.communities)
    w.insert("field_value", FIELD_VALUE_COLUMNS, world.field_values)
    counts["tags"] = len(world.tags)
    counts["custom fields"] = len(world.field_defs)
    counts["communities"] = len(world.communities)
    counts["custom values"] += len(world.field_values)


def _finish(w: Writer, s: Session, plan: Plan) -> None:
    """Rebuild what was deferred: indexes, the interaction index, the search documents."""
    w.restore("index")
    w.step(COST_INDEX * plan.contacts)
    # Writing interaction_fts row by row through its trigger is about eight times slower than
    # one FTS5 'rebuild' at the end (docs/PERFORMANCE.md), so the trigger sat it out.
    w.restore("trigger")
    search.rebuild_interactions(s)
    w.step(COST_FTS * plan.interactions)
    search.reindex_people(s)
    search.reindex_communities(s)
