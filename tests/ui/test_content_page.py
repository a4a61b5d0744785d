"""The Content page against a real database: create, edit, filter, weeks, guest authors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from crm.services.content import ContentFilter
from crm.services.content_data import ContentInput
from crm.services.people_data import PersonInput
from crm.ui import main_window
from crm.ui.content.dialog import ContentDialog
from crm.ui.content.page import ContentPage
from crm.ui.content.table_model import ContentTableModel
from crm.ui.content.weeks import monday_of


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = ContentPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    return widget


def _titles(page: ContentPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_model_passes_qtmodeltester(services, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        services.content.create(ContentInput(f"Post {i}", due_on=date(2025, 1, i + 1)))
    model = ContentTableModel(services)
    model.reload()
    qtmodeltester.check(model)


def test_create_with_guest_author_and_see_it_on_the_person(ctx, services, qtbot, page) -> None:  # type: ignore[no-untyped-def]
    ann = services.people.create(PersonInput(given_name="Ann", family_name="Lee"))
    dlg = page.new_item()
    qtbot.keyClicks(dlg.title_edit, "Rust in production")
    dlg.kind.setCurrentIndex(dlg.kind.findData("video"))
    dlg.status.setCurrentIndex(dlg.status.findData("published"))
    dlg.channel.setCurrentText("YouTube")
    dlg.owner.setCurrentText("Maya")
    # (typing into the picker opens its popup, which needs a real display: see below)
    dlg.guest.set_person(ann, "Ann Lee")
    dlg.url.setText("ftp://nope.example.org")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    # Refused: published needs a publish date, and only web addresses are accepted.
    assert dlg.isVisible() and services.content.count() == 0
    assert dlg.errors["publish_on"].isVisible() and dlg.errors["url"].isVisible()
    dlg.publish.set_value("2025-03-04")
    dlg.url.setText("videos.example.org/rust")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()

    (iid,) = services.content.query_ids()
    saved = services.content.get(iid)
    assert (saved.title, saved.kind, saved.status, saved.guest_author_id) == (
        "Rust in production",
        "video",
        "published",
        ann,
    )
    assert saved.url == "https://videos.example.org/rust"
    assert _titles(page) == ["Rust in production"]
    assert page.detail.title.text() == "Rust in production"
    assert "Ann Lee" in page.detail.guest.text()

    # The person's detail lists it under "Content", and the link opens this item.
    window = main_window.MainWindow(ctx)
    qtbot.addWidget(window)
    window.people.select_person(ann)
    section = next(s for s in window.people.detail.linked_sections if not s.isHidden())
    (label,) = [lb for lb in section.findChildren(QLabel) if "content:" in lb.text()]
    assert "Rust in production" in label.text() and "published 4 Mar 2025" in label.text()
    label.linkActivated.emit(f"content:{iid}")
    shown = window.current_page()
    assert isinstance(shown, ContentPage)
    assert shown.detail.item_id == iid


def test_guest_author_must_be_picked(services, qtbot) -> None:  # type: ignore[no-untyped-def]
    ann = services.people.create(PersonInput(given_name="Ann", family_name="Lee"))
    services.people.create(PersonInput(given_name="Bo", family_name="Berg"))
    dlg = ContentDialog(services)
    qtbot.addWidget(dlg)
    dlg.guest.set_person(ann)  # typing opens a popup that needs a real display
    qtbot.keyClicks(dlg.title_edit, "Guest post")
    assert dlg.data().guest_author_id == ann
    dlg.guest.set_person(None)
    dlg.guest.setText("Someone typed but not picked")
    dlg.accept()
    assert dlg.errors["guest_author_id"].text().startswith("Pick the guest author")
    assert services.content.count() == 0


def test_edit_through_dialog(services, qtbot, page) -> None:  # type: ignore[no-untyped-def]
    iid = services.content.create(ContentInput("Draft", status="drafting"))
    page.show_item(iid)
    dlg = page.edit_current()
    assert dlg is not None and dlg.title_edit.text() == "Draft"
    dlg.title_edit.setText("Final draft")
    dlg.status.setCurrentIndex(dlg.status.findData("review"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert services.content.get(iid).title == "Final draft"
    assert services.content.get(iid).status == "review"
    assert _titles(page) == ["Final draft"]
    assert page.model.index(0, 2).data() == "Review"


def test_filters_by_status_kind_and_owner(services, qtbot, page) -> None:  # type: ignore[no-untyped-def]
    services.content.create(ContentInput("Alpha", "video", "drafting", owner="Kim"))
    services.content.create(ContentInput("Beta", "docs", "idea", owner="Sam"))
    services.content.create(ContentInput("Gamma", "video", "idea"))
    page.refresh()
    assert sorted(_titles(page)) == ["Alpha", "Beta", "Gamma"]
    page.kind.setCurrentIndex(page.kind.findData("video"))
    assert sorted(_titles(page)) == ["Alpha", "Gamma"]
    page.status.setCurrentIndex(page.status.findData("idea"))
    assert _titles(page) == ["Gamma"]
    assert page.count.text() == "1 of 3"
    page.kind.setCurrentIndex(0)
    page.status.setCurrentIndex(0)
    page.owner.setCurrentIndex(page.owner.findData("Sam"))
    assert _titles(page) == ["Beta"]
    page.owner.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "gam")
    qtbot.waitUntil(lambda: _titles(page) == ["Gamma"])


def test_week_view_shows_an_item_in_its_week(services, qtbot, page) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    due = today + timedelta(days=9)
    iid = services.content.create(ContentInput("Next-week post", status="drafting", due_on=due))
    services.content.create(ContentInput("Far away", due_on=today + timedelta(days=200)))
    qtbot.mouseClick(page.weeks_button, Qt.MouseButton.LeftButton)
    weeks = page.weeks
    assert page.views.currentWidget() is weeks
    row = weeks.week_row(due)
    assert row == (monday_of(due) - weeks.first).days // 7
    assert f"content:{iid}" in weeks.item_labels[row].text()
    assert all(
        f"content:{iid}" not in lb.text() for i, lb in enumerate(weeks.item_labels) if i != row
    )
    assert "Far away" not in "".join(lb.text() for lb in weeks.item_labels)
    this_week = weeks.week_row(today)
    assert weeks.frames[this_week].property("current_week") is True
    assert "This week" in weeks.week_labels[this_week].text()
    # Navigating moves the item up a row; clicking it shows its detail.
    qtbot.mouseClick(weeks.next_button, Qt.MouseButton.LeftButton)
    assert f"content:{iid}" in weeks.item_labels[row - 1].text()
    weeks.item_labels[row - 1].linkActivated.emit(f"content:{iid}")
    assert page.detail.item_id == iid
    qtbot.mouseClick(weeks.today_button, Qt.MouseButton.LeftButton)
    assert f"content:{iid}" in weeks.item_labels[row].text()
    # The filters apply to the weeks too.
    page.status.setCurrentIndex(page.status.findData("idea"))
    assert f"content:{iid}" not in weeks.item_labels[row].text()


def test_delete_asks_when_linked_and_undo_brings_it_back(
    ctx, services, qtbot, page, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    iid = services.content.create(ContentInput("Linked post"))
    with services.db.session() as s:
        s.execute(
            text(
                "INSERT INTO initiative (id, title, kind, goal, description, created_at) "
                "VALUES (1, 'Spring push', 'campaign', '', '', '2025-01-01')"
            )
        )
        s.execute(text("INSERT INTO initiative_content VALUES (1, :c)"), {"c": iid})
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda t: asked.append(t) or False)
    page.show_item(iid)
    page.delete_selected()
    assert "Spring push" in asked[0]
    assert services.content.count() == 1  # said no
    monkeypatch.setattr(page, "confirm", lambda t: True)
    page.delete_selected()
    assert services.content.count() == 0 and _titles(page) == []
    ctx.undo.undo()
    assert services.content.get(iid).initiatives == ((1, "Spring push"),)
    assert _titles(page) == ["Linked post"]


def test_move_to_status_refuses_a_published_item_without_a_date(services, page, messages) -> None:  # type: ignore[no-untyped-def]
    iid = services.content.create(ContentInput("Undated"))
    page.set_status([iid], "published")
    assert messages and "publish date" in messages[0]
    assert services.content.get(iid).status == "idea"
    assert services.content.query_ids(ContentFilter(status="idea")) == [iid]
