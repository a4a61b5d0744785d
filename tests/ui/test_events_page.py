"""The Events page against a real database: create, invite a tag, statuses, tabs, undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from crm.models import utcnow
from crm.services.event_plan import AgendaInput, TaskInput
from crm.services.events import EventInput
from crm.services.people_data import PersonInput
from crm.ui.events.agenda_model import AgendaModel
from crm.ui.events.invitations_model import InvitationsModel
from crm.ui.events.page import EventsPage
from crm.ui.events.table_model import EventTableModel
from crm.ui.events.tasks_model import TasksModel


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = EventsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def _event(services, title: str = "Rust meetup", days: int = 10, **kw) -> int:  # type: ignore[no-untyped-def]
    start = (utcnow() + timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)
    return services.events.create(
        EventInput(title, start, start + timedelta(hours=2), kw.pop("time_zone", "UTC"), **kw)
    )


def _person(services, name: str, **kw) -> int:  # type: ignore[no-untyped-def]
    return services.people.create(PersonInput(display_name=name, **kw))


def _scalar(services, sql: str, **params: object) -> object:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        return s.execute(text(sql), params).scalar()


def _titles(page: EventsPage) -> list[str]:
    return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]


def test_create_an_event_through_the_dialog(page, services, qtbot):  # type: ignore[no-untyped-def]
    assert page.table_stack.currentIndex() == 1  # the empty state
    dlg = page.new_event()
    qtbot.keyClicks(dlg.form.title, "Berlin Rust Meetup")
    dlg.form.zone.setCurrentText("Europe/Berlin")
    dlg.form.location.setText("Betahaus")
    dlg.form.capacity.setValue(40)
    dlg.form.ends.setDateTime(dlg.form.starts.dateTime().addSecs(-3600))  # ends before start
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.form.errors["ends_at"].isVisible()
    assert services.events.count() == 0  # refused: nothing written
    dlg.form.ends.setDateTime(dlg.form.starts.dateTime().addSecs(3 * 3600))
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    (eid,) = services.events.query_ids("all")
    e = services.events.get(eid)
    assert (e.title, e.time_zone, e.location, e.capacity) == (
        "Berlin Rust Meetup",
        "Europe/Berlin",
        "Betahaus",
        40,
    )
    assert e.ends_at - e.starts_at == timedelta(hours=3)
    qtbot.waitUntil(lambda: _titles(page) == ["Berlin Rust Meetup"])
    assert page.current_event_id() == eid
    assert page.detail.title.text() == "Berlin Rust Meetup"
    assert "Europe/Berlin" in page.detail.when.text()


def test_invite_a_tag_and_change_statuses(page, services, qtbot, messages):  # type: ignore[no-untyped-def]
    people = [_person(services, f"Rustacean {i}", tags=("rust",)) for i in range(3)]
    _person(services, "Gopher", tags=("go",))
    eid = _event(services, capacity=2)
    page.refresh()
    page.show_item(eid)
    tab = page.detail.show_invitations()
    dlg = tab.invite("tag")
    dlg.tag.setCurrentIndex(dlg.tag.findData("rust"))
    dlg.role.setCurrentIndex(dlg.role.findData("attendee"))
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    invited = {r.person_id for r in services.invitations.rows(services.invitations.query_ids(eid))}
    assert invited == set(people)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    assert tab.counts.text() == "3 invited: 3 not sent"
    assert [tab.model.index(r, 0).data() for r in range(3)] == [
        "Rustacean 0",
        "Rustacean 1",
        "Rustacean 2",
    ]
    # All three accept: one over the capacity of two, said on screen and in a warning.
    tab.table.selectAll()
    tab.set_status("accepted")
    assert _scalar(services, "SELECT count(*) FROM invitation WHERE status = 'accepted'") == 3
    assert messages == ["3 accepted or attended for 2 places: 1 over capacity."]
    qtbot.waitUntil(lambda: tab.warning.isVisible())
    assert "1 over capacity" in tab.warning.text()
    assert tab.counts.text() == "3 invited: 3 accepted"
    assert tab.model.index(0, 4).data() == "Accepted"
    # One declines: the warning goes.
    sm = tab.table.selectionModel()
    sm.select(
        tab.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    tab.set_status("declined")
    qtbot.waitUntil(lambda: not tab.warning.isVisible())
    row = services.invitations.rows([tab.model.id_at(0)])[0]
    assert row.status == "declined" and row.responded_at is not None
    # The list's counts follow.
    qtbot.waitUntil(lambda: page.model.index(0, 3).data() == "3")
    assert page.model.index(0, 4).data() == "2 / 2"


def test_invite_the_same_people_twice_skips_them(page, services, qtbot):  # type: ignore[no-untyped-def]
    a = _person(services, "Ann")
    eid = _event(services)
    services.invitations.invite(eid, [a])
    page.refresh()
    page.show_item(eid)
    dlg = page.detail.show_invitations().invite("people")
    dlg.people.add_person(a, "Ann")
    seen: list[str] = []
    page.message.connect(seen.append)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert seen == ["Invited 0 people; 1 already invited, skipped."]
    assert _scalar(services, "SELECT count(*) FROM invitation") == 1


def test_recording_attendance_logs_the_interaction(page, services, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    a, b = _person(services, "Ann"), _person(services, "Bob")
    eid = _event(services, days=-2, title="Past meetup")
    services.invitations.invite(eid, [a, b])
    page.show_item(eid)
    tab = page.detail.show_invitations()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    tab.table.selectAll()
    tab.set_status("attended")
    assert services.interactions.timeline_count(a) == 1
    assert services.interactions.timeline(b)[0].summary == "Attended Past meetup"
    # Removing asks first, says the attendance goes too, and removes it.
    asked: list[str] = []

    def answer(box: QMessageBox) -> int:
        asked.append(box.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    tab.table.selectAll()
    assert tab.remove_selected()
    assert "goes too" in asked[0] and "2 people" in asked[0]
    assert services.interactions.timeline_count(a) == 0
    assert _scalar(services, "SELECT count(*) FROM invitation") == 0


def test_edit_details_raises_the_sequence(page, services, qtbot):  # type: ignore[no-untyped-def]
    eid = _event(services)
    page.refresh()
    page.show_item(eid)
    page.detail.form.location.setText("Room 2")
    qtbot.mouseClick(page.detail.save_button, Qt.MouseButton.LeftButton)
    e = services.events.get(eid)
    assert (e.location, e.sequence) == ("Room 2", 1)
    assert "Room 2" in page.detail.where.text()
    page.detail.form.zone.setCurrentText("Mars/Olympus")
    assert not page.detail.save()
    assert page.detail.form.errors["time_zone"].isVisible()
    assert services.events.get(eid).time_zone == "UTC"


def test_agenda_and_logistics_tabs(page, services, qtbot):  # type: ignore[no-untyped-def]
    eid = _event(services)
    page.refresh()
    page.show_item(eid)
    agenda = page.detail.agenda
    page.detail.tabs.setCurrentWidget(agenda)
    qtbot.keyClicks(agenda.title, "Welcome")
    qtbot.keyClick(agenda.title, Qt.Key.Key_Return)
    assert [a.title for a in services.event_plan.agenda(eid)] == ["Welcome"]
    qtbot.waitUntil(lambda: agenda.model.rowCount() == 1)
    assert agenda.model.index(0, 1).data() == "Welcome"
    logistics = page.detail.logistics
    page.detail.tabs.setCurrentWidget(logistics)
    qtbot.keyClicks(logistics.task, "Book the venue")
    qtbot.mouseClick(logistics.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(logistics.task, "   ")
    qtbot.mouseClick(logistics.add_button, Qt.MouseButton.LeftButton)
    assert logistics.error.isVisible()
    (task,) = services.event_plan.tasks(eid)
    assert task.task == "Book the venue" and not task.done
    qtbot.waitUntil(lambda: logistics.model.rowCount() == 1)
    assert logistics.model.setData(
        logistics.model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert services.event_plan.tasks(eid)[0].done
    qtbot.waitUntil(lambda: logistics.progress.text() == "1 of 1 done")
    assert logistics.model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_scopes_search_and_archive_with_undo(page, ctx, services, qtbot):  # type: ignore[no-untyped-def]
    old = _event(services, "Old meetup", days=-30)
    new = _event(services, "New meetup", days=30)
    page.refresh()
    assert _titles(page) == ["New meetup"]
    page.scope_buttons["past"].click()
    assert _titles(page) == ["Old meetup"]
    page.scope_buttons["all"].click()
    assert _titles(page) == ["Old meetup", "New meetup"]
    qtbot.keyClicks(page.search, "new")
    qtbot.waitUntil(lambda: _titles(page) == ["New meetup"])
    page.search.clear()
    page.apply_filter()
    page.show_item(old)
    page.archive_selected()
    assert services.events.count(archived=True) == 1
    qtbot.waitUntil(lambda: _titles(page) == ["New meetup"])
    ctx.undo.undo()
    assert services.events.count(archived=True) == 0
    qtbot.waitUntil(lambda: _titles(page) == ["Old meetup", "New meetup"])
    assert new in page.model.ids


def test_month_view_filters_by_day(page, services, qtbot):  # type: ignore[no-untyped-def]
    eid = _event(services, "Mid-month meetup", days=40)
    page.refresh()
    page.month_button.click()
    e = services.events.get(eid)
    day = e.starts_at.date()
    month = page.month
    assert month is not None and month.isVisible()
    month.setCurrentPage(day.year, day.month)
    assert month.titles_on(day) == ["Mid-month meetup"]
    page.set_day(day)
    assert _titles(page) == ["Mid-month meetup"]
    page.set_day(day + timedelta(days=1))
    assert _titles(page) == []
    page.set_day(None)
    assert _titles(page) == ["Mid-month meetup"]


def test_detail_is_built_on_the_first_event_and_cells_follow_writes(page, services, qtbot):  # type: ignore[no-untyped-def]
    assert not page.detail.built  # nothing to show: no form built
    eid = _event(services, "Cached meetup")
    page.refresh()
    page.show_item(eid)
    assert page.detail.built and page.detail.title.text() == "Cached meetup"
    assert page.model.index(0, 2).data() == "Planning"
    services.events.update(eid, replace(services.events.get(eid).to_input(), status="announced"))
    assert page.model.index(0, 2).data() == "Announced"  # not the cached text


def test_models_pass_the_model_tester(ctx, services, qtmodeltester):  # type: ignore[no-untyped-def]
    people = [_person(services, f"P{i:03}") for i in range(150)]
    eid = _event(services, capacity=10)
    for i in range(120):
        _event(services, f"Event {i}", days=i + 1)
    services.invitations.invite(eid, people)
    services.event_plan.add_task(eid, TaskInput("Book the room", "Ann", date(2030, 1, 1)))
    start = services.events.get(eid).starts_at
    services.event_plan.add_agenda_item(
        eid, AgendaInput(start, start + timedelta(minutes=30), "Welcome", people[0])
    )
    events = EventTableModel(services)
    events.set_filter("all", "", None)
    assert events.rowCount() == 121
    qtmodeltester.check(events)
    invitations = InvitationsModel(services)
    invitations.set_event(eid)
    assert invitations.rowCount() == 150
    qtmodeltester.check(invitations)
    tasks = TasksModel(services)
    tasks.load(eid)
    qtmodeltester.check(tasks)
    agenda = AgendaModel(services)
    agenda.load(eid)
    qtmodeltester.check(agenda)


def test_event_links_open_the_page(ctx, services, qtbot):  # type: ignore[no-untyped-def]
    from crm.ui.main_window import MainWindow

    a = _person(services, "Ann")
    eid = _event(services, "Linked meetup", days=-400)
    services.invitations.invite(eid, [a], role="speaker")
    from crm.ui.events.linked import invitation_lines

    (line,) = invitation_lines(services, a)
    assert f'href="event:{eid}"' in line and "as speaker" in line and "not sent" in line
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_item("event", eid)
    page = window.current_page()
    assert isinstance(page, EventsPage)
    assert page.current_event_id() == eid
    assert page.scope() == "all"
    # The detail's body was built on this first event; the calendar's buttons, added
    # to actions_row when the page was built, sit after ours and are shown.
    row = page.actions_row
    names = [row.itemAt(i).widget() for i in range(row.count()) if row.itemAt(i).widget()]
    assert [w.text() for w in names][:2] == ["Invite…", "Archive"]
    assert {"exportInvitations", "emailDrafts"} <= {w.objectName() for w in names}
    window.show()
    assert all(w.isVisible() for w in names)


def test_settings_dialog_keeps_the_organiser(ctx, services, qtbot):  # type: ignore[no-untyped-def]
    from crm.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    dlg = window.edit_settings()
    dlg.name.setText("Ann Lee")
    dlg.email.setText("not an address")
    dlg.accept()
    assert dlg.isVisible() and dlg.email_error.isVisible()
    assert not services.settings.organiser().is_set
    dlg.email.setText("ann@example.org")
    dlg.accept()
    assert not dlg.isVisible()
    assert services.settings.organiser().email == "ann@example.org"


def test_people_page_invites_the_selection(ctx, services, qtbot):  # type: ignore[no-untyped-def]
    from crm.ui.people.page import PeoplePage

    a, b = _person(services, "Ann"), _person(services, "Bob")
    _event(services, "Past", days=-10)
    eid = _event(services, "Soon", days=3)
    people = PeoplePage(ctx)
    qtbot.addWidget(people)
    dlg = people.invite_to_event([a, b])
    assert dlg.event_box.count() == 1 and dlg.event_box.currentData() == eid
    dlg.past.setChecked(True)
    assert dlg.event_box.count() == 2
    dlg.event_box.setCurrentIndex(dlg.event_box.findData(eid))
    dlg.role.setCurrentIndex(dlg.role.findData("volunteer"))
    seen: list[str] = []
    people.message.connect(seen.append)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert seen == ["Invited 2 people."]
    rows = services.invitations.rows(services.invitations.query_ids(eid))
    assert [(r.name, r.role) for r in rows] == [("Ann", "volunteer"), ("Bob", "volunteer")]
