"""A real calendar client reads our files: khal imports them and lists the events at the
right local time (khal's own zone is Europe/Berlin here, so New York events move)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from crm.services import Services
from tests.services.ics_data import add_event, add_person, invite, set_organiser

pytest.importorskip("khal")

CONFIG = """[calendars]
[[rapport]]
path = {cal}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Berlin
default_timezone = Europe/Berlin
[default]
default_calendar = rapport
[sqlite]
path = {db}
"""


def _khal(tmp_path: Path, *args: str) -> str:
    config = tmp_path / "khal.conf"
    if not config.exists():
        (tmp_path / "khal-cal").mkdir()
        config.write_text(CONFIG.format(cal=tmp_path / "khal-cal", db=tmp_path / "khal.db"))
    khal = Path(sys.executable).with_name("khal")
    done = subprocess.run(
        [str(khal), "-c", str(config), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_khal_imports_the_calendar_at_the_right_local_times(
    services: Services, tmp_path: Path
) -> None:
    add_event(services, "Berlin after", datetime(2025, 3, 30, 18), datetime(2025, 3, 30, 20))
    add_event(
        services,
        "NY after",
        datetime(2025, 3, 10, 18),
        datetime(2025, 3, 10, 19),
        zone="America/New_York",
    )  # 18:00 EDT is 23:00 in Berlin, still on winter time then
    add_event(
        services,
        "NY before",
        datetime(2025, 3, 7, 12),
        datetime(2025, 3, 7, 13),
        zone="America/New_York",
    )  # 12:00 EST is 18:00 in Berlin
    out = tmp_path / "all.ics"
    services.calendar.export_calendar(out)
    _khal(tmp_path, "import", "--batch", str(out))
    listed = _khal(tmp_path, "list", "2025-03-01", "40d")
    assert "18:00-20:00 Berlin after" in listed
    assert "23:00-24:00 NY after" in listed, listed
    assert "18:00-19:00 NY before" in listed
    assert len(list((tmp_path / "khal-cal").iterdir())) == 3


def test_khal_imports_an_invitation(services: Services, tmp_path: Path) -> None:
    set_organiser(services)
    eid = add_event(
        services,
        "Webinar",
        datetime(2025, 11, 2, 9),
        datetime(2025, 11, 2, 10),
        zone="America/New_York",
    )  # the day New York goes back to winter time: 09:00 EST is 15:00 in Berlin
    invite(services, eid, add_person(services, "Ann", "ann@example.org"), role="host")
    out = tmp_path / "invite.ics"
    services.calendar.export_invitations(eid, out)
    _khal(tmp_path, "import", "--batch", str(out))
    listed = _khal(tmp_path, "list", "2025-11-01", "3d")
    assert "15:00-16:00 Webinar" in listed, listed
