"""What every page and dialog is built with: services, the change bus, undo, tasks."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack

from crm.services import Services
from crm.ui.bus import ChangeBus
from crm.ui.tasks import TaskRunner


@dataclass
class UiContext:
    services: Services
    bus: ChangeBus
    undo: QUndoStack
    tasks: TaskRunner
    settings: QSettings
