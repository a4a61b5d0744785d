"""A person's detail shows their outreach cards and talks; People offers "Add to outreach"."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from crm.models import AgendaItem, Event
from crm.services.outreach_data import CardInput
from crm.services.people_data import PersonInput
from crm.ui.main_window import MainWindow
from crm.ui.outreach.page import OutreachPage


@pytest.fixture
def window(ctx, qtbot):  # type: ignore[no-untyped-def]
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    return w


def _section(window, title: str):  # type: ignore[no-untyped-def]
    (section,) = [s for s in window.people.detail.linked_sections if title.upper() in _texts(s)]
    return section


def _texts(widget) -> str:  # type: ignore[no-untyped-def]
    return " ".join(lb.text() for lb in widget.findChildren(QLabel))


def test_detail_shows_outreach_and_talks_and_links_open_the_card(window, services) -> None:
    ada = services.people.create(PersonInput(display_name="Ada"))
    start = datetime(2030, 5, 1, 18)
    with services.db.session() as s:
        e = Event(title="DevConf", starts_at=start, ends_at=start, starts_utc=start)
        s.add(e)
        s.flush()
        s.add(
            AgendaItem(
                event_id=e.id, starts_at=start, ends_at=start, title="Keynote", speaker_id=ada
            )
        )
        event_id = e.id
    cid = services.outreach.create(CardInput(ada, "Engines", event_id))
    services.outreach.move(cid, "contacted", at=datetime(2030, 2, 3))
    window.people.select_person(ada)
    outreach = _section(window, "Speaker outreach")
    text = _texts(outreach)
    assert f'href="outreach:{cid}"' in text and "Contacted" in text
    assert f'href="event:{event_id}"' in text and "contacted 03 Feb 2030" in text
    talks = _texts(_section(window, "Talks"))
    assert "Keynote" in talks and f'href="event:{event_id}"' in talks and "01 May 2030" in talks

    # a move elsewhere shows at once on the detail
    services.outreach.move(cid, "confirmed")
    assert "Confirmed" in _texts(_section(window, "Speaker outreach"))

    link = next(lb for lb in outreach.findChildren(QLabel) if "outreach:" in lb.text())
    link.linkActivated.emit(f"outreach:{cid}")
    page = window.current_page()
    assert isinstance(page, OutreachPage)
    assert page.board.current_card().id == cid


def test_people_context_action_adds_a_card(window, services, qtbot) -> None:
    ada = services.people.create(PersonInput(display_name="Ada Lovelace"))
    dlg = window.people.add_to_outreach(ada)
    assert dlg.person.person_id() == ada and dlg.person.text() == "Ada Lovelace"
    dlg.topic.setText("Engines")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    (card,) = services.outreach.history(ada)
    assert (card.topic, card.stage) == ("Engines", "identified")
