"""The Goals page against a real database: create, edit, filter, progress, delete and undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from crm.services.goals import GoalInput
from crm.services.people_data import PersonInput
from crm.ui.goals.page import GoalsPage
from crm.ui.goals.table_model import PROGRESS_COLUMN, GoalTableModel, ProgressRole

TODAY = date.today()


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = GoalsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    return widget


def _goal(services, title: str, metric: str = "members", **kw) -> int:  # type: ignore[no-untyped-def]
    return services.goals.create(
        GoalInput(
            title,
            metric,
            kw.get("baseline", 0),
            kw.get("target", 4),
            kw.get("start", TODAY - timedelta(days=10)),
            kw.get("deadline", TODAY + timedelta(days=10)),
        )
    )


def _titles(page: GoalsPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_model_passes_qtmodeltester(services, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        _goal(services, f"Goal {i}")
    model = GoalTableModel(services)
    model.reload()
    qtmodeltester.check(model)


def test_create_edit_and_see_progress(services, qtbot, page) -> None:  # type: ignore[no-untyped-def]
    for name in ("Ann", "Bo", "Cy"):
        services.people.create(PersonInput(display_name=name, roles=("member",)))
    dlg = page.new_goal()
    qtbot.keyClicks(dlg.title_edit, "Grow")
    dlg.metric_combo.setCurrentIndex(dlg.metric_combo.findData("members"))
    dlg.target.setValue(4)
    dlg.deadline.setDate(dlg.starts_on.date())  # refused: the deadline must come later
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.errors["deadline"].isVisible()
    assert services.goals.count() == 0
    dlg.starts_on.setDate(dlg.starts_on.date().addDays(-10))
    dlg.deadline.setDate(dlg.deadline.date().addDays(10))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    (gid,) = services.goals.query_ids()
    assert _titles(page) == ["Grow"]
    progress = page.model.index(0, PROGRESS_COLUMN).data(ProgressRole)
    assert (progress.current, progress.state) == (3, "on track")  # 75 % done, 50 % of the time
    assert page.model.index(0, PROGRESS_COLUMN).data() == "75 %"
    shown = page.detail.explanation.text().replace("\u00a0", " ")  # "75 %" kept together
    assert shown.startswith("3 of 4 members — 75 % of the way")
    assert "50 % of the time used (day 10 of 20)" in shown
    assert page.detail.badge.text() == "On track"

    # A new member moves the goal: the page re-measures on the change.
    services.people.create(PersonInput(display_name="Dee", roles=("member",)))
    assert page.model.index(0, 3).data() == "Reached"

    page.show_item(gid)
    edit = page.edit_current()
    assert edit is not None
    edit.target.setValue(10)
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    assert services.goals.get(gid).target == 10
    assert page.model.index(0, 3).data() == "Behind"


def test_filters(services, page) -> None:  # type: ignore[no-untyped-def]
    _goal(services, "Members now")
    _goal(services, "Events now", "events held")
    _goal(services, "Old", start=date(2020, 1, 1), deadline=date(2020, 6, 1))
    page.refresh()
    assert len(_titles(page)) == 3
    page.metric_filter.setCurrentIndex(page.metric_filter.findData("events held"))
    assert _titles(page) == ["Events now"]
    page.metric_filter.setCurrentIndex(0)
    page.when_filter.setCurrentIndex(page.when_filter.findData("past"))
    assert _titles(page) == ["Old"]
    assert page.model.index(0, 3).data() == "Missed"
    assert page.count.text() == "1 of 3"


def test_delete_and_undo(ctx, services, page) -> None:  # type: ignore[no-untyped-def]
    gid = _goal(services, "Temporary")
    page.refresh()
    page.show_item(gid)
    page.delete_current()
    assert services.goals.count() == 0 and _titles(page) == []
    ctx.undo.undo()
    assert services.goals.get(gid).title == "Temporary"
    assert _titles(page) == ["Temporary"]
