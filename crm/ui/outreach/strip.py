"""The conversion strip above the board: how many cards reached each stage, and the rate
from each stage to the next; declined ones apart, with the stages they left from."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from crm.services.outreach_data import DECLINED, PIPELINE, Conversion
from crm.ui.outreach.board import STAGE_COLOURS, stage_title
from crm.ui.widgets.labels import muted


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


class ConversionStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversionStrip")
        self._outline: tuple[tuple[int, int, float], QPixmap] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(10)
        self.stage_labels: dict[str, QLabel] = {}
        self.rate_labels: list[QLabel] = []
        for i, stage in enumerate((*PIPELINE, DECLINED)):
            if stage == DECLINED:
                layout.addStretch(1)
            elif i:
                rate = muted("→")
                rate.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.rate_labels.append(rate)
                layout.addWidget(rate)
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stage_labels[stage] = label
            layout.addWidget(label)

    def paintEvent(self, event: QPaintEvent) -> None:
        """A rounded outline, painted (a style sheet would restyle every label in it),
        once per size into a pixmap (an antialiased outline this wide costs milliseconds)."""
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio)
        if self._outline is None or self._outline[0] != key:
            pixmap = QPixmap(self.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QColor(128, 128, 128, 64))
            p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
            p.end()
            self._outline = (key, pixmap)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._outline[1])
        painter.end()

    def set_conversion(self, conv: Conversion) -> None:
        for funnel in conv.stages:
            colour = STAGE_COLOURS[funnel.stage]
            label = self.stage_labels[funnel.stage]
            label.setText(
                f"<span style='font-size:large; font-weight:600'>{funnel.reached:,}</span><br>"
                f"<span style='color:{colour}'>{stage_title(funnel.stage)}</span>"
            )
            label.setToolTip(
                f"{funnel.reached:,} cards reached {funnel.stage} "
                f"(skipped stages count as passed); {funnel.current:,} are there now"
            )
        for rate_label, funnel in zip(self.rate_labels, conv.stages, strict=False):
            rate_label.setText(f"→ {percent(funnel.rate_to_next)} →")
            rate_label.setToolTip(f"Of the cards that reached {funnel.stage}, how many went on")
        declined = self.stage_labels[DECLINED]
        declined.setText(
            f"<span style='font-size:large; font-weight:600'>{conv.declined:,}</span><br>"
            f"<span style='color:{STAGE_COLOURS[DECLINED]}'>Declined</span>"
        )
        where = ", ".join(f"{n:,} after {s}" for s, n in conv.declined_from.items())
        declined.setToolTip(f"Declined: {where}" if where else "Nobody declined")

    def rates(self) -> list[str]:
        """The rates as shown, for tests and screen readers."""
        return [label.text() for label in self.rate_labels]
