"""Drag-and-drop of contact files onto the main window: they open the import wizard.

An event filter on the window rather than overridden drag handlers, so the window's
own code gains only one line; drags that carry no .vcf/.csv file are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

SUFFIXES = (".vcf", ".vcard", ".csv", ".ics")  # .ics: replies to invitations


def contact_files(mime: QMimeData | None) -> list[Path]:
    """The local .vcf/.vcard/.csv/.ics files a drag carries, in order."""
    if mime is None or not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in SUFFIXES:
                out.append(path)
    return out


class FileDropFilter(QObject):
    def __init__(self, target: QWidget, open_files: Callable[[list[Path]], object]) -> None:
        super().__init__(target)
        self._open = open_files
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if contact_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            files = contact_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                self._open(files)
                return True
        return False


def install_file_drop(
    target: QWidget, open_files: Callable[[list[Path]], object]
) -> FileDropFilter:
    return FileDropFilter(target, open_files)
