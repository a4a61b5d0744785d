"""The Advocacy page and what the operations pages share."""
