"""What every service shares: errors, change notices and chunking of id lists."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

# SQLite limits bound parameters; 500 per statement stays well inside every build.
CHUNK = 500


class ServiceError(Exception):
    """A user-facing failure: the message is fit to show as it is."""


class NotFound(ServiceError):
    pass


class ValidationError(ServiceError):
    """Input refused. `errors` maps a field name to a message for that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Changes:
    """What a write touched, so views refresh only that (Anki's OpChanges)."""

    areas: frozenset[str]
    ids: frozenset[int] = field(default_factory=frozenset)

    def touches(self, *areas: str) -> bool:
        return bool(self.areas.intersection(areas))


class ChangeNotifier:
    """The one place writes announce themselves; the UI bridges it to a Qt signal."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Changes], None]] = []

    def subscribe(self, fn: Callable[[Changes], None]) -> None:
        self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[Changes], None]) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    def emit(self, *areas: str, ids: Iterable[int] = ()) -> None:
        change = Changes(frozenset(areas), frozenset(ids))
        for fn in list(self._listeners):
            fn(change)


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def as_datetime(value: object) -> datetime | None:
    """A datetime from what raw SQL returns for a DateTime column (text in SQLite)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ---- pausing the cyclic garbage collector ---------------------------------------------
# Bulk work (demo data, imports, reading a big file) makes millions of objects and no
# cycles; the cyclic GC would walk them again and again, for half the time of the work,
# and while it walks it holds the GIL the GUI thread needs. Pauses nest and may overlap
# across threads (an import on a worker while the GUI has a task running), so they are
# counted: the collector comes back on when the last pause ends, and only if it was on
# before the first. Reference counting frees everything as usual meanwhile.
_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_on = True


def pause_gc() -> None:
    global _gc_pauses, _gc_was_on
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_on = gc.isenabled()
            gc.disable()
        _gc_pauses += 1


def resume_gc() -> None:
    global _gc_pauses
    with _gc_lock:
        if _gc_pauses == 0:
            return
        _gc_pauses -= 1
        if _gc_pauses == 0 and _gc_was_on:
            gc.enable()


@contextmanager
def gc_paused() -> Iterator[None]:
    pause_gc()
    try:
        yield
    finally:
        resume_gc()
