"""The Trash's questions before deleting for good: how many, what goes with them, what stays.

The counts come from the sections' impact calls (crm.services.trash); the wording is
put together here so the question reads the same for one kind or for Empty trash.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from crm.services.trash import Impact, Part
from crm.ui.trash.sections import Section


def listing(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def confirm(parent: QWidget, title: str, text: str, action: str, details: str = "") -> bool:
    """Ask before something that cannot be undone; Cancel is the default button."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText(
        f"{details} This cannot be undone." if details else "This cannot be undone."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(action)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def _merge(parts: list[Part]) -> list[str]:
    """Parts of several impacts, the same rows added up, as text in first-seen order."""
    total: dict[tuple[str, str], int] = {}
    for p in parts:
        total[(p.one, p.many)] = total.get((p.one, p.many), 0) + p.count
    return [Part(n, one, many).text for (one, many), n in total.items()]


def consequences(impacts: list[tuple[Section, Impact]]) -> tuple[str, str]:
    """(", with their …" for the question, "Kept, …" for the details) of some impacts."""
    goes = _merge([p for _, i in impacts for p in i.goes])
    stays = _merge([p for _, i in impacts for p in i.stays])
    what = listing([s.many for s, i in impacts if i.stays]) if stays else ""
    return (
        f", with {listing(goes)}" if goes else "",
        f"Kept, without their link to the {what}: {listing(stays)}." if stays else "",
    )
