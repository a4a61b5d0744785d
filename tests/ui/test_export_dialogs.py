"""Exports from the app: the selected people to vCard, the consent rule of partner
exports, and the export log that records them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from crm.services.communities import CommunityInput
from crm.services.people_data import EmailData, PersonInput
from crm.ui.io.export_dialog import ExportDialog
from crm.ui.io.export_log_dialog import ExportLogDialog
from crm.ui.io.partner_export_dialog import PartnerExportDialog
from crm.ui.main_window import MainWindow
from crm.ui.people.page import PeoplePage

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Answer the save dialog with a path in tmp_path; records that it was asked."""
    asked: list[str] = []

    def answer(name: str) -> Path:
        path = tmp_path / name

        def fake(_parent, title, _dir="", _filter="", *_a, **_k):  # type: ignore[no-untyped-def]
            asked.append(title)
            return str(path), ""

        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
        return path

    answer.asked = asked  # type: ignore[attr-defined]
    return answer


def _person(services, name: str, email: str) -> int:  # type: ignore[no-untyped-def]
    return services.people.create(
        PersonInput(display_name=name, emails=(EmailData(email),), organisation="Acme")
    )


def test_export_selected_people_to_vcard(ctx, services, qtbot, save_to, messages) -> None:
    ann = _person(services, "Ann Lee", "ann@example.org")
    bob = _person(services, "Bob Stone", "bob@example.org")
    _person(services, "Cara Diaz", "cara@example.org")
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    menu = page.bulk.menu([ann, bob])
    [action] = [a for a in menu.actions() if a.text() == "Export selected…"]
    action.trigger()
    [dialog] = page.findChildren(ExportDialog)
    assert dialog.selected_radio.isChecked() and "(2)" in dialog.selected_radio.text()
    dialog.set_format("vcard3")
    assert not dialog.fields_box.isVisibleTo(dialog)  # columns only for Rapport's CSV
    out = save_to("picked.vcf")
    dialog.export_button.click()
    assert save_to.asked == ["Export contacts to"]
    assert messages == [f"Exported 2 people to\n{out}"]
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 2
    assert "VERSION:3.0" in text and "UID" in text
    assert "Ann Lee" in text and "bob@example.org" in text and "Cara" not in text
    assert not dialog.isVisible()


def test_export_everyone_with_a_tag_as_csv_with_chosen_columns(
    ctx, services, qtbot, save_to, messages
) -> None:
    ann = _person(services, "Ann Lee", "ann@example.org")
    _person(services, "Bob Stone", "bob@example.org")
    services.people.add_tags([ann], ["speaker"])
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.all_radio.isChecked() and not dialog.selected_radio.isEnabled()
    dialog.set_format("csv")
    assert dialog.fields_box.isVisibleTo(dialog)
    dialog.tag.setCurrentIndex(dialog.tag.findData("speaker"))
    assert dialog.filter_radio.isChecked()
    keep = {"emails", "display_name"}
    for i in range(dialog.fields.count()):
        item = dialog.fields.item(i)
        if item.data(256) not in keep:
            item.setCheckState(item.checkState().Unchecked)
    out = save_to("speakers.csv")
    dialog.export_button.click()
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "ann@example.org" in lines[1]
    assert "Acme" not in out.read_text(encoding="utf-8-sig")  # organisation not chosen
    assert messages[-1].startswith("Exported 1 person")


def test_export_failure_is_shown_with_the_file(ctx, services, qtbot, save_to, messages) -> None:
    _person(services, "Ann Lee", "ann@example.org")
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.path.edit.setText(str(Path(save_to("x.vcf")).parent / "missing" / "out.vcf"))
    dialog.export_button.click()
    assert messages and "out.vcf" in messages[-1]
    assert dialog.error.isVisibleTo(dialog)


def test_partner_export_leaves_out_people_without_consent(
    ctx, services, qtbot, save_to, messages
) -> None:
    ann = _person(services, "Ann Lee", "ann@example.org")
    bob = _person(services, "Bob Stone", "bob@example.org")
    services.people.set_consent(ann, "partner sharing", True, source="signup form")
    partner = services.communities.create(CommunityInput(name="Open Data Club"))
    services.communities.add_member(partner, [ann, bob])

    dialog = PartnerExportDialog(ctx, None, partner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.included.item(i).text() for i in range(dialog.included.count())] == ["Ann Lee"]
    assert dialog.left_out.count() == 1
    assert dialog.left_out.item(0).text().startswith("Bob Stone — ")
    assert "(1)" in dialog.included_title.text()
    for key, box in dialog.checks.items():
        box.setChecked(key in ("display_name", "emails"))
    out = save_to("odc.csv")
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.export_button.click()
    text = out.read_text(encoding="utf-8-sig")
    assert "ann@example.org" in text and "bob@example.org" not in text
    assert "Acme" not in text  # organisation was not shared
    assert "Exported 1 person to Open Data Club" in messages[-1]

    log = dialog.show_log()
    qtbot.addWidget(log)
    assert isinstance(log, ExportLogDialog)
    assert log.table.rowCount() == 1
    row = [log.table.item(0, c).text() for c in range(log.table.columnCount())]
    assert row[1] == "Open Data Club" and row[2] == "1" and row[5] == "odc.csv"
    assert "Email" in row[3] and "display_name" not in row[3]  # labels, not keys


def test_partner_export_with_nobody_consenting_cannot_export(ctx, services, qtbot) -> None:
    bob = _person(services, "Bob Stone", "bob@example.org")
    partner = services.communities.create(CommunityInput(name="Makers"))
    services.communities.add_member(partner, [bob])
    dialog = PartnerExportDialog(ctx, None, partner)
    qtbot.addWidget(dialog)
    assert dialog.included.count() == 0 and dialog.left_out.count() == 1
    assert not dialog.export_button.isEnabled()
    assert "consented" in dialog.error.text()


def test_file_menu_export_uses_the_people_selection(ctx, services, qtbot) -> None:
    ann = _person(services, "Ann Lee", "ann@example.org")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.people.select_ids([ann], ann)
    assert window.io.export_action.shortcut().toString() == "Ctrl+E"
    window.io.export_action.trigger()
    dialog = window.io.last_dialog
    assert isinstance(dialog, ExportDialog) and dialog.selection() == {"ids": [ann]}
    dialog.reject()
    window.people.select_ids([])
    window.people.role_filter.setCurrentIndex(window.people.role_filter.findData("speaker"))
    window.io.export_action.trigger()
    dialog = window.io.last_dialog
    assert dialog.filter_radio.isChecked()  # the page's filter carries over
    assert dialog.selection() == {"role": "speaker", "tag": None, "community_id": None}
    dialog.reject()
    window.io.log_action.trigger()
    assert isinstance(window.io.last_dialog, ExportLogDialog)
    assert window.io.last_dialog.empty.isVisibleTo(window.io.last_dialog)
