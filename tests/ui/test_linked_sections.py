"""Sections other areas add to a person's detail, and their links to other pages."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from crm.services.people_data import PersonInput
from crm.ui import main_window
from crm.ui.people import linked


class WidgetPage(QWidget):
    """A page that opens widget:<id> links, as an Events page opens event:<id>."""

    LINK_KIND = "widget"
    title = "Widgets"
    shown: list[int] = []

    def __init__(self, ctx) -> None:
        super().__init__()

    def focus_search(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def show_item(self, item_id: int) -> None:
        WidgetPage.shown.append(item_id)


def widget_lines(services, person_id: int) -> list[str]:
    name = services.people.get(person_id).display_name
    return [f'<a href="widget:{person_id * 10}">{name}\'s widget</a>'] if name != "Bo" else []


@pytest.fixture
def window(ctx, qtbot, monkeypatch):
    here = (__name__, "widget_lines")
    monkeypatch.setattr(linked, "LINKED_SECTIONS", (("Widgets made", *here),))
    pages = (*main_window.LAZY_PAGES, ("Widgets", "people", __name__, "WidgetPage"))
    monkeypatch.setattr(main_window, "LAZY_PAGES", pages)
    WidgetPage.shown = []
    w = main_window.MainWindow(ctx)
    qtbot.addWidget(w)
    return w


def test_a_linked_section_shows_its_lines_and_opens_its_page(window, services) -> None:
    ann = services.people.create(PersonInput(display_name="Ann"))
    window.people.select_person(ann)
    detail = window.people.detail
    (section,) = detail.linked_sections
    labels = [lb for lb in section.findChildren(QLabel) if "widget" in lb.text()]
    assert [lb.text() for lb in labels] == [f'<a href="widget:{ann * 10}">Ann\'s widget</a>']
    assert not section.isHidden()

    labels[0].linkActivated.emit(f"widget:{ann * 10}")
    assert WidgetPage.shown == [ann * 10]
    assert isinstance(window.current_page(), WidgetPage)


def test_a_linked_section_with_nothing_to_say_hides(window, services) -> None:
    bo = services.people.create(PersonInput(display_name="Bo"))
    window.people.select_person(bo)
    (section,) = window.people.detail.linked_sections
    assert section.isHidden()
