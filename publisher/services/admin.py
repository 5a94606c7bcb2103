"""What administrators do in the UI: users, API tokens, channel switches, the
spoken-form glossary and the audit page. Every change is recorded in the audit
trail; every function refuses anyone the permission table does not allow.

config.yaml stays the source of defaults. A channel switched in the UI and a
glossary entry added here are rows that `effective_config` lays over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from .. import audit
from ..config import Config
from ..models import (
    ApiToken,
    AuditEvent,
    ChannelSwitch,
    Delivery,
    DeliveryStatus,
    GlossaryEntry,
    Role,
    TokenScope,
    User,
    utcnow,
)
from ..permissions import Action, allows
from . import accounts
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied

AUDIT_PAGE = 50
FAILED = (DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN, DeliveryStatus.MISSED)


def require(actor: User, action: Action = Action.ADMINISTER) -> None:
    """PermissionDenied unless the permission table gives `actor` the action."""
    if not allows(actor, action):
        raise PermissionDenied("admin.not_allowed")


# --- users ---------------------------------------------------------------------


def list_users(session: Session, actor: User) -> list[User]:
    """Every user, by username."""
    require(actor)
    return list(session.scalars(select(User).order_by(User.username)))


def create_user(
    session: Session,
    actor: User,
    username: str,
    role: str,
    password: str,
    display_name: str | None = None,
    min_length: int = accounts.MIN_PASSWORD,
) -> User:
    """A new user with a temporary password the administrator hands over."""
    require(actor)
    user = accounts.create_user(
        session, username, role, password, display_name or None, min_length
    )
    user.must_change_password = True
    audit.record(session, actor, "user.created", username=user.username, role=role)
    return user


def set_active(session: Session, actor: User, username: str, active: bool) -> User:
    """Deactivate (every session and token stops at once) or reactivate a user."""
    require(actor)
    user = accounts.get_user(session, username)
    if user.id == actor.id and not active:
        raise Conflict("admin.not_yourself", username=username)
    if user.active != active:
        user.active = active
        user.session_version += 1
        action = "user.reactivated" if active else "user.deactivated"
        audit.record(session, actor, action, username=username)
    return user


def reset_password(
    session: Session,
    actor: User,
    username: str,
    password: str,
    min_length: int = accounts.MIN_PASSWORD,
) -> User:
    """A new temporary password; every session of the user ends."""
    require(actor)
    user = accounts.get_user(session, username)
    accounts.set_password(session, user, password, min_length)
    user.must_change_password = True
    audit.record(session, actor, "user.password_reset", username=username)
    return user


def set_role(session: Session, actor: User, username: str, role: str) -> User:
    """A new role; tokens whose scope the new role does not allow are revoked."""
    require(actor)
    user = accounts.get_user(session, username)
    if role not in {r.value for r in Role}:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(
            fields={"role": Notice("account.role_invalid", {"roles": roles})}
        )
    if user.id == actor.id:
        raise Conflict("admin.not_yourself", username=username)
    if user.role == role:
        return user
    before = user.role
    user.role = Role(role)
    user.session_version += 1  # pages already open were drawn for the old role
    allowed = TokenScope.for_role(user.role)
    revoked = 0
    for token in session.scalars(
        select(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    ):
        if not allowed.covers(token.scope):
            token.revoked_at = utcnow()
            revoked += 1
    audit.record(
        session,
        actor,
        "user.role_changed",
        username=username,
        before=str(before),
        after=role,
        tokens_revoked=revoked or None,
    )
    return user


# --- API tokens ----------------------------------------------------------------


def list_tokens(session: Session, actor: User) -> list[ApiToken]:
    """Every API token, newest first, revoked ones included."""
    require(actor)
    return accounts.list_tokens(session)


def create_token(
    session: Session,
    actor: User,
    username: str,
    label: str,
    scope: str | None,
    expires: str = "",
) -> str:
    """A new token for `username`; the secret is returned once, never stored."""
    require(actor)
    label = label.strip()
    if not label or len(label) > 100:
        raise InvalidInput(fields={"label": "field.required"})
    if scope and scope not in {s.value for s in TokenScope}:
        raise InvalidInput(fields={"scope": "admin.scope_invalid"})
    expires_at = accounts.parse_expiry(expires) if expires.strip() else None
    secret = accounts.create_token(session, username, label, scope or None, expires_at)
    audit.record(
        session,
        actor,
        "token.created",
        username=username,
        label=label,
        prefix=secret[:8],
        scope=scope or None,
    )
    return secret


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """Revoke one token at once (its next call answers 401)."""
    require(actor)
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise NotFound("token.not_found", prefix=str(token_id))
    token.revoked_at = utcnow()
    audit.record(
        session,
        actor,
        "token.revoked",
        username=token.user.username,
        label=token.name,
        prefix=token.prefix,
    )
    return token


# --- channels and glossary -----------------------------------------------------


def switch_channel(
    session: Session, config: Config, actor: User, name: str, enabled: bool
) -> None:
    """Switch a channel on or off over config.yaml's default (`config` is the
    file's, not the effective one)."""
    require(actor)
    channel = config.channels.get(name)
    if channel is None:
        raise NotFound("channel.not_found", channel=name)
    row = session.get(ChannelSwitch, name)
    if enabled == channel.enabled:
        if row is not None:  # back to what config.yaml says: no override needed
            session.delete(row)
    elif row is None:
        session.add(ChannelSwitch(channel=name, enabled=enabled, changed_by=actor.id))
    else:
        row.enabled, row.changed_at, row.changed_by = enabled, utcnow(), actor.id
    action = "channel.enabled" if enabled else "channel.disabled"
    audit.record(session, actor, action, channel=name)


