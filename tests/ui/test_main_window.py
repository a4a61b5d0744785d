"""The main window: pages, menus and shortcuts, status bar counts, saved window state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from crm.services.people_data import PersonInput
from crm.ui.main_window import MainWindow
from crm.ui.people.interaction_dialog import InteractionDialog

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def window(ctx, qtbot):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    return w


def _person(services, name: str, **extra: object) -> int:
    return services.people.create(PersonInput(display_name=name, **extra))  # type: ignore[arg-type]


def _select_row(window: MainWindow, row: int) -> None:
    page = window.people
    page.table.setFocus()
    page.table.selectionModel().setCurrentIndex(
        page.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_sidebar_lists_the_pages(window) -> None:
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles[0] == "People"
    assert titles == [p.title for p in window.pages]
    for page in window.pages:
        assert callable(page.focus_search) and callable(page.refresh)
    if len(titles) > 1:
        window.sidebar.setCurrentRow(1)
        assert window.current_page() is window.pages[1]


def test_status_bar_counts_follow_changes(window, services, qtbot) -> None:
    qtbot.waitUntil(lambda: window.counts.text().startswith("0 people"))
    _person(services, "Ann")
    qtbot.waitUntil(lambda: window.counts.text().startswith("1 people"), timeout=2000)
    assert "0 interactions" in window.counts.text()


def test_ctrl_f_focuses_the_search(window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.people.search


def test_ctrl_i_logs_an_interaction_for_the_selection(window, services, qtbot) -> None:
    pid = _person(services, "Ann")
    _select_row(window, 0)
    qtbot.keyClick(window.people.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    [dialog] = window.people.findChildren(InteractionDialog)
    assert dialog.isVisible() and dialog.participants.ids() == [pid]
    qtbot.keyClicks(dialog.summary, "Hallway chat")
    dialog.save()
    assert window.people.detail.timeline_model.row_at(0).summary == "Hallway chat"


def test_archive_undo_archive_then_restore_from_trash(window, ctx, services, qtbot) -> None:
    ann = _person(services, "Ann")
    bob = _person(services, "Bob")
    page = window.people
    _select_row(window, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.model.ids == [bob]
    assert services.people.get(ann).archived_at is not None
    assert "Ctrl+Z to undo" in window.statusBar().currentMessage()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.model.ids == [ann, bob]
    assert services.people.get(ann).archived_at is None
    _select_row(window, 0)
    window.archive_action.trigger()
    assert page.model.ids == [bob]

    trash_page = next((p for p in window.pages if p.title == "Trash"), None)
    if trash_page is None:
        pytest.skip("the Trash page is not built yet")
    window.show_page(window.pages.index(trash_page))
    trash_page.refresh()
    trash_page.show_section("people")
    trash_page._select_rows("people", [ann])
    assert trash_page.restore_selected() == 1
    assert services.people.get(ann).archived_at is None
    assert page.model.ids == [ann, bob]


def test_menus_and_shortcuts_dialog(window, qtbot) -> None:
    shortcuts = {(keys, what) for _, keys, what in window.all_shortcuts()}
    for expected in [
        ("Ctrl+N", "New person"),
        ("Ctrl+Q", "Quit"),
        ("Ctrl+Z", "Undo"),
        ("Ctrl+Shift+Z", "Redo"),
        ("Ctrl+F", "Find"),
        ("Ctrl+I", "Log interaction"),
        ("Del", "Archive"),
    ]:
        assert expected in shortcuts
    dialog = window.show_shortcuts()
    text = dialog.findChild(QLabel, "shortcutsTable").text()
    for _keys, what in shortcuts:
        assert what in text
    dialog.close()


def test_custom_fields_dialog_adds_and_deletes(window, services, qtbot, monkeypatch) -> None:
    pid = _person(services, "Ann")
    dialog = window.edit_fields()
    dialog.name.setText("Size")
    dialog.type.setCurrentIndex(dialog.type.findData("choice"))
    assert dialog.add_field() is None
    assert "at least one choice" in dialog.errors["choices"].text()
    dialog.choices.setText("S, M, L")
    fid = dialog.add_field()
    assert fid is not None
    assert [f.name for f in services.fields.definitions("person")] == ["Size"]
    columns = window.people.model.columnCount()
    assert window.people.model.headerData(columns - 1, Qt.Orientation.Horizontal) == "Size"
    window.people.select_person(pid)
    assert fid in window.people.detail.custom.editors
    dialog.list.setCurrentRow(0)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    dialog.delete_selected()
    assert len(services.fields.definitions("person")) == 1
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    dialog.delete_selected()
    assert services.fields.definitions("person") == []
    assert window.people.model.columnCount() == columns - 1
    dialog.set_entity("community")
    dialog.name.setText("Region")
    dialog.type.setCurrentIndex(dialog.type.findData("text"))
    assert dialog.add_field() is not None
    assert [f.name for f in services.fields.definitions("community")] == ["Region"]
    dialog.close()


def test_window_state_is_saved_and_restored(ctx, services, qtbot) -> None:
    _person(services, "Ann")
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    # The offscreen screen is 800x600 and restoreGeometry keeps windows on screen, so
    # the saved size is the narrowest the window allows, and a height that fits.
    first.resize(700, 520)
    first.people.splitter.setSizes([600, 380])
    first.people.table.horizontalHeader().resizeSection(2, 222)
    first.people.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    qtbot.wait(10)
    sizes = first.people.splitter.sizes()
    size = (first.width(), first.height())
    assert size[1] == 520
    first.close()

    second = MainWindow(ctx)
    qtbot.addWidget(second)
    second.show()
    qtbot.wait(10)
    assert (second.width(), second.height()) == size
    assert second.people.splitter.sizes() == sizes
    assert second.people.table.horizontalHeader().sectionSize(2) == 222
    assert second.people.model.sort_key == "organisation"
    assert second.people.model.descending


def test_links_between_people_and_communities(window, services) -> None:
    from crm.services.communities import CommunityInput

    pid = _person(services, "Ann")
    cid = services.communities.create(CommunityInput("PyLadies Berlin", kind="user group"))
    services.communities.add_member(cid, [pid], role="liaison")
    window.people.select_person(pid)
    assert "PyLadies Berlin" in window.people.detail.communities.body.itemAt(0).widget().text()
    communities = next((p for p in window.pages if hasattr(p, "select_community")), None)
    if communities is None:
        pytest.skip("the Communities page is not built yet")
    window.people.detail.community_activated.emit(cid)
    assert window.current_page() is communities
    assert communities.selected_ids() == [cid]
    # And back: a member opened on the Communities page shows on the People page.
    communities.person_activated.emit(pid)
    assert window.current_page() is window.people
    assert window.people.current_id() == pid


def test_delete_key_belongs_to_the_current_page(window, services, qtbot) -> None:
    from crm.services.communities import CommunityInput

    pid = _person(services, "Ann")
    cid = services.communities.create(CommunityInput("PyData Paris"))
    communities = next((p for p in window.pages if hasattr(p, "select_community")), None)
    if communities is None:
        pytest.skip("the Communities page is not built yet")
    window.show_page(window.pages.index(communities))
    assert not window.archive_action.isEnabled()
    communities.select_community(cid)
    communities.table.setFocus()
    qtbot.keyClick(communities.table, Qt.Key.Key_Delete)
    assert services.communities.get(cid).archived_at is not None
    assert services.people.get(pid).archived_at is None
    window.show_page(0)
    assert window.archive_action.isEnabled()
