"""Quarry: extracts rows."""
