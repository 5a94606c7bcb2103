"""Codes the dispatcher stores on a delivery (see `publisher.notices`)."""

from __future__ import annotations

from .core import N_  # noqa: F401  (used as codes are added)

MESSAGES: dict[str, str] = {}
