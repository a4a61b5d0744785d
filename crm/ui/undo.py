"""Undoable actions (Ctrl+Z), as QUndoCommands on the window's QUndoStack."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from crm.services import Services


class CallbackCommand(QUndoCommand):
    """An action and its inverse, both plain callables into the services."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object]) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


def archive_people(services: Services, ids: Sequence[int]) -> CallbackCommand:
    ids = list(ids)
    label = "Archive person" if len(ids) == 1 else f"Archive {len(ids)} people"
    return CallbackCommand(
        label, lambda: services.people.archive(ids), lambda: services.people.restore(ids)
    )


def archive_communities(services: Services, ids: Sequence[int]) -> CallbackCommand:
    ids = list(ids)
    label = "Archive community" if len(ids) == 1 else f"Archive {len(ids)} communities"
    return CallbackCommand(
        label, lambda: services.communities.archive(ids), lambda: services.communities.restore(ids)
    )


class DoneCommand(QUndoCommand):
    """An action already done when pushed: the first redo() is the push itself.

    For actions that may be refused (a ServiceError shown to the user): they run first,
    and only what succeeded goes on the stack.
    """

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object]) -> None:
        super().__init__(text)
        self._do, self._undo, self._pushed = do, undo, False

    def redo(self) -> None:
        if self._pushed:
            self._do()
        self._pushed = True

    def undo(self) -> None:
        self._undo()
