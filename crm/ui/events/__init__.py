"""The Events page: the list, a month view, and an event with its tabs."""
