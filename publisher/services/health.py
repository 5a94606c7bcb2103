"""How the service is: the database answers, and which dispatchers are alive."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..config import Config
from ..db import ping
from ..dispatcher import heartbeats
from ..models import utcnow


def report(session: Session, config: Config) -> dict[str, Any]:
    """The full picture for operators: `status` is ok, degraded or error.

    "error": the database does not answer. "degraded": it answers, but no
    dispatcher has beaten within 3 × heartbeat_seconds + poll_seconds.
    """
    failure = ping(session)
    if failure is not None:
        return {
            "status": "error",
            "database": f"error: {failure}",
            "dispatcher": None,
            "dispatchers": [],
        }
    settings = config.dispatcher
    silent_after = 3 * settings.heartbeat_seconds + settings.poll_seconds
    now = utcnow()
    dispatchers = [
        {
            "process": beat.name,
            "started_at": beat.started_at.isoformat(),
            "last_heartbeat": beat.beat_at.isoformat(),
            "seconds_ago": round((now - beat.beat_at).total_seconds(), 1),
            "alive": (now - beat.beat_at).total_seconds() <= silent_after,
        }
        for beat in heartbeats(session)
    ]
    alive = any(d["alive"] for d in dispatchers)
    return {
        "status": "ok" if alive else "degraded",
        "database": "ok",
        "dispatcher": dispatchers[0] if dispatchers else None,
        "dispatchers": dispatchers,
    }
