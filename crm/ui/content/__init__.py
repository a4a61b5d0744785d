"""The Content calendar page."""
