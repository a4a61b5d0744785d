"""The speaker-outreach board."""
