"""Colours and small painted pieces the Communities page shares (status badges and dots).

Kept in one place so the table's dot and the detail panel's badge never disagree.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget

STATUS_COLOURS: dict[str, str] = {
    "prospect": "#2563eb",
    "active": "#16a34a",
    "paused": "#d97706",
    "ended": "#6b7280",
}
_FALLBACK = "#6b7280"


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, _FALLBACK))


@cache
def status_dot(status: str, size: int = 10) -> QIcon:
    """A filled circle in the status colour, for the table's status column."""
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(status_colour(status))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pix)


class StatusBadge(QLabel):
    """A rounded pill: the partnership status in its colour on a light tint of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_status("prospect")

    def set_status(self, status: str) -> None:
        colour = status_colour(status)
        tint = QColor(colour)
        tint.setAlpha(34)
        self.setText(status.capitalize())
        self.setStyleSheet(
            "QLabel { "
            f"color: {colour.name()}; "
            f"background: rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()}); "
            f"border: 1px solid rgba({colour.red()}, {colour.green()}, {colour.blue()}, 90); "
            "border-radius: 9px; padding: 1px 10px; font-weight: 600; }"
        )


def card(parent: QWidget | None = None) -> QFrame:
    """A rounded panel on the base (table) colour, for the detail panel and empty states.

    The border is a translucent grey so the panel reads on light and dark palettes alike.
    """
    frame = QFrame(parent)
    frame.setObjectName("card")
    frame.setBackgroundRole(QPalette.ColorRole.Base)
    frame.setAutoFillBackground(True)
    frame.setStyleSheet(
        "QFrame#card { background: palette(base); border: 1px solid rgba(128, 128, 128, 64);"
        " border-radius: 8px; }"
    )
    return frame


SEGMENT_STYLE = """
QPushButton#segment { border-radius: 0; padding: 5px 14px; }
QPushButton#segment[first="true"] {
    border-top-left-radius: 6px; border-bottom-left-radius: 6px; }
QPushButton#segment[last="true"] {
    border-top-right-radius: 6px; border-bottom-right-radius: 6px; border-left: none; }
QPushButton#segment:checked {
    background: rgba(37, 99, 235, 30); color: #1d4ed8; }
QPushButton#danger:enabled { color: #b42318; }
"""
