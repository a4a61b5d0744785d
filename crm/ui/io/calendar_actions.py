"""Calendar files from the window: File → Export calendar… and Import calendar replies…,
.ics files dropped on the window, and the event detail's "Export invitations…" and
"Email drafts…" buttons.

Each job runs as a task (crm/ui/tasks.py) inside a small dialog with progress and
Cancel, and the dialog then says what was written or changed — and who was left out
or which replies matched nothing, and why. Invitations still "not sent" that an
export reached become "invited"; the dialog's "Leave as “not sent”" (or Ctrl+Z) undoes it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm.ui.context import UiContext
from crm.ui.io.common import TaskStrip, choose_save_path, error_text, plural, suggested_path
from crm.ui.tasks import TaskControl
from crm.ui.widgets.labels import ErrorLabel, heading

ICS_FILTER = "iCalendar (*.ics);;All files (*)"
ICS_SUFFIXES = (".ics", ".ical", ".ifb")


class CalendarJobDialog(QDialog):
    """One calendar job: a task with progress and Cancel, then its result in words."""

    done = Signal(object)  # the service's result

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None,
        title: str,
        work: Callable[[TaskControl], Any],
        describe: Callable[[Any], str],
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_: Any = None
        self._work, self._describe = work, describe
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.strip = TaskStrip(ctx)
        self.strip.finished.connect(self._finished)
        self.strip.failed.connect(self._failed)
        self.summary = QLabel()
        self.summary.setObjectName("calendarJobResult")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.summary)
        scroll.setMinimumHeight(120)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.unmark_button = QPushButton("Leave as “not sent”")
        self.unmark_button.setObjectName("unmarkInvited")
        self.unmark_button.setToolTip("Undo marking these invitations invited (Ctrl+Z)")
        self.unmark_button.clicked.connect(self._unmark)
        self.buttons.addButton(self.unmark_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.unmark_button.hide()  # after addButton, which shows it
        self._undo_index: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(heading(title, scale=1.2))
        layout.addWidget(self.strip)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def start(self, text: str) -> CalendarJobDialog:
        self.open()
        self.strip.run(text, self._work)
        return self

    def _finished(self, result: Any) -> None:
        self.result_ = result
        self.summary.setText(self._describe(result))
        self.done.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.error.set_error(error_text(exc))

    def record_marking(self, marked: Any) -> None:
        """Put the export's marking on the window's undo stack, and offer to undo it."""
        if not marked:
            return
        self.ctx.undo.push(MarkedInvited(self.ctx, marked))
        self._undo_index = self.ctx.undo.index()
        self.unmark_button.show()

    def _unmark(self) -> None:
        """Undo the marking, if it is still the last thing done (else Ctrl+Z's order)."""
        if self._undo_index is not None and self.ctx.undo.index() == self._undo_index:
            try:
                self.ctx.undo.undo()
            except Exception as exc:  # a database error: say so, keep the dialog
                self.error.set_error(error_text(exc))
                return
            self.summary.setText(self.summary.text() + "<p>Undone: they are “not sent” again.</p>")
        self._undo_index = None
        self.unmark_button.setEnabled(False)

    def reject(self) -> None:
        if self.strip.busy:
            self.strip.cancel()
            return
        super().reject()


class MarkedInvited(QUndoCommand):
    """The invitations an export marked "invited". Pushed once they are marked, so the
    first redo (QUndoStack.push calls it) does nothing; undo and later redos do."""

    def __init__(self, ctx: UiContext, marked: Any) -> None:
        n = len(marked)
        super().__init__(f"Mark {n:,} invitation{'s' if n != 1 else ''} invited")
        self.services, self.marked, self._pushed = ctx.services, marked, False

    def redo(self) -> None:
        if self._pushed:
            self.services.calendar.mark_invited_again(self.marked)
        self._pushed = True

    def undo(self) -> None:
        self.services.calendar.unmark_invited(self.marked)


def _e(value: object) -> str:
    return html.escape(str(value))


def _left_out(left_out: Sequence[Any]) -> str:
    if not left_out:
        return ""
    rows = "".join(f"<li>{_e(lo.name)} — {_e(lo.reason)}</li>" for lo in left_out)
    return f"<p><b>Left out ({len(left_out):,}):</b></p><ul>{rows}</ul>"


def _marked(r: Any) -> str:
    n = len(r.marked)
    if not n:
        return ""
    return (
        f"<p>{plural(n, 'invitation')} not sent before {'is' if n == 1 else 'are'} now "
        "marked <b>invited</b>.</p>"
    )


def _with_suffix(path: str) -> str:
    p = Path(path)
    return str(p if p.suffix.lower() in ICS_SUFFIXES else p.with_name(p.name + ".ics"))


# ---- the jobs ------------------------------------------------------------------------
def export_calendar(
    ctx: UiContext, parent: QWidget, path: str | None = None
) -> CalendarJobDialog | None:
    """File → Export calendar…: every event as one .ics file."""
    path = path or choose_save_path(
        parent, "Export calendar", suggested_path("rapport-events.ics"), ICS_FILTER
    )
    if not path:
        return None
    target = _with_suffix(path)

    def describe(r: Any) -> str:
        zones = ", ".join(r.zones) or "none"
        return (
            f"<p>{plural(r.events, 'event')} written to <code>{_e(r.path)}</code>.</p>"
            f"<p>Time zones: {_e(zones)}</p>"
        )

    dialog = CalendarJobDialog(
        ctx,
        parent,
        "Export calendar",
        lambda _c: ctx.services.calendar.export_calendar(target),
        describe,
    )
    return dialog.start("Writing the calendar…")


def export_invitations(
    ctx: UiContext, parent: QWidget, event_id: int, path: str | None = None
) -> CalendarJobDialog | None:
    """The event detail's "Export invitations…": one iTIP file for every invitee."""
    path = path or choose_save_path(
        parent, "Export invitations", suggested_path(f"invitation-{event_id}.ics"), ICS_FILTER
    )
    if not path:
        return None
    target = _with_suffix(path)

    def describe(r: Any) -> str:
        what = "cancellation" if r.method == "CANCEL" else "invitation"
        return (
            f"<p>The {what} of “{_e(r.title)}” (version {r.sequence}) to "
            f"{plural(r.attendees, 'person', 'people')} is in <code>{_e(r.path)}</code>.</p>"
            "<p>Send it from your mail program, or open it with your calendar.</p>"
            + _marked(r)
            + _left_out(r.left_out)
        )

    dialog = CalendarJobDialog(
        ctx,
        parent,
        "Export invitations",
        lambda _c: ctx.services.calendar.export_invitations(event_id, target),
        describe,
    )
    dialog.done.connect(lambda r: dialog.record_marking(r.marked))
    return dialog.start("Writing the invitations…")


def email_drafts(
    ctx: UiContext, parent: QWidget, event_id: int, folder: str | None = None
) -> CalendarJobDialog | None:
    """The event detail's "Email drafts…": one .eml per invitee into a folder."""
    folder = folder or QFileDialog.getExistingDirectory(
        parent, "Save the email drafts in", str(Path.home())
    )
    if not folder:
        return None

    def work(control: TaskControl) -> Any:
        return ctx.services.calendar.write_drafts(
            event_id,
            folder,
            progress=control.progress,
            cancelled=lambda: control.cancelled,
        )

    def describe(r: Any) -> str:
        return (
            f"<p>{plural(len(r.files), 'email draft')} for “{_e(r.title)}” are in "
            f"<code>{_e(r.folder)}</code>.</p>"
            "<p>Open each with your mail program and send it: recipients get a "
            "meeting invitation they can accept or decline.</p>"
            + _marked(r)
            + _left_out(r.left_out)
        )

    dialog = CalendarJobDialog(ctx, parent, "Email drafts", work, describe)
    dialog.done.connect(lambda r: dialog.record_marking(r.marked))
    return dialog.start("Writing the drafts…")


def choose_replies(parent: QWidget) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, "Import calendar replies", "", ICS_FILTER)
    return list(paths)


