"""A community's members in the detail panel: add, change role, remove (undoable), open.

Double-clicking a member emits person_activated(person_id), which the main window uses
to jump to that person on the People page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.models.communities import MEMBERSHIP_ROLES
from crm.services import ServiceError
from crm.services.communities import CommunityDetail, MemberData
from crm.ui.communities.add_members import AddMembersDialog
from crm.ui.communities.members_model import MembersModel
from crm.ui.communities.selection import selected_rows
from crm.ui.context import UiContext
from crm.ui.undo import CallbackCommand
from crm.ui.widgets.labels import muted, section_title


def remove_members_command(
    ctx: UiContext, community_id: int, members: list[MemberData]
) -> CallbackCommand:
    """Removing members, undone by adding each back with the role and date they had."""
    services = ctx.services
    pids = [m.person_id for m in members]
    groups: dict[tuple[str, date | None], list[int]] = defaultdict(list)
    for m in members:
        groups[(m.role, m.since)].append(m.person_id)

    def undo() -> None:
        for (role, since), ids in groups.items():
            services.communities.add_member(community_id, ids, role, since)

    label = "Remove member" if len(pids) == 1 else f"Remove {len(pids)} members"
    return CallbackCommand(
        label, lambda: services.communities.remove_member(community_id, pids), undo
    )


class MembersPanel(QWidget):
    person_activated = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.community: CommunityDetail | None = None
        self.dialog: AddMembersDialog | None = None

        self.title = section_title("Members", self)
        self.count = muted("", self)
        self.add_button = QPushButton("Add members…", self)
        self.add_button.clicked.connect(self.add_members)
        self.role_button = QPushButton("Role", self)
        self.role_button.setToolTip("Change the role of the selected members")
        self.role_menu = QMenu(self)
        self.role_actions: dict[str, QAction] = {}
        for role in MEMBERSHIP_ROLES:
            act = self.role_menu.addAction(role.capitalize())
            act.triggered.connect(lambda _=False, r=role: self.set_role(r))
            self.role_actions[role] = act
        self.role_button.setMenu(self.role_menu)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected members from this community (Del)")
        self.remove_button.clicked.connect(self.remove_selected)

        self.model = MembersModel(self)
        # Big communities have thousands of members: a filter box narrows the list.
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter members…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        # Fixed widths: sizing to contents reads every row, slow for big communities.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 130)
        self.table.setColumnWidth(2, 100)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        remove = QAction("Remove", self.table)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_selected)
        self.table.addAction(remove)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.title)
        bar.addWidget(self.count)
        bar.addStretch(1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.role_button)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        self._update_actions()

    def set_community(self, detail: CommunityDetail | None) -> None:
        same = detail is not None and self.community is not None and detail.id == self.community.id
        selected = set(self.selected_ids()) if same else set()
        if not same:
            self.filter.clear()
        self.community = detail
        self.model.set_members(detail.members if detail else ())
        n = len(detail.members) if detail else 0
        liaisons = sum(1 for m in detail.members if m.role == "liaison") if detail else 0
        text = f"{n:,}"
        if liaisons:
            text += f" · {liaisons} liaison" + ("s" if liaisons != 1 else "")
        self.count.setText(text)
        self.filter.setVisible(n > 12)
        sm = self.table.selectionModel()
        for pid in selected:
            row = self.model.row_of(pid)
            if row >= 0 and (index := self.proxy.mapFromSource(self.model.index(row, 0))).isValid():
                sm.select(
                    index,
                    sm.SelectionFlag.Select | sm.SelectionFlag.Rows,
                )
        self._update_actions()

    def selected_members(self) -> list[MemberData]:
        rows = selected_rows(self.table)
        return [m for r in rows if (m := self._member(r)) is not None]

    def _member(self, view_row: int) -> MemberData | None:
        source = self.proxy.mapToSource(self.proxy.index(view_row, 0))
        return self.model.member_at(source.row()) if source.isValid() else None

    def selected_ids(self) -> list[int]:
        return [m.person_id for m in self.selected_members()]

    def _update_actions(self) -> None:
        has = bool(self.selected_members())
        self.add_button.setEnabled(self.community is not None)
        self.role_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    # ---- actions ---------------------------------------------------------------------
    def add_members(self, role: str = "member") -> AddMembersDialog | None:
        """Opens the picker (window-modal, not blocking) and returns it."""
        if self.community is None:
            return None
        self.dialog = AddMembersDialog(
            self.ctx.services, self.community.id, self.community.name, role, self
        )
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def set_role(self, role: str) -> None:
        if self.community is None or not (ids := self.selected_ids()):
            return
        try:
            self.ctx.services.communities.add_member(self.community.id, ids, role)
        except ServiceError as exc:
            self.failed.emit(str(exc))

    def remove_selected(self) -> None:
        if self.community is None or not (members := self.selected_members()):
            return
        try:
            self.ctx.undo.push(remove_members_command(self.ctx, self.community.id, members))
        except ServiceError as exc:
            self.failed.emit(str(exc))

    def _activated(self, index: QModelIndex) -> None:
        member = self._member(index.row())
        if member is not None:
            self.person_activated.emit(member.person_id)

    def _context_menu(self, pos: QPoint) -> None:
        members = self.selected_members()
        if not members:
            return
        menu = QMenu(self)
        if len(members) == 1:
            open_act = menu.addAction("Open person")
            open_act.triggered.connect(lambda: self.person_activated.emit(members[0].person_id))
            menu.addSeparator()
        roles = menu.addMenu("Role")
        for role in MEMBERSHIP_ROLES:
            act = roles.addAction(role.capitalize())
            act.setCheckable(True)
            act.setChecked(all(m.role == role for m in members))
            act.triggered.connect(lambda _=False, r=role: self.set_role(r))
        menu.addAction("Remove from community", self.remove_selected)
        menu.popup(self.table.viewport().mapToGlobal(pos))
