"""Contact files in the app: the import wizard, duplicates, exports and the export log."""
