"""A month grid of events: each day shows the titles starting that day, in colour.

A QCalendarWidget does the grid, the navigation and the keyboard; paintCell adds the
events. The month's events come from one query when the month changes (a month holds
tens of events even at 2,000 in all). Clicking a day filters the list to that day.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QCalendarWidget, QWidget

from crm.services import Services
from crm.ui.events.style import STATUS_COLOURS


class MonthView(QCalendarWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.events: dict[date, list[tuple[int, str, str]]] = {}
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setMinimumHeight(300)
        self.currentPageChanged.connect(lambda y, m: self.load(y, m))
        self.load(self.yearShown(), self.monthShown())

    def load(self, year: int, month: int) -> None:
        self.events = self.services.events.month(year, month)
        self.updateCells()

    def refresh(self) -> None:
        self.load(self.yearShown(), self.monthShown())

    def titles_on(self, day: date) -> list[str]:
        return [t for _, t, _ in self.events.get(day, [])]

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        day = date(qdate.year(), qdate.month(), qdate.day())
        in_month = qdate.month() == self.monthShown()
        selected = qdate == self.selectedDate()
        painter.save()
        if selected:
            painter.fillRect(rect, QColor("#dbeafe"))
        elif qdate == QDate.currentDate():
            painter.fillRect(rect, QColor("#fef9c3"))
        painter.setPen(QColor("#111827" if in_month else "#9ca3af"))
        font = QFont(painter.font())
        font.setBold(qdate == QDate.currentDate())
        painter.setFont(font)
        inner = rect.adjusted(4, 2, -4, -2)
        painter.drawText(
            inner, int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight), str(qdate.day())
        )
        events = self.events.get(day, []) if in_month else []
        if events:
            small = QFont(painter.font())
            small.setBold(False)
            small.setPointSizeF(max(painter.font().pointSizeF() - 1.5, 6.5))
            painter.setFont(small)
            line = painter.fontMetrics().height()
            y = inner.top() + line
            room = max((inner.bottom() - y) // line, 1)
            shown = events if len(events) <= room else events[: room - 1]
            for _eid, title, status in shown:
                painter.setPen(QColor(STATUS_COLOURS.get(status, "#374151")))
                text = painter.fontMetrics().elidedText(
                    f"• {title}", Qt.TextElideMode.ElideRight, inner.width()
                )
                painter.drawText(QRect(inner.left(), y, inner.width(), line), 0, text)
                y += line
            if len(shown) < len(events):
                painter.setPen(QColor("#6b7280"))
                painter.drawText(
                    QRect(inner.left(), y, inner.width(), line),
                    0,
                    f"+{len(events) - len(shown)} more",
                )
        painter.restore()
