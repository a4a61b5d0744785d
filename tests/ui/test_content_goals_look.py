"""What an empty or filtered page says, the columns a user can choose, metric labels."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from crm.services.content_data import ContentInput
from crm.services.goals import GoalInput
from crm.ui.content.page import CHANNEL_COLUMN, ContentPage
from crm.ui.goals.page import GoalsPage
from crm.ui.goals.table_model import METRIC_COLUMN, metric_short, metric_text, screen_text

TODAY = date.today()


def _show(qtbot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    return widget


def test_content_page_says_how_to_add_the_first_item(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _show(qtbot, ContentPage(ctx))
    assert page.empty_hint.text().startswith("No content yet.")
    assert "New content (Ctrl+Shift+N)" in page.empty_hint.text()
    assert page.empty_hint.label.isVisible()
    page.set_view(1)
    assert page.weeks.hint.isVisible() and page.weeks.hint.text() == page.empty_hint.text()
    page.set_view(0)
    services.content.create(ContentInput("Rust in production", due_on=TODAY))
    assert page.model.rowCount() == 1  # the page refreshed on the change
    assert page.empty_hint.text() == "" and not page.empty_hint.label.isVisible()
    assert page.weeks.hint.isHidden()
    qtbot.keyClicks(page.search, "nothing like it")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.empty_hint.text().startswith("Nothing matches.")


def test_content_columns_can_be_shown_and_hidden(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    services.content.create(ContentInput("Post", channel="Mastodon", due_on=TODAY))
    page = _show(qtbot, ContentPage(ctx))
    header = page.table.horizontalHeader()
    assert header.isSectionHidden(CHANNEL_COLUMN)  # the detail shows it
    # Every visible column fits beside the detail: no horizontal scrolling.
    assert not page.table.horizontalScrollBar().isVisible()
    menu = page.column_menu()
    titles = [a.text() for a in menu.actions()]
    assert "Title" not in titles and "Channel" in titles
    channel = menu.actions()[titles.index("Channel")]
    assert not channel.isChecked()
    channel.setChecked(True)
    assert not header.isSectionHidden(CHANNEL_COLUMN)
    assert page.model.index(0, CHANNEL_COLUMN).data() == "Mastodon"
    page.save_state()
    again = _show(qtbot, ContentPage(ctx))  # the choice is remembered
    assert not again.table.horizontalHeader().isSectionHidden(CHANNEL_COLUMN)
    menu.close()


def test_goals_page_says_how_to_add_the_first_goal(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _show(qtbot, GoalsPage(ctx))
    assert page.empty_hint.text().startswith("No goals yet.")
    assert "New goal (Ctrl+Shift+N)" in page.empty_hint.text()
    services.goals.create(
        GoalInput(
            "Lift NPS", "average NPS", 0, 30, TODAY - timedelta(days=5), TODAY + timedelta(days=5)
        )
    )
    assert page.model.rowCount() == 1 and page.empty_hint.text() == ""
    page.when_filter.setCurrentIndex(page.when_filter.findData("past"))
    assert page.empty_hint.text().startswith("No goals match.")
    page.when_filter.setCurrentIndex(0)
    # NPS keeps its capitals; the long metric is short in the table, whole in its tooltip.
    assert page.model.index(0, METRIC_COLUMN).data() == "Average NPS"
    assert page.metric_filter.findText("Average NPS") > 0
    assert metric_short("members active in the last 30 days") == "Active members (30 days)"
    assert metric_text("members active in the last 30 days") == "Members active in the last 30 days"
    tip = page.model.index(0, METRIC_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Average NPS"
    assert not page.table.horizontalScrollBar().isVisible()


def test_percentages_do_not_break_across_lines() -> None:
    assert screen_text("3 of 4 — 75 % of the way, 50 % of the time") == (
        "3 of 4 — 75\u00a0% of the way, 50\u00a0% of the time"
    )
