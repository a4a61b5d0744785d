"""Export contacts: a format, a selection of people, (for CSV) the columns, and a file.

The selection can be everyone, the people selected on the People page, a role, tag
or community, or the current search — resolved by the export service when the export
runs, so it is the same set the `crm export` command would write. Writing runs as a
task; the file is written atomically by the service, so a failure leaves no half file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crm.models import ROLES
from crm.ui.context import UiContext
from crm.ui.io import heap
from crm.ui.io.common import TaskStrip, choose_save_path, plural, show_error, suggested_path
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import ErrorLabel, heading, section_title

FORMATS = (
    ("vcard3", "vCard 3.0 (phones, Apple, Google, Thunderbird)", "vcf"),
    ("vcard4", "vCard 4.0 (CardDAV servers)", "vcf"),
    ("csv", "CSV — Rapport's columns", "csv"),
    ("csv-google", "CSV — Google Contacts", "csv"),
    ("csv-outlook", "CSV — Outlook", "csv"),
)
SUFFIX = {key: suffix for key, _label, suffix in FORMATS}


def field_label(key: str) -> str:
    """The label the mapping step uses for a field ("emails" is the "Email" column)."""
    from crm.services.io.csv_layouts import TARGET_FIELDS

    plain = {"emails": "email", "phones": "phone"}.get(key, key)
    extra = {"handles": "Social handles", "photo": "Photo", "uid": "UID"}
    return extra.get(key) or str(TARGET_FIELDS.get(plain, key.replace("_", " ").capitalize()))


def field_choices() -> list[tuple[str, str]]:
    """(key, label) of the columns Rapport's own CSV can hold."""
    from crm.services.io.csv_layouts import RAPPORT_COLUMNS

    return [(k, field_label(k)) for k in RAPPORT_COLUMNS]


def file_filter(fmt: str) -> str:
    return "vCard (*.vcf)" if SUFFIX[fmt] == "vcf" else "CSV (*.csv)"


