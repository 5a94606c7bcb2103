"""Codes of the release services, scheduling, accounts and input validation."""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Marks a catalog sentence for extraction (pybabel -k N_); translated at render."""
    return msgid


MESSAGES: dict[str, str] = {
    "legacy.text": N_("%(text)s"),
}
