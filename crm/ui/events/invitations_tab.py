"""An event's Invitations tab: the paged table, counts, invite, bulk status and role changes.

A status change of more than TASK_THRESHOLD invitations runs as a task with a progress
dialog and Cancel (status_task.py); smaller ones are quick enough to run at once.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.models import INVITATION_ROLES, INVITATION_STATUSES
from crm.services import ServiceError
from crm.services.attendance import Cancelled
from crm.services.invitations import InvitationResult
from crm.ui.communities.selection import reselect_rows, selected_rows
from crm.ui.context import UiContext
from crm.ui.events.invitations_model import InvitationsModel
from crm.ui.events.invite_dialog import InviteDialog
from crm.ui.events.status_task import TASK_THRESHOLD, StatusCommand, StatusTask
from crm.ui.widgets.labels import muted

WARNING_STYLE = "color: #b91c1c; font-weight: 600;"


class InvitationsTab(QWidget):
    message = Signal(str)
    person_activated = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services = services = ctx.services
        self.event_id: int | None = None
        self.dialog: InviteDialog | None = None
        self.task: StatusTask | None = None  # a big status change while it runs

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter by name, email or organisation…")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("Any status", None)
        for st in INVITATION_STATUSES:
            self.status_filter.addItem(st.capitalize(), st)
        self.invite_button = QPushButton("Invite…", self)
        self.invite_button.setObjectName("primary")
        invite_menu = QMenu(self.invite_button)
        for mode, label in (
            ("people", "People…"),
            ("tag", "Everyone with a tag…"),
            ("role", "Everyone with a role…"),
            ("community", "Members of a community…"),
        ):
            invite_menu.addAction(label, lambda m=mode: self.invite(m))
        self.invite_button.setMenu(invite_menu)
        self.status_button = QPushButton("Set status", self)
        self.status_menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for st in INVITATION_STATUSES:
            act = self.status_menu.addAction(st.capitalize(), lambda s=st: self.set_status(s))
            self.status_actions[st] = act
        self.status_button.setMenu(self.status_menu)
        self.role_button = QPushButton("Set role", self)
        role_menu = QMenu(self.role_button)
        for r in INVITATION_ROLES:
            role_menu.addAction(r.capitalize(), lambda r=r: self.set_role(r))
        self.role_button.setMenu(role_menu)
        self.remove_action = QAction("Remove invitation", self)
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.status_button)
        bar.addWidget(self.role_button)
        bar.addWidget(self.invite_button)

        self.counts = muted("", self)
        self.counts.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()

        self.model = InvitationsModel(services, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Widths set, never measured from the contents (ResizeToContents reads every row).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in enumerate((170, 200, 140, 85, 90, 95)):
            self.table.setColumnWidth(col, width)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.addAction(self.remove_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._open_person)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _: self.apply_filter())
        self._selection_changed()

    # ---- showing ---------------------------------------------------------------------
    def set_event(self, event_id: int | None) -> None:
        changed = event_id != self.event_id
        self.event_id = event_id
        if changed:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.status_filter.blockSignals(True)
            self.status_filter.setCurrentIndex(0)
            self.status_filter.blockSignals(False)
            self.model.text, self.model.status = "", None
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_ids()
        if self.model.set_event(self.event_id) and selected:
            where = {iid: r for r, iid in enumerate(self.model.ids)}
            reselect_rows(self.table, [where.get(i, -1) for i in selected])
        self._update_counts()
        self._selection_changed()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.search.text().strip(), self.status_filter.currentData())
        self._selection_changed()

    def _update_counts(self) -> None:
        if self.event_id is None:
            self.counts.setText("")
            self.warning.hide()
            return
        counts = self.services.invitations.counts(self.event_id)
        total = sum(counts.values())
        if not total:
            self.counts.setText("Nobody is invited yet. Use Invite… to add people.")
        else:
            parts = [f"{counts[s]:,} {s}" for s in INVITATION_STATUSES if counts.get(s)]
            self.counts.setText(f"{total:,} invited: " + " · ".join(parts))
        warning = self.services.invitations.capacity_warning(self.event_id)
        self.warning.setText(f"⚠ {warning}" if warning else "")
        self.warning.setVisible(bool(warning))

    # ---- selection -----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return [i for r in selected_rows(self.table) if (i := self.model.id_at(r)) is not None]

    def _selection_changed(self) -> None:
        # hasSelection(), not selected_ids(): with 1,000 rows selected, reading the
        # selection asks flags() of every cell (~5 ms), on every change of it.
        some = self.table.selectionModel().hasSelection()
        self.status_button.setEnabled(some)
        self.role_button.setEnabled(some)
        self.remove_action.setEnabled(some)
        self.invite_button.setEnabled(self.event_id is not None)

    # ---- actions ---------------------------------------------------------------------------
    def invite(self, mode: str = "people") -> InviteDialog | None:
        if self.event_id is None:
            return None
        dlg = InviteDialog(self.services, self.event_id, mode, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._invited(dlg))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _invited(self, dlg: InviteDialog) -> None:
        result = dlg.result_
        if result is None:
            return
        self.message.emit(result.summary())
        if result.warning:
            QMessageBox.warning(self, "Over capacity", result.warning)

    def set_status(self, status: str) -> None:
        ids = self.selected_ids()
        if not ids or self.task is not None:
            return
        if len(ids) > TASK_THRESHOLD:
            self.task = StatusTask.set_status(self.ctx, ids, status, self)
            self.task.finished.connect(lambda r: self._status_set(ids, status, r))
            self.task.failed.connect(self._status_failed)
            self.task.start()
            return
        try:
            result = self.services.invitations.set_status(ids, status)
        except ServiceError as exc:
            self._status_failed(exc)
            return
        self._status_set(ids, status, result)

    def _status_set(self, ids: list[int], status: str, result: InvitationResult) -> None:
        self.task = None
        text = f"{result.changed:,} set to {status}"
        text += f"; {result.skipped:,} already were." if result.skipped else "."
        if result.changed and result.before is not None:
            self.ctx.undo.push(StatusCommand(self.ctx, ids, status, result, self))
            text += " Ctrl+Z to undo."
        self.message.emit(text)
        if result.warning:
            QMessageBox.warning(self, "Over capacity", result.warning)

    def _status_failed(self, exc: BaseException) -> None:
        self.task = None
        if isinstance(exc, Cancelled):
            self.message.emit(str(exc))
        elif isinstance(exc, ServiceError):
            QMessageBox.warning(self, "Invitations", str(exc).split(": ", 1)[-1])
        else:
            QMessageBox.critical(self, "Invitations", f"{type(exc).__name__}: {exc}")

    def set_role(self, role: str) -> None:
        ids = self.selected_ids()
        if ids:
            n = self.services.invitations.set_role(ids, role)
            self.message.emit(f"{n:,} now invited as {role}.")

    def remove_selected(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        rows = self.services.invitations.rows(ids)
        logged = sum(1 for r in rows if r.attendance_logged)
        what = f"{rows[0].name}'s invitation" if len(rows) == 1 else f"{len(rows):,} invitations"
        text = f"Remove {what}?"
        if logged:
            text += (
                f"\n\nThe attendance recorded for {logged:,} "
                f"{'person' if logged == 1 else 'people'} goes too "
                "(the “event attendance” interaction on their timeline)."
            )
        box = QMessageBox(QMessageBox.Icon.Question, "Remove invitations", text, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Remove")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return False
        n = self.services.invitations.remove(ids)
        self.message.emit(f"Removed {n:,} invitation{'s' if n != 1 else ''}.")
        return True

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in selected_rows(self.table):
            self.table.selectRow(index.row())
        menu = QMenu(self)
        if self.selected_ids():
            menu.addMenu(self.status_menu).setText("Set status")
            menu.addSeparator()
            menu.addAction(self.remove_action)
        menu.addAction("Invite people…", lambda: self.invite("people"))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _open_person(self, index: object) -> None:
        row = self.model.row_at(index.row())  # type: ignore[attr-defined]
        if row is not None:
            self.person_activated.emit(row.person_id)
