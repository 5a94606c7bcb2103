"""Who may do what: one table of actions and the roles that hold them.

The web views (`login_required(action)`), the API and the services ask `allows`
instead of comparing roles, so a role's reach is read here and nowhere else.
A `viewer` (e.g. the head of division) reads what a drafter reads and changes
nothing; an administrator holds every action.
"""

from __future__ import annotations

import enum

from .models import Role, User

DRAFTER, EDITOR, ADMIN, VIEWER = Role.DRAFTER, Role.EDITOR, Role.ADMIN, Role.VIEWER


class Action(enum.StrEnum):
    """Something a signed-in user may be allowed to do."""

    READ = "read"  # releases, renditions, deliveries, media
    WRITE = "write"  # draft, edit and submit releases, upload media
    REVIEW = "review"  # approve, reject, withdraw, schedule, decide about deliveries
    CONTACTS = "contacts"  # the media contact directory
    AUDIT = "audit"  # the audit page of every release and user
    ADMINISTER = "administer"  # users, tokens, channels, glossary, organization


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.READ: frozenset({DRAFTER, EDITOR, ADMIN, VIEWER}),
    Action.WRITE: frozenset({DRAFTER, EDITOR, ADMIN}),
    Action.REVIEW: frozenset({EDITOR, ADMIN}),
    Action.CONTACTS: frozenset({EDITOR, ADMIN}),
    Action.AUDIT: frozenset({EDITOR, ADMIN, VIEWER}),
    Action.ADMINISTER: frozenset({ADMIN}),
}


def allows(user: User | None, action: Action) -> bool:
    """Whether `user` (None: anonymous) is active and its role holds `action`."""
    return user is not None and user.active and user.role in ALLOWED[action]


def roles_for(action: Action) -> list[Role]:
    """The roles that hold `action`, in the order of `Role`."""
    return [role for role in Role if role in ALLOWED[action]]
