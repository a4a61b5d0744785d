"""DuplicateService: finding pairs, merging without loss, undoing a merge exactly."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from crm.services import ServiceError, Services
from crm.services.common import NotFound, ValidationError
from crm.services.communities import CommunityInput
from crm.services.people_data import ConsentData, EmailData, HandleData, PhoneData


def test_find_pairs_by_email_phone_and_name_at_the_same_organisation(
    services: Services, make_person
) -> None:  # type: ignore[no-untyped-def]
    a = make_person("Ada Lovelace", emails=(EmailData("Ada@Example.com"),))
    b = make_person("Augusta King", emails=(EmailData("ada@example.com"),))
    c = make_person("Grace", phones=(PhoneData("+1 650 253 0000"),))
    d = make_person("G. Hopper", phones=(PhoneData("(650) 253-0000"),))
    e = make_person("John Smith", organisation="Acme")
    f = make_person("Jon Smith", organisation="ACME")
    g = make_person("Mary Major", organisation="Acme")
    h = make_person("mary  major", organisation="acme")
    make_person("Jon Smith", organisation="Elsewhere")  # same name, other organisation
    make_person("Alan Turing", organisation="Acme")
    pairs = {(p.a.id, p.b.id): (p.reason, p.score) for p in services.duplicates.find()}
    assert pairs == {
        (a, b): ("same email", 100.0),
        (c, d): ("same phone", 100.0),
        (g, h): ("same name at the same organisation", 100.0),
        (e, f): ("similar name at the same organisation", pytest.approx(94.7, abs=1)),
    }


def test_find_skips_the_trash_honours_limit_and_cancel(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    ids = [make_person(f"P{i}", emails=(EmailData(f"x{i // 2}@example.com"),)) for i in range(6)]
    services.people.archive([ids[0]])
    assert len(services.duplicates.find()) == 2
    assert len(services.duplicates.find(limit=1)) == 1
    with pytest.raises(ServiceError, match="cancelled"):
        services.duplicates.find(cancelled=lambda: True)


@pytest.fixture
def rich_pair(services: Services, make_person, log_touch):  # type: ignore[no-untyped-def]
    """Two records of one person, each with rows of every kind, and their neighbours."""
    field = services.fields.create("person", "T-shirt", "text")
    friend = make_person("Friend")
    keep = make_person(
        "Ada Lovelace",
        organisation="Analytical Engines",
        emails=(EmailData("ada@example.com", "work"),),
        phones=(PhoneData("+1 650 253 0000"),),
        tags=("maths",),
        roles=("member",),
        consents=(ConsentData("partner sharing", False, date(2026, 1, 5), "form"),),
        custom={field: "M"},
        notes="Keeper notes",
    )
    other = make_person(
        "Ada King",
        title="Countess",
        city="London",
        emails=(EmailData("ADA@example.com"), EmailData("ada@home.example")),
        phones=(PhoneData("+44 20 7946 0958"),),
        handles=(HandleData("github", "ada"),),
        tags=("poetry", "maths"),
        roles=("speaker",),
        consents=(
            ConsentData("partner sharing", True, date(2026, 3, 1), "call"),
            ConsentData("photos", True, date(2026, 2, 1)),
        ),
        custom={field: "L"},
        referred_by_id=friend,
        notes="Other notes",
        photo=b"\x89PNGdata",
    )
    referred = make_person("Referred", referred_by_id=other)
    services.people.add_relationship(other, friend, "works with")
    services.people.add_relationship(friend, other, "mentor of")
    services.people.add_relationship(keep, other, "friend of")
    club = services.communities.create(CommunityInput("Club"))
    both = services.communities.create(CommunityInput("Both"))
    services.communities.add_member(club, [other], role="liaison")
    services.communities.add_member(both, [keep, other])
    t1 = log_touch([other, friend], "Coffee", datetime(2026, 4, 1, 10))
    t2 = log_touch([keep, other], "Together", datetime(2026, 4, 2, 10))
    t3 = log_touch([keep], "Alone", datetime(2026, 4, 3, 10))
    return {
        "keep": keep, "other": other, "friend": friend, "referred": referred,
        "club": club, "field": field, "touches": (t1, t2, t3),
    }  # fmt: skip


def test_merge_keeps_every_field_tag_consent_membership_relationship_and_interaction(
    services: Services, rich_pair, count_rows
) -> None:  # type: ignore[no-untyped-def]
    keep, other = rich_pair["keep"], rich_pair["other"]
    people_before = count_rows("person")
    services.duplicates.merge(keep, other)
    assert count_rows("person") == people_before - 1
    with pytest.raises(NotFound):
        services.people.get(other)
    p = services.people.get(keep)
    assert p.display_name == "Ada Lovelace" and p.organisation == "Analytical Engines"
    assert (p.title, p.city) == ("Countess", "London")  # empty fields filled
    assert "Ada King" in p.notes and "Keeper notes" in p.notes and "Other notes" in p.notes
    assert "T-shirt: L" in p.notes  # the custom value that differed is kept in notes
    assert {e.address.lower() for e in p.emails} == {"ada@example.com", "ada@home.example"}
    assert {x.number for x in p.phones} == {"+16502530000", "+442079460958"}
    assert [(h.network, h.handle) for h in p.handles] == [("github", "ada")]
    assert set(p.tags) == {"maths", "poetry"} and set(p.roles) == {"member", "speaker"}
    consents = {c.kind: (c.granted, c.recorded_on) for c in p.consents}
    assert consents == {
        "partner sharing": (True, date(2026, 3, 1)),  # the newer one wins
        "photos": (True, date(2026, 2, 1)),
    }
    assert {c.community_name for c in p.communities} == {"Club", "Both"}
    assert p.referred_by is not None and p.referred_by.id == rich_pair["friend"]
    assert [r.id for r in p.referrals] == [rich_pair["referred"]]
    rels = {(r.kind, r.other_id, r.outgoing) for r in p.relationships}
    assert rels == {
        ("works with", rich_pair["friend"], True),
        ("mentor of", rich_pair["friend"], False),
    }
    assert p.photo == b"\x89PNGdata"
    assert services.interactions.timeline_count(keep) == 3
    with services.db.read() as s:
        from sqlalchemy import text

        audited = (
            s.execute(
                text(
                    "SELECT detail FROM audit_log WHERE action = 'consent' AND entity_id = :k "
                    "ORDER BY id DESC LIMIT 2"
                ),
                {"k": keep},
            )
            .scalars()
            .all()
        )
    assert {json.loads(d)["kind"] for d in audited} == {"partner sharing", "photos"}
    assert services.search.person_ids("Countess") == [keep]


def test_unmerge_restores_both_people_exactly(services: Services, rich_pair, changes) -> None:  # type: ignore[no-untyped-def]
    keep, other = rich_pair["keep"], rich_pair["other"]
    snap = services.duplicates.snapshot
    before = (snap(keep), snap(other), snap(rich_pair["friend"]), snap(rich_pair["referred"]))
    timeline = [r.summary for r in services.interactions.timeline(other)]
    merge_id = services.duplicates.merge(keep, other)
    services.duplicates.unmerge(merge_id)
    after = (snap(keep), snap(other), snap(rich_pair["friend"]), snap(rich_pair["referred"]))
    assert after == before
    with services.db.read() as s:
        from sqlalchemy import text

        last = s.execute(
            text(
                "SELECT detail FROM audit_log WHERE action = 'consent' AND entity_id = :k "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"k": keep},
        ).scalar_one()
    assert json.loads(last)["granted"] is False  # the keeper's own consent is back, logged
    assert [r.summary for r in services.interactions.timeline(other)] == timeline
    assert services.search.person_ids("Countess") == [other]
    (entry,) = services.duplicates.journal()
    assert (entry.kept.id, entry.merged_name) == (keep, "Ada King")
    assert entry.undone_at is not None
    with pytest.raises(ServiceError, match="already undone"):
        services.duplicates.unmerge(merge_id)
    assert any(c.touches("people") and other in c.ids for c in changes)


def test_merge_and_unmerge_are_in_the_audit_log(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    a, b = make_person("A"), make_person("B")
    mid = services.duplicates.merge(a, b)
    services.duplicates.unmerge(mid)
    with services.db.read() as s:
        actions = (
            s.execute(
                text("SELECT action FROM audit_log WHERE action IN ('merge','unmerge') ORDER BY id")
            )
            .scalars()
            .all()
        )
    assert actions == ["merge", "unmerge"]


def test_merge_refuses_nonsense(services: Services, make_person) -> None:  # type: ignore[no-untyped-def]
    a = make_person("A")
    with pytest.raises(ValidationError):
        services.duplicates.merge(a, a)
    with pytest.raises(NotFound):
        services.duplicates.merge(a, 9999)
    with pytest.raises(NotFound):
        services.duplicates.unmerge(12345)


def test_unmerge_after_the_kept_person_was_deleted_is_refused(
    services: Services, make_person, snapshot
) -> None:  # type: ignore[no-untyped-def]
    a, b = make_person("A"), make_person("B")
    mid = services.duplicates.merge(a, b)
    services.people.archive([a])
    services.people.purge([a])
    before = snapshot()
    with pytest.raises(ServiceError, match="deleted after the merge"):
        services.duplicates.unmerge(mid)
    assert snapshot() == before
