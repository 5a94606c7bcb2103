"""The one explicit list of channel adapters; add a line here for a new adapter."""

from __future__ import annotations

from .base import Adapter
from .broadcast.radio import RadioAdapter
from .broadcast.tv import TvAdapter
from .email.adapter import EmailAdapter
from .feeds.rss import RssAdapter
from .http.webhook import WebhookAdapter
from .print.adapter import PrintAdapter
from .social.bluesky import BlueskyAdapter
from .social.facebook import FacebookAdapter
from .social.instagram import InstagramAdapter
from .social.linkedin import LinkedInAdapter
from .social.mastodon import MastodonAdapter
from .social.telegram import TelegramAdapter
from .social.threads import ThreadsAdapter
from .social.whatsapp import WhatsAppAdapter
from .social.x import XAdapter
from .wordpress.adapter import WordPressAdapter

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
        WordPressAdapter,
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
