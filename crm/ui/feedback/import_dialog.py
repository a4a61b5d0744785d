"""Import survey results from a CSV (Google Forms, Typeform …) into one survey.

Choose a file, check the column mapping (guessed from the headers and the survey's
questions, or a saved mapping), then import. A file with rejected rows is refused
whole, with each row's line and reason listed, unless "skip rejected rows" is ticked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.services import ServiceError, Services
from crm.services.feedback_import import TARGET_LABELS, SurveyCsvPreview, SurveyImportReport
from crm.ui.widgets.labels import ErrorLabel, muted


class SurveyImportDialog(QDialog):
    def __init__(self, services: Services, survey_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.survey_id = survey_id
        survey = services.feedback.get_survey(survey_id)
        self.questions = survey.questions
        self.setWindowTitle(f"Import results — {survey.title}")
        self.resize(760, 560)
        self.path: Path | None = None
        self.data = b""
        self.preview: SurveyCsvPreview | None = None
        self.report: SurveyImportReport | None = None

        self.file_label = muted("No file chosen.", self)
        choose = QPushButton("Choose file…", self)
        choose.clicked.connect(self.choose_file)
        self.saved = QComboBox(self)
        self.saved.addItem("Guessed mapping", None)
        for name in services.feedback.imports.mappings():
            self.saved.addItem(name, name)
        self.saved.currentIndexChanged.connect(self._apply_saved)
        self.save_mapping_button = QPushButton("Save mapping…", self)
        self.save_mapping_button.clicked.connect(self.save_mapping)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.saved)
        top.addWidget(self.save_mapping_button)

        self.mapping = QTableWidget(0, 3, self)
        self.mapping.setHorizontalHeaderLabels(["Column in the file", "Goes to", "First value"])
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.verticalHeader().hide()
        self.mapping.setColumnWidth(0, 280)
        self.mapping.setColumnWidth(1, 200)
        self.skip = QCheckBox("Import the good rows and skip rejected ones", self)
        self.result = QPlainTextEdit(self)
        self.result.setReadOnly(True)
        self.result.setFixedHeight(110)
        self.result.setPlaceholderText("What happened shows here.")
        self.error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("Column mapping", self))
        layout.addWidget(self.mapping, 1)
        layout.addWidget(self.skip)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _targets(self) -> list[tuple[str, str]]:
        out = [(label, key) for key, label in TARGET_LABELS.items()]
        out += [(f"Answer: {q.text[:40]}", f"question:{q.id}") for q in self.questions]
        return out

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Survey results", "", "CSV files (*.csv *.tsv *.txt);;All files (*)"
        )
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> bool:
        try:
            data = path.read_bytes()
            preview = self.services.feedback.imports.preview(self.survey_id, data, path.name)
        except (OSError, ServiceError) as exc:
            self.error.set_error(str(getattr(exc, "strerror", None) or exc))
            self.import_button.setEnabled(False)
            return False
        self.error.set_error(None)
        self.path, self.data, self.preview = path, data, preview
        self.file_label.setText(
            f"{path.name} — {preview.total_rows:,} rows, {preview.encoding}, "
            f"{len(preview.headers)} columns"
        )
        self._fill(preview.mapping)
        self.import_button.setEnabled(True)
        return True

    def _fill(self, mapping: dict[str, str]) -> None:
        assert self.preview is not None
        headers = self.preview.headers
        first = self.preview.rows[0] if self.preview.rows else ()
        self.mapping.setRowCount(len(headers))
        targets = self._targets()
        for row, header in enumerate(headers):
            item = QTableWidgetItem(header)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.mapping.setItem(row, 0, item)
            combo = QComboBox(self.mapping)
            for label, key in targets:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(header, "ignore"))))
            self.mapping.setCellWidget(row, 1, combo)
            sample = QTableWidgetItem(first[row] if row < len(first) else "")
            sample.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.mapping.setItem(row, 2, sample)

    def current_mapping(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(row, 1)
            out[self.mapping.item(row, 0).text()] = combo.currentData()  # type: ignore[union-attr]
        return out

    def set_target(self, header: str, target: str) -> None:
        for row in range(self.mapping.rowCount()):
            if self.mapping.item(row, 0).text() == header:
                combo: QComboBox = self.mapping.cellWidget(row, 1)  # type: ignore[assignment]
                combo.setCurrentIndex(combo.findData(target))

    def _apply_saved(self) -> None:
        name = self.saved.currentData()
        if self.preview is None:
            return
        if name is None:
            self._fill(self.preview.mapping)
            return
        try:
            saved = self.services.feedback.imports.mapping(name)
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        self._fill({h: saved.get(h, "ignore") for h in self.preview.headers})

    def save_mapping(self, name: str | None = None) -> None:
        if self.preview is None:
            self.error.set_error("Choose a file first.")
            return
        if not name:
            name, ok = QInputDialog.getText(self, "Save mapping", "Name for this mapping:")
            if not ok:
                return
        try:
            self.services.feedback.imports.save_mapping(name, self.current_mapping())
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return
        if self.saved.findData(name.strip()) < 0:
            self.saved.blockSignals(True)
            self.saved.addItem(name.strip(), name.strip())
            self.saved.setCurrentIndex(self.saved.count() - 1)
            self.saved.blockSignals(False)

    def run_import(self) -> SurveyImportReport | None:
        if self.path is None:
            return None
        try:
            report = self.services.feedback.imports.run(
                self.survey_id,
                self.data,
                self.path.name,
                self.current_mapping(),
                skip_rejected=self.skip.isChecked(),
            )
        except ServiceError as exc:
            self.error.set_error(str(exc))
            return None
        self.error.set_error(None)
        self.report = report
        lines = [report.summary()]
        lines += [f"line {r.line}: {r.reason}" for r in report.rejected]
        if report.rejected and not report.written:
            lines.append("Fix these rows, or tick “skip rejected ones”, and import again.")
        self.result.setPlainText("\n".join(lines))
        if report.written:
            self.import_button.setEnabled(False)
        return report
