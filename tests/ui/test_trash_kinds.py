"""The Trash's Events and Outreach sections, driven from the pages where things are archived."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from crm.models import utcnow
from crm.services import NotFound
from crm.services.event_plan import AgendaInput, TaskInput
from crm.services.events import EventInput
from crm.services.outreach_data import CardInput
from crm.services.people_data import PersonInput
from crm.ui.events.page import EventsPage
from crm.ui.outreach.page import OutreachPage
from crm.ui.trash.model import TrashModel
from crm.ui.trash.page import TrashPage


@pytest.fixture
def trash(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = TrashPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


@pytest.fixture
def events_page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = EventsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.scope_buttons["all"].click()
    return widget


@pytest.fixture
def board(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = OutreachPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 700)
    widget.show()
    return widget


class Answers:
    """Stands in for the confirmation box: records what it was asked, answers as told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, yes: bool = True) -> None:
        self.asked: list[str] = []
        self.yes = yes

        def exec_(box: QMessageBox) -> int:
            self.asked.append(f"{box.text()} {box.informativeText()}")
            return QMessageBox.StandardButton.Yes if self.yes else QMessageBox.StandardButton.Cancel

        monkeypatch.setattr(QMessageBox, "exec", exec_)


def _person(services, name: str) -> int:  # type: ignore[no-untyped-def]
    return services.people.create(PersonInput(display_name=name))


def _event(services, title: str, days: int = -10) -> int:  # type: ignore[no-untyped-def]
    start = (utcnow() + timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)
    return services.events.create(EventInput(title, start, start + timedelta(hours=2)))


def _focus(page: TrashPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The table's own shortcuts (Ctrl+R, Shift+Del) work when it has the focus."""
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()


def _select_first(page: TrashPage) -> None:
    """Select the first row (selectRow would heed a modifier a key click left pressed)."""
    page._select_rows(page.section, page.model.ids[:1])


def _rows(page: TrashPage) -> list[list[str]]:
    m = page.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def _event_titles(page: EventsPage) -> list[str]:
    return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]


def _scalar(services, sql: str, **params: object) -> object:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        return s.execute(text(sql), params).scalar()


def test_archived_event_waits_in_the_trash_and_comes_back(
    trash, events_page, ctx, services, qtbot
) -> None:
    ada, bob = _person(services, "Ada"), _person(services, "Bob")
    meetup = _event(services, "Rust meetup")
    other = _event(services, "Go night", days=-5)
    services.invitations.invite(meetup, [ada, bob])
    qtbot.waitUntil(lambda: _event_titles(events_page) == ["Rust meetup", "Go night"])
    events_page.show_item(meetup)
    events_page.archive_selected()
    qtbot.waitUntil(lambda: _event_titles(events_page) == ["Go night"])

    trash.show_section("events")
    assert trash.buttons["events"].text() == "Events  1"
    [row] = _rows(trash)
    start = services.events.get(meetup).starts_at
    assert row[:3] == ["Rust meetup", f"{start:%Y-%m-%d %H:%M}", "2"]  # title, date, invited
    assert row[3]  # when it was archived
    _select_first(trash)
    assert trash.restore_selected() == 1
    assert services.events.get(meetup).archived_at is None
    assert trash.model.rowCount() == 0 and trash.buttons["events"].text() == "Events  0"
    qtbot.waitUntil(lambda: _event_titles(events_page) == ["Rust meetup", "Go night"])

    ctx.undo.undo()  # Ctrl+Z: back in the Trash
    assert services.events.get(meetup).archived_at is not None
    assert [r[0] for r in _rows(trash)] == ["Rust meetup"]
    qtbot.waitUntil(lambda: _event_titles(events_page) == ["Go night"])
    assert other in events_page.model.ids


