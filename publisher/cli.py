"""The `publisher` command: run, web, dispatcher, db, users, token, audit, backup,
restore, cleanup, demo."""

from __future__ import annotations

import logging
import secrets
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import notices, system
from .config import Config, ConfigError, config_path, load_config
from .db import Database
from .services.errors import ServiceError

log = logging.getLogger("publisher")


def _config(ctx: click.Context) -> Config:
    """The validated config; a mistake ends the command with one line and status 2."""
    from . import logs

    try:
        config = load_config(ctx.obj.get("config_path"))
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    logs.configure(config.logging.format)
    return config


def _report_system(config: Config, err: bool = True) -> None:
    """One line per system piece this machine lacks (Pango, fonts), with the
    `apt-get install` that adds it; start-up goes on, those channels are off."""
    for notice in system.startup_report(config.enabled_channels):
        click.echo(f"warning: {notices.render(notice)}", err=err)


def _service(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ServiceError as exc:
        click.echo(f"error: {notices.plain(exc)}", err=True)
        sys.exit(1)


@click.group()
@click.option(
    "--config",
    "config_path",
    envvar="PUBLISHER_CONFIG",
    type=click.Path(dir_okay=False),
    help="config file (default ./config.yaml)",
)
@click.option("-v", "--verbose", is_flag=True, help="log debug messages")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Press-release publisher."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


@main.command("check-config")
@click.pass_context
def check_config(ctx: click.Context) -> None:
    """Validate config.yaml, list the channels and what this machine lacks."""
    config = _config(ctx)
    click.echo(f"{config.path}: ok")
    blocked = system.unavailable(config.enabled_channels)
    for name, channel in config.channels.items():
        state = "on" if channel.enabled else "off"
        if name in blocked:
            state = "unavailable (see below)"
        click.echo(f"  {name:24} {channel.adapter:10} {state}")
    _report_system(config, err=False)


@main.command("system-packages")
def system_packages() -> None:
    """Print the Debian packages this machine lacks, space-separated (make run)."""
    click.echo(" ".join(system.missing_packages()))


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply pending migrations."""
    config = _config(ctx)
    Database(config.database_url).upgrade()
    click.echo("database is up to date")


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
    from .services import accounts

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

    from .models import User
    from .services import signin

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
    from .services import accounts

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        _service(lambda: accounts.set_active(session, name, False))
    click.echo(f"{name} is deactivated")


@users.command("unlock")
@click.argument("name")
@click.pass_context
def users_unlock(ctx: click.Context, name: str) -> None:
    """Lift the lock after too many failed sign-ins."""
    from .services import signin

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        _service(lambda: signin.unlock(session, name))
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
    from .services import accounts

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        user = _service(lambda: accounts.get_user(session, name))
        _service(
            lambda: accounts.set_password(
                session, user, password, config.security.min_password_length
            )
        )
    click.echo(f"the password of {name} is changed; their sessions have ended")


@users.command("reset-2fa")
@click.argument("name")
@click.pass_context
def users_reset_two_factor(ctx: click.Context, name: str) -> None:
    """Turn a user's second factor off (a lost phone); they set it up again."""
    from .services import accounts, signin

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        user = _service(lambda: accounts.get_user(session, name))
        signin.disable(session, user)
        user.session_version += 1
    click.echo(f"two-step sign-in of {name} is off; their sessions have ended")


@users.command("activate")
@click.argument("name")
@click.pass_context
def users_activate(ctx: click.Context, name: str) -> None:
    """Let a deactivated user sign in again."""
    from .services import accounts

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        _service(lambda: accounts.set_active(session, name, True))
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
    from .services import accounts

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
    from .models import utcnow
    from .services import accounts

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
    from .services import accounts

    config = _config(ctx)
    with Database(config.database_url).session() as session:
        _service(lambda: accounts.revoke_token(session, prefix))
    click.echo(f"token {prefix}… is revoked")


@main.command("backup")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="folder for the archive, or a file name ending in .tar.gz (default: .)",
)
@click.pass_context
def backup_command(ctx: click.Context, output: Path | None) -> None:
    """Database, media, keys and config.yaml into one .tar.gz with a manifest."""
    from .backup import BackupError, backup

    config = _config(ctx)
    try:
        archive = backup(config, output)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"backup written to {archive}")


@main.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="overwrite a database and media that exist")
@click.pass_context
def restore_command(ctx: click.Context, archive: Path, force: bool) -> None:
    """Restore ARCHIVE where the config points; migrate to head and check counts.

    If the config file does not exist yet, the archived config.yaml is written
    there and used; otherwise it is kept beside as config.yaml.from-backup.
    """
    from .backup import BackupError
    from .restore import restore

    path = config_path(ctx.obj.get("config_path"))
    try:
        if not path.exists():
            _write_archived_config(archive, path)
        config = _config(ctx)
        done = restore(config, archive, force=force)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    made = done.manifest["created_at"]
    click.echo(f"restored the backup of {made}: {done.files} file(s)")
    click.echo(
        "  " + ", ".join(f"{table} {count}" for table, count in done.counts.items())
    )
    if done.config_written and done.config_written != config.path:
        click.echo(f"  the archived config is in {done.config_written} for comparison")
    for note in done.notes:
        click.echo(f"  warning: {note}")
    click.echo("run `publisher audit verify` to check the audit trail")


