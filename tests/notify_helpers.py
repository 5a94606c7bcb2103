"""Helpers shared by the notification tests."""

from __future__ import annotations

from typing import Any

import yaml
from conftest import BASE_CONFIG

from publisher.config import parse_config
from publisher.models import Notification, User
from publisher.services import notifications

FROM = "notifikasi@diskominfos.example.go.id"


def mail_config(
    folder, database_url: str, port: int, channels: dict | None = None, **settings: Any
):
    """The test config (plus `channels`) with notification e-mail to the desk on
    `port`."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"].update(channels or {})
    raw["database_url"] = database_url
    raw["notifications"] = {
        "enabled": True,
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none"},
        "from_address": FROM,
        **settings,
    }
    return parse_config(raw, folder / "config.yaml")


def received(database, username: str) -> list[tuple[str, dict]]:
    """(kind, notice) of each notification `username` got, oldest first."""
    with database.session() as session:
        user = session.query(User).filter_by(username=username).one()
        rows = (
            session.query(Notification)
            .filter_by(user_id=user.id)
            .order_by(Notification.id)
            .all()
        )
        return [(r.kind, r.notice) for r in rows]


def kinds(database, username: str) -> list[str]:
    """The kinds of `username`'s notifications, oldest first."""
    return [kind for kind, _ in received(database, username)]


def choose(database, username: str, **choices: Any) -> None:
    """Store `username`'s preferences (defaults: everything both ways)."""
    data = {
        "email_kinds": list(notifications.KINDS),
        "app_kinds": list(notifications.KINDS),
        **choices,
    }
    with database.session() as session:
        user = session.query(User).filter_by(username=username).one()
        notifications.save_preferences(session, user, data)


def user(session, username: str) -> User:
    """The user called `username`."""
    return session.query(User).filter_by(username=username).one()
