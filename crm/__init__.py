"""Rapport: a desktop community-relationship manager."""

__version__ = "0.1.0"