def test_event_deleted_for_good_takes_its_invitations_along(
    trash, events_page, services, monkeypatch, qtbot
) -> None:
    ada, bob = _person(services, "Ada"), _person(services, "Bob")
    meetup = _event(services, "Rust meetup")
    kept = _event(services, "Go night", days=-5)
    services.invitations.invite(meetup, [ada, bob])
    services.invitations.invite(kept, [ada])
    start = services.events.get(meetup).starts_at
    services.event_plan.add_agenda_item(
        meetup, AgendaInput(start, start + timedelta(hours=1), "Keynote", ada)
    )
    services.event_plan.add_task(meetup, TaskInput("Book the room"))
    (inv,) = [
        i
        for i in services.invitations.query_ids(meetup)
        if services.invitations.rows([i])[0].person_id == ada
    ]
    services.invitations.set_status([inv], "attended")
    events_page.show_item(meetup)
    events_page.archive_selected()

    trash.show_section("events")
    _select_first(trash)
    answers = Answers(monkeypatch, yes=False)
    trash.delete_selected()
    assert answers.asked == [
        "Delete 1 event for good, with 2 invitations, 1 agenda item and 1 logistics task? "
        "Kept, without their link to the events: 1 attendance record on a timeline. "
        "This cannot be undone."
    ]
    assert services.events.get(meetup).archived_at is not None  # cancelled: all there
    answers.yes = True
    trash.delete_selected()

    with pytest.raises(NotFound):
        services.events.get(meetup)
    assert _scalar(services, "SELECT count(*) FROM invitation WHERE event_id = :e", e=meetup) == 0
    assert _scalar(services, "SELECT count(*) FROM agenda_item") == 0
    assert _scalar(services, "SELECT count(*) FROM invitation") == 1  # Go night's
    # Ada's attendance stays on her timeline, unlinked.
    details = _scalar(
        services,
        "SELECT i.details FROM interaction i JOIN participant p ON p.interaction_id = i.id "
        "WHERE p.person_id = :p AND i.kind = 'event attendance'",
        p=ada,
    )
    assert "event deleted on" in str(details)
    assert trash.model.rowCount() == 0 and trash.stack.currentWidget() is trash.empty
    assert "No archived events" in trash.empty_text.text()
    events_page.scope_buttons["archived"].click()
    qtbot.waitUntil(lambda: _event_titles(events_page) == [])


