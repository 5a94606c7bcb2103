"""Sign-in defences: failed attempts slow down and lock, and a second factor (TOTP).

Failures are counted per account and per network address in the database, so every
web worker sees the same numbers. After `free_failures` failures each further try
must wait 1 s, 2 s, 4 s … (at most `max_delay_seconds`); after `lock_after` in a
row the account is locked until an admin unlocks it. A refused try is answered
before the password hash is computed, so a flood costs the server little.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import SecurityConfig
from ..models import SignInThrottle, User, utcnow
from .errors import NotFound, ServiceError

RECOVERY_CODES = 10
TOTP_DRIFT_STEPS = 1  # a code from the previous or next 30 s is accepted


class TooManyAttempts(ServiceError):
    """Sign-in refused for now: too many failures; `retry_after` seconds to wait."""

    status = 429
    error = "too_many_requests"

    def __init__(self, code: str, retry_after: int | None = None, **params) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after


def _keys(username: str, address: str | None) -> tuple[str, str | None]:
    account = f"account:{username.strip().lower()[:150]}"
    return account, (f"address:{address[:150]}" if address else None)


def check_allowed(
    session: Session, security: SecurityConfig, username: str, address: str | None
) -> None:
    """Raise TooManyAttempts when this account or address must wait (or is locked)."""
    now = utcnow()
    account, place = _keys(username, address)
    rules = security.sign_in
    for key, free in (
        (account, rules.free_failures),
        (place, rules.address_free_failures),
    ):
        if key is None:
            continue
        row = session.get(SignInThrottle, key)
        if row is None:
            continue
        if row.locked:  # until an admin unlocks it, however long ago
            raise TooManyAttempts("auth.account_locked")
        if _forgotten(row, now, rules.window_minutes):
            continue
        if row.failures >= free:
            delay = min(2 ** (row.failures - free), rules.max_delay_seconds)
            wait = (
                row.last_failure_at + timedelta(seconds=delay) - now
            ).total_seconds()
            if wait > 0:
                seconds = max(1, int(wait + 0.999))
                raise TooManyAttempts("auth.wait", retry_after=seconds, seconds=seconds)


def record_failure(
    session: Session, security: SecurityConfig, username: str, address: str | None
) -> None:
    """Count one failed try for the account and the address."""
    now = utcnow()
    account, place = _keys(username, address)
    for key in (account, place):
        if key is None:
            continue
        row = session.get(SignInThrottle, key)
        if row is None:
            row = SignInThrottle(key=key, failures=0, last_failure_at=now, locked=False)
            session.add(row)
        elif _forgotten(row, now, security.sign_in.window_minutes) and not row.locked:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        if key == account and row.failures >= security.sign_in.lock_after:
            row.locked = True
    session.flush()


def record_success(session: Session, username: str, address: str | None) -> None:
    """A good sign-in forgets the account's failures (and the address's)."""
    for key in _keys(username, address):
        if key is not None:
            row = session.get(SignInThrottle, key)
            if row is not None and not row.locked:
                session.delete(row)


def unlock(session: Session, username: str) -> None:
    """Lift an account's lock and forget its failures (an admin's action)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("account.not_found", username=username)
    row = session.get(SignInThrottle, _keys(username, None)[0])
    if row is not None:
        session.delete(row)


def is_locked(session: Session, username: str) -> bool:
    """Whether the account is locked after too many failures."""
    row = session.get(SignInThrottle, _keys(username, None)[0])
    return bool(row and row.locked)


def _forgotten(row: SignInThrottle, now: datetime, window_minutes: float) -> bool:
    return now - row.last_failure_at > timedelta(minutes=window_minutes)


# --- the second factor ------------------------------------------------------------


def needs_second_factor(user: User) -> bool:
    """Whether this user signs in with a code after the password."""
    return bool(user.totp_secret)


def must_enrol(user: User, security: SecurityConfig) -> bool:
    """Whether the office requires a second factor of this user, who has none."""
    return not user.totp_secret and user.role in security.two_factor_required_for


def new_secret() -> str:
    """A fresh TOTP secret (160 bits, base32), shown once as a QR code."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, user: User, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


@dataclass(frozen=True)
class Enrolled:
    """A confirmed second factor: the recovery codes, shown once."""

    recovery_codes: tuple[str, ...]


def enrol(session: Session, user: User, secret: str, code: str) -> Enrolled | None:
    """Turn the second factor on if `code` comes from `secret`; None if it does not."""
    step = _matching_step(secret, code, after=None)
    if step is None:
        return None
    codes = tuple(_recovery_code() for _ in range(RECOVERY_CODES))
    user.totp_secret = secret
    user.totp_last_step = step
    user.recovery_codes = [_digest(c) for c in codes]
    session.flush()
    return Enrolled(codes)


def verify_code(session: Session, user: User, code: str) -> bool:
    """Whether `code` is a current TOTP code (each works once) or an unused
    recovery code (then used up)."""
    if not user.totp_secret:
        return False
    code = "".join(code.split()).lower()
    step = _matching_step(user.totp_secret, code, after=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    digest = _digest(code.replace("-", ""))
    for stored in list(user.recovery_codes or ()):
        if hmac.compare_digest(stored, digest):
            user.recovery_codes = [c for c in user.recovery_codes if c != stored]
            return True
    return False


def disable(session: Session, user: User) -> None:
    """Turn the second factor off (the caller checked a current code first)."""
    user.totp_secret = None
    user.totp_last_step = None
    user.recovery_codes = []


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now())
    for step in range(now - TOTP_DRIFT_STEPS, now + TOTP_DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue  # a code works once
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_code() -> str:
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").lower().encode()).hexdigest()
