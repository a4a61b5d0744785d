"""The Communities page against a real database: dialog, table, search, sort, members, undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from crm.services.communities import CommunityInput
from crm.services.people_data import PersonInput
from crm.ui.communities.members_model import MembersModel
from crm.ui.communities.page import CommunitiesPage
from crm.ui.communities.table_model import CommunityTableModel


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = CommunitiesPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _community(services, name: str, **kw) -> int:  # type: ignore[no-untyped-def]
    return services.communities.create(CommunityInput(name, **kw))


def _person(services, given: str, family: str) -> int:  # type: ignore[no-untyped-def]
    return services.people.create(PersonInput(given_name=given, family_name=family))


def _names(page: CommunitiesPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def _column(page: CommunitiesPage, title: str) -> int:
    return [c.title for c in page.model.columns].index(title)


def _click_header(qtbot, page: CommunitiesPage, column: int) -> None:  # type: ignore[no-untyped-def]
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_create_through_dialog(page, services, qtbot):  # type: ignore[no-untyped-def]
    tier = services.fields.create("community", "Tier", "choice", ["Gold", "Silver"])
    dlg = page.new_community()
    assert dlg.isVisible()
    qtbot.keyClicks(dlg.name, "Rust Berlin")
    dlg.kind.setCurrentIndex(dlg.kind.findData("user group"))
    dlg.status.setCurrentIndex(dlg.status.findData("active"))
    dlg.website.setText("rust-berlin.org")
    dlg.size.setText("1,800")
    dlg.notes.setPlainText("Monthly meetups.")
    dlg.field_editors[tier].set_value("Gold")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    ids = services.communities.query_ids()
    assert len(ids) == 1
    saved = services.communities.get(ids[0])
    assert (saved.name, saved.kind, saved.status, saved.size) == (
        "Rust Berlin",
        "user group",
        "active",
        1800,
    )
    assert saved.website == "https://rust-berlin.org"
    assert {f.name: f.value for f in saved.custom} == {"Tier": "Gold"}

    assert _names(page) == ["Rust Berlin"]
    assert page.model.index(0, _column(page, "Tier")).data() == "Gold"
    assert page.model.index(0, _column(page, "Kind")).data() == "User group"
    # The new community is selected and shown in the detail panel.
    assert page.selected_ids() == ids
    assert page.detail.name.text() == "Rust Berlin"
    assert page.detail.badge.text() == "Active"
    assert "rust-berlin.org" in page.detail.website.text()


def test_edit_through_dialog(page, services, qtbot):  # type: ignore[no-untyped-def]
    cid = _community(services, "Hooli", kind="company")
    page.select_community(cid)
    dlg = page.edit_current()
    assert dlg is not None and dlg.name.text() == "Hooli"
    dlg.name.setText("Hooli XYZ")
    dlg.status.setCurrentIndex(dlg.status.findData("paused"))
    dlg.accept()
    assert services.communities.get(cid).name == "Hooli XYZ"
    assert _names(page) == ["Hooli XYZ"]
    assert page.detail.badge.text() == "Paused"


@pytest.mark.parametrize(
    ("name", "size", "key", "message"),
    [
        ("", "10", "name", "needs a name"),
        ("Negative", "-5", "size", "cannot be negative"),
        ("Words", "lots", "size", "whole number"),
    ],
)
def test_invalid_input_is_refused_inline(page, services, name, size, key, message):  # type: ignore[no-untyped-def]
    dlg = page.new_community()
    dlg.name.setText(name)
    dlg.size.setText(size)
    dlg.accept()
    assert dlg.isVisible(), "the dialog stays open"
    assert dlg.errors[key].isVisible()
    assert message in dlg.errors[key].text()
    assert services.communities.count() == 0
    assert page.model.rowCount() == 0
    # Fixing the input clears the message and saves.
    dlg.name.setText("Fixed")
    dlg.size.setText("12")
    dlg.accept()
    assert not dlg.isVisible()
    assert services.communities.count() == 1


def test_invalid_custom_field_is_refused_inline(page, services):  # type: ignore[no-untyped-def]
    budget = services.fields.create("community", "Budget", "number")
    dlg = page.new_community()
    dlg.name.setText("Globex")
    dlg.field_editors[budget].set_value("a lot")
    dlg.accept()
    assert dlg.isVisible()
    assert "not a number" in dlg.errors[f"custom:{budget}"].text()
    assert services.communities.count() == 0


def test_search_filters_as_you_type(page, services, qtbot):  # type: ignore[no-untyped-def]
    for name in ("Rust Berlin", "PyLadies Lisbon", "Rust Lisbon"):
        _community(services, name)
    assert page.model.rowCount() == 3
    qtbot.keyClicks(page.search, "rus")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert _names(page) == ["Rust Berlin", "Rust Lisbon"]
    qtbot.keyClicks(page.search, "t lis")
    qtbot.waitUntil(lambda: _names(page) == ["Rust Lisbon"])
    assert page.count.text() == "1 of 3"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)


def test_kind_filter(page, services):  # type: ignore[no-untyped-def]
    _community(services, "Hooli", kind="company")
    _community(services, "Rust Berlin", kind="user group")
    page.kind.setCurrentIndex(page.kind.findData("company"))
    assert _names(page) == ["Hooli"]
    page.kind.setCurrentIndex(0)
    assert _names(page) == ["Hooli", "Rust Berlin"]


def test_header_click_sorts_in_the_database(page, services, qtbot):  # type: ignore[no-untyped-def]
    budget = services.fields.create("community", "Budget", "number")
    _community(services, "Alpha", size=300, custom={budget: "5"})
    _community(services, "Beta", size=20, custom={budget: "100"})
    _community(services, "Gamma", size=1000, custom={budget: "40"})
    assert _names(page) == ["Alpha", "Beta", "Gamma"]

    _click_header(qtbot, page, _column(page, "Size"))
    first = _names(page)
    _click_header(qtbot, page, _column(page, "Size"))
    second = _names(page)
    assert {tuple(first), tuple(second)} == {
        ("Beta", "Alpha", "Gamma"),
        ("Gamma", "Alpha", "Beta"),
    }
    assert page.model.sort_key == "size"

    _click_header(qtbot, page, _column(page, "Budget"))
    assert page.model.sort_key == f"field:{budget}"
    assert _names(page) in (["Alpha", "Gamma", "Beta"], ["Beta", "Gamma", "Alpha"])


def test_sort_keeps_the_selection(page, services):  # type: ignore[no-untyped-def]
    _community(services, "Alpha", size=3)
    beta = _community(services, "Beta", size=1)
    page.select_community(beta)
    page.table.sortByColumn(_column(page, "Size"), Qt.SortOrder.AscendingOrder)
    assert _names(page)[0] == "Beta"
    assert page.selected_ids() == [beta]


# The completer's popup asks the offscreen platform for things it cannot do.
@pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)
def test_add_members_and_liaison(page, services, qtbot):  # type: ignore[no-untyped-def]
    ada = _person(services, "Ada", "Lovelace")
    grace = _person(services, "Grace", "Hopper")
    cid = _community(services, "PyLadies Lisbon")
    page.select_community(cid)
    assert page.detail.community_id == cid

    # A member, picked by typing in the person picker.
    dlg = page.detail.members.add_members()
    assert dlg is not None
    qtbot.keyClicks(dlg.picker, "lovel")
    qtbot.waitUntil(lambda: dlg.picker.suggestion_ids() == [ada])
    dlg.picker.pick(0)
    assert dlg.person_ids() == [ada]
    dlg.since.setDate(dlg.since.date().addDays(-10))
    dlg.accept()

    # A liaison.
    dlg = page.detail.members.add_members()
    dlg.add_person(grace)
    dlg.role.setCurrentIndex(dlg.role.findData("liaison"))
    dlg.accept()

    members = services.communities.get(cid).members
    assert [(m.name, m.role) for m in members] == [
        ("Grace Hopper", "liaison"),
        ("Ada Lovelace", "member"),
    ]
    model = page.detail.members.model
    shown = [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]
    assert shown == [("Grace Hopper", "Liaison"), ("Ada Lovelace", "Member")]
    assert model.index(1, 2).data() == members[1].since.isoformat()
    assert page.model.index(0, _column(page, "Liaisons")).data() == "Grace Hopper"
    assert page.model.index(0, _column(page, "Members")).data() == "2"
    assert page.detail.members.count.text() == "2 · 1 liaison"


def test_change_role_remove_and_undo(page, services, ctx):  # type: ignore[no-untyped-def]
    ada = _person(services, "Ada", "Lovelace")
    cid = _community(services, "Rust Berlin")
    services.communities.add_member(cid, [ada], "member", date(2024, 5, 1))
    page.select_community(cid)
    panel = page.detail.members
    panel.table.selectRow(0)
    panel.set_role("liaison")
    assert services.communities.get(cid).members[0].role == "liaison"
    assert page.model.index(0, _column(page, "Liaisons")).data() == "Ada Lovelace"

    panel.table.selectRow(0)
    panel.remove_selected()
    assert services.communities.get(cid).members == ()
    assert panel.model.rowCount() == 0
    ctx.undo.undo()
    (back,) = services.communities.get(cid).members
    assert (back.person_id, back.role, back.since) == (ada, "liaison", date(2024, 5, 1))
    assert panel.model.rowCount() == 1


def test_double_click_member_activates_person(page, services, qtbot):  # type: ignore[no-untyped-def]
    ada = _person(services, "Ada", "Lovelace")
    cid = _community(services, "Rust Berlin")
    services.communities.add_member(cid, [ada])
    page.select_community(cid)
    table = page.detail.members.table
    qtbot.waitUntil(lambda: table.visualRect(table.model().index(0, 0)).isValid())
    rect = table.visualRect(table.model().index(0, 0))
    # Qt 6's QTest double click lacks the press an item view wants first.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.person_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [ada]


def test_filter_members(page, services):  # type: ignore[no-untyped-def]
    cid = _community(services, "Big")
    ids = [_person(services, f"Person{i:02}", "Smith") for i in range(20)]
    ada = _person(services, "Ada", "Lovelace")
    services.communities.add_member(cid, [*ids, ada])
    page.select_community(cid)
    panel = page.detail.members
    assert panel.filter.isVisible()
    panel.filter.setText("lovel")
    assert panel.table.model().rowCount() == 1
    panel.table.selectRow(0)
    assert panel.selected_ids() == [ada]
    panel.set_role("organiser")
    assert panel.selected_ids() == [ada], "the selection survives the refresh"
    assert {m.person_id: m.role for m in services.communities.get(cid).members}[ada] == (
        "organiser"
    )


def test_archive_and_undo(page, services, ctx):  # type: ignore[no-untyped-def]
    keep = _community(services, "Alpha")
    gone = _community(services, "Beta")
    page.select_community(gone)
    page.archive_selected()
    assert services.communities.query_ids() == [keep]
    assert services.communities.query_ids(archived=True) == [gone]
    assert _names(page) == ["Alpha"]
    assert ctx.undo.undoText() == "Archive community"
    ctx.undo.undo()
    assert sorted(services.communities.query_ids()) == sorted([keep, gone])
    assert _names(page) == ["Alpha", "Beta"]


def test_new_custom_field_adds_a_column(page, services):  # type: ignore[no-untyped-def]
    _community(services, "Alpha")
    before = page.model.columnCount()
    services.fields.create("community", "Region", "text")
    assert page.model.columnCount() == before + 1
    assert page.model.columns[-1].sort_key.startswith("field:")


def test_empty_state_and_counts(page, services):  # type: ignore[no-untyped-def]
    assert page.table_stack.currentIndex() == 1
    assert page.empty_button.isVisible()
    _community(services, "Alpha")
    assert page.table_stack.currentIndex() == 0
    assert page.count.text() == "1"


def test_models_pass_the_model_tester(ctx, services, qtmodeltester):  # type: ignore[no-untyped-def]
    tier = services.fields.create("community", "Tier", "choice", ["Gold"])
    ada = _person(services, "Ada", "Lovelace")
    for i in range(250):
        cid = _community(services, f"Community {i:03}", size=i, custom={tier: "Gold"})
    services.communities.add_member(cid, [ada], "liaison")

    table = CommunityTableModel(services)
    table.load_fields()
    table.reload()
    assert table.rowCount() == 250
    qtmodeltester.check(table)

    members = MembersModel()
    members.set_members(services.communities.get(cid).members)
    qtmodeltester.check(members)


def test_layout_is_remembered(ctx, page, qtbot):  # type: ignore[no-untyped-def]
    page.table.setColumnWidth(0, 123)
    page.table.sortByColumn(_column(page, "Members"), Qt.SortOrder.DescendingOrder)
    page.save_state()
    again = CommunitiesPage(ctx)
    qtbot.addWidget(again)
    assert again.table.columnWidth(0) == 123
    assert (again.model.sort_key, again.model.descending) == ("members", True)
