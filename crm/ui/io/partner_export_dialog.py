"""Partner export: only people who agreed to partner sharing, only the chosen fields.

The dialog shows, before anything is written, who goes into the file and who is left
out and why (no consent, consent withdrawn, archived …) as the export service decides
it, so the lead can check the list with the partner's request in mind. Every export
lands in the audit log, which the "Export log…" button opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crm.ui.context import UiContext
from crm.ui.io import heap
from crm.ui.io.common import TaskStrip, plural, show_error, suggested_path
from crm.ui.io.export_dialog import FORMATS, SUFFIX, PathRow, field_label, file_filter
from crm.ui.io.export_log_dialog import ExportLogDialog
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import ErrorLabel, heading, muted, section_title

# Shared unless the lead ticks more: enough to reach someone, nothing more.
DEFAULT_FIELDS = ("display_name", "given_name", "family_name", "emails", "organisation")


class PartnerExportDialog(QDialog):
    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, community_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exports = ctx.services.exports
        self.preview_: Any = None
        self.result_: Any = None
        self.setWindowTitle("Partner export")
        self.resize(760, 620)

        self.community = QComboBox()
        self.community.setMinimumContentsLength(24)
        for cid, name in ctx.services.communities.all_names():
            self.community.addItem(name, cid)
        if community_id is not None:
            self.community.setCurrentIndex(max(self.community.findData(community_id), 0))
        self.community.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.format = QComboBox()
        for key, label, _suffix in FORMATS:
            self.format.addItem(label, key)
        self.format.currentIndexChanged.connect(self._format_changed)

        self.checks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        from crm.services.exports import PARTNER_FIELDS

        for i, key in enumerate(PARTNER_FIELDS):
            box = QCheckBox(field_label(key))
            box.setChecked(key in DEFAULT_FIELDS)
            box.toggled.connect(lambda _on: self._update())
            self.checks[key] = box
            grid.addWidget(box, i // 4, i % 4)

        self.included = QListWidget()
        self.left_out = QListWidget()
        self.included_title = section_title("Included")
        self.left_out_title = section_title("Left out")
        split = QSplitter(Qt.Orientation.Horizontal)
        for title, lst in (
            (self.included_title, self.included),
            (self.left_out_title, self.left_out),
        ):
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.addWidget(title)
            v.addWidget(lst)
            split.addWidget(box)
        split.setChildrenCollapsible(False)

        self.path = PathRow("Partner export to")
        self.error = ErrorLabel()
        self.strip = TaskStrip(ctx)
        self.strip.finished.connect(self._task_done)
        self.strip.failed.connect(self._failed)
        self._pending = ""
        self._preview_for: int | None = None
        self.log_button = QPushButton("Export log…")
        self.log_button.clicked.connect(self.show_log)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("primary")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow("Partner community:", self.community)
        form.addRow("Format:", self.format)
        form.addRow("File:", self.path)
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Partner export", scale=1.15))
        note = muted(
            "Only people with a current consent to partner sharing are exported, and only "
            "the fields ticked below. Every export is recorded in the export log."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(section_title("Fields to share"))
        layout.addLayout(grid)
        layout.addWidget(split, 1)
        layout.addWidget(self.strip)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._format_changed()
        self.refresh_preview()

    # ---- choices ---------------------------------------------------------------------
    def community_id(self) -> int | None:
        data = self.community.currentData()
        return int(data) if data is not None else None

    def fields(self) -> list[str]:
        return [key for key, box in self.checks.items() if box.isChecked()]

    def format_key(self) -> str:
        return str(self.format.currentData())

    def _format_changed(self, *_: object) -> None:
        fmt = self.format_key()
        self.path.set_suffix(SUFFIX[fmt], file_filter(fmt))

    def _update(self) -> None:
        can = (
            not self.strip.busy
            and self.community_id() is not None
            and bool(self.fields())
            and self.preview_ is not None
            and bool(self.preview_.included)
        )
        self.export_button.setEnabled(can)

    # ---- preview and export ----------------------------------------------------------
    def refresh_preview(self) -> None:
        self.preview_ = None
        self.included.clear()
        self.left_out.clear()
        cid = self.community_id()
        if cid is None:
            self.included_title.setText("INCLUDED")
            self.error.set_error("There are no communities yet: add the partner community first.")
            self._update()
            return
        if self.strip.busy:
            return
        exports = self.exports
        self._pending = "preview"
        self._preview_for = cid
        self.strip.run("Checking consents…", lambda _c: exports.partner_preview(cid))
        self._update()

    def _previewed(self, preview: Any) -> None:
        self.preview_ = preview
        self.included.addItems([str(name) for _id, name in preview.included])
        self.left_out.addItems([f"{name} — {reason}" for _id, name, reason in preview.left_out])
        self.included_title.setText(f"INCLUDED ({len(preview.included):,})")
        self.left_out_title.setText(f"LEFT OUT ({len(preview.left_out):,})")
        if not preview.included:
            self.error.set_error("Nobody in this community has consented to partner sharing.")
        else:
            self.error.set_error(None)
        if self.community_id() != self._preview_for:  # changed while it ran
            self.refresh_preview()
        self._update()

    def export(self) -> None:
        cid, fields, fmt = self.community_id(), self.fields(), self.format_key()
        if cid is None or not fields:
            return
        name = self.community.currentText().strip().replace(" ", "-").lower() or "partner"
        out = self.path.path_for(SUFFIX[fmt]) or self.path.choose(
            suggested_path(f"{name}.{SUFFIX[fmt]}")
        )
        if not out:
            return
        exports = self.exports

        def work(_control: TaskControl) -> Any:
            return exports.partner_export(cid, fields, fmt, out)

        self._pending = "export"
        self.strip.run(f"Exporting to {Path(out).name}…", work)
        self._update()

    def _task_done(self, result: Any) -> None:
        pending, self._pending = self._pending, ""
        if pending == "preview":
            self._previewed(result)
            return
        self.result_ = result
        self._update()
        QMessageBox.information(
            self,
            "Partner export",
            f"Exported {plural(int(result.count), 'person', 'people')} to "
            f"{self.community.currentText()}:\n{result.path}\n\nRecorded in the export log.",
        )

    def _failed(self, exc: BaseException) -> None:
        self._pending = ""
        self._update()
        self.error.set_error(str(exc))
        show_error(self, "Partner export", exc)

    def show_log(self) -> ExportLogDialog:
        dialog = ExportLogDialog(self.ctx, self)
        dialog.open()
        return dialog

    def reject(self) -> None:
        if self.strip.busy:
            self.strip.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        heap.thaw()  # what the tasks left frozen is collectable again
