"""Colours of the content workflow, shared by the table's dots, the week view and the badge."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel

# Grey ideas, blue drafts, amber review, violet scheduled, green published.
STATUS_COLOURS = {
    "idea": "#6b7280",
    "drafting": "#2563eb",
    "review": "#d97706",
    "scheduled": "#7c3aed",
    "published": "#16a34a",
}


def colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#6b7280"))


@cache
def dot(status: str, size: int = 10) -> QIcon:
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour(status))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pix)


def set_pill(label: QLabel, text: str, hex_colour: str) -> None:
    """A rounded pill: the text in its colour on a light tint of it."""
    c = QColor(hex_colour)
    label.setText(text)
    label.setStyleSheet(
        "QLabel { "
        f"color: {c.name()}; background: rgba({c.red()}, {c.green()}, {c.blue()}, 34); "
        f"border: 1px solid rgba({c.red()}, {c.green()}, {c.blue()}, 90); "
        "border-radius: 9px; padding: 1px 10px; font-weight: 600; }"
    )
