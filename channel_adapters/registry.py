"""The one explicit list of channel adapters; add a line here for a new adapter."""

from __future__ import annotations

from .base import Adapter
from .bluesky import BlueskyAdapter
from .email import EmailAdapter
from .facebook import FacebookAdapter
from .instagram import InstagramAdapter
from .linkedin import LinkedInAdapter
from .mastodon import MastodonAdapter
from .print import PrintAdapter
from .radio import RadioAdapter
from .rss import RssAdapter
from .telegram import TelegramAdapter
from .threads import ThreadsAdapter
from .tv import TvAdapter
from .webhook import WebhookAdapter
from .whatsapp import WhatsAppAdapter
from .x import XAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    adapter.name: adapter
    for adapter in (
        BlueskyAdapter,
        EmailAdapter,
        FacebookAdapter,
        InstagramAdapter,
        LinkedInAdapter,
        MastodonAdapter,
        PrintAdapter,
        RadioAdapter,
        RssAdapter,
        TelegramAdapter,
        ThreadsAdapter,
        TvAdapter,
        WebhookAdapter,
        WhatsAppAdapter,
        XAdapter,
    )
}


def get_adapter(name: str) -> type[Adapter]:
    """The adapter class called `name`; LookupError lists the known ones."""
    try:
        return ADAPTERS[name]
    except KeyError:
        known = ", ".join(sorted(ADAPTERS))
        raise LookupError(f"unknown adapter {name!r} (known: {known})") from None
