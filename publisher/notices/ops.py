"""Codes of operations: scoped and expiring API tokens, health details, metrics."""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "auth.token_scope": N_(
        "This token's scope is %(scope)s; this call needs %(needed)s."
    ),
    "auth.token_expired": N_("The token expired at %(expired_at)s."),
    "auth.admin_required": N_(
        "Sign in as an administrator, or send an administrator's API token."
    ),
    "metrics.token_wrong": N_(
        "Send Authorization: Bearer with the token set in metrics.token."
    ),
    "token.scope_beyond_role": N_(
        "A %(role)s cannot hold a token with the scope %(scope)s; at most %(allowed)s."
    ),
    "token.expiry_invalid": N_(
        "Give the expiry as a number of days or hours (30d, 12h) or a date "
        "(2027-06-30)."
    ),
    "channel.not_found": N_("There is no channel %(channel)s in config.yaml."),
    "channel.admin_only": N_("Only an administrator may see and test channels."),
    "check.too_soon": N_(
        "This channel was tested a moment ago; try again in %(seconds)s seconds."
    ),
    "check.timed_out": N_(
        "No answer within %(seconds)s seconds; the channel may be unreachable."
    ),
    "check.crashed": N_(
        "The test of the %(adapter)s channel failed inside this application "
        "(%(error)s); the details are in the log."
    ),
}
