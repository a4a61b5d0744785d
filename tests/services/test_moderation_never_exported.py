"""Moderation data never leaves through an export or a report, only as counts.

Every export path the `crm` command offers is run on a database holding cases with
recognisable text, and every file and every line printed is searched for it. The list
of export subcommands is read from the parser: a new export this test does not know how
to drive fails it, so that whoever adds one also proves it keeps cases in.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import zlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from crm.cli import build_parser, main
from crm.models import Event, Invitation
from crm.services import Services
from crm.services.communities import CommunityInput
from crm.services.exports import PARTNER_CONSENT, PARTNER_FIELDS
from crm.services.moderation import CaseInput
from crm.services.people_data import ConsentData, EmailData, PersonInput

SECRETS = ("ZQXGUIDELINE", "ZQXNOTES", "ZQXCHANNEL")
_FLATE = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _readable(data: bytes) -> bytes:
    """The bytes of a file plus any zlib streams in it inflated (PDF pages are compressed)."""
    out = [data]
    for m in _FLATE.finditer(data):
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(m.group(1)))
    return b"\n".join(out)


def _assert_clean(data: bytes, where: str) -> None:
    text = _readable(data).lower()
    for secret in SECRETS:
        assert secret.lower().encode() not in text, f"{secret} leaked through {where}"


@pytest.fixture
def world(services: Services, make_person: Callable[..., int]) -> dict[str, int]:
    consent = (ConsentData(PARTNER_CONSENT, True, date.today(), "form"),)
    troll = make_person(
        "Tess Troll", emails=(EmailData("tess@example.com"),), tags=("member",), consents=consent
    )
    rae = make_person("Rae Reporter", emails=(EmailData("rae@example.com"),), tags=("member",))
    for i, days in enumerate((40, 3)):
        services.moderation.create(
            CaseInput(
                troll,
                date.today() - timedelta(days=days),
                f"ZQXGUIDELINE {i}",
                reporter_id=rae,
                channel="ZQXCHANNEL",
                severity="high",
                action="mute",
                notes=f"ZQXNOTES {i}: confidential",
            )
        )
    community = services.communities.create(CommunityInput("Club"))
    services.communities.add_member(community, [troll, rae])
    when = datetime.now().replace(microsecond=0) + timedelta(days=5)
    with services.db.session() as s:
        event = Event(title="Meetup", starts_at=when, ends_at=when, starts_utc=when)
        s.add(event)
        s.flush()
        event_id = event.id
        for pid in (troll, rae):  # the subject is invited: her invitation goes out, not her cases
            s.add(Invitation(event_id=event_id, person_id=pid, role="attendee"))
    return {"troll": troll, "rae": rae, "community": community, "event": event_id}


def _export_subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    export = sub.choices["export"]
    what = next(a for a in export._actions if isinstance(a, argparse._SubParsersAction))
    return dict(what.choices)


def _options(p: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {o: a for a in p._actions for o in a.option_strings}


def test_no_export_path_carries_case_text(
    services: Services, world: dict[str, int], db_url: str, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    db = db_url.removeprefix("sqlite:///")
    services.close()
    known = {"contacts", "calendar", "invitations"}
    subs = _export_subcommands()
    assert set(subs) <= known, f"new export path(s) {set(subs) - known}: drive them here"
    runs = 0
    for what, p in subs.items():
        opts = _options(p)
        formats = list(opts["--format"].choices or [None]) if "--format" in opts else [None]
        flags = [[], ["--attendees"]] if "--attendees" in opts else [[]]
        for fmt in formats:
            for extra in flags:
                out = tmp_path / f"{what}-{fmt}-{len(extra)}.out"
                drafts = tmp_path / f"drafts-{what}"
                argv = ["export", what, "--db", db, "--out", str(out), *extra]
                if fmt:
                    argv += ["--format", fmt]
                if "--event" in opts:
                    argv += ["--event", str(world["event"])]
                if "--organiser-email" in opts:
                    argv += ["--organiser-name", "Lead", "--organiser-email", "lead@example.com"]
                if "--drafts" in opts:
                    drafts.mkdir(exist_ok=True)
                    argv += ["--drafts", str(drafts)]
                assert main(argv) == 0, argv
                _assert_clean(out.read_bytes(), " ".join(argv))
                for draft in drafts.glob("*") if drafts.exists() else ():
                    _assert_clean(draft.read_bytes(), f"draft {draft.name}")
                runs += 1
        if what == "contacts":  # the consent-gated partner export of the same command
            out = tmp_path / "partner.csv"
            argv = ["export", "contacts", "--db", db, "--format", "csv", "--out", str(out)]
            argv += ["--partner", "Club", "--fields", ",".join(PARTNER_FIELDS)]
            assert main(argv) == 0
            _assert_clean(out.read_bytes(), "partner export")
            assert b"Tess" in out.read_bytes()  # the subject herself is exported, cases not
    assert runs >= 5
    top = build_parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices
    if "report" in commands:
        out = tmp_path / "report.pdf"
        assert main(["report", "--db", db, "--out", str(out)]) == 0
        _assert_clean(out.read_bytes(), "crm report")
    for argv in (["stats", "--json"], ["stats"], ["search", "ZQXGUIDELINE"], ["search", "Tess"]):
        main([*argv, "--db", db])
        printed = capsys.readouterr()
        _assert_clean((printed.out + printed.err).encode(), "crm " + " ".join(argv))


def test_service_exports_and_audit_log_carry_no_case_text(
    services: Services, world: dict[str, int], tmp_path: Path
) -> None:
    ids = [world["troll"], world["rae"]]
    for fmt in ("vcard3", "vcard4", "csv", "csv-google", "csv-outlook"):
        out = tmp_path / f"all.{fmt}"
        services.exports.export_contacts(ids, fmt, out)  # type: ignore[arg-type]
        _assert_clean(out.read_bytes(), f"export_contacts {fmt}")
    with services.db.read() as s:
        from sqlalchemy import text

        for table in ("audit_log", "person_fts", "interaction_fts", "community_fts"):
            rows = s.execute(text(f"SELECT * FROM {table}")).all()
            _assert_clean(repr(rows).encode(), table)
    detail = services.people.get(world["troll"])
    _assert_clean(repr(detail).encode(), "the person record the exports read")


def test_person_input_has_no_moderation_fields() -> None:
    """Exports render PersonDetail/PersonInput; neither may grow a path to cases."""
    fields = " ".join(PersonInput.__dataclass_fields__).lower()
    assert "moderation" not in fields and "case" not in fields


def test_the_check_itself_catches_a_leak(services: Services, tmp_path: Path) -> None:
    """Case text put where exports do read (a person's notes) is found: the check can fail."""
    pid = services.people.create(PersonInput(display_name="Leaky", notes="ZQXNOTES here"))
    out = tmp_path / "leak.csv"
    services.exports.export_contacts([pid], "csv", out)
    with pytest.raises(AssertionError, match="ZQXNOTES"):
        _assert_clean(out.read_bytes(), "csv")
