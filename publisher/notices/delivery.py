"""Codes the dispatcher and the services store on a delivery (see `publisher.notices`).

A delivery's `error` holds one of these, or the notice an adapter raised (kept as
the adapter gave it, the remote's message verbatim in its parameters). A delivery
that failed after `max_attempts` retryable errors keeps the last cause; its
`attempts` say how often it was tried.
"""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "delivery.internal_error": N_(
        "Internal error in the %(adapter)s adapter (%(error)s); nothing was refused "
        "by the recipient. The details are in the dispatcher's log."
    ),
    "delivery.not_approved": N_(
        "Cancelled: the release is no longer approved in this revision."
    ),
    "delivery.channel_disabled": N_(
        "The channel %(channel)s is not enabled in config.yaml."
    ),
    "delivery.no_rendition": N_(
        "No approved version for the channel %(channel)s: the channel was enabled "
        "after approval."
    ),
    "delivery.sender_stopped_resending": N_(
        "The sending process %(process)s stopped while sending; it is sent again."
    ),
    "delivery.sender_stopped_check": N_(
        "The sending process %(process)s stopped while sending; check the channel "
        "before sending again."
    ),
    "delivery.cancelled_by_edit": N_(
        "Cancelled: the release was edited after approval and needs approval again."
    ),
    "delivery.cancelled_by_withdrawal": N_("Cancelled: the release was withdrawn."),
    "delivery.cancelled_by_editor": N_("Cancelled by an editor."),
    "delivery.missed": N_(
        "Not sent: it was due at %(due_at)s but the dispatcher reached it only "
        "%(late_duration)s later, more than this channel allows "
        "(%(max_lateness_duration)s). An editor decides: send it now, mark it as "
        "sent or cancel it."
    ),
    "delivery.cancelled_with_reason": N_("Cancelled by %(user)s: %(reason)s"),
}