def test_archived_card_waits_in_the_trash_and_comes_back(
    trash, board, ctx, services, qtbot
) -> None:
    ada = _person(services, "Ada Lovelace")
    conf = _event(services, "DevConf", days=20)
    cid = services.outreach.create(CardInput(ada, "Engines of thought", conf), stage="contacted")
    assert [c.id for c in board.board.columns["contacted"].model.cards] == [cid]
    board.archive_card(cid)
    assert board.board.columns["contacted"].model.cards == []

    trash.show_section("outreach")
    assert trash.buttons["outreach"].text() == "Outreach  1"
    [row] = _rows(trash)
    assert row[:4] == ["Ada Lovelace", "Engines of thought", "Contacted", "DevConf"]
    _select_first(trash)
    _focus(trash, qtbot)
    qtbot.keyClick(trash.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert services.outreach.get(cid).archived_at is None
    assert trash.model.rowCount() == 0
    qtbot.waitUntil(lambda: [c.id for c in board.board.columns["contacted"].model.cards] == [cid])
    ctx.undo.undo()
    assert services.outreach.get(cid).archived_at is not None
    qtbot.waitUntil(lambda: board.board.columns["contacted"].model.cards == [])
    assert trash.model.ids == [cid]


def test_card_deleted_for_good_takes_its_moves_along(
    trash, board, services, monkeypatch, qtbot
) -> None:
    ada, bob = _person(services, "Ada"), _person(services, "Bob")
    doomed = services.outreach.create(CardInput(ada, "Engines"))
    services.outreach.move(doomed, "contacted")
    kept = services.outreach.create(CardInput(bob, "Compilers"))
    board.archive_card(doomed)
    trash.show_section("outreach")
    _select_first(trash)
    answers = Answers(monkeypatch)
    _focus(trash, qtbot)
    qtbot.keyClick(trash.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert answers.asked == [
        "Delete 1 outreach card for good, with 2 stage moves? This cannot be undone."
    ]
    with pytest.raises(NotFound):
        services.outreach.get(doomed)
    assert (
        _scalar(services, "SELECT count(*) FROM outreach_move WHERE outreach_id = :o", o=doomed)
        == 0
    )
    assert services.outreach.get(kept).archived_at is None
    assert [c.id for c in board.board.columns["identified"].model.cards] == [kept]
    assert trash.model.rowCount() == 0


def test_a_restore_that_would_clash_is_refused_and_not_undoable(
    trash, ctx, services, messages
) -> None:
    ada = _person(services, "Ada")
    conf = _event(services, "DevConf", days=20)
    old = services.outreach.create(CardInput(ada, "First", conf))
    services.outreach.archive([old])
    services.outreach.create(CardInput(ada, "Second", conf))
    trash.show_section("outreach")
    _select_first(trash)
    assert trash.restore_selected() == 0
    assert messages and "already has a card for DevConf" in messages[0]
    assert services.outreach.get(old).archived_at is not None
    assert ctx.undo.count() == 0


def test_counts_follow_restores_made_on_other_pages(trash, events_page, services, qtbot) -> None:
    eid = _event(services, "Rust meetup")
    services.events.archive([eid])
    assert trash.buttons["events"].text() == "Events  1"
    events_page.scope_buttons["archived"].click()
    events_page.show_item(eid)
    events_page.restore_selected()
    assert trash.buttons["events"].text() == "Events  0"
    ada = _person(services, "Ada")
    cid = services.outreach.create(CardInput(ada, "Talk"))
    services.outreach.archive([cid])
    assert trash.buttons["outreach"].text() == "Outreach  1"
    services.people.archive([ada])
    services.people.purge([ada])  # the card goes with its person
    assert trash.buttons["outreach"].text() == "Outreach  0"
    assert trash.buttons["people"].text() == "People  0"


def test_empty_trash_says_every_kind_and_deletes_them_all(trash, services, monkeypatch) -> None:
    keep, gone = _person(services, "Keeper"), _person(services, "Gone")
    eid = _event(services, "Scrapped")
    services.invitations.invite(eid, [keep])
    card = services.outreach.create(CardInput(keep, "Talk"))
    services.people.archive([gone])
    services.events.archive([eid])
    services.outreach.archive([card])
    answers = Answers(monkeypatch)
    trash.empty_trash()
    assert answers.asked == [
        "Delete everything in the Trash (1 person, 1 event and 1 outreach card) for good, "
        "with 1 invitation and 1 stage move? This cannot be undone."
    ]
    assert services.people.count(archived=True) == 0
    assert services.events.count(archived=True) == 0
    assert services.outreach.count(archived=True) == 0
    assert services.people.get(keep).archived_at is None
    assert not trash.empty_button.isEnabled()


def test_search_finds_events_and_cards(trash, services, qtbot) -> None:
    ada = _person(services, "Ada Lovelace")
    for title in ("Rust meetup", "Go night"):
        services.events.archive([_event(services, title)])
    services.outreach.archive([services.outreach.create(CardInput(ada, "Rusty engines"))])
    qtbot.keyClicks(trash.search, "rust")
    trash.show_section("events")
    qtbot.waitUntil(lambda: [r[0] for r in _rows(trash)] == ["Rust meetup"])
    trash.show_section("outreach")
    assert [r[1] for r in _rows(trash)] == ["Rusty engines"]
    assert trash.buttons["events"].text() == "Events  1"


def test_event_and_card_models_pass_the_model_tester(services, qtmodeltester) -> None:
    ada = _person(services, "Ada")
    events = [_event(services, f"Event {i:03}", days=-i - 1) for i in range(120)]
    services.events.archive(events)
    cards = [services.outreach.create(CardInput(ada, f"Talk {i}")) for i in range(3)]
    services.outreach.archive(cards)
    for section, n in (("events", 120), ("outreach", 3)):
        model = TrashModel(services, section)
        model.reload()
        assert model.rowCount() == n
        qtmodeltester.check(model)
        model.sort(0, Qt.SortOrder.AscendingOrder)
        assert model.rowCount() == n


def test_sorting_events_by_date_and_invitations(trash, services) -> None:
    ada = _person(services, "Ada")
    early = _event(services, "Early", days=-30)
    late = _event(services, "Late", days=-3)
    services.invitations.invite(early, [ada])
    services.events.archive([early, late])
    trash.show_section("events")
    trash.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert trash.model.ids == [early, late]
    trash.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert trash.model.ids == [early, late]
    assert trash.model.headerData(2, Qt.Orientation.Horizontal) == "Invitations"
    trash.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert trash.model.ids == [late, early]


@pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)
def test_in_the_window_counts_follow_archive_undo_and_purge(
    ctx, services, monkeypatch, qtbot
) -> None:
    from crm.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    ann = _person(services, "Ann")
    eid = _event(services, "Meetup")
    services.invitations.invite(eid, [ann])
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    events = window.pages[titles.index("Events")]
    trash = window.pages[titles.index("Trash")]
    window.show_page(titles.index("Events"))
    events.scope_buttons["all"].click()
    events.show_item(eid)
    events.archive_selected()
    window.show_page(titles.index("Trash"))
    assert trash.buttons["events"].text() == "Events  1"
    window.undo_action.trigger()  # Ctrl+Z: the archive undone from the Trash page
    assert trash.buttons["events"].text() == "Events  0"
    assert services.events.get(eid).archived_at is None

    qtbot.waitUntil(lambda: window.counts.text().startswith("1 people"))
    services.people.archive([ann])
    assert trash.buttons["people"].text() == "People  1"
    trash.show_section("people")
    trash._select_rows("people", [ann])
    Answers(monkeypatch)
    trash.delete_selected()
    assert trash.buttons["people"].text() == "People  0"
    qtbot.waitUntil(lambda: window.counts.text().startswith("0 people"))
    assert services.invitations.query_ids(eid) == []  # Ann's invitation went with her
