"""The channels page shows each channel's settings with every secret masked."""

from __future__ import annotations

import pytest
from webforms import login

BOT_TOKEN = "123456:rahasia-bot-telegram-kantor"


@pytest.fixture
def extra_channels():
    """A Telegram channel with its bot token (switched off: nothing is sent)."""
    return {
        "telegram": {
            "adapter": "telegram",
            "label": "Kanal Telegram",
            "enabled": False,
            "chat_id": "@diskominfos_uji",
            "bot_token": BOT_TOKEN,
        }
    }


def test_settings_are_shown_with_secrets_masked(app, accounts_):
    admin = app.test_client()
    login(admin, "admin")

    page = admin.get("/channels").text

    assert "<code>bot_token</code></dt><dd>••••••••</dd>" in page
    assert "<code>chat_id</code></dt><dd>@diskominfos_uji</dd>" in page
    assert BOT_TOKEN not in page and "rahasia-bot" not in page


def test_a_channel_switched_on_in_the_ui_says_config_yaml_differs(app, accounts_):
    admin = app.test_client()
    login(admin, "admin")

    admin.post("/channels/telegram/switch", data={"enabled": "1"})

    page = admin.get("/channels").text
    assert "Kanal telegram diaktifkan." in page
    assert "config.yaml menyatakan Tidak" in page
