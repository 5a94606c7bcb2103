"""Codes of notifications: what a user is told in the app and by e-mail."""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "notify.review_waiting": N_(
        "%(actor)s submitted “%(title)s” for review (revision %(revision)s)."
    ),
    "notify.approved": N_("%(actor)s approved “%(title)s” as %(number)s."),
    "notify.rejected": N_("%(actor)s sent “%(title)s” back: %(reason)s"),
    "notify.commented": N_("%(actor)s commented on “%(title)s”: %(excerpt)s"),
    "notify.mentioned": N_("%(actor)s mentioned you on “%(title)s”: %(excerpt)s"),
    "notify.delivery_failed": N_(
        "The delivery of “%(title)s” to %(channel)s failed: %(reason)s"
    ),
    "notify.delivery_unknown": N_(
        "Nobody knows whether “%(title)s” reached %(channel)s; check before "
        "sending it again."
    ),
    "notify.delivery_missed": N_(
        "“%(title)s” was not sent to %(channel)s in time; decide whether to send it "
        "late, mark it sent or cancel it."
    ),
    "notify.not_found": N_("There is no notification %(id)s for you."),
    # The e-mail around a notification.
    "notify.mail_open": N_("Open: %(url)s"),
    "notify.mail_footer": N_(
        "You receive this because of your notification settings: %(url)s"
    ),
    "notify.digest_subject": N_("%(count)s notifications of the last day"),
    "notify.digest_intro": N_("What happened in the last day (%(count)s):"),
}
