"""Conflict Briefing: assemble conflict briefings from a shared library of records."""

__version__ = "0.1.0"