def import_replies(
    ctx: UiContext, parent: QWidget, paths: Sequence[str | Path]
) -> CalendarJobDialog | None:
    """Replies saved from a mail client (.ics, METHOD:REPLY) set the RSVPs."""
    if not paths:
        return None
    files = [str(p) for p in paths]

    def work(control: TaskControl) -> Any:
        return ctx.services.calendar.import_replies(files, progress=control.progress)

    def describe(r: Any) -> str:
        parts = [
            f"<p>{plural(len(r.applied), 'answer')} recorded from {r.files_applied:,} of "
            f"{plural(r.files, 'file')}.</p>"
        ]
        if r.applied:
            rows = "".join(
                f"<li>{_e(a.name)} — <b>{_e(a.status)}</b> — {_e(a.event_title)}"
                + (f" <i>({_e(a.note)})</i>" if a.note else "")
                + "</li>"
                for a in r.applied
            )
            parts.append(f"<ul>{rows}</ul>")
        if r.rejected:
            rows = "".join(
                f"<li><b>{_e(p.file)}</b>{f', line {p.line}' if p.line else ''}: "
                f"{_e(p.reason)}</li>"
                for p in r.rejected
            )
            parts.append(f"<p><b>Not used ({len(r.rejected):,}):</b></p><ul>{rows}</ul>")
        return "".join(parts)

    dialog = CalendarJobDialog(ctx, parent, "Import calendar replies", work, describe)
    return dialog.start("Reading the replies…")


def split_calendar_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """(calendar files, the rest) of files dropped or chosen, by content where readable."""
    from crm.services.io.detect import detect

    calendars, rest = [], []
    for raw in paths:
        path = Path(raw)
        kind = None
        try:
            with open(path, "rb") as fh:
                kind = detect(fh.read(64 * 1024), path.name)
        except OSError:
            kind = "ics" if path.suffix.lower() in ICS_SUFFIXES else None
        (calendars if kind == "ics" else rest).append(path)
    return calendars, rest


def install_event_buttons(page: Any, ctx: UiContext) -> tuple[Any, Any]:
    """ "Export invitations…" and "Email drafts…" on the Events page's event detail.

    The page gives `actions_row` (a QHBoxLayout) and `current_event_id()` (None when no
    event is shown); the buttons act on the event shown when clicked. The main window
    calls this for every page that has both, when the page is built."""
    from PySide6.QtWidgets import QPushButton

    def current() -> int | None:
        value = page.current_event_id()
        return int(value) if value is not None else None

    def run(job: Callable[..., Any]) -> Any:
        event_id = current()
        if event_id is None:
            return None
        page._calendar_dialog = job(ctx, page, event_id)
        return page._calendar_dialog

    invitations = QPushButton("Export invitations…")
    invitations.setObjectName("exportInvitations")
    invitations.setToolTip("Save this event's invitations as one .ics file (iTIP request)")
    invitations.clicked.connect(lambda _c=False: run(export_invitations))
    drafts = QPushButton("Email drafts…")
    drafts.setObjectName("emailDrafts")
    drafts.setToolTip("One ready-to-send email per invitee, with the calendar invitation")
    drafts.clicked.connect(lambda _c=False: run(email_drafts))
    page.actions_row.addWidget(invitations)
    page.actions_row.addWidget(drafts)
    return invitations, drafts
