"""Painting a card: the topic wraps to two lines, an overdue date sits on a red badge."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QListView, QStyleOptionViewItem

from crm.services.outreach_data import Card
from crm.ui.outreach.column_model import StageModel
from crm.ui.outreach.delegate import CardDelegate, due_badge, wrap_two
from crm.ui.widgets.labels import ERROR_COLOUR


def test_wrap_two_breaks_between_words_and_elides_the_rest(qapp) -> None:  # type: ignore[no-untyped-def]
    fm = QFontMetrics(QFont())
    text = "Five accessibility mistakes we made so you don't have to"
    width = fm.horizontalAdvance("Five accessibility mistakes")
    first, second = wrap_two(text, fm, width)
    assert first == "Five accessibility mistakes"
    assert second.startswith("we made") and second.endswith("…")
    assert fm.horizontalAdvance(second) <= width
    assert wrap_two("Short", fm, width) == ("Short", "")
    long_word = "Supercalifragilisticexpialidocious" * 2
    first, second = wrap_two(long_word, fm, fm.horizontalAdvance("Supercali"))
    assert first and long_word.startswith(first) and second  # cut, not lost


def test_due_badge_shows_the_year_only_when_not_this_one() -> None:
    today = date(2026, 11, 26)
    assert due_badge(date(2026, 3, 5), today) == "5 Mar"
    assert due_badge(date(2027, 1, 31), today) == "31 Jan 2027"
    assert due_badge(None, today) == ""


def _paint(card: Card) -> QImage:
    view = QListView()
    model = StageModel(card.stage)
    model.set_cards([card])
    view.setModel(model)
    delegate = CardDelegate(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    size = delegate.sizeHint(option, model.index(0, 0))
    option.rect = QRect(0, 0, 260, size.height())
    image = QImage(260, size.height(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    return image


def _red_pixels(image: QImage, top: int) -> int:
    red = QColor(ERROR_COLOUR)
    n = 0
    for y in range(top, image.height()):
        for x in range(8, image.width()):  # past the red edge
            if image.pixelColor(x, y) == red:
                n += 1
    return n


def test_an_overdue_date_is_on_a_red_badge(qapp) -> None:  # type: ignore[no-untyped-def]
    def card(overdue: bool) -> Card:
        return Card(
            1,
            1,
            "Ada Lovelace",
            "Engines of thought",
            None,
            "",
            "contacted",
            "Call them",
            date(2026, 11, 20),
            overdue,
            datetime(2026, 11, 1),
        )

    line = QFontMetrics(QFont()).height()
    late, on_time = _paint(card(True)), _paint(card(False))
    assert _red_pixels(late, 4 * line) > 100  # the filled badge on the last line
    assert _red_pixels(on_time, 0) == 0
