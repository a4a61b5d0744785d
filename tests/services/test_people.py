"""People: creating and editing with validation, links between people, and their details."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from crm.models import AuditEntry
from crm.services import NotFound, Services, ValidationError
from crm.services.people_data import (
    ConsentData,
    EmailData,
    HandleData,
    PersonInput,
    PersonRef,
    PhoneData,
)


def _audit(services: Services, action: str) -> list[AuditEntry]:
    with services.db.read() as s:
        return list(
            s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        )


def test_create_with_contact_points_and_read_back(services: Services) -> None:
    pid = services.people.create(
        PersonInput(
            given_name=" Ada ",
            family_name="Lovelace",
            pronouns="she/her",
            organisation="Analytical Engines",
            time_zone="Europe/London",
            roles=("speaker", "member"),
            emails=(EmailData("Ada@Example.COM", "work"), EmailData("  ")),
            phones=(PhoneData("(202) 456-1111", "mobile"), PhoneData("+44 20 7946 0958")),
            handles=(HandleData(" GitHub ", " ada "),),
            tags=("python", " python ", "rust", ""),
        )
    )
    p = services.people.get(pid)
    assert p.display_name == "Ada Lovelace"  # built from the given and family names
    assert p.given_name == "Ada"
    assert p.emails == (EmailData("Ada@example.com", "work"),)
    assert p.phones == (PhoneData("+12024561111", "mobile"), PhoneData("+442079460958", ""))
    assert p.handles == (HandleData("github", "ada"),)
    assert p.tags == ("python", "rust")
    assert p.roles == ("member", "speaker")  # in the app's order of roles
    assert p.time_zone == "Europe/London"
    assert p.archived_at is None


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        (PersonInput(), {"name"}),
        (PersonInput(display_name="   "), {"name"}),
        (PersonInput(display_name="A", emails=(EmailData("not-an-email"),)), {"emails[0]"}),
        (
            PersonInput(display_name="A", emails=(EmailData("a@b.org"), EmailData("x@"))),
            {"emails[1]"},
        ),
        (PersonInput(display_name="A", phones=(PhoneData("12"),)), {"phones[0]"}),
        (PersonInput(display_name="A", phones=(PhoneData("call me"),)), {"phones[0]"}),
        (PersonInput(display_name="A", time_zone="Mars/Olympus"), {"time_zone"}),
        (PersonInput(display_name="A", time_zone="America"), {"time_zone"}),  # a region
        (PersonInput(display_name="A", time_zone="Europe/" + "x" * 300), {"time_zone"}),
        (PersonInput(display_name="A", roles=("wizard",)), {"roles"}),
        (
            PersonInput(consents=(ConsentData("telepathy", True, date(2024, 1, 1)),)),
            {"name", "consents"},
        ),
        (PersonInput(display_name="A", referred_by_id=999), {"referred_by"}),
        (
            PersonInput(
                emails=(EmailData("bad"),), phones=(PhoneData("bad"),), time_zone="Nowhere"
            ),
            {"name", "emails[0]", "phones[0]", "time_zone"},
        ),
    ],
)
def test_invalid_input_is_refused_with_field_keys_and_writes_nothing(
    services: Services,
    snapshot: Callable[[], dict[str, int]],
    data: PersonInput,
    keys: set[str],
) -> None:
    # Tags would be created before anything else is written; they must not leak either.
    data = replace(data, tags=("newtag",))
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        services.people.create(data)
    assert set(err.value.errors) == keys
    assert all(err.value.errors.values())  # every key carries a message to show
    assert snapshot() == before


def test_refused_update_changes_nothing(
    services: Services, make_person: Callable[..., int], snapshot: Callable[[], dict[str, int]]
) -> None:
    pid = make_person("Grace Hopper", emails=(EmailData("grace@navy.mil"),), tags=("cobol",))
    before, detail = snapshot(), services.people.get(pid)
    bad = replace(
        detail.to_input(),
        display_name="Renamed",
        tags=("fresh",),
        emails=(EmailData("nope"),),
    )
    with pytest.raises(ValidationError) as err:
        services.people.update(pid, bad)
    assert set(err.value.errors) == {"emails[0]"}
    assert snapshot() == before
    assert services.people.get(pid) == detail


def test_update_replaces_children(
    services: Services, make_person: Callable[..., int], count_rows: Callable[[str], int]
) -> None:
    pid = make_person(
        "Alan Turing",
        emails=(EmailData("alan@bletchley.uk"), EmailData("alan@manchester.ac.uk")),
        phones=(PhoneData("+44 20 7946 0958"),),
        handles=(HandleData("mastodon", "@alan"),),
        roles=("expert", "speaker"),
        tags=("crypto", "maths"),
    )
    data = replace(
        services.people.get(pid).to_input(),
        emails=(EmailData("turing@example.org", "home"),),
        phones=(),
        handles=(HandleData("github", "aturing"),),
        roles=("member",),
        tags=("maths", "computing"),
    )
    services.people.update(pid, data)
    p = services.people.get(pid)
    assert p.emails == (EmailData("turing@example.org", "home"),)
    assert p.phones == ()
    assert p.handles == (HandleData("github", "aturing"),)
    assert p.roles == ("member",)
    assert p.tags == ("computing", "maths")
    # No orphans left behind in the child tables.
    assert count_rows("email") == 1
    assert count_rows("phone") == 0
    assert count_rows("handle") == 1
    assert count_rows("person_role") == 1
    assert count_rows("person_tag") == 2


def test_update_unknown_person_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound):
        services.people.update(12345, PersonInput(display_name="Ghost"))
    with pytest.raises(NotFound):
        services.people.get(12345)


def test_consents_are_kept_and_every_change_is_audited(
    services: Services, make_person: Callable[..., int]
) -> None:
    given = ConsentData("newsletter", True, date(2024, 3, 1), "signup form")
    pid = make_person("Margaret Hamilton", consents=(given,))
    assert services.people.get(pid).consents == (given,)
    # The consent given at creation is the first entry of its history.
    assert [e.detail for e in _audit(services, "consent")] == [
        {
            "kind": "newsletter",
            "granted": True,
            "recorded_on": "2024-03-01",
            "source": "signup form",
        }
    ]

    services.people.set_consent(pid, "partner sharing", True, "email", on=date(2024, 4, 2))
    services.people.set_consent(pid, "newsletter", False, "unsubscribed", on=date(2024, 5, 3))
    p = services.people.get(pid)
    assert p.consents == (
        ConsentData("partner sharing", True, date(2024, 4, 2), "email"),
        ConsentData("newsletter", False, date(2024, 5, 3), "unsubscribed"),
    )
    history = [
        (e.entity_id, e.detail["kind"], e.detail["granted"]) for e in _audit(services, "consent")
    ]
    assert history == [
        (pid, "newsletter", True),
        (pid, "partner sharing", True),
        (pid, "newsletter", False),
    ]

    # Saving the person unchanged records no new consent event.
    services.people.update(pid, p.to_input())
    assert len(_audit(services, "consent")) == 3


def test_relationships_show_from_both_sides(
    services: Services, make_person: Callable[..., int]
) -> None:
    mentor = make_person("Barbara Liskov")
    mentee = make_person("Jeannette Wing")
    rid = services.people.add_relationship(mentor, mentee, "mentor of")
    assert services.people.add_relationship(mentor, mentee, "mentor of") == rid  # no duplicate

    (out,) = services.people.get(mentor).relationships
    assert (out.id, out.kind, out.other_id, out.other_name, out.outgoing) == (
        rid,
        "mentor of",
        mentee,
        "Jeannette Wing",
        True,
    )
    (inc,) = services.people.get(mentee).relationships
    assert (inc.kind, inc.other_id, inc.other_name, inc.outgoing) == (
        "mentor of",
        mentor,
        "Barbara Liskov",
        False,
    )

    services.people.remove_relationship(rid)
    assert services.people.get(mentor).relationships == ()
    assert services.people.get(mentee).relationships == ()


def test_relationship_validation(services: Services, make_person: Callable[..., int]) -> None:
    a, b = make_person("A"), make_person("B")
    with pytest.raises(ValidationError) as err:
        services.people.add_relationship(a, b, "nemesis of")
    assert set(err.value.errors) == {"kind"}
    with pytest.raises(ValidationError) as err:
        services.people.add_relationship(a, a, "works with")
    assert set(err.value.errors) == {"other"}
    with pytest.raises(NotFound):
        services.people.add_relationship(a, 999, "works with")


def test_referral_and_referrals(services: Services, make_person: Callable[..., int]) -> None:
    host = make_person("Linus")
    b = make_person("Zed", referred_by_id=host)
    a = make_person("Anna", referred_by_id=host)
    assert services.people.get(b).referred_by == PersonRef(host, "Linus")
    assert services.people.get(host).referrals == (PersonRef(a, "Anna"), PersonRef(b, "Zed"))
    assert services.people.get(host).referred_by is None

    with pytest.raises(ValidationError) as err:
        services.people.update(
            host, replace(services.people.get(host).to_input(), referred_by_id=host)
        )
    assert set(err.value.errors) == {"referred_by"}

    # When the referrer is deleted for good, the people they brought stay, unlinked.
    services.people.archive([host])
    services.people.purge([host])
    assert services.people.get(b).referred_by is None


@pytest.mark.parametrize(
    ("kind", "choices", "raw", "stored"),
    [
        ("text", None, "  likes tea ", "likes tea"),
        ("number", None, "1,200", "1200"),
        ("number", None, "2.5", "2.5"),
        ("date", None, "2024-02-29", "2024-02-29"),
        ("choice", ["gold", "silver"], "gold", "gold"),
    ],
)
def test_custom_field_values_of_each_type(
    services: Services,
    make_person: Callable[..., int],
    kind: str,
    choices: list[str] | None,
    raw: str,
    stored: str,
) -> None:
    fid = services.fields.create("person", "Extra", kind, choices)
    pid = make_person("Custom Carl", custom={fid: raw})
    (value,) = services.people.get(pid).custom
    assert (value.field_id, value.name, value.type, value.value) == (fid, "Extra", kind, stored)
    (row,) = services.people.rows([pid])
    assert row.custom == {fid: stored}

    # Clearing the value removes it.
    services.people.update(pid, replace(services.people.get(pid).to_input(), custom={fid: ""}))
    assert services.people.get(pid).custom[0].value == ""


@pytest.mark.parametrize(
    ("kind", "choices", "raw"),
    [
        ("number", None, "lots"),
        ("number", None, "inf"),
        ("number", None, "NaN"),
        ("date", None, "31/12/2024"),
        ("date", None, "2023-02-29"),
        ("choice", ["gold", "silver"], "bronze"),
    ],
)
def test_invalid_custom_field_value_is_refused(
    services: Services,
    snapshot: Callable[[], dict[str, int]],
    kind: str,
    choices: list[str] | None,
    raw: str,
) -> None:
    fid = services.fields.create("person", "Extra", kind, choices)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        services.people.create(PersonInput(display_name="Val", custom={fid: raw}))
    assert set(err.value.errors) == {f"custom:{fid}"}
    assert "Extra" in err.value.errors[f"custom:{fid}"]
    assert snapshot() == before


def test_saving_the_edit_dialog_unchanged_changes_nothing(
    services: Services, make_person: Callable[..., int]
) -> None:
    fid = services.fields.create("person", "Joined", "date")
    ref = make_person("Referrer")
    pid = make_person(
        "Full Record",
        given_name="Full",
        family_name="Record",
        pronouns="they/them",
        organisation="Org",
        title="CTO",
        city="Lyon",
        country="France",
        time_zone="Europe/Paris",
        bio="bio",
        notes="notes",
        roles=("staff", "member"),
        emails=(EmailData("full@record.fr", "work"),),
        phones=(PhoneData("+33 1 23 45 67 89", "office"),),
        handles=(HandleData("github", "full"),),
        tags=("b", "a"),
        consents=(ConsentData("photos", True, date(2024, 1, 1), "form"),),
        referred_by_id=ref,
        next_follow_up=date(2025, 6, 1),
        custom={fid: "2021-09-09"},
        photo=b"\x89PNG fake",
    )
    before = services.people.get(pid)
    services.people.update(pid, before.to_input())
    assert services.people.get(pid) == before
    assert before.photo == b"\x89PNG fake"
    assert before.phones == (PhoneData("+33123456789", "office"),)


def test_ids_of_people_deleted_for_good_are_never_reused(services) -> None:
    from crm.services.people_data import PersonInput

    first = services.people.create(PersonInput(given_name="Gone"))
    services.people.archive([first])
    services.people.purge([first])
    second = services.people.create(PersonInput(given_name="New"))
    assert second > first
