"""A round avatar: the person's photo, or their initials on a colour derived from the name.

The colour comes from a stable hash of the name, so a person keeps their colour
across sessions and machines (Python's hash() is salted per process).
"""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

_COLOURS = ("#2563eb", "#7c3aed", "#db2777", "#ea580c", "#059669", "#0891b2", "#4f46e5", "#b45309")


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar_pixmap(name: str, photo: bytes | None, size: int, ratio: float = 2.0) -> QPixmap:
    px = int(size * ratio)
    pix = QPixmap(px, px)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(QRectF(0, 0, px, px))
    image = QImage.fromData(photo) if photo else QImage()
    if not image.isNull():
        painter.setClipPath(path)
        scaled = image.scaled(
            px,
            px,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.drawImage((px - scaled.width()) // 2, (px - scaled.height()) // 2, scaled)
    else:
        colour = QColor(_COLOURS[zlib.crc32(name.encode()) % len(_COLOURS)])
        painter.fillPath(path, colour)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(1, int(px * 0.38)))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, px, px), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    pix.setDevicePixelRatio(ratio)
    return pix


class Avatar(QLabel):
    def __init__(self, size: int = 56, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self.setFixedSize(QSize(size, size))

    def set_person(self, name: str, photo: bytes | None = None) -> None:
        self.setPixmap(avatar_pixmap(name, photo, self._size))
