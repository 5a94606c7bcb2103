"""`publisher users …` and `publisher token …`: accounts and API tokens."""

from __future__ import annotations

import secrets

import click

from ..db import Database
from . import _config, _in_session, _service, main


@main.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["drafter", "editor", "admin"]), required=True
)
@click.option(
    "--password", help="at least 10 characters; generated and printed if omitted"
)
@click.option("--display-name", help="full name shown in the audit trail")
@click.pass_context
def users_create(
    ctx: click.Context,
    name: str,
    role: str,
    password: str | None,
    display_name: str | None,
) -> None:
    """Create a user."""
    from ..services import accounts

    config = _config(ctx)
    database = Database(config.database_url)
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    with database.session() as session:
        _service(
            lambda: accounts.create_user(
                session,
                name,
                role,
                password,
                display_name,
                min_length=config.security.min_password_length,
            )
        )
    click.echo(
        f"created {role} {name}" + (f" with password {password}" if generated else "")
    )


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List users with their role and whether they may sign in."""
    from sqlalchemy import select

    from ..models import User
    from ..services import signin

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "active" if user.active else "deactivated"
            if signin.is_locked(session, user.username):
                state = "locked"
            if user.totp_secret:
                state += "+2fa"
            click.echo(
                f"{user.username:20} {user.role:8} {state:12} {user.display_name}"
            )


@users.command("deactivate")
@click.argument("name")
@click.pass_context
def users_deactivate(ctx: click.Context, name: str) -> None:
    """Stop a user at once: no sign-in, and their API tokens stop working."""
    from ..services import accounts

    _in_session(ctx, lambda session, _: accounts.set_active(session, name, False))
    click.echo(f"{name} is deactivated")


@users.command("unlock")
@click.argument("name")
@click.pass_context
def users_unlock(ctx: click.Context, name: str) -> None:
    """Lift the lock after too many failed sign-ins."""
    from ..services import signin

    _in_session(ctx, lambda session, _: signin.unlock(session, name))
    click.echo(f"{name} may sign in again")


@users.command("password")
@click.argument("name")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="the new password (asked for when omitted)",
)
@click.pass_context
def users_password(ctx: click.Context, name: str, password: str) -> None:
    """Set a new password; every session of the user ends."""
    from ..services import accounts

    def change(session, config):
        user = accounts.get_user(session, name)
        accounts.set_password(
            session, user, password, config.security.min_password_length
        )

    _in_session(ctx, change)
    click.echo(f"the password of {name} is changed; their sessions have ended")


@users.command("reset-2fa")
@click.argument("name")
@click.pass_context
def users_reset_two_factor(ctx: click.Context, name: str) -> None:
    """Turn a user's second factor off (a lost phone); they set it up again."""
    from ..services import accounts, signin

    def reset(session, _config):
        user = accounts.get_user(session, name)
        signin.disable(session, user)
        user.session_version += 1

    _in_session(ctx, reset)
    click.echo(f"two-step sign-in of {name} is off; their sessions have ended")


@users.command("activate")
@click.argument("name")
@click.pass_context
def users_activate(ctx: click.Context, name: str) -> None:
    """Let a deactivated user sign in again."""
    from ..services import accounts

    _in_session(ctx, lambda session, _: accounts.set_active(session, name, True))
    click.echo(f"{name} is active")


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--label", default="api", help="what the token is for")
@click.option(
    "--scope",
    type=click.Choice(["read", "draft", "publish"]),
    help="what the token may do (default: all the user's role allows)",
)
@click.option(
    "--expires", help="30d, 12h or a date (2027-06-30); default: never expires"
)
@click.pass_context
def token_create(
    ctx: click.Context,
    name: str,
    label: str,
    scope: str | None,
    expires: str | None,
) -> None:
    """Print a new API token for user NAME (shown once)."""
    from ..services import accounts

    config = _config(ctx)
    expires_at = _service(lambda: accounts.parse_expiry(expires)) if expires else None
    with Database(config.database_url).session() as session:
        plain = _service(
            lambda: accounts.create_token(session, name, label, scope, expires_at)
        )
    click.echo(plain)


@token.command("list")
@click.argument("name", required=False)
@click.pass_context
def token_list(ctx: click.Context, name: str | None) -> None:
    """List API tokens (prefix, scope, expiry), of user NAME or of everyone."""
    from ..models import utcnow
    from ..services import accounts

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        now = utcnow()
        for t in accounts.list_tokens(session, name):
            used = (
                t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "-"
            )
            expires = (
                t.expires_at.isoformat(timespec="minutes") if t.expires_at else "never"
            )
            state = (
                "revoked"
                if t.revoked_at
                else ("expired" if t.expired(now) else "active")
            )
            click.echo(
                f"{t.prefix:10} {t.user.username:16} {t.name:16} {state:8} "
                f"{t.scope.value:8} expires {expires:17} last used {used}"
            )


@token.command("revoke")
@click.argument("prefix")
@click.pass_context
def token_revoke(ctx: click.Context, prefix: str) -> None:
    """Revoke the token that starts with PREFIX (as `token list` shows it)."""
    from ..services import accounts

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        _service(lambda: accounts.revoke_token(session, prefix))
    click.echo(f"token {prefix}… is revoked")
