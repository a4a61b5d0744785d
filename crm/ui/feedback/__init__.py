"""The Feedback page: surveys, their responses, NPS / CSAT and the results import."""
