"""The content calendar service: validation, filters, sorting, weeks, guest authors, undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from crm.models.engagement import Initiative
from crm.services import NotFound, Services, ValidationError
from crm.services.content import ContentFilter
from crm.services.content_data import ContentInput, calendar_day, clean_url
from crm.services.people_data import PersonInput

TODAY = date.today()


def _item(services: Services, title: str, **kw: object) -> int:
    return services.content.create(ContentInput(title, **kw))  # type: ignore[arg-type]


def test_create_and_read_back(services: Services) -> None:
    ann = services.people.create(PersonInput(display_name="Ann Lee"))
    iid = _item(
        services,
        "  Scaling   meetups ",
        kind="video",
        status="review",
        channel=" YouTube ",
        owner=" Kim ",
        guest_author_id=ann,
        due_on=date(2025, 3, 4),
        url="blog.example.org/scaling",
        notes=" draft in docs ",
    )
    d = services.content.get(iid)
    assert (d.title, d.kind, d.status, d.channel, d.owner) == (
        "Scaling meetups",
        "video",
        "review",
        "YouTube",
        "Kim",
    )
    assert (d.guest_author_id, d.guest_author) == (ann, "Ann Lee")
    assert d.url == "https://blog.example.org/scaling"
    assert d.notes == "draft in docs"
    assert d.due_on == date(2025, 3, 4) and d.publish_on is None
    (row,) = services.content.rows([iid])
    assert row.guest_author == "Ann Lee" and row.status == "review"
    assert services.content.count() == 1
    assert services.content.owners() == ["Kim"]
    assert services.content.channels() == ["YouTube"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"kind": "podcast"}, "kind"),
        ({"status": "done"}, "status"),
        ({"status": "published"}, "publish_on"),  # published needs a publish date
        ({"status": "scheduled"}, "publish_on"),
        ({"status": "published", "publish_on": TODAY + timedelta(days=3)}, "publish_on"),
        ({"url": "ftp://files.example.org/x"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://"}, "url"),
        ({"due_on": date(1500, 1, 1)}, "due_on"),
        ({"guest_author_id": 999}, "guest_author_id"),
        ({"channel": "c" * 61}, "channel"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    services: Services, change: dict[str, object], field: str
) -> None:
    good = ContentInput("A post", due_on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as err:
        services.content.create(replace(good, **change))  # type: ignore[arg-type]
    assert field in err.value.errors
    assert services.content.count() == 0


def test_update_refuses_and_keeps_the_old_values(services: Services) -> None:
    iid = _item(services, "Post", status="drafting")
    with pytest.raises(ValidationError):
        services.content.update(iid, ContentInput("Post", status="published"))
    assert services.content.get(iid).status == "drafting"
    services.content.update(iid, ContentInput("Post", status="published", publish_on=TODAY))
    assert services.content.get(iid).status == "published"
    with pytest.raises(NotFound):
        services.content.update(9999, ContentInput("x"))


def test_guest_author_in_the_trash_is_refused(services: Services) -> None:
    ann = services.people.create(PersonInput(display_name="Ann"))
    services.people.archive([ann])
    with pytest.raises(ValidationError, match="Trash"):
        _item(services, "Post", guest_author_id=ann)


def test_url_cleaning() -> None:
    assert clean_url("") == ("", None)
    assert clean_url("http://localhost:8000/x") == ("http://localhost:8000/x", None)
    assert clean_url("HTTPS://Example.org") == ("HTTPS://Example.org", None)
    assert clean_url("example.org/a b")[1] is not None
    assert clean_url("mailto:a@example.org")[1] is not None


def test_filters_and_sorts(services: Services) -> None:
    a = _item(services, "Alpha", kind="video", owner="Kim", due_on=date(2025, 1, 3))
    b = _item(services, "beta", kind="docs", owner="Sam", status="drafting")
    c = _item(
        services,
        "Gamma",
        kind="video",
        status="published",
        publish_on=date(2024, 12, 1),
        due_on=date(2024, 11, 30),
    )
    q = services.content.query_ids
    assert q(ContentFilter(kind="video")) == [c, a]  # by due date, undated last
    assert q(ContentFilter(status="drafting")) == [b]
    assert q(ContentFilter(owner="Kim")) == [a]
    assert q(ContentFilter(owner="")) == [c]
    assert q(ContentFilter(text="amm")) == [c]
    assert q(ContentFilter(text="%")) == []  # LIKE wildcards are literal
    assert q(sort="title") == [a, b, c]  # case-insensitive
    assert q(sort="title", descending=True) == [c, b, a]
    assert q(sort="status") == [a, b, c]  # idea, drafting, published: the workflow order
    assert q(sort="due_on") == [c, a, b]


def test_by_author_lists_what_a_person_wrote(services: Services) -> None:
    ann = services.people.create(PersonInput(display_name="Ann"))
    old = _item(services, "Old", guest_author_id=ann, due_on=date(2024, 1, 1))
    new = _item(services, "New", guest_author_id=ann, due_on=date(2025, 1, 1))
    _item(services, "Someone else's")
    assert [r.id for r in services.content.by_author(ann)] == [new, old]
    assert services.content.query_ids(ContentFilter(text="ann")) == [old, new]


def test_calendar_day_rules() -> None:
    d1, d2 = date(2025, 1, 6), date(2025, 1, 20)
    assert calendar_day("drafting", d1, d2) == (d1, "due")
    assert calendar_day("scheduled", d1, d2) == (d2, "scheduled")
    assert calendar_day("published", d1, d2) == (d2, "published")
    assert calendar_day("idea", None, d2) == (d2, "planned")


def test_weeks_places_items_on_their_day(services: Services) -> None:
    monday = date(2025, 1, 6)
    due = _item(services, "Due", status="drafting", due_on=monday + timedelta(days=2))
    pub = _item(
        services,
        "Pub",
        status="published",
        due_on=monday - timedelta(days=20),
        publish_on=monday + timedelta(days=8),
    )
    _item(services, "Later", due_on=monday + timedelta(days=30))
    entries = services.content.weeks(monday, 2)
    assert [(e.id, e.day, e.what) for e in entries] == [
        (due, monday + timedelta(days=2), "due"),
        (pub, monday + timedelta(days=8), "published"),
    ]
    # A published item no longer sits on its old due date.
    assert services.content.weeks(monday - timedelta(days=21), 1) == []
    assert [e.id for e in services.content.weeks(monday, 2, ContentFilter(status="drafting"))] == [
        due
    ]


def test_set_status_is_all_or_nothing(services: Services) -> None:
    a = _item(services, "A", publish_on=TODAY)
    b = _item(services, "B")
    with pytest.raises(ValidationError, match="B: "):
        services.content.set_status([a, b], "published")
    assert [r.status for r in services.content.rows([a, b])] == ["idea", "idea"]
    services.content.set_status([a], "published")
    assert services.content.get(a).status == "published"


def test_delete_and_undo_keep_the_id_and_initiative_links(services: Services) -> None:
    ann = services.people.create(PersonInput(display_name="Ann"))
    iid = _item(services, "Post", guest_author_id=ann, due_on=date(2025, 2, 2))
    with services.db.session() as s:
        ini = Initiative(title="Spring campaign")
        s.add(ini)
        s.flush()
        s.execute(text("INSERT INTO initiative_content VALUES (:i, :c)"), {"i": ini.id, "c": iid})
        ini_id = ini.id
    assert services.content.get(iid).initiatives == ((ini_id, "Spring campaign"),)
    seen: list[frozenset[str]] = []
    services.changes.subscribe(lambda ch: seen.append(ch.areas))
    gone = services.content.delete(iid)
    assert services.content.count() == 0
    assert "content" in seen[-1]
    with pytest.raises(NotFound):
        services.content.get(iid)
    services.content.restore(gone)
    back = services.content.get(iid)
    assert back.title == "Post" and back.guest_author_id == ann
    assert back.initiatives == ((ini_id, "Spring campaign"),)
    with pytest.raises(ValidationError):
        services.content.restore(gone)


def test_deleting_the_guest_author_for_good_unlinks_the_item(services: Services) -> None:
    ann = services.people.create(PersonInput(display_name="Ann"))
    iid = _item(services, "Post", guest_author_id=ann)
    services.people.archive([ann])
    services.people.purge([ann])
    assert services.content.get(iid).guest_author_id is None
