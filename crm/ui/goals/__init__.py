"""The Goals page."""
