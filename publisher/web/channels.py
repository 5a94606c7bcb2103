"""The administrators' channels page: every channel, whether it can send, and a
"test connection" button per channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale

from channel_adapters.notice import Notice

from .. import db_session, state
from ..models import Role, utcnow
from ..notices import labels
from ..permissions import Action
from ..services import admin, channels
from ..services.errors import ServiceError
from . import admin as admin_views
from . import forms
from .auth import login_required

bp = Blueprint("channels", __name__)
RESULTS_KEY = "channel_checks"  # the last check per channel, shown once


def check_gate() -> channels.CheckGate:
    """This process's rate limit for channel checks (web and API share it)."""
    return current_app.extensions.setdefault("channel_checks", channels.CheckGate())


@bp.get("/channels")
@login_required(Role.ADMIN)
def index():
    """Every configured channel with its adapter, state and last check."""
    results: dict[str, Any] = session.pop(RESULTS_KEY, {})
    for found in results.values():
        found["at"] = datetime.fromisoformat(found["at"])
    language = str(get_locale() or "id")
    from_file = admin_views.file_config().channels
    return render_template(
        "channels/index.html",
        channels=channels.overview(state().config),
        results=results,
        duration=lambda seconds: labels.duration(seconds, language),
        history=admin.channel_history(db_session()),
        default_on={name: channel.enabled for name, channel in from_file.items()},
        settings={
            name: admin.shown_settings(channel.settings)
            for name, channel in from_file.items()
        },
    )


@bp.post("/channels/<name>/switch")
@login_required(Action.ADMINISTER)
def switch(name: str):
    """Switch a channel on or off over config.yaml's default."""
    enabled = request.form.get("enabled") == "1"
    try:
        admin.switch_channel(
            db_session(), admin_views.file_config(), g.user, name, enabled
        )
    except ServiceError as exc:
        db_session().rollback()
        return forms.refusal_page(exc)
    db_session().commit()
    code = "admin.channel_on" if enabled else "admin.channel_off"
    flash(forms.message(Notice(code, {"channel": name})), "success")
    return redirect(url_for(".index") + f"#ch-{name}", 303)


@bp.post("/channels/<name>/check")
@login_required(Role.ADMIN)
def check(name: str):
    """Call the channel's `check()` and show what it found on its row."""
    try:
        _, result = channels.check(state().config, g.user, name, check_gate())
        found = {"ok": result.ok, "notice": result.notice.as_dict()}
    except ServiceError as exc:
        if exc.status in (403, 404):
            return forms.refusal_page(exc)
        found = {"ok": False, "notice": exc.notice.as_dict()}
    found["at"] = utcnow().isoformat()
    session[RESULTS_KEY] = {**session.get(RESULTS_KEY, {}), name: found}
    return redirect(url_for(".index") + f"#ch-{name}", 303)
