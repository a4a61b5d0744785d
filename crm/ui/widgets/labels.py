"""Text styles used across pages: bold headings, muted secondary text, inline errors.

They follow the application font and palette (scaled, not fixed pixel sizes), so a
user's font settings and a dark palette still read well.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

ERROR_COLOUR = "#b42318"


def heading(text: str, parent: QWidget | None = None, scale: float = 1.0) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    if scale != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    """A small upper-case caption over a group of details."""
    label = muted(text.upper(), parent)
    font = label.font()
    font.setBold(True)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.85)
    font.setLetterSpacing(font.SpacingType.PercentageSpacing, 106)
    label.setFont(font)
    return label


def make_muted(label: QLabel) -> QLabel:
    pal = label.palette()
    colour = pal.color(QPalette.ColorRole.WindowText)
    colour.setAlphaF(0.62)
    pal.setColor(QPalette.ColorRole.WindowText, colour)
    pal.setColor(QPalette.ColorRole.Text, colour)
    label.setPalette(pal)
    return label


def muted(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Secondary text: the window text colour, faded."""
    return make_muted(QLabel(text, parent))


class ErrorLabel(QLabel):
    """An inline validation message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
        self.setPalette(pal)
        self.setObjectName("fieldError")
        self.hide()

    def set_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
