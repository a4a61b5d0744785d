"""The Initiatives page: contests, challenges, campaigns … with their participants."""
