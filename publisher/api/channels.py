"""Channels for administrators: what is configured, and a connection test."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from .. import notices, state
from ..services import channels
from ..web.channels import check_gate
from . import bp, current_user


def channel_json(channel: channels.ChannelState) -> dict[str, Any]:
    """A channel as the API shows it; the blocker as {code, params, message}."""
    return {
        "name": channel.name,
        "label": channel.label,
        "adapter": channel.adapter,
        "enabled": channel.enabled,
        "can_send": channel.blocker is None,
        "blocker": notices.as_json(channel.blocker) if channel.blocker else None,
        "max_lateness_seconds": channel.max_lateness,
    }


@bp.get("/v1/channels")
def list_channels():
    """Every configured channel (administrators only)."""
    channels.require_admin(current_user())
    return jsonify(
        {"channels": [channel_json(c) for c in channels.overview(state().config)]}
    )


@bp.post("/v1/channels/<name>/check")
def check_channel(name: str):
    """Test the channel's connection (administrators only); `ok` and the notice."""
    channel, result = channels.check(state().config, current_user(), name, check_gate())
    tz = state().config.organization.timezone
    return jsonify(
        {
            "channel": channel_json(channel),
            "ok": result.ok,
            "result": notices.as_json(result.notice, tz=tz),
        }
    )
