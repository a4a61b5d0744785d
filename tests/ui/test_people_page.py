"""The People page against a real database: search as you type, sort, bulk actions,
custom fields, the detail panel and its timeline."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from crm.services.interactions import InteractionInput
from crm.services.people_data import PersonInput
from crm.ui.people import bulk
from crm.ui.people.page import SEARCH_DELAY_MS, PeoplePage

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def page(ctx, qtbot):
    widget = PeoplePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _person(services, name: str, **extra: object) -> int:
    return services.people.create(PersonInput(display_name=name, **extra))  # type: ignore[arg-type]


def _names(page: PeoplePage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def _select_rows(page: PeoplePage, rows: list[int]) -> None:
    sm = page.table.selectionModel()
    sm.clearSelection()
    for r in rows:
        sm.select(
            page.model.index(r, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_search_finds_people_as_you_type(ctx, services, qtbot) -> None:
    _person(services, "Ada Lovelace", organisation="Analytical")
    _person(services, "Alan Turing", organisation="Bletchley")
    _person(services, "Grace Hopper", organisation="Navy")
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 3
    page.focus_search()
    qtbot.keyClicks(page.search, "bletch")
    assert page.model.rowCount() == 3  # debounced: nothing yet
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=SEARCH_DELAY_MS * 10)
    assert _names(page) == ["Alan Turing"]
    assert page.count_label.text() == "1 person matches"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=SEARCH_DELAY_MS * 10)
    qtbot.keyClicks(page.search, "zzzz")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=SEARCH_DELAY_MS * 10)
    assert page.empty_label.isVisible()


def test_new_person_appears_in_search_results(page, services, qtbot) -> None:
    qtbot.keyClicks(page.search, "lovel")
    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert page.model.rowCount() == 0
    _person(services, "Ada Lovelace")
    assert _names(page) == ["Ada Lovelace"]


def test_role_and_tag_filters(page, services) -> None:
    _person(services, "Ann", roles=("speaker",), tags=("python",))
    _person(services, "Bob", roles=("member",), tags=("rust",))
    page.role_filter.setCurrentIndex(page.role_filter.findData("speaker"))
    assert _names(page) == ["Ann"]
    page.role_filter.setCurrentIndex(0)
    page.tag_filter.showPopup()  # loads the tags, as opening it does
    page.tag_filter.hidePopup()
    page.tag_filter.setCurrentIndex(page.tag_filter.findData("rust"))
    assert _names(page) == ["Bob"]


def test_clicking_a_header_sorts(page, services, qtbot) -> None:
    _person(services, "Bea", organisation="Zeta")
    _person(services, "Ann", organisation="Yota")
    _person(services, "Cid", organisation="Alpha")
    assert _names(page) == ["Ann", "Bea", "Cid"]
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(2) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert page.model.sort_key == "organisation"
    assert _names(page) == ["Cid", "Ann", "Bea"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert _names(page) == ["Bea", "Ann", "Cid"]


def test_selection_is_kept_across_refresh(page, services) -> None:
    ids = [_person(services, f"P{i}") for i in range(5)]
    page.select_ids([ids[1], ids[3]], ids[3])
    _person(services, "P0a")  # sorts between P0 and P1: rows move
    assert sorted(page.selected_ids()) == sorted([ids[1], ids[3]])
    assert page.current_id() == ids[3]


def test_bulk_add_and_remove_tag_on_three_people(page, services, monkeypatch) -> None:
    ids = [_person(services, f"P{i}") for i in range(5)]
    _select_rows(page, [0, 2, 4])
    assert sorted(page.selected_ids()) == [ids[0], ids[2], ids[4]]
    monkeypatch.setattr(bulk, "ask_tags", lambda *a: ["vip"])
    menu = page.bulk.menu(page.selected_ids())
    [add] = [a for a in menu.actions() if a.text() == "Add tags…"]
    add.trigger()
    tagged = {pid for pid in ids if "vip" in services.people.get(pid).tags}
    assert tagged == {ids[0], ids[2], ids[4]}
    assert page.model.data(page.model.index(2, 4)) == "vip"
    assert sorted(page.selected_ids()) == [ids[0], ids[2], ids[4]]
    page.bulk.remove_tags([ids[0]])
    assert "vip" not in services.people.get(ids[0]).tags


def test_bulk_set_and_remove_role(page, services) -> None:
    ids = [_person(services, f"P{i}") for i in range(3)]
    page.bulk.set_role(ids[:2], "volunteer", True)
    assert [("volunteer" in services.people.get(i).roles) for i in ids] == [True, True, False]
    page.bulk.set_role(ids[:1], "volunteer", False)
    assert "volunteer" not in services.people.get(ids[0]).roles


def test_archive_and_undo(ctx, page, services) -> None:
    ids = [_person(services, f"P{i}") for i in range(3)]
    messages: list[str] = []
    page.message.connect(messages.append)
    _select_rows(page, [0, 1])
    page.archive_selected()
    assert page.model.ids == [ids[2]]
    assert services.people.count(archived=True) == 2
    assert messages[-1] == "Archived 2 people — Ctrl+Z to undo"
    ctx.undo.undo()
    assert page.model.ids == ids
    ctx.undo.redo()
    assert page.model.ids == [ids[2]]


def test_custom_field_shows_as_column_and_in_detail(page, services, qtbot) -> None:
    pid = _person(services, "Ann")
    page.select_person(pid)
    fid = services.fields.create("person", "Stars", "number")
    titles = [
        page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())
    ]
    assert titles[-1] == "Stars"
    editor = page.detail.custom.editors[fid]
    assert page.detail.custom_section.isVisibleTo(page.detail)
    editor.set_value("lots")
    assert not page.detail.custom.commit(fid)
    assert "not a number" in page.detail.custom.errors[fid].text()
    editor.set_value("42")
    assert page.detail.custom.commit(fid)
    assert page.model.data(page.model.index(0, len(titles) - 1)) == "42"
    assert {v.field_id: v.value for v in services.people.get(pid).custom} == {fid: "42"}
    services.fields.delete(fid)
    assert page.model.columnCount() == len(titles) - 1


def test_detail_shows_profile_and_links(page, services, qtbot) -> None:
    grace = _person(services, "Grace Hopper")
    ada = _person(
        services,
        "Ada Lovelace",
        organisation="Analytical",
        title="Analyst",
        pronouns="she/her",
        roles=("speaker",),
        tags=("math",),
        referred_by_id=grace,
        bio="Wrote the first program.",
    )
    page.select_person(ada)
    d = page.detail
    assert d.name.text() == "Ada Lovelace"
    assert d.subtitle.text() == "she/her · Analyst @ Analytical"
    assert d.chips.texts() == ["speaker", "#math"]
    assert d.referrals.isVisibleTo(d)
    # The referral link jumps to Grace.
    d.person_activated.emit(grace)
    assert page.current_id() == grace and d.person_id == grace


def test_relationships_added_and_removed_in_detail(page, services, qtbot) -> None:
    a = _person(services, "Ann Able")
    b = _person(services, "Ben Baker")
    page.select_person(a)
    rel = page.detail.relationships
    rel.kind.setCurrentIndex(rel.kind.findData("mentor of"))
    rel.add_button.click()
    assert "Pick a person" in rel.error.text()
    qtbot.keyClicks(rel.other, "Baker")
    rel.other.choose(b)
    rel.add_button.click()
    [r] = services.people.get(a).relationships
    assert (r.kind, r.other_id) == ("mentor of", b)
    rel._remove(r.id)
    assert services.people.get(a).relationships == ()


def test_logged_interaction_is_on_top_of_timeline(page, services, qtbot, monkeypatch) -> None:
    pid = _person(services, "Ann")
    services.interactions.log(InteractionInput("call", datetime(2020, 1, 1), (pid,), "Old call"))
    page.select_person(pid)
    assert page.detail.timeline_model.row_at(0).summary == "Old call"
    dialog = page.log_interaction()
    assert dialog.participants.ids() == [pid]
    qtbot.keyClicks(dialog.summary, "Fresh coffee")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    model = page.detail.timeline_model
    assert model.rowCount() == 2
    assert model.row_at(0).summary == "Fresh coffee"
    # Delete it from the context menu's action, confirming the question.
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    page.detail.delete_interaction(model.row_at(0).id)
    assert model.rowCount() == 1 and model.row_at(0).summary == "Old call"


def test_archived_person_opened_by_link_can_be_restored(page, services) -> None:
    grace = _person(services, "Grace Hopper")
    ada = _person(services, "Ada Lovelace", referred_by_id=grace)
    services.people.archive([grace])
    page.select_person(ada)
    page.detail.person_activated.emit(grace)  # the "referred by" link
    assert page.detail.person_id == grace
    assert "in the Trash" in page.detail.subtitle.text()
    assert page.detail.archive_button.text() == "Restore"
    page.detail.archive_button.click()
    assert services.people.get(grace).archived_at is None
    assert page.current_id() == grace


def test_double_clicked_interaction_is_edited(page, services, qtbot) -> None:
    pid = _person(services, "Ann")
    services.interactions.log(InteractionInput("call", datetime(2024, 3, 1), (pid,), "Call"))
    page.select_person(pid)
    view = page.detail.timeline
    index = page.detail.timeline_model.index(0, 0)
    edited: list[int] = []
    view.edit_requested.connect(edited.append)
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # as a real
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # double-click
    assert edited == [page.detail.timeline_model.row_at(0).id]
    dialog = page.detail.edit_interaction(edited[0])
    assert dialog.summary.text() == "Call"
    dialog.summary.setText("Long call")
    dialog.save()
    assert page.detail.timeline_model.row_at(0).summary == "Long call"
