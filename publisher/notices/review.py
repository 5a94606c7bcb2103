"""Codes of the review conversation and of comparing revisions."""

from __future__ import annotations

from .core import N_

MESSAGES: dict[str, str] = {
    "comment.role_cannot_comment": N_(
        "Only drafters, editors and administrators may comment."
    ),
    "comment.revision_unknown": N_("This release has no revision %(number)s."),
    "diff.revision_unknown": N_("This release has no revision %(number)s."),
    "diff.render_failed": N_("This channel could not be rendered: %(error)s"),
}