class PathRow(QWidget):
    """A path field with a Choose… button (QFileDialog's save dialog)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.filter = "All files (*)"
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Choose where to save…")
        self.button = QPushButton("Choose…")
        self.button.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    def path(self) -> str:
        return self.edit.text().strip()

    def path_for(self, suffix: str) -> str:
        """The typed path, its .vcf/.csv suffix matched to the format (or added)."""
        text = self.path()
        if not text:
            return ""
        p = Path(text)
        if p.suffix.lower() != "." + suffix:
            p = p.with_suffix("." + suffix) if p.suffix.lower() in (".vcf", ".csv", "") else p
            self.edit.setText(str(p))
        return str(p)

    def set_suffix(self, suffix: str, filter_text: str) -> None:
        self.filter = filter_text
        text = self.path()
        if text and Path(text).suffix.lower() in (".vcf", ".csv"):
            self.edit.setText(str(Path(text).with_suffix("." + suffix)))

    def choose(self, suggested: str = "") -> str | None:
        path = choose_save_path(self, self.title, self.path() or suggested, self.filter)
        if path:
            self.edit.setText(path)
        return path


class ExportDialog(QDialog):
    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        selected_ids: Sequence[int] = (),
        search_text: str = "",
        role: str | None = None,
        tag: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected = list(selected_ids)
        self.search_text = search_text.strip()
        self.result_: Any = None
        self.setWindowTitle("Export contacts")
        self.setMinimumWidth(660)

        self.format = QComboBox()
        for key, label, _suffix in FORMATS:
            self.format.addItem(label, key)
        self.format.currentIndexChanged.connect(self._format_changed)

        self.scope = QButtonGroup(self)
        self.all_radio = QRadioButton("Everyone (not archived)")
        self.selected_radio = QRadioButton(f"Selected on the People page ({len(self.selected):,})")
        self.selected_radio.setEnabled(bool(self.selected))
        self.filter_radio = QRadioButton("Everyone with")
        self.search_radio = QRadioButton(
            f"The current search: “{self.search_text}”"
            if self.search_text
            else "The current search"
        )
        self.search_radio.setEnabled(bool(self.search_text))
        for i, radio in enumerate(
            (self.all_radio, self.selected_radio, self.filter_radio, self.search_radio)
        ):
            self.scope.addButton(radio, i)
        (self.selected_radio if self.selected else self.all_radio).setChecked(True)
        self.role = QComboBox()
        self.role.addItem("any role", None)
        for name in ROLES:
            self.role.addItem(f"role: {name}", name)
        self.tag = QComboBox()
        self.tag.addItem("any tag", None)
        for t in ctx.services.tags.all():
            self.tag.addItem(f"tag: {t.name}", t.name)
        self.community = QComboBox()
        self.community.addItem("any community", None)
        for cid, name in ctx.services.communities.all_names():
            self.community.addItem(name, cid)
        # The People page's filters carry over: exporting "what I am looking at".
        self.role.setCurrentIndex(max(self.role.findData(role), 0) if role else 0)
        self.tag.setCurrentIndex(max(self.tag.findData(tag), 0) if tag else 0)
        if (role or tag) and not self.selected:
            self.filter_radio.setChecked(True)
        for combo in (self.role, self.tag, self.community):
            combo.currentIndexChanged.connect(lambda _i: self.filter_radio.setChecked(True))

        self.fields = QListWidget()
        for key, label in field_choices():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setCheckState(Qt.CheckState.Checked)
            self.fields.addItem(item)
        self.fields.setMaximumHeight(150)
        self.fields_box = QWidget()
        fb = QVBoxLayout(self.fields_box)
        fb.setContentsMargins(0, 4, 0, 0)
        fb.addWidget(section_title("Columns"))
        fb.addWidget(self.fields)

        self.path = PathRow("Export contacts to")
        self.error = ErrorLabel()
        self.strip = TaskStrip(ctx)
        self.strip.finished.connect(self._exported)
        self.strip.failed.connect(self._failed)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("primary")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("Cancel")
        self.close_button.clicked.connect(self.reject)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_radio)
        for combo in (self.role, self.tag, self.community):
            filters.addWidget(combo)
        filters.addStretch(1)
        scope = QGridLayout()
        scope.addWidget(self.all_radio, 0, 0)
        scope.addWidget(self.selected_radio, 1, 0)
        scope.addLayout(filters, 2, 0)
        scope.addWidget(self.search_radio, 3, 0)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("File:", self.path)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Export contacts", scale=1.15))
        layout.addWidget(section_title("Who"))
        layout.addLayout(scope)
        layout.addWidget(self.fields_box)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.strip)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._format_changed()

    # ---- choices ---------------------------------------------------------------------
    def format_key(self) -> str:
        return str(self.format.currentData())

    def set_format(self, key: str) -> None:
        self.format.setCurrentIndex(self.format.findData(key))

    def _format_changed(self, *_: object) -> None:
        fmt = self.format_key()
        # Only Rapport's own CSV has free columns; the Google and Outlook layouts are fixed.
        self.fields_box.setVisible(fmt == "csv")
        self.path.set_suffix(SUFFIX[fmt], file_filter(fmt))
        self.adjustSize()

    def chosen_fields(self) -> list[str] | None:
        if self.format_key() != "csv":
            return None
        keys = [
            self.fields.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.fields.count())
            if self.fields.item(i).checkState() == Qt.CheckState.Checked
        ]
        return None if len(keys) == self.fields.count() else keys

    def selection(self) -> dict[str, Any]:
        """The arguments for ExportService.selection_ids."""
        which = self.scope.checkedId()
        if which == 1:
            return {"ids": list(self.selected)}
        if which == 2:
            return {
                "role": self.role.currentData(),
                "tag": self.tag.currentData(),
                "community_id": self.community.currentData(),
            }
        if which == 3:
            return {"text": self.search_text}
        return {}

    # ---- export ----------------------------------------------------------------------
    def export(self) -> None:
        self.error.set_error(None)
        fmt = self.format_key()
        out = self.path.path_for(SUFFIX[fmt]) or self.path.choose(
            suggested_path(f"contacts.{SUFFIX[fmt]}")
        )
        if not out:
            return
        fields, selection = self.chosen_fields(), self.selection()
        if fields == []:
            self.error.set_error("Choose at least one column.")
            return
        exports = self.ctx.services.exports

        def work(control: TaskControl) -> Any:
            ids = exports.selection_ids(**selection)
            control.check()
            return exports.export_contacts(ids, fmt, out, fields=fields)

        self.export_button.setEnabled(False)
        self.strip.run(f"Exporting to {Path(out).name}…", work)

    def _exported(self, result: Any) -> None:
        self.export_button.setEnabled(True)
        self.result_ = result
        QMessageBox.information(
            self,
            "Export contacts",
            f"Exported {plural(int(result.count), 'person', 'people')} to\n{result.path}",
        )
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if self.strip.cancelled:
            self.error.set_error("Cancelled; no file was written.")
            return
        self.error.set_error(str(exc))
        show_error(self, "Export contacts", exc)

    def reject(self) -> None:
        if self.strip.busy:
            self.strip.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        heap.thaw()  # what the tasks left frozen is collectable again
