"""Interchange with other files and programs: JSON documents, ACLED CSV."""
