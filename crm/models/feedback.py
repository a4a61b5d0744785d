"""Surveys and polls, their questions, and the responses with CSAT or NPS scores."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

SURVEY_KINDS = ("survey", "poll")
SCALES = ("nps", "csat")  # NPS scores 0–10, CSAT scores 1–5
QUESTION_KINDS = ("score", "text", "choice")


class Survey(Base):
    __tablename__ = "survey"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: undo restores them
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="survey")
    scale: Mapped[str] = mapped_column(String(10), default="nps")
    description: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SurveyQuestion(Base):
    __tablename__ = "survey_question"
    __table_args__ = {"sqlite_autoincrement": True}  # answers are keyed by question id
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10), default="text")
    choices: Mapped[list] = mapped_column(JSON, default=list)


class FeedbackResponse(Base):
    """One response: a score on the survey's scale, free text, tags; a person or anonymous."""

    __tablename__ = "feedback_response"
    # Both cover the figures (no table row is read to count scores): the responses of
    # a survey by date and the trend by month use the first; the NPS/CSAT of every
    # survey is one ordered pass over the second (survey, score) with no sort.
    __table_args__ = (
        Index("ix_feedback_response_survey", "survey_id", "responded_at", "score"),
        Index("ix_feedback_response_survey_score", "survey_id", "score"),
        {"sqlite_autoincrement": True},  # ids never reused: undo restores them
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    responded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    score: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(500), default="")  # comma-separated
    # Answers to the survey's other questions: question id (as text) → answer.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
