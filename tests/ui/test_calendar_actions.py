"""Calendar files from the window: menus, dropped replies, the event's export buttons."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from crm.ui.io import calendar_actions
from crm.ui.io.calendar_actions import CalendarJobDialog
from crm.ui.main_window import MainWindow
from tests.services.ics_data import (
    add_event,
    add_person,
    event_uid,
    invitation,
    invite,
    reply,
    set_organiser,
)

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def window(ctx, qtbot):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _close(dialog: CalendarJobDialog) -> None:
    assert not dialog.strip.busy
    dialog.reject()


def test_file_menu_exports_the_calendar(window, ctx, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    add_event(ctx.services, "Berlin Meetup")
    add_event(ctx.services, "NYC AMA", zone="America/New_York")
    chosen = tmp_path / "events"  # typed without the suffix: .ics is added
    monkeypatch.setattr(calendar_actions, "choose_save_path", lambda *_a: str(chosen))
    window.io.calendar_action.trigger()
    dialog = window.io.last_dialog
    assert isinstance(dialog, CalendarJobDialog) and dialog.isVisible()
    out = tmp_path / "events.ics"
    assert dialog.error.text() == ""
    assert dialog.result_.path == out
    text = dialog.summary.text()
    assert "2 events written" in text and "America/New_York, Europe/Berlin" in text
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert {str(e["SUMMARY"]) for e in cal.walk("VEVENT")} == {"Berlin Meetup", "NYC AMA"}
    window.grab().save(str(tmp_path / "window.png"))
    _close(dialog)


def test_cancelling_the_file_chooser_does_nothing(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(calendar_actions, "choose_save_path", lambda *_a: None)
    before = window.io.last_dialog
    window.io.calendar_action.trigger()
    assert window.io.last_dialog is before


def test_dropped_replies_update_the_rsvps(window, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    eid = add_event(ctx.services, "Kotlin Night")
    uid = event_uid(ctx.services, eid)
    inv = invite(ctx.services, eid, add_person(ctx.services, "Ann Example", "ann@example.org"))
    good = tmp_path / "accepted.ics"
    good.write_bytes(reply(uid, "ann@example.org", "ACCEPTED"))
    stray = tmp_path / "stray.ics"
    stray.write_bytes(reply(uid, "who@example.org", "DECLINED"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(stray))])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(200, 200), *args)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window takes calendar files too
    QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), *args))
    dialog = window.io.last_dialog
    assert isinstance(dialog, CalendarJobDialog) and dialog.isVisible()
    assert invitation(ctx.services, inv).status == "accepted"
    text = dialog.summary.text()
    assert "1 answer recorded from 1 of 2 files" in text
    assert "Ann Example — <b>accepted</b> — Kotlin Night" in text
    assert "stray.ics</b>, line 12: who@example.org answers" in text
    dialog.grab().save("/tmp/shot-calendar-replies.png")
    _close(dialog)


def test_event_invitations_and_drafts(ctx, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    set_organiser(ctx.services)
    eid = add_event(ctx.services, "Rust & Coffee", status="announced")
    invite(ctx.services, eid, add_person(ctx.services, "Zoë", "zoe@example.org"), role="host")
    invite(ctx.services, eid, add_person(ctx.services, "No Mail"))
    parent = _parent(qtbot)

    dialog = calendar_actions.export_invitations(ctx, parent, eid, str(tmp_path / "inv.ics"))
    assert dialog is not None
    assert "to 1 person is in" in dialog.summary.text()
    assert "No Mail — no email address" in dialog.summary.text()
    assert not dialog.unmark_button.isVisible()  # Zoë was invited already
    cal = icalendar.Calendar.from_ical((tmp_path / "inv.ics").read_bytes())
    assert cal["METHOD"] == "REQUEST"
    _close(dialog)

    folder = tmp_path / "drafts"
    dialog = calendar_actions.email_drafts(ctx, parent, eid, str(folder))
    assert dialog is not None
    assert "1 email draft for “Rust &amp; Coffee”" in dialog.summary.text()
    (draft,) = folder.iterdir()
    msg = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "zoe@example.org"
    _close(dialog)


def test_an_export_without_an_organiser_says_so(ctx, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    eid = add_event(ctx.services)
    invite(ctx.services, eid, add_person(ctx.services, "Ann", "ann@example.org"))
    parent = _parent(qtbot)
    dialog = calendar_actions.export_invitations(ctx, parent, eid, str(tmp_path / "x.ics"))
    assert dialog is not None
    assert "organiser" in dialog.error.text()
    assert dialog.summary.text() == ""
    assert not (tmp_path / "x.ics").exists()
    _close(dialog)


def _parent(qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    qtbot.addWidget(w)
    return w


def test_event_page_buttons(ctx, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The buttons the main window adds to a page with actions_row and current_event_id."""
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    set_organiser(ctx.services)
    eid = add_event(ctx.services, "Rust & Coffee")
    invite(ctx.services, eid, add_person(ctx.services, "Zoë", "zoe@example.org"))

    class Page(QWidget):
        shown: int | None = None

        def __init__(self) -> None:
            super().__init__()
            self.actions_row = QHBoxLayout(self)

        def current_event_id(self) -> int | None:
            return self.shown

    page = Page()
    qtbot.addWidget(page)
    invitations, drafts = calendar_actions.install_event_buttons(page, ctx)
    monkeypatch.setattr(calendar_actions, "choose_save_path", lambda *_a: str(tmp_path / "i"))
    monkeypatch.setattr(
        calendar_actions.QFileDialog, "getExistingDirectory", lambda *_a: str(tmp_path / "d")
    )
    qtbot.mouseClick(invitations, Qt.MouseButton.LeftButton)  # no event shown: nothing
    assert not hasattr(page, "_calendar_dialog") or page._calendar_dialog is None
    page.shown = eid
    qtbot.mouseClick(invitations, Qt.MouseButton.LeftButton)
    assert (tmp_path / "i.ics").is_file()
    page._calendar_dialog.reject()
    qtbot.mouseClick(drafts, Qt.MouseButton.LeftButton)
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["zoe.eml"]
    page._calendar_dialog.reject()


