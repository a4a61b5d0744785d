"""The person and interaction dialogs: typed into like a user, saved through the services.

Invalid input must be refused with a message next to the field and write nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from crm.services.people_data import ConsentData, PeopleQuery, PersonInput
from crm.ui.people.interaction_dialog import InteractionDialog
from crm.ui.people.page import PeoplePage
from crm.ui.people.person_dialog import PersonDialog

# The completion popup asks the offscreen platform for things it cannot do.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise.*", "This plugin does not support grabbing.*"
)


@pytest.fixture
def page(ctx, qtbot):
    widget = PeoplePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _all_people(services) -> list[int]:
    return services.people.query_ids(PeopleQuery())


def test_create_person_through_the_dialog(page, services, qtbot) -> None:
    referrer = services.people.create(PersonInput(display_name="Grace Hopper"))
    dialog = page.new_person()
    qtbot.keyClicks(dialog.given_name, "Ada")
    qtbot.keyClicks(dialog.family_name, "Lovelace")
    qtbot.keyClicks(dialog.pronouns, "she/her")
    qtbot.keyClicks(dialog.organisation, "Analytical Engines")
    dialog.time_zone.setCurrentText("Europe/London")
    qtbot.keyClicks(dialog.emails.rows[0].main, "ada@example.org")
    dialog.emails.add_row()
    qtbot.keyClicks(dialog.emails.rows[1].main, "ada@home.example.org")
    dialog.emails.rows[1].choice.setCurrentText("home")
    qtbot.keyClicks(dialog.phones.rows[0].main, "+44 20 7946 0958")
    dialog.handles.rows[0].choice.setCurrentText("github")
    qtbot.keyClicks(dialog.handles.rows[0].main, "ada")
    dialog.role_boxes["speaker"].setChecked(True)
    dialog.role_boxes["expert"].setChecked(True)
    qtbot.keyClicks(dialog.tags, "math, pioneers")
    qtbot.keyClicks(dialog.referred_by, "Grace")
    assert dialog.referred_by.suggestions()[0][0] == referrer
    dialog.referred_by.choose(referrer)
    dialog.follow_up_on.setChecked(True)
    dialog.follow_up.setDate(QDate(2030, 1, 2))
    state, when, source = dialog.consents.rows["newsletter"]
    state.setCurrentIndex(1)
    when.setDate(QDate(2024, 5, 1))
    qtbot.keyClicks(source, "signup form")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    pid = dialog.saved_id
    got = services.people.get(pid)
    assert got.display_name == "Ada Lovelace"
    assert [(e.address, e.label) for e in got.emails] == [
        ("ada@example.org", "work"),
        ("ada@home.example.org", "home"),
    ]
    assert got.phones[0].number == "+442079460958"
    assert (got.handles[0].network, got.handles[0].handle) == ("github", "ada")
    assert set(got.roles) == {"speaker", "expert"}
    assert set(got.tags) == {"math", "pioneers"}
    assert got.referred_by is not None and got.referred_by.id == referrer
    assert got.next_follow_up == date(2030, 1, 2)
    assert got.time_zone == "Europe/London"
    assert got.consents == (ConsentData("newsletter", True, date(2024, 5, 1), "signup form"),)
    # It shows in the table, selected, with its detail.
    row = page.model.row_of(pid)
    assert row >= 0
    assert page.model.data(page.model.index(row, 0)) == "Ada Lovelace"
    assert page.selected_ids() == [pid]
    assert page.detail.person_id == pid
    assert page.detail.name.text() == "Ada Lovelace"


@pytest.mark.parametrize(
    ("fill", "key", "shown"),
    [
        ("no name", "name", "needs a name"),
        ("bad email", "emails[0]", "@"),
        ("bad phone", "phones[0]", "not a"),
        ("bad zone", "time_zone", "not a time zone"),
    ],
)
def test_invalid_input_is_refused_inline(page, services, qtbot, fill, key, shown) -> None:
    dialog = page.new_person()
    if fill != "no name":
        qtbot.keyClicks(dialog.given_name, "Bob")
    if fill == "bad email":
        qtbot.keyClicks(dialog.emails.rows[0].main, "bob@")
    if fill == "bad phone":
        qtbot.keyClicks(dialog.phones.rows[0].main, "12")
    if fill == "bad zone":
        dialog.time_zone.setCurrentText("Mars/Olympus")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert _all_people(services) == []
    if key == "emails[0]":
        label = dialog.emails.rows[0].error
    elif key == "phones[0]":
        label = dialog.phones.rows[0].error
    else:
        label = dialog.errors[key]
    assert label.isVisible()
    assert shown in label.text()
    expected_tab = 1 if key.startswith(("emails", "phones")) else 0
    assert dialog.tabs.currentIndex() == expected_tab
    # Fixing the field and saving again works; the message goes away.
    if fill == "no name":
        qtbot.keyClicks(dialog.given_name, "Bob")
    if fill == "bad email":
        qtbot.keyClicks(dialog.emails.rows[0].main, "example.org")
    if fill == "bad phone":
        dialog.phones.rows[0].main.setText("+1 202 555 0143")
    if fill == "bad zone":
        dialog.time_zone.setCurrentText("Europe/Berlin")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not label.isVisible()
    assert len(_all_people(services)) == 1


def test_edit_keeps_fields_and_custom_values(ctx, services, qtbot) -> None:
    size = services.fields.create("person", "Size", "choice", ["S", "M", "L"])
    born = services.fields.create("person", "Joined", "date")
    pid = services.people.create(
        PersonInput(given_name="Cy", family_name="Young", custom={size: "M"}, bio="Hello")
    )
    dialog = PersonDialog(services, None, services.people.get(pid))
    qtbot.addWidget(dialog)
    assert dialog.given_name.text() == "Cy" and dialog.bio.toPlainText() == "Hello"
    assert dialog.field_editors[size].value() == "M"
    dialog.field_editors[born].set_value("2024-02-03")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    custom = {v.field_id: v.value for v in services.people.get(pid).custom}
    assert custom == {size: "M", born: "2024-02-03"}


def test_invalid_custom_value_is_shown_on_its_tab(services, qtbot) -> None:
    stars = services.fields.create("person", "Stars", "number")
    dialog = PersonDialog(services)
    qtbot.addWidget(dialog)
    dialog.given_name.setText("Dee")
    dialog.field_editors[stars].set_value("many")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "not a number" in dialog.errors[f"custom:{stars}"].text()
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Custom fields"
    assert _all_people(services) == []


def test_interaction_dialog_validates_and_logs(services, qtbot) -> None:
    a = services.people.create(PersonInput(display_name="Ann"))
    b = services.people.create(PersonInput(display_name="Ben Bloggs"))
    dialog = InteractionDialog(services, None, people=[(a, "Ann")])
    qtbot.addWidget(dialog)
    dialog.save()  # no summary
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "few words" in dialog.errors["summary"].text()
    assert services.interactions.count() == 0
    qtbot.keyClicks(dialog.participants.picker, "Blog")
    dialog.participants.picker.choose(b)
    assert dialog.participants.ids() == [a, b]
    qtbot.keyClicks(dialog.summary, "Coffee chat")
    dialog.kind.setCurrentIndex(dialog.kind.findData("meeting"))
    dialog.sentiment.setCurrentIndex(dialog.sentiment.findData(2))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    row = services.interactions.get(dialog.saved_id)
    assert (row.kind, row.summary, row.sentiment) == ("meeting", "Coffee chat", 2)
    assert {p for p, _ in row.participants} == {a, b}


def test_interaction_without_people_is_refused(services, qtbot) -> None:
    dialog = InteractionDialog(services)
    qtbot.addWidget(dialog)
    dialog.summary.setText("Lonely")
    dialog.save()
    assert "at least one person" in dialog.errors["participants"].text()
    assert services.interactions.count() == 0
