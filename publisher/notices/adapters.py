"""Codes channel adapters give: rendition warnings and delivery errors."""

from __future__ import annotations

from .core import N_  # noqa: F401  (used as codes are added)

MESSAGES: dict[str, str] = {}
