"""The Tasks page: work handed to other departments."""