def _write_archived_config(archive: Path, path: Path) -> None:
    from .restore import config_from

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(config_from(archive))


@main.command()
@click.option(
    "--remove-unreferenced",
    is_flag=True,
    help="also delete media that no revision shows (listed otherwise)",
)
@click.pass_context
def cleanup(ctx: click.Context, remove_unreferenced: bool) -> None:
    """Remove temporary upload files older than an hour; list unreferenced media."""
    from . import maintenance
    from .storage import open_storage

    config = _config(ctx)
    storage = open_storage(config)
    click.echo(
        f"removed {maintenance.remove_stale_uploads(storage)} temporary upload file(s)"
    )
    database = Database(config.database_url)
    with database.session() as session:
        found = maintenance.unreferenced_media(session, storage)
        for asset_id in found.asset_ids:
            click.echo(f"  asset {asset_id}: no revision shows it")
        for key in found.keys:
            click.echo(f"  {storage.path(key)}: no asset names it")
        verb = "removed" if remove_unreferenced else "found"
        click.echo(
            f"{verb} {len(found.asset_ids)} unreferenced asset(s) and "
            f"{len(found.keys)} unreferenced file(s), {found.size} bytes"
            + (
                ""
                if remove_unreferenced or not (found.asset_ids or found.keys)
                else "; --remove-unreferenced deletes them"
            )
        )
        if remove_unreferenced:
            maintenance.remove_unreferenced(session, storage, found)
    database.dispose()


@main.group("audit")
def audit_group() -> None:
    """The tamper-evident audit trail."""


@audit_group.command("verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Recompute the audit chain; exit 1 at the first event that does not hold."""
    from . import audit

    config = _config(ctx)
    database = Database(config.database_url)
    try:
        with database.session() as session:
            verdict = audit.verify(session)
    finally:
        database.dispose()
    if verdict.ok:
        click.echo(f"audit chain OK: {verdict.count} events")
        return
    broken = verdict.broken
    at = broken.at.isoformat(timespec="seconds") if broken.at else "-"
    click.echo(
        f"audit chain BROKEN after {verdict.count} good events: event id "
        f"{broken.id} (chain #{broken.seq}, {at}): {broken.reason}",
        err=True,
    )
    sys.exit(1)


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Create demo accounts and a sample draft on an empty database."""
    from . import demo as demo_data

    config = _config(ctx)
    database = Database(config.database_url)
    database.upgrade()
    _print_logins(demo_data.seed(database, config))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--demo",
    "with_demo",
    is_flag=True,
    help="on an empty database, create demo accounts and a sample release",
)
@click.pass_context
def run(ctx: click.Context, host: str, port: int, with_demo: bool) -> None:
    """Web UI and dispatcher in one process (the single-machine default)."""
    from . import create_app
    from . import demo as demo_data
    from .dispatcher import Dispatcher

    config = _config(ctx)
    _report_system(config)
    database = Database(config.database_url)
    database.upgrade()
    if with_demo:
        _print_logins(demo_data.seed(database, config))
    app = create_app(config)
    dispatcher = Dispatcher(config, app.extensions["publisher"].db)
    # SIGTERM (systemd, docker stop) unwinds like Ctrl-C: the dispatcher stops cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    dispatcher.start()
    try:
        _serve(app, host, port)
    finally:
        dispatcher.shutdown()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_context
def web(ctx: click.Context, host: str, port: int) -> None:
    """Web UI only; run `publisher dispatcher` beside it (or gunicorn, see docs)."""
    from . import create_app

    config = _config(ctx)
    _report_system(config)
    _serve(create_app(config), host, port)


@main.command()
@click.pass_context
def dispatcher(ctx: click.Context) -> None:
    """The dispatcher alone, until SIGTERM or Ctrl-C."""
    from . import maintenance
    from .dispatcher import Dispatcher
    from .storage import open_storage

    config = _config(ctx)
    _report_system(config)
    database = Database(config.database_url)
    database.upgrade()
    maintenance.remove_stale_uploads(open_storage(config))
    worker = Dispatcher(config, database)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    click.echo(f"dispatcher {worker.name} running; Ctrl-C stops it")
    stop.wait()
    worker.shutdown()


def _serve(app: Any, host: str, port: int) -> None:
    from waitress import serve

    click.echo(f"serving on http://{host}:{port}/ (Ctrl-C stops)")
    serve(app, host=host, port=port, threads=8, ident="publisher")


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    if not logins:
        return
    click.echo("Demo accounts (username / password / role):")
    for username, password, role in logins:
        click.echo(f"  {username:10} {password:22} {role}")
