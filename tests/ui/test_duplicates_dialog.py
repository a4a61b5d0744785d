"""Find duplicates: the pair side by side, merge keeping the chosen record, unmerge."""

from __future__ import annotations

import pytest

from crm.services.people_data import EmailData, PersonInput, PhoneData
from crm.ui.io.duplicates_dialog import FIELDS, DuplicatesDialog
from crm.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def pair(services) -> tuple[int, int]:
    a = services.people.create(
        PersonInput(
            display_name="Ann Lee", emails=(EmailData("ann@example.org"),), tags=("speaker",)
        )
    )
    b = services.people.create(
        PersonInput(
            display_name="Ann M. Lee",
            emails=(EmailData("ANN@example.org"),),
            phones=(PhoneData("+14155550101"),),
            organisation="Acme",
        )
    )
    services.people.create(PersonInput(display_name="Zed Quinn"))
    return a, b


def _row(dialog: DuplicatesDialog, label: str) -> int:
    return [f for f, _ in FIELDS].index(label)


def test_merge_then_unmerge(ctx, services, qtbot, pair, messages) -> None:
    a, b = pair
    dialog = DuplicatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 1
    assert "1 pair" in dialog.summary.text()
    # Side by side: both people's fields, in two columns.
    names = {dialog.compare.item(_row(dialog, "Name"), c).text() for c in (0, 1)}
    assert names == {"Ann Lee", "Ann M. Lee"}
    orgs = {dialog.compare.item(_row(dialog, "Organisation"), c).text() for c in (0, 1)}
    assert orgs == {"", "Acme"}

    pair_ = dialog.current_pair()
    keep_b = pair_.b.id == b
    (dialog.keep_b if keep_b else dialog.keep_a).setChecked(True)  # keep Ann M. Lee
    dialog.merge_button.click()
    assert dialog.list.count() == 0
    assert services.people.count() == 2
    kept = services.people.get(b)
    assert "speaker" in kept.tags and kept.organisation == "Acme"  # nothing lost

    dialog.tabs.setCurrentIndex(1)
    assert dialog.journal.rowCount() == 1
    assert dialog.journal.item(0, 2).text() == "Ann Lee"
    assert not dialog.unmerge_button.isEnabled()
    dialog.journal.selectRow(0)
    assert dialog.unmerge_button.isEnabled()
    dialog.unmerge_button.click()
    assert services.people.count() == 3
    assert services.people.get(a).tags == ("speaker",)
    assert services.people.get(b).tags == ()
    assert dialog.journal.item(0, 3).text() != ""  # marked undone
    assert not dialog.unmerge_button.isEnabled()
    assert messages == []


def test_skip_hides_the_pair_without_changing_anyone(ctx, services, qtbot, pair) -> None:
    dialog = DuplicatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.skip_button.click()
    assert dialog.list.count() == 0
    assert "No likely duplicates" in dialog.summary.text()
    assert not dialog.merge_button.isEnabled()
    assert services.people.count() == 3


def test_people_menu_opens_find_duplicates(ctx, qtbot, pair) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.io.duplicates_action.trigger()
    dialog = window.io.last_dialog
    assert isinstance(dialog, DuplicatesDialog) and dialog.list.count() == 1
    dialog.reject()
