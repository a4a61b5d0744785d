"""The Trash page: archived people and communities, to restore or delete for good."""
