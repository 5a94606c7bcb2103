"""Codes of administration: users, tokens, channel switches, the glossary, roles."""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "admin.not_allowed": N_("Your role does not allow this."),
    "admin.not_yourself": N_(
        "You cannot deactivate your own account or change your own role "
        "(%(username)s); ask another administrator."
    ),
    "admin.scope_invalid": N_("The scope must be read, draft or publish."),
    "admin.term_not_found": N_("The glossary has no entry %(term)s added here."),
    "admin.user_created": N_(
        "User %(username)s created. Hand over the temporary password in person."
    ),
    "admin.user_deactivated": N_(
        "User %(username)s deactivated; their sessions and tokens stopped working."
    ),
    "admin.user_reactivated": N_("User %(username)s can sign in again."),
    "admin.password_reset": N_(
        "New temporary password set for %(username)s; their sessions ended."
    ),
    "admin.role_changed": N_("%(username)s now has the role %(role)s."),
    "admin.token_revoked": N_("Token %(prefix)s revoked."),
    "admin.term_saved": N_("Spoken form of %(term)s saved."),
    "admin.term_removed": N_("Entry %(term)s removed."),
    "auth.choose_own_password": N_(
        "Your password was set by an administrator: choose your own to continue."
    ),
    "admin.channel_on": N_("Channel %(channel)s switched on."),
    "admin.channel_off": N_(
        "Channel %(channel)s switched off; it is no longer offered for scheduling."
    ),
}
