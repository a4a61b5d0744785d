"""The PySide6 desktop app. It calls services only: never a Session, never SQL."""
