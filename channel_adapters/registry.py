"""The one explicit list of channel adapters; add a line here for a new adapter."""

from __future__ import annotations

from .base import Adapter
from .print import PrintAdapter
from .radio import RadioAdapter
from .rss import RssAdapter
from .webhook import WebhookAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    adapter.name: adapter
    for adapter in (PrintAdapter, RadioAdapter, RssAdapter, WebhookAdapter)
}


def get_adapter(name: str) -> type[Adapter]:
    """The adapter class called `name`; LookupError lists the known ones."""
    try:
        return ADAPTERS[name]
    except KeyError:
        known = ", ".join(sorted(ADAPTERS))
        raise LookupError(f"unknown adapter {name!r} (known: {known})") from None
