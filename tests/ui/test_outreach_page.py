"""The Outreach page: a card made in the dialog, moved by keys, menu and drop, undone."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox

from crm.models import Event
from crm.services.outreach_data import CardInput
from crm.services.people_data import PersonInput
from crm.ui.outreach.column_model import StageModel, encode_ids
from crm.ui.outreach.page import OutreachPage


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    p = OutreachPage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 700)
    p.show()
    return p


def _event(services, title: str) -> int:  # type: ignore[no-untyped-def]
    start = datetime.now().replace(microsecond=0) + timedelta(days=20)
    with services.db.session() as s:
        e = Event(title=title, starts_at=start, ends_at=start, starts_utc=start)
        s.add(e)
        s.flush()
        eid = e.id
    services.changes.emit("events", ids=[eid])  # as the events service would
    return eid


def _names(page: OutreachPage, stage: str) -> list[str]:
    return [c.person_name for c in page.board.columns[stage].model.cards]


def _stage(services, card_id: int) -> str:  # type: ignore[no-untyped-def]
    return services.outreach.get(card_id).stage


def test_create_a_card_in_the_dialog(ctx, services, qtbot) -> None:
    page = OutreachPage(ctx)  # not shown: the picker's popup would need a real display
    qtbot.addWidget(page)
    ada = services.people.create(PersonInput(display_name="Ada Lovelace"))
    conf = _event(services, "DevConf")
    dlg = page.new_card()
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()  # no person yet: refused, stays open
    assert dlg.isVisible() and "person" in dlg.errors["person"].text()
    assert services.outreach.count() == 0

    # (typing into the picker opens its popup, which needs a real display)
    dlg.person.set_person(ada, "Ada Lovelace")
    qtbot.keyClicks(dlg.topic, "Engines of thought")
    dlg.event.setCurrentIndex(dlg.event.findData(conf))
    qtbot.keyClicks(dlg.next_step, "Send the CFP")
    dlg.has_date.setChecked(True)
    save.click()
    assert not dlg.isVisible()
    (card,) = services.outreach.history(ada)
    assert (card.topic, card.event_id, card.next_step, card.stage) == (
        "Engines of thought",
        conf,
        "Send the CFP",
        "identified",
    )
    assert card.next_step_on == date.today() + timedelta(days=7)
    assert _names(page, "identified") == ["Ada Lovelace"]
    assert page.board.current_card().id == card.id  # the new card is selected
    assert "1" in page.strip.stage_labels["identified"].text()


def test_move_by_keyboard_and_undo(page, ctx, services, qtbot) -> None:
    ada = services.people.create(PersonInput(display_name="Ada"))
    cid = services.outreach.create(CardInput(ada, "Talk"))
    assert page.board.select_card(cid, focus=True)
    view = page.board.columns["identified"].view
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert _stage(services, cid) == "contacted"
    assert _names(page, "identified") == [] and _names(page, "contacted") == ["Ada"]
    assert page.board.current_card().id == cid  # it stays chosen in its new column
    view = page.board.columns["contacted"].view
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert _stage(services, cid) == "interested"
    qtbot.keyClick(
        page.board.columns["interested"].view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier
    )
    assert _stage(services, cid) == "contacted"
    assert "→ 100% →" in page.strip.rates()[1]  # contacted → interested, reached once

    ctx.undo.undo()  # the move back is forgotten
    assert _stage(services, cid) == "interested"
    ctx.undo.undo()
    ctx.undo.undo()
    assert _stage(services, cid) == "identified"
    assert [m.to_stage for m in services.outreach.get(cid).moves] == ["identified"]
    ctx.undo.redo()
    assert _stage(services, cid) == "contacted" and _names(page, "contacted") == ["Ada"]


def test_move_by_a_drop_on_another_column(page, services) -> None:
    ada = services.people.create(PersonInput(display_name="Ada"))
    cid = services.outreach.create(CardInput(ada, "Talk"))
    source = page.board.columns["identified"].model
    data = source.mimeData([source.index(0, 0)])
    target = page.board.columns["confirmed"].model
    assert target.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert target.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert _stage(services, cid) == "confirmed"
    assert _names(page, "confirmed") == ["Ada"] and _names(page, "identified") == []
    # a drop back on the column it is in changes nothing
    again = target.mimeData([target.index(0, 0)])
    assert not target.dropMimeData(again, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert len(services.outreach.get(cid).moves) == 2


def test_context_menu_moves_to_declined_and_archives_with_undo(page, ctx, services) -> None:
    ada = services.people.create(PersonInput(display_name="Ada"))
    cid = services.outreach.create(CardInput(ada, "Talk"), stage="interested")
    column = page.board.columns["interested"]
    card = column.model.cards[0]
    menu = page.board.context_menu(column, card)
    (move,) = [a for a in menu.actions() if a.text() == "Move to"]
    declined = next(a for a in move.menu().actions() if a.text() == "Declined")
    assert not next(a for a in move.menu().actions() if a.text() == "Interested").isEnabled()
    declined.trigger()
    assert _stage(services, cid) == "declined" and _names(page, "declined") == ["Ada"]
    assert page.strip.stage_labels["declined"].text().count("1") >= 1

    page.board.select_card(cid)
    page.archive_card(cid)
    assert services.outreach.count() == 0 and _names(page, "declined") == []
    assert "Archived (1)" in page.archived_button.text()
    ctx.undo.undo()
    assert services.outreach.count() == 1 and _names(page, "declined") == ["Ada"]


def test_filter_by_event_and_search(page, services, qtbot) -> None:
    conf, meet = _event(services, "DevConf"), _event(services, "Meetup")
    a = services.people.create(PersonInput(display_name="Ada"))
    g = services.people.create(PersonInput(display_name="Grace"))
    services.outreach.create(CardInput(a, "Engines", conf))
    services.outreach.create(CardInput(g, "Compilers", meet))
    page.set_event_filter(conf)
    assert _names(page, "identified") == ["Ada"] and page.count.text() == "1 of 2 cards"
    page.set_event_filter(None)
    qtbot.keyClicks(page.search, "compil")
    qtbot.waitUntil(lambda: _names(page, "identified") == ["Grace"], timeout=2000)


def test_show_item_clears_a_filter_that_hides_the_card(page, services) -> None:
    a = services.people.create(PersonInput(display_name="Ada"))
    cid = services.outreach.create(CardInput(a, "Engines"))
    page.search.setText("nobody")
    page.refresh()
    assert _names(page, "identified") == []
    page.show_item(cid)
    assert page.search.text() == "" and page.board.current_card().id == cid


def test_double_click_edits_and_overdue_shows(page, services, qtbot) -> None:
    a = services.people.create(PersonInput(display_name="Ada"))
    cid = services.outreach.create(
        CardInput(a, "Engines", next_step="Call", next_step_on=date.today() - timedelta(days=2))
    )
    page.refresh()
    card = page.board.columns["identified"].model.cards[0]
    assert card.overdue
    view = page.board.columns["identified"].view
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dlg = page.dialog
    assert dlg is not None and dlg.card_id == cid and dlg.topic.text() == "Engines"
    dlg.topic.setText("Difference engines")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert services.outreach.get(cid).topic == "Difference engines"


def test_column_model_passes_the_model_tester(qtmodeltester, services) -> None:
    a = services.people.create(PersonInput(display_name="Ada"))
    for i in range(3):
        services.outreach.create(CardInput(a, f"Talk {i}"))
    model = StageModel("identified", lambda ids, stage: True)
    model.set_cards(services.outreach.board()["identified"])
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.canDropMimeData(encode_ids([1]), Qt.DropAction.MoveAction, -1, -1, QModelIndex())


def test_figures_and_event_filter_come_after_the_first_paint(ctx, services, qtbot) -> None:
    conf, _unused = _event(services, "DevConf"), _event(services, "Unused")
    a = services.people.create(PersonInput(display_name="Ada"))
    services.outreach.create(CardInput(a, "Engines", conf))
    page = OutreachPage(ctx)
    qtbot.addWidget(page)
    assert _names(page, "identified") == ["Ada"]  # the cards are read at once
    assert page.event.count() == 1 and page.count.text() == ""  # the rest is not yet
    with qtbot.waitSignal(page.figures_shown, timeout=3000):
        page.resize(1200, 600)
        page.show()
    assert page.count.text() == "1 card"
    assert "1" in page.strip.stage_labels["identified"].text()
    # only the events cards aim at are offered, with their counts
    assert page.event.count() == 2
    assert "DevConf" in page.event.itemText(1) and page.event.itemText(1).endswith("· 1 card")


def test_an_empty_board_says_how_to_add_the_first_card(page, services, qtbot) -> None:
    qtbot.waitUntil(lambda: page.hint.isVisible(), timeout=3000)
    assert "New card (Ctrl+Shift+N)" in page.hint.text()
    assert "Add to speaker outreach" in page.hint.text()
    view = page.board.columns["identified"].view
    view.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_N, ctrl_shift)
    qtbot.keyRelease(view, Qt.Key.Key_Shift)  # the app's modifier state: none held
    assert page.dialog is not None and page.dialog.isVisible() and page.dialog.card_id is None
    page.dialog.reject()
    a = services.people.create(PersonInput(display_name="Ada"))
    services.outreach.create(CardInput(a, "Engines"))
    assert not page.hint.isVisible()
    page.search.setText("nobody")
    page.refresh()
    assert page.hint.isVisible() and "No card matches" in page.hint.text()


def test_keys_edit_and_archive_the_chosen_card(page, services, qtbot) -> None:
    a = services.people.create(PersonInput(display_name="Ada"))
    cid = services.outreach.create(CardInput(a, "Engines"))
    assert page.board.select_card(cid, focus=True)
    view = page.board.columns["identified"].view
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert page.dialog is not None and page.dialog.card_id == cid
    page.dialog.reject()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert services.outreach.count() == 0 and services.outreach.count(archived=True) == 1


def test_the_event_is_found_by_part_of_its_title_and_a_typed_mismatch_refused(
    ctx, services, qtbot
) -> None:
    page = OutreachPage(ctx)
    qtbot.addWidget(page)
    ada = services.people.create(PersonInput(display_name="Ada"))
    conf = _event(services, "Rust DevConf")
    _event(services, "Meetup")
    dlg = page.new_card(person=(ada, "Ada"))
    completer = dlg.event.completer()
    completer.setCompletionPrefix("devconf")  # the middle of the title, any case
    assert completer.completionCount() == 1 and "Rust DevConf" in completer.currentCompletion()
    dlg.event.setEditText("No such event")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dlg.isVisible() and "Pick the event" in dlg.errors["event"].text()
    assert services.outreach.count() == 0
    dlg.event.setCurrentIndex(dlg.event.findData(conf))
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dlg.isVisible() and services.outreach.history(ada)[0].event_id == conf
