"""The import wizard driven with qtbot: vCard with a duplicate, a CSV through the mapping
step, cancel during the import, a broken file, and files dropped on the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from crm.services.people_data import EmailData, PeopleQuery, PersonInput
from crm.ui.io.import_wizard import ImportWizard
from crm.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)

CARDS = """BEGIN:VCARD
VERSION:3.0
FN:Ann Lee
N:Lee;Ann;;;
EMAIL;TYPE=INTERNET:ANN@example.org
TEL;TYPE=CELL:+1 415 555 0101
ORG:Acme
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bob Stone
N:Stone;Bob;;;
EMAIL:bob@example.org
CATEGORIES:speaker,berlin
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Cara Diaz
N:Diaz;Cara;;;
EMAIL:cara@example.org
NOTE:Met at the spring meetup
END:VCARD
"""


@pytest.fixture
def ann(services) -> int:
    return services.people.create(
        PersonInput(display_name="Ann Lee", emails=(EmailData("ann@example.org"),), tags=("vip",))
    )


def _vcf(tmp_path: Path) -> Path:
    path = tmp_path / "phone export.vcf"
    path.write_text(CARDS, encoding="utf-8")
    return path


def _wizard(ctx, qtbot, paths) -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(ctx, None, paths)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _names(services) -> list[str]:
    ids = services.people.query_ids(PeopleQuery())
    return sorted(r.name for r in services.people.rows(ids))


def test_vcard_with_a_duplicate_merged(ctx, services, qtbot, tmp_path, ann, messages) -> None:
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
    assert wizard.files.paths() == [_vcf(tmp_path)]
    wizard.next_button.click()
    assert wizard.step == "preview"  # no CSV: no mapping step
    assert wizard.preview.records.rowCount() == 3
    assert wizard.preview.records.item(1, 2).text() == "Bob Stone"
    assert "3 records to import" in wizard.preview.summary.text()

    wizard.next_button.click()
    assert wizard.step == "duplicates"
    assert wizard.next_button.text() == "Import"
    [(index, _choice)] = wizard.decisions.decisions.items()
    top = wizard.decisions.tree.topLevelItem(0)
    assert top.text(0) == "Ann Lee"
    assert "email" in top.child(0).text(1).lower()  # the reason it matches
    wizard.decisions.select([index])
    wizard.decisions.selected_buttons[0].click()  # Merge
    assert wizard.decisions.decisions[index] == "merge"
    assert top.text(3) == "Merge"

    wizard.next_button.click()
    assert wizard.step == "result"
    numbers = {k: v.text() for k, v in wizard.result.numbers.items()}
    assert numbers == {"added": "2", "merged": "1", "skipped": "0", "rejected": "0"}
    assert wizard.cancel_button.text() == "Close"
    assert services.people.count() == 3
    assert _names(services) == ["Ann Lee", "Bob Stone", "Cara Diaz"]
    merged = services.people.get(ann)
    assert "vip" in merged.tags  # kept what she had
    assert [p.number for p in merged.phones] == ["+14155550101"]  # gained the phone
    assert messages == []


def test_the_same_person_in_two_files_of_one_import_becomes_one(
    ctx, services, qtbot, tmp_path, messages
) -> None:
    second = tmp_path / "laptop.vcf"
    second.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEMAIL:ann@EXAMPLE.org\n"
        "TITLE:Organiser\nCATEGORIES:berlin\nEND:VCARD\n",
        encoding="utf-8",
    )
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path), second])
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.step == "duplicates"
    step = wizard.decisions
    assert "records earlier in this import" in step.summary.text()
    [(index, choice)] = step.decisions.items()
    assert (index, choice) == (3, "merge")  # the card of the second file, merged by default
    match = step.tree.topLevelItem(0).child(0)
    assert match.text(0) == "↳ Ann Lee"
    assert match.text(1) == "same email as a record earlier in this import"
    assert "phone export.vcf, line 1" in match.toolTip(0)

    wizard.next_button.click()
    assert wizard.step == "result"
    numbers = {k: v.text() for k, v in wizard.result.numbers.items()}
    assert numbers == {"added": "3", "merged": "1", "skipped": "0", "rejected": "0"}
    assert _names(services) == ["Ann Lee", "Bob Stone", "Cara Diaz"]
    (ann,) = services.search.person_ids("Ann Lee")
    merged = services.people.get(ann)
    assert (merged.title, merged.tags) == ("Organiser", ("berlin",))
    assert [p.number for p in merged.phones] == ["+14155550101"]
    assert messages == []


def test_apply_to_all_skip_leaves_the_existing_person_alone(
    ctx, services, qtbot, tmp_path, ann, messages
) -> None:
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
    wizard.next_button.click()
    wizard.next_button.click()
    wizard.decisions.all_choice.setCurrentIndex(wizard.decisions.all_choice.findData("skip"))
    wizard.decisions.apply_all_button.click()
    wizard.next_button.click()
    assert wizard.result.numbers["skipped"].text() == "1"
    assert wizard.result.numbers["added"].text() == "2"
    assert services.people.get(ann).phones == ()


def test_two_records_with_nearly_the_same_name_at_one_organisation_are_offered_as_one(
    ctx, services, qtbot, tmp_path, messages
) -> None:
    path = tmp_path / "badge scans.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jonathan Smith\nORG:Acme\nEMAIL:jon@acme.example\n"
        "END:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Jonathon Smith\nORG:Acme\n"
        "EMAIL:jsmith@home.example\nEND:VCARD\n",
        encoding="utf-8",
    )
    wizard = _wizard(ctx, qtbot, [path])
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.step == "duplicates"
    [(index, choice)] = wizard.decisions.decisions.items()
    assert (index, choice) == (1, "add")  # a name alone: offered, added unless told
    top = wizard.decisions.tree.topLevelItem(0)
    assert top.text(0) == "Jonathon Smith"
    assert top.text(3) == "Add as new"
    match = top.child(0)
    assert match.text(0) == "↳ Jonathan Smith"
    assert (
        match.text(1) == "similar name at the same organisation as a record earlier in this import"
    )
    wizard.decisions.select([index])
    wizard.decisions.selected_buttons[0].click()  # Merge: one person spelt two ways
    assert top.text(3) == "Merge"
    wizard.next_button.click()
    assert wizard.step == "result"
    assert wizard.result.numbers["added"].text() == "1"
    assert wizard.result.numbers["merged"].text() == "1"
    assert _names(services) == ["Jonathan Smith"]
    assert messages == []


def test_cancel_during_the_import_changes_nothing(ctx, services, qtbot, tmp_path, ann) -> None:
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.step == "duplicates"
    before = (services.people.count(), services.people.get(ann))
    # The user presses Cancel as soon as the import reports progress.
    wizard.progressed.connect(lambda *_: wizard.work.strip.cancel_button.click())
    wizard.next_button.click()
    assert wizard.step == "duplicates"  # back where it was, and it says so
    assert "nothing was changed" in wizard.error.text().lower()
    assert wizard.isVisible()
    assert (services.people.count(), services.people.get(ann)) == before


def test_a_file_that_is_not_contacts_is_refused_by_name(ctx, qtbot, tmp_path, messages) -> None:
    junk = tmp_path / "holiday.csv"
    junk.write_bytes(b"\x00\x01\x02\xff\xfe binary")
    wizard = _wizard(ctx, qtbot, [junk])
    wizard.next_button.click()
    assert wizard.step == "files"
    assert messages and "holiday.csv" in messages[0]
    assert "holiday.csv" in wizard.error.text()


def test_broken_cards_are_listed_with_their_line(ctx, services, qtbot, tmp_path) -> None:
    path = tmp_path / "mixed.vcf"
    path.write_text(
        CARDS + "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n" + "BEGIN:VCARD\nVERSION:3.0\nFN:Dee\n",
        encoding="utf-8",
    )
    wizard = _wizard(ctx, qtbot, [path])
    wizard.next_button.click()
    assert wizard.preview.rejected.rowCount() >= 1
    line = wizard.preview.rejected.item(0, 1).text()
    assert int(line) > 20  # after the three good cards
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.step == "result"
    assert int(wizard.result.numbers["rejected"].text()) >= 1
    report = wizard.result.text()
    assert f"mixed.vcf, line {line}" in report
    wizard.result.copy_button.click()
    assert QGuiApplication.clipboard().text() == report
    assert services.people.count() >= 3


def test_csv_with_an_unknown_layout_goes_through_the_mapping(
    ctx, services, qtbot, tmp_path, messages
) -> None:
    path = tmp_path / "meetup members.csv"
    path.write_text(
        "Member;Contact address;Town;Joined group\n"
        "Dana Fox;dana@example.org;Lyon;2024-01-02\n"
        "Eli Park;eli@example.org;Oslo;2024-02-03\n",
        encoding="utf-8",
    )
    wizard = _wizard(ctx, qtbot, [path])
    wizard.next_button.click()
    assert wizard.step == "mapping"
    mapping = wizard.mapping
    assert mapping.headers == ["Member", "Contact address", "Town", "Joined group"]
    assert "Dana Fox" in mapping.table.item(0, 1).text()  # sample values shown
    mapping.choose("Member", "display_name")
    mapping.choose("Contact address", "email")
    mapping.choose("Town", "city")
    mapping.choose("Joined group", "ignore")
    mapping.save_name.setText("Meetup members")
    mapping.save_button.click()
    assert "Meetup members" in services.imports.mappings()
    assert mapping.saved.currentText() == "Meetup members"

    wizard.next_button.click()
    assert wizard.step == "preview"
    assert wizard.preview.records.item(0, 2).text() == "Dana Fox"
    assert wizard.preview.records.item(0, 3).text() == "dana@example.org"
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.result.numbers["added"].text() == "2"
    dana = services.people.get(services.people.query_ids(PeopleQuery(text="Dana"))[0])
    assert (dana.city, dana.emails[0].address) == ("Lyon", "dana@example.org")
    assert messages == []


def test_a_saved_mapping_is_loaded_by_name(ctx, services, qtbot, tmp_path) -> None:
    services.imports.save_mapping("Sheet", {"Who": "display_name", "Mail": "email"})
    path = tmp_path / "sheet.csv"
    path.write_text("Who,Mail\nGus Hale,gus@example.org\n", encoding="utf-8")
    wizard = _wizard(ctx, qtbot, [path])
    wizard.next_button.click()
    wizard.mapping.saved.setCurrentText("Sheet")
    wizard.mapping.load_button.click()
    assert wizard.mapping.mapping() == {"Who": "display_name", "Mail": "email"}
    wizard.next_button.click()
    assert wizard.preview.records.item(0, 3).text() == "gus@example.org"


def test_dropping_a_vcf_on_the_window_opens_the_wizard(ctx, qtbot, tmp_path) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    path = _vcf(tmp_path)
    other = tmp_path / "notes.txt"
    other.write_text("x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)), QUrl.fromLocalFile(str(other))])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(200, 200), *args)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window takes contact files
    QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), *args))
    wizard = window.io.last_dialog
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    assert wizard.files.paths() == [path]  # only the contact file
    assert wizard.step == "files"
    wizard.reject()


def test_file_menu_import_opens_the_wizard_with_ctrl_o(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.io.import_action.shortcut().toString() == "Ctrl+O"
    window.io.import_action.trigger()
    wizard = window.io.last_dialog
    assert isinstance(wizard, ImportWizard)
    assert not wizard.next_button.isEnabled()  # no files yet
    wizard.reject()


def test_the_collector_stays_out_of_the_way_while_the_wizard_works(ctx, qtbot, tmp_path) -> None:
    """A collection holds the GIL while it walks (0.1–0.8 s at 20,000 cards): it is off
    while a task runs, the task's results are frozen out of later collections, and the
    wizard frees them when it closes (and freezes again what lives on)."""
    import gc
    import weakref

    enabled: list[bool] = []
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
    wizard.progressed.connect(lambda *_: enabled.append(gc.isenabled()))
    wizard.next_button.click()
    wizard.next_button.click()
    assert enabled and not any(enabled)  # off during the tasks
    assert gc.isenabled()  # on again between them
    assert gc.get_freeze_count() > 0  # the plan is not walked by collections
    plan = weakref.ref(wizard.plan)
    records = weakref.ref(wizard.plan.items[0].record)
    wizard.reject()
    assert gc.isenabled()
    assert wizard.plan is None
    assert plan() is None and records() is None  # freed, not left frozen


def test_the_work_runs_off_the_gui_thread(services, qtbot, tmp_path, ann, monkeypatch) -> None:
    """With the real TaskRunner: reading, matching and importing happen on pool threads,
    and results come back to the wizard on the GUI thread."""
    import threading

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    from crm.services.imports import ImportService
    from crm.ui.bus import ChangeBus
    from crm.ui.context import UiContext
    from crm.ui.tasks import TaskRunner

    threads: dict[str, threading.Thread] = {}
    for name in ("preview", "plan", "apply"):
        original = getattr(ImportService, name)

        def spy(self, *a, _name=name, _original=original, **k):  # type: ignore[no-untyped-def]
            threads[_name] = threading.current_thread()
            return _original(self, *a, **k)

        monkeypatch.setattr(ImportService, name, spy)
    bus = ChangeBus(services.changes)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    runner = TaskRunner()
    ctx = UiContext(services, bus, QUndoStack(), runner, settings)
    try:
        wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
        for expected in ("preview", "duplicates", "result"):
            wizard.next_button.click()
            qtbot.waitUntil(lambda e=expected: wizard.step == e, timeout=10000)
        assert wizard.result.numbers["added"].text() == "2"
        main = threading.main_thread()
        assert set(threads) == {"preview", "plan", "apply"}
        assert all(t is not main for t in threads.values())
        assert services.people.count() == 3
    finally:
        runner.wait()
        bus.detach()


def test_matches_beyond_the_list_follow_the_choice_for_all(
    ctx, services, qtbot, tmp_path, ann, monkeypatch
) -> None:
    from crm.ui.io import decisions_step

    monkeypatch.setattr(decisions_step, "SHOWN", 0)  # as if Ann were match number 1,001
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
    wizard.next_button.click()
    wizard.next_button.click()
    step = wizard.decisions
    assert step.hidden == 1 and step.tree.topLevelItemCount() == 0
    assert "follow the “For all” choice" in step.summary.text()
    step.all_choice.setCurrentIndex(step.all_choice.findData("skip"))
    step.apply_all_button.click()
    wizard.next_button.click()
    assert wizard.result.numbers["skipped"].text() == "1"
    assert services.people.get(ann).phones == ()


def test_an_unusable_file_is_left_out_and_the_others_imported(
    ctx, services, qtbot, tmp_path, messages
) -> None:
    junk = tmp_path / "holiday.csv"
    junk.write_bytes(b"\x00\x01\x02\xff\xfe binary")
    wizard = _wizard(ctx, qtbot, [_vcf(tmp_path), junk])
    wizard.next_button.click()
    assert wizard.step == "preview"
    assert "left out" in messages[0] and "holiday.csv" in messages[0]
    flagged = wizard.files.list.item(1)
    assert "cannot be imported" in flagged.text() and "holiday.csv" in flagged.toolTip()
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.result.numbers["added"].text() == "3"
    assert services.people.count() == 3


def test_imported_people_appear_on_the_people_page(services, qtbot, tmp_path) -> None:
    """The real app's context: the import's change notice crosses from the pool thread
    to the GUI thread and the People page and status bar follow."""
    from PySide6.QtCore import QSettings

    from crm.ui.app import build_context

    ctx = build_context(services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        wizard = window.io.open_import([_vcf(tmp_path)])
        for expected in ("preview", "duplicates", "result"):
            wizard.next_button.click()
            qtbot.waitUntil(lambda e=expected: wizard.step == e, timeout=10000)
        qtbot.waitUntil(lambda: window.people.model.rowCount() == 3, timeout=5000)
        qtbot.waitUntil(lambda: window.counts.text().startswith("3 people"), timeout=5000)
        assert window.statusBar().currentMessage().startswith("Imported: 3 people added")
        wizard.cancel_button.click()  # Close
        assert not wizard.isVisible()
    finally:
        ctx.tasks.wait()
        ctx.bus.detach()


def test_closing_while_a_task_is_queued_cancels_it_then_closes(
    services, qtbot, tmp_path, messages
) -> None:
    """Esc right after Next, before the pool has even started the task: the task is
    cancelled before it reads anything and the wizard closes once it has come back."""
    from PySide6.QtCore import QSettings

    from crm.ui.app import build_context

    ctx = build_context(services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        wizard = _wizard(ctx, qtbot, [_vcf(tmp_path)])
        wizard.next_button.click()
        assert wizard.busy  # at once, not only once the worker runs
        wizard.reject()
        assert wizard.isVisible()  # waits for the task
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)
        assert wizard.step == "files" and services.people.count() == 0
        assert messages == []  # a cancel is not an error
    finally:
        ctx.tasks.wait()
        ctx.bus.detach()
