"""The Feedback page against a real database: create, edit, filter, import, person link."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from crm.services.feedback import ResponseInput, SurveyInput
from crm.services.people_data import EmailData, PersonInput
from crm.ui.feedback.models import ResponseTableModel, SurveyTableModel
from crm.ui.feedback.page import FeedbackPage

SURVEYS = Path(__file__).parent.parent / "fixtures" / "surveys"


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    widget = FeedbackPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _titles(page: FeedbackPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_create_survey_and_add_responses_through_dialogs(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = page.new_survey()
    dlg.save()  # no title
    assert "needs a title" in dlg.error.text() and services.feedback.survey_count() == 0
    dlg.title.setText("Spring meetup")
    dlg.scale.setCurrentIndex(1)  # CSAT
    assert "4 or 5" in dlg.definition.text()
    dlg.questions.setPlainText("What could be better?\nNext topic? [Security | Tooling]")
    dlg.save()
    assert _titles(page) == ["Spring meetup"]
    sid = services.feedback.survey_ids()[0]
    d = services.feedback.get_survey(sid)
    assert d.scale == "csat" and [q.kind for q in d.questions] == ["text", "choice"]
    assert page.detail.figure.text() == "No responses"  # not 0
    assert page.current_id() == sid

    ada = services.people.create(PersonInput(display_name="Ada Lovelace"))
    resp = page.add_response(sid)
    assert resp.score.maximum() == 5
    resp.score.setValue(5)
    resp.person.set_person(ada, "Ada Lovelace")
    resp.comment.setPlainText("Loved it")
    resp.tags.setText("venue, talks")
    resp.save()
    assert not resp.isVisible()
    resp2 = page.add_response(sid)
    resp2.score.setValue(2)
    resp2.save()
    assert page.detail.figure.text() == "CSAT 50 %"
    assert page.detail.responses.rowCount() == 2
    # a typed name that was never picked is refused, not saved as anonymous
    resp3 = page.add_response(sid)
    resp3.score.setValue(4)
    resp3.person.setText("Somebody")
    resp3.save()
    assert "Pick the person" in resp3.error.text()
    resp3.reject()
    assert len(services.feedback.response_ids(sid)) == 2

    # filter the responses by band and by text
    page.detail.band.setCurrentIndex(page.detail.band.findData("good"))
    assert page.detail.responses.rowCount() == 1
    page.detail.band.setCurrentIndex(0)
    page.detail.search.setText("loved")
    page.detail.apply_filter()
    assert page.detail.responses.rowCount() == 1
    assert page.detail.responses.index(0, 2).data() == "Ada Lovelace"


def test_edit_and_filter_surveys(page, services) -> None:  # type: ignore[no-untyped-def]
    a = services.feedback.create_survey(SurveyInput("Community NPS"))
    services.feedback.create_survey(SurveyInput("Docs CSAT", scale="csat"))
    page.scale.setCurrentIndex(page.scale.findData("csat"))
    assert _titles(page) == ["Docs CSAT"]
    assert page.count.text() == "1 of 2"
    page.scale.setCurrentIndex(0)
    page.search.setText("community")
    page.apply_filter()
    assert _titles(page) == ["Community NPS"]
    page.show_item(a)
    dlg = page.edit_current()
    dlg.title.setText("Community NPS 2024")
    dlg.save()
    assert services.feedback.get_survey(a).title == "Community NPS 2024"
    assert page.detail.title.text() == "Community NPS 2024"


def test_delete_survey_asks_and_says_what_goes(page, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sid = services.feedback.create_survey(SurveyInput("Old survey"))
    for sc in (9, 3):
        services.feedback.add_response(sid, ResponseInput(sc))
    asked: list[str] = []

    def answer(reply):  # type: ignore[no-untyped-def]
        def fake(_parent, _title, text, *a, **k):  # type: ignore[no-untyped-def]
            asked.append(text)
            return reply

        return staticmethod(fake)

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert not page.delete_survey(sid)
    assert "2 responses" in asked[-1] and services.feedback.survey_count() == 1
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert page.delete_survey(sid)
    assert "Ctrl+Z" in asked[-1]
    assert services.feedback.survey_count() == 0 and _titles(page) == []


def test_undo_brings_back_a_deleted_survey_and_deleted_responses(  # type: ignore[no-untyped-def]
    page, ctx, services, monkeypatch, qtbot
) -> None:
    from PySide6.QtCore import QItemSelectionModel

    ada = services.people.create(PersonInput(display_name="Ada Lovelace"))
    sid = services.feedback.create_survey(SurveyInput("Meetup NPS"))
    for sc, who in ((10, ada), (9, None), (2, None)):
        services.feedback.add_response(sid, ResponseInput(sc, person_id=who))
    asked: list[str] = []

    def yes(_p, _t, text, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    page.show_item(sid)
    assert page.detail.figure.text() == "NPS +33"
    # one response, by the Delete key on the responses table: no question, undoable
    table = page.detail.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert asked == [] and len(services.feedback.response_ids(sid)) == 2
    assert ctx.undo.undoText() == "Delete response"
    ctx.undo.undo()
    assert len(services.feedback.response_ids(sid)) == 3
    assert page.detail.figure.text() == "NPS +33"
    # two responses: asks first
    sel = table.selectionModel()
    for row in (0, 1):
        sel.select(
            page.detail.responses.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert page.delete_responses()
    assert "Delete 2 responses?" in asked[-1] and len(services.feedback.response_ids(sid)) == 1
    ctx.undo.undo()
    assert len(services.feedback.response_ids(sid)) == 3
    # the survey with its responses
    assert page.delete_survey(sid)
    assert "3 responses" in asked[-1] and _titles(page) == []
    assert services.feedback.person_responses(ada) == []
    ctx.undo.undo()
    assert _titles(page) == ["Meetup NPS"]
    page.show_item(sid)
    assert page.detail.figure.text() == "NPS +33" and page.detail.responses.rowCount() == 3
    assert [r.survey_id for r in services.feedback.person_responses(ada)] == [sid]


def test_import_dialog_google_forms_and_broken_file(page, services) -> None:  # type: ignore[no-untyped-def]
    services.people.create(
        PersonInput(display_name="Grace Hopper", emails=(EmailData("grace@example.org"),))
    )
    sid = services.feedback.create_survey(SurveyInput("Imported"))
    page.show_item(sid)
    dlg = page.import_results(sid)
    assert dlg.load_file(SURVEYS / "broken.csv")
    report = dlg.run_import()
    assert report is not None and not report.written
    assert "line 3: score 11 is outside the NPS scale" in dlg.result.toPlainText()
    assert services.feedback.response_ids(sid) == []
    assert dlg.load_file(SURVEYS / "google_forms_nps.csv")
    assert dlg.current_mapping()["Email Address"] == "email"
    dlg.save_mapping("Forms")
    assert services.feedback.imports.mappings() == ["Forms"]
    report = dlg.run_import()
    assert report is not None and report.imported == 5
    assert page.detail.responses.rowCount() == 5
    assert page.detail.figure.text() == "NPS 0"


def test_person_detail_shows_their_feedback(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    from crm.ui.people.detail import PersonDetailPanel

    pid = services.people.create(PersonInput(display_name="Ada Lovelace"))
    sid = services.feedback.create_survey(SurveyInput("Meetup NPS"))
    services.feedback.add_response(
        sid, ResponseInput(10, "Great", person_id=pid, responded_at=datetime(2024, 3, 1))
    )
    panel = PersonDetailPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_person(pid)
    texts = [s.text() for s in _section_texts(panel, "Feedback")]
    assert any(f'href="survey:{sid}"' in t and "NPS 10" in t and "2024-03-01" in t for t in texts)


def _section_texts(panel, title):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from crm.ui.people.linked import LINKED_SECTIONS

    i = [t for t, _m, _f in LINKED_SECTIONS].index(title)
    section = panel.linked_sections[i]
    return section.findChildren(QLabel)


def test_models_pass_the_model_tester(ctx, services, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    sid = services.feedback.create_survey(SurveyInput("S"))
    for sc in (1, 9, 10):
        services.feedback.add_response(sid, ResponseInput(sc, "c"))
    surveys = SurveyTableModel(services)
    surveys.reload()
    qtmodeltester.check(surveys)
    responses = ResponseTableModel(services)
    responses.set_filter(sid, "", None)
    qtmodeltester.check(responses)


def test_list_paints_first_then_the_detail_then_the_chart(ctx, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    """What the first paint waits for: the survey list only; the first survey's detail
    fills a frame later and its trend chart is asked for after that, once per scale."""
    nps = services.feedback.create_survey(SurveyInput("Community NPS"))
    for month, score in ((1, 9), (2, 3), (3, 10)):
        services.feedback.add_response(
            nps, ResponseInput(score, responded_at=datetime(2024, month, 5))
        )
    page = FeedbackPage(ctx)
    qtbot.addWidget(page)
    chart = page.detail.chart
    assert page.current_id() == nps
    assert page.detail.survey_id is None and chart.state == "empty"  # nothing yet
    assert not page.detail.empty.isVisibleTo(page)  # blank, not "choose a survey"
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: page.detail.survey_id == nps)
    assert page.detail.figure.text() == "NPS +33" and page.detail.responses.rowCount() == 3
    assert chart.state == "empty"  # asked for after the detail has painted
    qtbot.waitUntil(lambda: chart.state == "drawn")
    assert page.detail.chart_title.text() == "NPS of all NPS surveys, by month"
    assert chart.isVisible() and chart.renders == 1
    drawn = chart.picture()
    assert drawn is not None and drawn.deviceIndependentSize().width() == chart.width()
    csat = services.feedback.create_survey(SurveyInput("Docs CSAT", scale="csat"))
    # the data changed: the chart is drawn again
    qtbot.waitUntil(lambda: chart.renders == 2)
    page.show_item(csat)  # no CSAT responses: no trend, no chart
    qtbot.waitUntil(lambda: chart.state == "no chart")
    assert page.detail.chart_title.text() == "" and not chart.isVisible()
    page.show_item(nps)  # the NPS chart is kept, not drawn again
    qtbot.waitUntil(lambda: chart.state == "drawn" and chart.isVisible())
    assert chart.renders == 2


def test_empty_page_says_how_to_add_the_first_survey(page, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    from crm.ui.feedback.dialogs import SurveyDialog

    assert "New survey (Ctrl+Shift+N)" in page.empty_hint.text()
    assert "NPS (0–10) or CSAT (1–5)" in page.detail.empty.text()
    page.table.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.table, Qt.Key.Key_N, ctrl_shift)
    qtbot.keyRelease(page.table, Qt.Key.Key_Shift)  # the app's modifier state: none held
    assert isinstance(page.dialog, SurveyDialog) and page.dialog.isVisible()
    page.dialog.title.setText("First survey")
    page.dialog.save()
    sid = services.feedback.survey_ids()[0]
    assert page.empty_hint.text() == ""
    assert "No responses yet" in page.detail.responses_hint.text()
    page.search.setText("nothing like this")
    page.apply_filter()
    assert page.empty_hint.text().startswith("No survey matches")
    page.search.clear()
    page.apply_filter()
    page.show_item(sid)
    services.feedback.add_response(sid, ResponseInput(9))
    assert page.detail.responses_hint.text() == ""
    page.detail.band.setCurrentIndex(page.detail.band.findData("bad"))
    assert page.detail.responses_hint.text().startswith("No response matches")


def test_columns_fit_and_the_header_menu_shows_hidden_ones(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = FeedbackPage(ctx)
    qtbot.addWidget(page)
    header = page.table.horizontalHeader()
    hidden = [page.model.columns[c].title for c in range(8) if header.isSectionHidden(c)]
    assert hidden == ["Kind", "Closed", "Event"]  # the detail shows them
    menu = page.columns.menu()
    event = next(a for a in menu.actions() if a.text() == "Event")
    event.setChecked(True)
    assert not header.isSectionHidden(7)
    again = FeedbackPage(ctx)  # remembered
    qtbot.addWidget(again)
    assert not again.table.horizontalHeader().isSectionHidden(7)
    assert again.table.horizontalHeader().isSectionHidden(1)


def test_response_dialog_answers_the_survey_questions(page, services) -> None:  # type: ignore[no-untyped-def]
    from crm.services.feedback import QuestionInput

    sid = services.feedback.create_survey(
        SurveyInput(
            "Topic poll",
            questions=(
                QuestionInput("How likely…", "score"),
                QuestionInput("Which topic?", "choice", ("Security", "Tooling")),
                QuestionInput("Anything else?", "text"),
            ),
        )
    )
    _score, choice, text = (str(q.id) for q in services.feedback.get_survey(sid).questions)
    page.show_item(sid)
    dlg = page.add_response(sid)
    assert set(dlg.answer_fields) == {choice, text}  # the score question is the score
    box = dlg.answer_fields[choice]
    assert [box.itemText(i) for i in range(box.count())] == ["(no answer)", "Security", "Tooling"]
    dlg.score.setValue(9)
    box.setCurrentIndex(2)
    dlg.answer_fields[text].setText("  More demos  ")
    dlg.save()
    rid = services.feedback.response_ids(sid)[0]
    assert services.feedback.get_response(rid).answers == {choice: "Tooling", text: "More demos"}
    page.detail.tabs.setCurrentWidget(page.detail.answers)
    assert "Tooling\n1\n100 %" in page.detail.answers.text()

    # an imported response: a checkbox answer the choices do not hold, and an email
    other = services.feedback.add_response(
        sid,
        ResponseInput(
            7, answers={choice: "Security, Tooling", "email": "a@example.org"}, responded_at=None
        ),
    )
    dlg = page.edit_response(other)
    box = dlg.answer_fields[choice]
    assert box.currentText() == "Security, Tooling (as answered)"
    dlg.answer_fields[text].setText("Shorter talks")
    dlg.save()
    assert services.feedback.get_response(other).answers == {
        choice: "Security, Tooling",
        "email": "a@example.org",
        text: "Shorter talks",
    }
    dlg = page.edit_response(other)
    dlg.answer_fields[choice].setCurrentIndex(0)  # (no answer): the answer goes
    dlg.save()
    assert services.feedback.get_response(other).answers == {
        "email": "a@example.org",
        text: "Shorter talks",
    }
    assert "Which topic?\n1 of 2 responses answered · choice" in page.detail.answers.text()
