"""Feeds partner media pull (RSS and Atom items)."""
