"""The Initiatives page against a real database: create, edit, filter, participants."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from crm.services.initiatives import InitiativeInput
from crm.services.people_data import PersonInput
from crm.ui.initiatives.page import InitiativesPage
from crm.ui.initiatives.table_model import InitiativeTableModel, ParticipantTableModel


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = InitiativesPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _titles(page: InitiativesPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_create_edit_and_refuse_bad_dates(page, services) -> None:  # type: ignore[no-untyped-def]
    dlg = page.new_initiative()
    dlg.title.setText("Spring hackathon")
    dlg.kind.setCurrentIndex(dlg.kind.findData("contest"))
    dlg.has_start.setChecked(True)
    dlg.start.setDate(date(2024, 5, 10))
    dlg.has_end.setChecked(True)
    dlg.end.setDate(date(2024, 5, 1))
    dlg.save()
    assert "end cannot be before" in dlg.error.text() and services.initiatives.count() == 0
    dlg.end.setDate(date(2024, 5, 31))
    dlg.goal.setText("200 submissions")
    dlg.save()
    assert _titles(page) == ["Spring hackathon"]
    iid = page.current_id()
    assert page.detail.goal.text() == "Goal: 200 submissions"
    edit = page.edit_current()
    edit.title.setText("Spring hackathon 2024")
    edit.save()
    assert services.initiatives.get(iid).title == "Spring hackathon 2024"
    assert page.detail.title.text() == "Spring hackathon 2024"


def test_filter_by_kind_phase_and_text(page, services) -> None:  # type: ignore[no-untyped-def]
    ini = services.initiatives
    ini.create(InitiativeInput("Old campaign", "campaign", date(2020, 1, 1), date(2020, 2, 1)))
    ini.create(InitiativeInput("Ambassadors", "ambassador programme", date(2021, 1, 1)))
    page.kind.setCurrentIndex(page.kind.findData("campaign"))
    assert _titles(page) == ["Old campaign"]
    page.kind.setCurrentIndex(0)
    page.phase.setCurrentIndex(page.phase.findData("running"))
    assert _titles(page) == ["Ambassadors"]
    assert page.count.text() == "1 of 2"
    page.phase.setCurrentIndex(0)
    page.search.setText("old")
    page.apply_filter()
    assert _titles(page) == ["Old campaign"]


def test_participants_results_and_person_detail(page, ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    iid = services.initiatives.create(InitiativeInput("Docs sprint", "challenge"))
    ada = services.people.create(PersonInput(display_name="Ada Lovelace"))
    bob = services.people.create(PersonInput(display_name="Bob Byte"))
    page.show_item(iid)
    dlg = page.add_participants(iid)
    dlg.add_person(ada, "Ada Lovelace")
    dlg.add_person(bob, "Bob Byte")
    dlg.add_person(ada, "Ada Lovelace")  # once only
    assert dlg.add_button.text() == "Add 2"
    dlg.result.setCurrentIndex(dlg.result.findData("submitted"))
    dlg.save()
    assert dlg.added == 2
    assert page.detail.people.rowCount() == 2
    assert page.model.index(0, 5).data() == "2"
    # mark Ada the winner through the panel
    names = [page.detail.people.index(r, 0).data() for r in range(2)]
    page.detail.participants.selectRow(names.index("Ada Lovelace"))
    page.detail.result.setCurrentIndex(page.detail.result.findData("winner"))
    page.detail.set_result()
    ids = services.initiatives.participant_ids(iid)
    assert [(p.name, p.result) for p in services.initiatives.participant_rows(iid, ids)] == [
        ("Ada Lovelace", "winner"),
        ("Bob Byte", "submitted"),
    ]
    assert page.detail.people.index(0, 0).data() == "Ada Lovelace"  # winners first
    assert page.detail.people.index(0, 1).data() == "Winner"
    assert page.detail.participants_title.text() == "Participants (2, 1 winner)"
    page.detail.participants.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # by name, Z–A
    assert [page.detail.people.index(r, 0).data() for r in range(2)] == [
        "Bob Byte",
        "Ada Lovelace",
    ]

    from PySide6.QtWidgets import QLabel

    from crm.ui.people.detail import PersonDetailPanel
    from crm.ui.people.linked import LINKED_SECTIONS

    panel = PersonDetailPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_person(ada)
    i = [t for t, _m, _f in LINKED_SECTIONS].index("Initiatives")
    texts = [lbl.text() for lbl in panel.linked_sections[i].findChildren(QLabel)]
    assert any(f'href="initiative:{iid}"' in t and "winner" in t for t in texts)


def test_delete_asks_and_says_what_goes(page, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    iid = services.initiatives.create(InitiativeInput("Promo", "promotion"))
    pid = services.people.create(PersonInput(display_name="Ada Lovelace"))
    services.initiatives.add_participants(iid, [pid])
    asked: list[str] = []

    def fake(reply):  # type: ignore[no-untyped-def]
        def f(_p, _t, text, *a, **k):  # type: ignore[no-untyped-def]
            asked.append(text)
            return reply

        return staticmethod(f)

    monkeypatch.setattr(QMessageBox, "question", fake(QMessageBox.StandardButton.No))
    assert not page.delete_initiative(iid)
    assert "1 participant" in asked[-1] and services.initiatives.count() == 1
    monkeypatch.setattr(QMessageBox, "question", fake(QMessageBox.StandardButton.Yes))
    assert page.delete_initiative(iid)
    assert "Ctrl+Z" in asked[-1]
    assert services.initiatives.count() == 0 and _titles(page) == []
    assert services.people.get(pid).display_name == "Ada Lovelace"


def test_undo_brings_a_deleted_initiative_back(page, ctx, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    iid = services.initiatives.create(InitiativeInput("Docs sprint", "challenge"))
    pid = services.people.create(PersonInput(display_name="Ada Lovelace"))
    services.initiatives.add_participants(iid, [pid])
    services.initiatives.set_result(iid, [pid], "winner")
    empty = services.initiatives.create(InitiativeInput("Nothing yet", "campaign"))
    asked: list[str] = []

    def yes(_p, _t, text, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    said: list[str] = []
    page.message.connect(said.append)
    page.show_item(iid)
    page.delete_current()
    assert len(asked) == 1 and _titles(page) == ["Nothing yet"]
    assert said[-1] == "Deleted “Docs sprint” — Ctrl+Z brings it back."
    assert ctx.undo.undoText() == "Delete initiative “Docs sprint”"
    ctx.undo.undo()  # what Ctrl+Z (Edit → Undo) runs
    assert sorted(_titles(page)) == ["Docs sprint", "Nothing yet"]
    page.show_item(iid)
    assert page.detail.participants_title.text() == "Participants (1, 1 winner)"
    assert page.detail.people.index(0, 1).data() == "Winner"
    ctx.undo.redo()
    assert services.initiatives.count() == 1
    ctx.undo.undo()
    assert services.initiatives.count() == 2
    # nothing goes with an initiative without participants or links: no question
    page.delete_initiative(empty)
    assert len(asked) == 1 and services.initiatives.count() == 1


def test_model_passes_the_model_tester(services, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        services.initiatives.create(InitiativeInput(f"I{n}", "campaign", date(2024, 1, 1 + n)))
    model = InitiativeTableModel(services)
    model.reload()
    qtmodeltester.check(model)


def test_participant_model_passes_the_model_tester(services, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    iid = services.initiatives.create(InitiativeInput("Ambassadors", "ambassador programme"))
    people = [services.people.create(PersonInput(display_name=f"P{n}")) for n in range(5)]
    services.initiatives.add_participants(iid, people)
    services.initiatives.set_result(iid, people[3:], "winner")
    model = ParticipantTableModel(services)
    model.show(iid)
    assert [model.index(r, 0).data() for r in range(2)] == ["P3", "P4"]  # winners first
    qtmodeltester.check(model)


def test_list_paints_first_then_the_detail(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    iid = services.initiatives.create(InitiativeInput("Docs sprint", "challenge"))
    ada = services.people.create(PersonInput(display_name="Ada Lovelace"))
    services.initiatives.add_participants(iid, [ada])
    page = InitiativesPage(ctx)
    qtbot.addWidget(page)
    assert page.current_id() == iid and page.detail.detail is None
    assert page.detail.people.rowCount() == 0  # the participants are not read yet
    page.show()
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    assert page.detail.title.text() == "Docs sprint"
    assert page.detail.people.index(0, 0).data() == "Ada Lovelace"


def test_empty_page_and_empty_participants_say_what_to_do(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    from crm.ui.initiatives.dialog import InitiativeDialog

    assert "New initiative (Ctrl+Shift+N)" in page.empty_hint.text()
    page.table.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.table, Qt.Key.Key_N, ctrl_shift)
    qtbot.keyRelease(page.table, Qt.Key.Key_Shift)  # the app's modifier state: none held
    assert isinstance(page.dialog, InitiativeDialog) and page.dialog.isVisible()
    page.dialog.title.setText("Docs sprint")
    page.dialog.save()
    assert page.empty_hint.text() == ""
    assert page.detail.participants_hint.text().startswith("Nobody yet")
    assert page.table.horizontalHeader().isSectionHidden(7)  # the goal: in the detail
    page.kind.setCurrentIndex(page.kind.findData("contest"))
    assert page.empty_hint.text().startswith("No initiative matches")
