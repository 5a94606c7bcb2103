"""Users and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from channel_adapters.notice import Notice

from ..models import ApiToken, Role, TokenScope, User, utcnow
from ..security import hash_password, new_token, token_digest, verify_password
from .errors import Conflict, InvalidInput, NotFound

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOKEN_USE_GRAIN = timedelta(minutes=1)


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    display_name: str | None = None,
    min_length: int = MIN_PASSWORD,
) -> User:
    """A new user; the password is stored only as an argon2id hash."""
    username = username.strip()
    if (
        not username
        or len(username) > 64
        or not username.replace("_", "").replace("-", "").replace(".", "").isalnum()
    ):
        raise InvalidInput(fields={"username": "account.username_invalid"})
    if role not in {r.value for r in Role}:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(
            fields={"role": Notice("account.role_invalid", {"roles": roles})}
        )
    check_password(password, min_length, [username, display_name or ""])
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict("account.exists", username=username)
    user = User(
        username=username,
        role=role,
        display_name=display_name or username,
        password_hash=hash_password(password),
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        # Hash anyway so a wrong username costs as long as a wrong password.
        verify_password(_dummy_hash(), password)
        return None
    return user if verify_password(user.password_hash, password) else None


def check_password(password: str, min_length: int, context: list[str]) -> None:
    """Refuse a short or easily guessed password (InvalidInput on `password`).

    zxcvbn estimates how many guesses a password needs, knowing common passwords,
    names, dictionary words, dates, keyboard runs and repeats, and the words in
    `context` (the username, the office's name); a score under 3 is refused.
    """
    if len(password) < min_length:
        raise InvalidInput(
            fields={"password": Notice("account.password_short", {"min": min_length})}
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(
            fields={"password": Notice("account.password_long", {"max": MAX_PASSWORD})}
        )
    # zxcvbn's time grows with length; the first 100 characters decide.
    if zxcvbn(password[:100], user_inputs=[c for c in context if c])["score"] < 3:
        raise InvalidInput(fields={"password": "account.password_weak"})


def set_password(
    session: Session,
    user: User,
    password: str,
    min_length: int = MIN_PASSWORD,
    context: tuple[str, ...] = (),
) -> None:
    """A new password; every session of the user ends (sign in again)."""
    check_password(password, min_length, [user.username, user.display_name, *context])
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.must_change_password = False


def token_for(session: Session, token: str) -> ApiToken | None:
    """The token row of an active user, expired or not; None if unknown or revoked.

    The caller refuses an expired token (`ApiToken.expired`) with its own answer.
    """
    api_token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.revoked_at.is_(None),
        )
    )
    if api_token is None or not api_token.user.active:
        return None
    now = utcnow()
    # Noted at most once a minute, so reading the API is not a write per request.
    if not api_token.expired(now) and (
        api_token.last_used_at is None or now - api_token.last_used_at > TOKEN_USE_GRAIN
    ):
        api_token.last_used_at = now
    return api_token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live bearer token belongs to, or None."""
    api_token = token_for(session, token)
    if api_token is None or api_token.expired(utcnow()):
        return None
    return api_token.user


def create_token(
    session: Session,
    username: str,
    name: str = "api",
    scope: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """A new API token for `username`; returned once, stored only as a hash.

    `scope` defaults to what the user's role allows (drafters: draft, others:
    publish) and may not go beyond it; `expires_at` None means no expiry.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("account.not_found", username=username)
    allowed = TokenScope.for_role(user.role)
    chosen = TokenScope(scope) if scope else allowed
    if not allowed.covers(chosen):
        raise InvalidInput(
            fields={
                "scope": Notice(
                    "token.scope_beyond_role",
                    {"role": user.role.value, "scope": chosen, "allowed": allowed},
                )
            }
        )
    token = new_token()
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=token_digest(token),
            prefix=token[:8],
            created_at=utcnow(),
            scope=chosen,
            expires_at=expires_at,
        )
    )
    session.flush()
    return token


def parse_expiry(text: str, now: datetime | None = None) -> datetime:
    """`30d`, `12h` or a date (`2027-06-30`, end of that day UTC) as a UTC moment."""
    now = now or utcnow()
    value = text.strip().lower()
    try:
        if value[-1:] in ("d", "h") and value[:-1].isdigit() and int(value[:-1]) > 0:
            unit = "days" if value[-1] == "d" else "hours"
            return now + timedelta(**{unit: int(value[:-1])})
        day = datetime.fromisoformat(value)
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(fields={"expires": "token.expiry_invalid"})
    if day.tzinfo is None:
        day = day.replace(tzinfo=UTC)
        if len(value) == 10:  # a bare date lasts to the end of that day (UTC)
            day += timedelta(days=1)
    return day.astimezone(UTC)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("timing-equaliser-not-a-password")


def list_tokens(session: Session, username: str | None = None) -> list[ApiToken]:
    """API tokens, newest first, optionally of one user."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if username is not None:
        query = query.join(User).where(User.username == username)
    return list(session.scalars(query))


def revoke_token(session: Session, prefix: str) -> ApiToken:
    """Revoke the token whose shown prefix (e.g. `prp_Ab3x`) is `prefix`."""
    matches = [
        t
        for t in session.scalars(select(ApiToken).where(ApiToken.prefix == prefix))
        if t.revoked_at is None
    ]
    if not matches:
        raise NotFound("token.not_found", prefix=prefix)
    if len(matches) > 1:
        raise Conflict("token.ambiguous", count=len(matches), prefix=prefix)
    matches[0].revoked_at = utcnow()
    return matches[0]


def get_user(session: Session, username: str) -> User:
    """The user called `username`, or NotFound."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("account.not_found", username=username)
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    """Let a user sign in and use tokens again, or stop them at once."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("account.not_found", username=username)
    user.active = active
    return user