def test_the_events_page_has_the_calendar_buttons(window, ctx, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The real Events page: the event shown is the one whose invitations are exported."""
    from PySide6.QtWidgets import QPushButton

    set_organiser(ctx.services)
    eid = add_event(ctx.services, "Rust & Coffee", status="announced")
    add_event(ctx.services, "Other event")
    invite(ctx.services, eid, add_person(ctx.services, "Zoë", "zoe@example.org"))
    window.open_item("event", eid)
    page = window.current_page()
    assert page.current_event_id() == eid
    button = page.findChild(QPushButton, "exportInvitations")
    assert button is not None and button.isVisibleTo(page)
    monkeypatch.setattr(calendar_actions, "choose_save_path", lambda *_a: str(tmp_path / "inv"))
    button.click()
    cal = icalendar.Calendar.from_ical((tmp_path / "inv.ics").read_bytes())
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Rust & Coffee"
    assert str(cal.walk("VEVENT")[0]["UID"]) == event_uid(ctx.services, eid)
    window.grab().save("/tmp/shot-calendar-events-page.png")
    page._calendar_dialog.reject()


def test_exported_invitations_become_invited_with_undo(
    window, ctx, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Export invitations… marks those "not sent" invited: the Invitations tab's counts
    and the database say so; "Leave as “not sent”" undoes it, Ctrl+Shift+Z redoes it."""
    from PySide6.QtWidgets import QPushButton

    set_organiser(ctx.services)
    eid = add_event(ctx.services, "Rust & Coffee", status="announced")
    new = invite(
        ctx.services, eid, add_person(ctx.services, "Zoë", "zoe@example.org"), status="not sent"
    )
    invite(ctx.services, eid, add_person(ctx.services, "Yann", "yann@example.org"), "host")
    window.open_item("event", eid)
    page = window.current_page()
    tab = page.detail.show_invitations()
    assert "1 not sent · 1 invited" in tab.counts.text()
    monkeypatch.setattr(calendar_actions, "choose_save_path", lambda *_a: str(tmp_path / "inv"))
    page.findChild(QPushButton, "exportInvitations").click()
    dialog = page._calendar_dialog
    assert "1 invitation not sent before is now marked <b>invited</b>" in dialog.summary.text()
    assert invitation(ctx.services, new).status == "invited"
    assert invitation(ctx.services, new).invited_at is not None
    assert "2 invited: 2 invited" in tab.counts.text()
    assert dialog.unmark_button.isVisible() and dialog.unmark_button.isEnabled()
    dialog.grab().save("/tmp/shot-calendar-marked.png")

    dialog.unmark_button.click()
    assert invitation(ctx.services, new).status == "not sent"
    assert invitation(ctx.services, new).invited_at is None
    assert "1 not sent · 1 invited" in tab.counts.text()
    assert "Undone" in dialog.summary.text() and not dialog.unmark_button.isEnabled()
    ctx.undo.redo()
    assert invitation(ctx.services, new).status == "invited"
    assert "2 invited: 2 invited" in tab.counts.text()
    _close(dialog)


def test_drafts_mark_the_not_sent(ctx, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    set_organiser(ctx.services)
    eid = add_event(ctx.services, "Rust & Coffee", status="announced")
    new = invite(
        ctx.services, eid, add_person(ctx.services, "Zoë", "zoe@example.org"), status="not sent"
    )
    parent = _parent(qtbot)
    dialog = calendar_actions.email_drafts(ctx, parent, eid, str(tmp_path / "d"))
    assert dialog is not None
    assert "now marked <b>invited</b>" in dialog.summary.text()
    assert invitation(ctx.services, new).status == "invited"
    ctx.undo.undo()  # Ctrl+Z in the window
    assert invitation(ctx.services, new).status == "not sent"
    _close(dialog)


VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cara Diaz\r\nEMAIL:cara@example.org\r\nEND:VCARD\r\n"


@pytest.mark.parametrize("with_contacts", [True, False])
def test_replies_chosen_in_file_import_go_to_the_reply_import(  # type: ignore[no-untyped-def]
    window, ctx, tmp_path: Path, monkeypatch, with_contacts
) -> None:
    """File → Import… → Add files…: a .ics reply is not refused as "a calendar file" but
    answers its invitation, with the reply import's result dialog; contact files chosen
    with it go on through the wizard, and without any the wizard closes."""
    from crm.ui.io import import_steps

    eid = add_event(ctx.services, "Kotlin Night")
    inv = invite(ctx.services, eid, add_person(ctx.services, "Ann Example", "ann@example.org"))
    answer = tmp_path / "Re Kotlin Night.ics"
    answer.write_bytes(reply(event_uid(ctx.services, eid), "ann@example.org", "TENTATIVE"))
    cards = tmp_path / "cards.vcf"
    cards.write_text(VCARD, encoding="utf-8")
    chosen = [str(answer), str(cards)] if with_contacts else [str(answer)]
    monkeypatch.setattr(import_steps.QFileDialog, "getOpenFileNames", lambda *_a: (chosen, ""))
    window.io.import_action.trigger()
    wizard = window.io.last_dialog
    assert wizard.isVisible() and wizard.step == "files"
    wizard.files.add_button.click()
    assert len(wizard.files.paths()) == len(chosen)
    wizard.next_button.click()

    dialog = wizard.replies_dialog
    assert isinstance(dialog, CalendarJobDialog) and dialog.isVisible()
    assert invitation(ctx.services, inv).status == "tentative"
    text = dialog.summary.text()
    assert "1 answer recorded from 1 of 1 file" in text
    assert "Ann Example — <b>tentative</b> — Kotlin Night" in text
    assert "calendar file" not in wizard.error.text()
    assert not dialog.unmark_button.isVisible()  # nothing was marked invited
    if with_contacts:
        assert wizard.isVisible() and wizard.step == "preview"
        assert wizard.files.paths() == [cards]
        dialog.grab().save("/tmp/shot-calendar-import-wizard-replies.png")
    else:
        assert not wizard.isVisible()
        assert dialog.parent() is window
    _close(dialog)
