"""The People page: the table, the detail panel, and the person and interaction dialogs."""
