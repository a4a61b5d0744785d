"""Goals: a metric from a fixed list, a baseline, a target and a deadline.

Progress is never stored: the goals service computes it from the data each time.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

GOAL_METRICS = (
    "members",
    "members active in the last 30 days",
    "interactions per week",
    "events held",
    "average NPS",
    "speakers confirmed",
    "advocacy notes shipped",
)


class Goal(Base):
    __tablename__ = "goal"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    metric: Mapped[str] = mapped_column(String(60))
    baseline: Mapped[float] = mapped_column(default=0.0)
    target: Mapped[float] = mapped_column()
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
