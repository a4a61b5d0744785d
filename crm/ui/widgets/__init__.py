"""Small widgets the pages and dialogs share: icons, chips, error labels, pickers."""
