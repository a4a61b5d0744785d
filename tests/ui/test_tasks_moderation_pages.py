"""The Tasks and Moderation pages against a real database: create, edit, filter, delete and
undo, overdue shown, and a person's cases on their detail (repeats highlighted)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QLabel, QMessageBox

from crm.services.advocacy import NoteInput
from crm.services.dept_tasks import TaskInput
from crm.services.moderation import CaseInput
from crm.services.people_data import PersonInput
from crm.ui import main_window
from crm.ui.advocacy.page import AdvocacyPage
from crm.ui.dept_tasks.page import TasksPage
from crm.ui.moderation.page import ModerationPage
from crm.ui.people import linked

NOPOPUP = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing).*")


def _show(widget, qtbot):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    return widget


def _column(page, col: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.model.index(r, col).data() for r in range(page.model.rowCount())]


def _yes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )


def test_tasks_create_edit_filter_overdue_and_undo(
    ctx, services, qtbot, monkeypatch, qtmodeltester
):  # type: ignore[no-untyped-def]
    note = services.advocacy.create(NoteInput("Dark mode"))
    page = _show(TasksPage(ctx), qtbot)
    dlg = page.new_item()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)  # no title: refused
    assert dlg.isVisible() and dlg.errors["title"].isVisible()
    assert services.dept_tasks.count() == 0
    qtbot.keyClicks(dlg.title, "Estimate dark mode")
    dlg.owner.setText("Priya")
    dlg.due.setDate(QDate.currentDate().addDays(-2))
    qtbot.keyClicks(dlg.note.search, "dark")
    dlg.note.update_choices()
    assert dlg.note.value() == note
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    (tid,) = services.dept_tasks.query_ids()
    row = services.dept_tasks.get(tid).row
    assert (row.owner_name, row.note_id, row.overdue) == ("Priya", note, True)
    assert _column(page, 0) == ["Estimate dark mode"]
    assert "overdue" in _column(page, 3)[0]
    assert page.detail.badge.text() == "Overdue"
    qtmodeltester.check(page.model)

    services.dept_tasks.create(TaskInput("Later", due_on=date.today() + timedelta(days=9)))
    page.overdue.setChecked(True)
    assert _column(page, 0) == ["Estimate dark mode"]
    page.overdue.setChecked(False)
    page.show_item(tid)
    page.detail.done_button.click()
    assert services.dept_tasks.get(tid).row.status == "done"
    box = page.filter_boxes["status"]
    box.setCurrentIndex(box.findData("done"))
    assert _column(page, 0) == ["Estimate dark mode"]
    box.setCurrentIndex(0)

    dlg = page.edit_item(tid)
    dlg.title.setText("Estimate dark mode, v2")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert services.dept_tasks.get(tid).row.title == "Estimate dark mode, v2"

    _yes(monkeypatch)
    page.show_item(tid)
    page.delete_action.trigger()
    assert services.dept_tasks.query_ids() != [] and tid not in services.dept_tasks.query_ids()
    ctx.undo.undo()
    assert services.dept_tasks.get(tid).row.note_id == note


@NOPOPUP
def test_moderation_create_filter_edit_and_undo(ctx, services, qtbot, monkeypatch, qtmodeltester):  # type: ignore[no-untyped-def]
    tess = services.people.create(PersonInput(display_name="Tess Troll"))
    rae = services.people.create(PersonInput(display_name="Rae Reporter"))
    page = _show(ModerationPage(ctx), qtbot)
    assert page.table_stack.currentIndex() == 1
    dlg = page.new_item()
    qtbot.keyClicks(dlg.subject, "Tess")
    dlg.subject.choose(tess)
    qtbot.keyClicks(dlg.reporter, "Nobody")  # typed, not picked: refused
    dlg.guideline.setText("No spam")
    dlg.severity.setCurrentIndex(dlg.severity.findData("high"))
    dlg.action.setCurrentIndex(dlg.action.findData("mute"))
    dlg.notes.setPlainText("40 links in an hour")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.errors["reporter_id"].isVisible()
    assert services.moderation.count() == 0
    dlg.reporter.clear()
    qtbot.keyClicks(dlg.reporter, "Rae")
    dlg.reporter.choose(rae)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    (cid,) = services.moderation.query_ids()
    d = services.moderation.get(cid)
    assert (d.row.subject_id, d.row.reporter_id, d.row.severity, d.notes) == (
        tess,
        rae,
        "high",
        "40 links in an hour",
    )
    assert _column(page, 1) == ["Tess Troll"]
    assert any("40 links" in lb.text() for lb in page.detail.findChildren(QLabel))
    qtmodeltester.check(page.model)

    services.moderation.create(
        CaseInput(rae, date.today(), "Be kind", severity="low", status="resolved")
    )
    box = page.filter_boxes["severity"]
    box.setCurrentIndex(box.findData("high"))
    assert _column(page, 1) == ["Tess Troll"]
    box.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "kind")
    page.apply_filter()
    assert _column(page, 1) == ["Rae Reporter"]
    page.search.clear()
    page.apply_filter()

    dlg = page.edit_item(cid)
    dlg.status.setCurrentIndex(dlg.status.findData("resolved"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert services.moderation.get(cid).row.status == "resolved"

    _yes(monkeypatch)
    page.show_item(cid)
    page.delete_action.trigger()
    assert services.moderation.count() == 1
    ctx.undo.undo()
    assert services.moderation.get(cid).notes == "40 links in an hour"


def test_a_persons_detail_shows_their_cases_repeats_highlighted(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = main_window.MainWindow(ctx)
    qtbot.addWidget(window)
    tess = services.people.create(PersonInput(display_name="Tess"))
    bo = services.people.create(PersonInput(display_name="Bo"))
    for days, severity in ((30, "low"), (2, "critical")):
        services.moderation.create(
            CaseInput(
                tess,
                date.today() - timedelta(days=days),
                "No spam",
                severity=severity,
                action="temporary ban" if severity == "critical" else "warning",
                notes=f"note {days}",
            )
        )
    services.moderation.create(CaseInput(bo, date.today(), "Be kind"))
    titles = [t for t, _m, _f in linked.LINKED_SECTIONS]
    window.people.select_person(tess)
    section = window.people.detail.linked_sections[titles.index("Moderation (confidential)")]
    texts = [lb.text() for lb in section.findChildren(QLabel) if not lb.isHidden()]
    assert any("2 cases — repeated" in t and "critical" in t and "#b42318" in t for t in texts)
    assert any("note 30" in t for t in texts) and any("note 2" in t for t in texts)
    window.people.select_person(bo)
    texts = [lb.text() for lb in section.findChildren(QLabel) if not lb.isHidden()]
    assert any("1 case;" in t for t in texts) and not any("repeated" in t for t in texts)
    (link,) = [
        lb
        for lb in section.findChildren(QLabel)
        if "moderation:" in lb.text() and not lb.isHidden()
    ]
    case_id = services.moderation.query_ids("", sort="date")[0]
    link.linkActivated.emit(f"moderation:{case_id}")
    page = window.current_page()
    assert isinstance(page, ModerationPage) and page.detail.item_id == case_id


def test_the_event_link_of_a_task_opens_the_events_page_on_that_event(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from crm.services.events import EventInput
    from crm.ui.events.page import EventsPage

    window = main_window.MainWindow(ctx)
    qtbot.addWidget(window)
    start = datetime.now().replace(microsecond=0) + timedelta(days=40)
    other = services.events.create(EventInput("Berlin meetup", start, start + timedelta(hours=2)))
    event = services.events.create(
        EventInput("Paris workshop", start + timedelta(days=1), start + timedelta(days=1, hours=3))
    )
    tid = services.dept_tasks.create(TaskInput("Book the room", event_id=event))
    window.open_item("task", tid)
    tasks = window.current_page()
    assert isinstance(tasks, TasksPage) and tasks.detail.item_id == tid
    (link,) = [lb for lb in tasks.detail.findChildren(QLabel) if f"event:{event}" in lb.text()]
    assert "Paris workshop" in link.text()
    link.linkActivated.emit(f"event:{event}")
    page = window.current_page()
    assert isinstance(page, EventsPage)
    assert page.current_event_id() == event != other
    assert page.selected_ids() == [event]


@pytest.mark.parametrize("page_class", [AdvocacyPage, TasksPage, ModerationPage])
def test_an_empty_page_says_how_to_add_the_first_item(ctx, services, qtbot, page_class) -> None:  # type: ignore[no-untyped-def]
    page = _show(page_class(ctx), qtbot)
    assert page.table_stack.currentIndex() == 1
    assert page.empty_title.text().startswith("No ")
    hint = page.empty_label.text()
    assert f"Click {page.new_text} or press Ctrl+Shift+N to add the first one." in hint
    assert page.empty_button.text() == page.new_text and page.empty_button.isVisible()
    assert not page.detail.isVisible()  # nothing to select, so no "select a …" panel
    # The offscreen platform has no active window to send key presses to: the
    # shortcut's own signal stands in for the keys.
    (shortcut,) = [
        sc for sc in page.findChildren(QShortcut) if sc.key().toString() == "Ctrl+Shift+N"
    ]
    shortcut.activated.emit()
    assert page.dialog.isVisible()
    page.dialog.reject()


def test_a_search_that_hides_everything_offers_to_clear_it(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    services.advocacy.create(NoteInput("Dark mode"))
    page = _show(AdvocacyPage(ctx), qtbot)
    assert page.detail.isVisible()
    qtbot.keyClicks(page.search, "zebra")
    page.apply_filter()
    assert page.table_stack.currentIndex() == 1
    assert page.empty_label.text() == "None of the 1 notes matches this search and these filters."
    qtbot.mouseClick(page.empty_button, Qt.MouseButton.LeftButton)
    assert page.search.text() == "" and _column(page, 0) == ["Dark mode"]
    assert page.table_stack.currentIndex() == 0


def test_columns_fit_beside_the_detail_and_the_header_menu_shows_hidden_ones(ctx, services, qtbot):  # type: ignore[no-untyped-def]
    tess = services.people.create(PersonInput(display_name="Tess"))
    services.moderation.create(CaseInput(tess, date.today(), "No spam", channel="forum"))
    services.advocacy.create(NoteInput("Dark mode"))
    services.dept_tasks.create(TaskInput("Estimate dark mode"))
    for page_class in (AdvocacyPage, TasksPage, ModerationPage):
        page = _show(page_class(ctx), qtbot)
        qtbot.waitExposed(page)
        assert not page.table.horizontalScrollBar().isVisible(), page_class.__name__
    header = page.table.horizontalHeader()
    channel = [c.title for c in page.model.columns].index("Channel")
    assert header.isSectionHidden(channel)
    menu = page.column_menu()
    (act,) = [a for a in menu.actions() if a.text() == "Channel"]
    act.trigger()
    assert not header.isSectionHidden(channel)
    menu.close()