@dataclass(frozen=True)
class ChannelHistory:
    """When a channel last delivered, and last failed."""

    last_sent: datetime | None
    last_failed: datetime | None


def channel_history(session: Session) -> dict[str, ChannelHistory]:
    """Per channel, the newest sent and the newest failed delivery."""
    sent = dict(
        session.execute(
            select(Delivery.channel, func.max(Delivery.sent_at))
            .where(Delivery.status == DeliveryStatus.SENT)
            .group_by(Delivery.channel)
        ).all()
    )
    failed = dict(
        session.execute(
            select(Delivery.channel, func.max(Delivery.updated_at))
            .where(Delivery.status.in_(FAILED))
            .group_by(Delivery.channel)
        ).all()
    )
    return {
        name: ChannelHistory(sent.get(name), failed.get(name))
        for name in set(sent) | set(failed)
    }


def glossary_entries(session: Session) -> dict[str, str]:
    """The glossary entries added in the UI, by term."""
    return {
        row.term: row.spoken
        for row in session.scalars(select(GlossaryEntry).order_by(GlossaryEntry.term))
    }


def set_term(session: Session, actor: User, term: str, spoken: str) -> None:
    """Add or change how `term` is spoken on radio and TV."""
    require(actor)
    term, spoken = term.strip(), " ".join(spoken.split())
    fields = {}
    if not term or len(term) > 100:
        fields["term"] = "field.required"
    if not spoken or len(spoken) > 300:
        fields["spoken"] = "field.required"
    if fields:
        raise InvalidInput(fields=fields)
    row = session.get(GlossaryEntry, term)
    if row is None:
        session.add(GlossaryEntry(term=term, spoken=spoken, changed_by=actor.id))
    else:
        row.spoken, row.changed_at, row.changed_by = spoken, utcnow(), actor.id
    audit.record(session, actor, "glossary.set", term=term, spoken=spoken)


def remove_term(session: Session, actor: User, term: str) -> None:
    """Remove a UI entry (config.yaml's spoken form, if any, applies again)."""
    require(actor)
    row = session.get(GlossaryEntry, term)
    if row is None:
        raise NotFound("admin.term_not_found", term=term)
    session.delete(row)
    audit.record(session, actor, "glossary.removed", term=term)


def effective_config(session: Session, base: Config) -> Config:
    """config.yaml with the UI's channel switches and glossary entries laid over."""
    switches = {
        row.channel: row.enabled for row in session.scalars(select(ChannelSwitch))
    }
    terms = glossary_entries(session)
    if not switches and not terms:
        return base
    channels = {
        name: channel.model_copy(update={"enabled": switches[name]})
        if name in switches
        else channel
        for name, channel in base.channels.items()
    }
    return base.model_copy(
        update={"channels": channels, "glossary": {**base.glossary, **terms}}
    )


# --- the audit page -------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page narrows to; empty fields do not narrow."""

    username: str = ""
    release_id: int | None = None
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


def audit_page(
    session: Session, actor: User, where: AuditFilter, page: int = 1
) -> tuple[list[AuditEvent], bool]:
    """One page of events, newest first, and whether an older page exists."""
    require(actor, Action.AUDIT)
    query = select(AuditEvent)
    if where.username:
        query = query.where(AuditEvent.actor_label == where.username)
    if where.release_id is not None:
        query = query.where(AuditEvent.release_id == where.release_id)
    if where.action:
        query = query.where(AuditEvent.action == where.action)
    if where.since is not None:
        query = query.where(AuditEvent.at >= where.since)
    if where.until is not None:
        query = query.where(AuditEvent.at < where.until)
    page = max(page, 1)
    rows = list(
        session.scalars(
            query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset((page - 1) * AUDIT_PAGE)
            .limit(AUDIT_PAGE + 1)
        )
    )
    return rows[:AUDIT_PAGE], len(rows) > AUDIT_PAGE


def audit_actions(session: Session) -> list[str]:
    """Every action the trail holds, for the filter's choices."""
    return list(
        session.scalars(
            select(AuditEvent.action).distinct().order_by(AuditEvent.action)
        )
    )


SECRET_WORDS = ("token", "secret", "password", "key", "credential")
MASK = "••••••••"


def shown_settings(channel_settings: object) -> list[tuple[str, str]]:
    """A channel's settings as (name, value) to show, secrets masked: SecretStr
    fields and any whose name says token, secret, password or key."""
    from pydantic import BaseModel, SecretBytes, SecretStr

    if not isinstance(channel_settings, BaseModel):
        return []
    shown = []
    for name in type(channel_settings).model_fields:
        value = getattr(channel_settings, name)
        secret = isinstance(value, SecretStr | SecretBytes) or any(
            word in name.lower() for word in SECRET_WORDS
        )
        if value in (None, "", [], {}, ()):
            text = "—"
        elif secret:
            text = MASK
        else:
            text = str(value)
        shown.append((name, text[:200]))
    return shown
