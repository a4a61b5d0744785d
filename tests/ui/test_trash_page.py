"""The Trash page against a real database: restore, delete for good, empty, search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from crm.services import NotFound
from crm.services.communities import CommunityInput
from crm.services.people_data import PeopleQuery, PersonInput
from crm.ui.communities.page import CommunitiesPage
from crm.ui.trash.model import TrashModel
from crm.ui.trash.page import TrashPage


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = TrashPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
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


def _person(services, name: str, organisation: str = "") -> int:  # type: ignore[no-untyped-def]
    return services.people.create(PersonInput(display_name=name, organisation=organisation))


def _names(page: TrashPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def _select_all(page: TrashPage) -> None:
    page.table.selectAll()


def test_archived_person_can_be_restored(page, services):  # type: ignore[no-untyped-def]
    ada = _person(services, "Ada Lovelace", "Analytical Engines")
    grace = _person(services, "Grace Hopper")
    assert page.model.rowCount() == 0
    services.people.archive([ada])

    assert _names(page) == ["Ada Lovelace"]
    assert page.model.index(0, 1).data() == "Analytical Engines"
    assert page.model.index(0, 2).data()  # when it was archived
    assert page.buttons["people"].text() == "People  1"

    page.table.selectRow(0)
    assert page.restore_button.isEnabled()
    assert page.restore_selected() == 1
    assert page.model.rowCount() == 0
    assert sorted(services.people.query_ids(PeopleQuery())) == sorted([ada, grace])


def test_delete_for_good_removes_from_the_database(page, services, monkeypatch):  # type: ignore[no-untyped-def]
    ada = _person(services, "Ada Lovelace")
    grace = _person(services, "Grace Hopper")
    services.people.archive([ada, grace])
    answers = Answers(monkeypatch)
    _select_all(page)
    page.delete_selected()

    assert answers.asked == ["Delete 2 people for good? This cannot be undone."]
    assert page.model.rowCount() == 0
    for pid in (ada, grace):
        with pytest.raises(NotFound):
            services.people.get(pid)
    assert services.people.count(archived=True) == 0


def test_cancelled_delete_keeps_everything(page, services, monkeypatch):  # type: ignore[no-untyped-def]
    ada = _person(services, "Ada Lovelace")
    services.people.archive([ada])
    answers = Answers(monkeypatch, yes=False)
    page.table.selectRow(0)
    page.delete_selected()
    assert answers.asked == ["Delete 1 person for good? This cannot be undone."]
    assert services.people.get(ada).archived_at is not None
    assert page.model.rowCount() == 1


def test_restored_community_reappears_on_its_page(ctx, page, services, qtbot):  # type: ignore[no-untyped-def]
    communities = CommunitiesPage(ctx)
    qtbot.addWidget(communities)
    cid = services.communities.create(CommunityInput("Rust Berlin", kind="user group"))
    communities.select_community(cid)
    communities.archive_selected()
    assert communities.model.rowCount() == 0

    page.show_section("communities")
    assert _names(page) == ["Rust Berlin"]
    assert page.model.index(0, 1).data() == "User group"
    assert page.buttons["communities"].text() == "Communities  1"
    page.table.selectRow(0)
    page.restore_selected()
    assert page.model.rowCount() == 0
    assert communities.model.ids == [cid]


def test_empty_trash_deletes_people_and_communities(page, services, monkeypatch):  # type: ignore[no-untyped-def]
    keep = _person(services, "Keeper")
    doomed = [_person(services, f"Person {i}") for i in range(3)]
    services.people.archive(doomed)
    cid = services.communities.create(CommunityInput("Gone"))
    services.communities.archive([cid])
    answers = Answers(monkeypatch)
    assert page.empty_button.isEnabled()
    page.empty_trash()

    assert answers.asked == [
        "Delete everything in the Trash (3 people and 1 community) for good? This cannot be undone."
    ]
    assert services.people.count(archived=True) == 0
    assert services.communities.count(archived=True) == 0
    assert services.people.query_ids(PeopleQuery()) == [keep]
    assert not page.empty_button.isEnabled()
    assert page.stack.currentWidget() is page.empty


def test_search_filters_the_trash(page, services, qtbot):  # type: ignore[no-untyped-def]
    ids = [_person(services, n) for n in ("Ada Lovelace", "Grace Hopper", "Alan Turing")]
    services.people.archive(ids)
    assert page.model.rowCount() == 3
    qtbot.keyClicks(page.search, "gra")
    qtbot.waitUntil(lambda: _names(page) == ["Grace Hopper"])
    assert not page.empty_button.isEnabled()  # emptying while filtered would surprise
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)


def test_newest_archived_first_and_sortable(page, services):  # type: ignore[no-untyped-def]
    a = _person(services, "Bravo")
    b = _person(services, "Alpha")
    services.people.archive([a])
    services.people.archive([b])
    assert page.model.ids == [b, a]
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert _names(page) == ["Bravo", "Alpha"]
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert page.model.ids == [a, b]


def test_trash_models_pass_the_model_tester(services, qtmodeltester):  # type: ignore[no-untyped-def]
    ids = [_person(services, f"Person {i:03}", "Org") for i in range(230)]
    services.people.archive(ids)
    cid = services.communities.create(CommunityInput("Gone"))
    services.communities.archive([cid])
    for section in ("people", "communities"):
        model = TrashModel(services, section)  # type: ignore[arg-type]
        model.reload()
        assert model.rowCount() == (230 if section == "people" else 1)
        qtmodeltester.check(model)


def test_column_state_is_remembered(ctx, qtbot):  # type: ignore[no-untyped-def]
    first = TrashPage(ctx)
    qtbot.addWidget(first)
    first.view("people").setColumnWidth(0, 211)
    first.save_state()
    second = TrashPage(ctx)
    qtbot.addWidget(second)
    assert second.view("people").columnWidth(0) == 211


def test_a_section_table_is_built_when_first_shown(ctx, services, qtbot):  # type: ignore[no-untyped-def]
    people = [_person(services, f"Person {n}") for n in range(3)]
    services.people.archive(people)
    cid = services.communities.create(CommunityInput("Gone"))
    services.communities.archive([cid])
    page = TrashPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    assert page.tables == {}  # nothing built before the page shows
    page.show()
    qtbot.waitExposed(page)
    assert set(page.tables) == {"people"}
    assert page.stack.currentWidget() is page.tables["people"]
    # The other sections' counts are there without their tables.
    assert page.buttons["communities"].text() == "Communities  1"
    assert page.selected_ids("communities") == []
    page.buttons["communities"].click()
    assert set(page.tables) == {"people", "communities"}
    assert page.stack.currentWidget() is page.tables["communities"]
    assert _names(page) == ["Gone"]
    page.table.selectRow(0)
    assert page.selected_ids() == [cid]
    page.buttons["events"].click()  # none archived: the empty card, no table
    assert page.stack.currentWidget() is page.empty
    assert "events" not in page.tables


def test_the_question_says_what_goes_with_a_person_and_a_community(page, services, monkeypatch):  # type: ignore[no-untyped-def]
    from datetime import datetime

    from crm.services.interactions import InteractionInput

    ada, bob = _person(services, "Ada Lovelace"), _person(services, "Bob Byte")
    when = datetime(2025, 3, 1, 10)
    alone = services.interactions.log(InteractionInput("note", when, (ada,), "Alone"))
    shared = services.interactions.log(InteractionInput("call", when, (ada, bob), "Shared"))
    cid = services.communities.create(CommunityInput("Rust Berlin"))
    services.communities.add_member(cid, [ada, bob])
    services.people.archive([ada])
    services.communities.archive([cid])
    answers = Answers(monkeypatch)
    page.table.selectRow(0)
    page.delete_selected()
    assert answers.asked == [
        "Delete 1 person for good, with 1 interaction only they took part in and 1 community "
        "membership? Kept, without their link to the people: 1 interaction with others. "
        "This cannot be undone."
    ]
    with pytest.raises(NotFound):
        services.interactions.get(alone)
    assert [p for p, _ in services.interactions.get(shared).participants] == [bob]

    page.show_section("communities")
    page.table.selectRow(0)
    page.delete_selected()
    assert answers.asked[1] == (
        "Delete 1 community for good, with 1 community membership? This cannot be undone."
    )
    assert services.communities.count(archived=True) == 0


def test_the_question_is_counted_off_the_gui_thread(ctx, services, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    """The counts run as a task; the page is busy (no second question) until they are in."""
    from crm.ui.tasks import TaskRunner

    class Deferred(TaskRunner):
        def __init__(self) -> None:
            super().__init__()
            self.pending: list = []  # type: ignore[type-arg]

        def _start(self, runnable) -> None:  # type: ignore[no-untyped-def]
            self.pending.append(runnable)

        def run_next(self) -> None:
            self.pending.pop(0).run()

    runner = Deferred()
    monkeypatch.setattr(ctx, "tasks", runner)
    page = TrashPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    ada = _person(services, "Ada Lovelace")
    services.people.archive([ada])
    answers = Answers(monkeypatch)
    page.table.selectRow(0)
    page.delete_selected()
    assert answers.asked == [] and len(runner.pending) == 1
    assert not page.delete_button.isEnabled() and not page.empty_button.isEnabled()
    page.delete_selected()  # Shift+Del again while counting: nothing more
    page.empty_trash()
    assert len(runner.pending) == 1
    runner.run_next()  # the counts are in: the question, then the purge as a task
    assert answers.asked == ["Delete 1 person for good? This cannot be undone."]
    assert len(runner.pending) == 1 and services.people.count(archived=True) == 1
    runner.run_next()
    assert services.people.count(archived=True) == 0
    assert not page.busy
