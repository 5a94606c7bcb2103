"""The `publisher` command: the group, its shared helpers and the config and schema
commands; `accounts` (users, token), `operations` (backup, restore, cleanup, audit)
and `serve` (run, web, dispatcher, demo) add theirs."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from .. import notices, public_address, system
from ..config import Config, ConfigError, load_config
from ..db import Database
from ..services.errors import ServiceError

log = logging.getLogger("publisher")


def _config(ctx: click.Context) -> Config:
    """The validated config; a mistake ends the command with one line and status 2."""
    from .. import logs

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


def _in_session(ctx: click.Context, action: Callable[[Any, Config], Any]) -> Any:
    """Run `action(session, config)` in one session, committed when it returns; a
    service's refusal ends the command with one line and status 1."""
    config = _config(ctx)
    database = Database(config.database_url)
    try:
        with database.session() as session:
            return _service(lambda: action(session, config))
    finally:
        database.dispose()


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
    _report_public_url(config.organization.public_url)
    blocked = system.unavailable(config.enabled_channels)
    for name, channel in config.channels.items():
        state = "on" if channel.enabled else "off"
        if name in blocked:
            state = "unavailable (see below)"
        click.echo(f"  {name:24} {channel.adapter:10} {state}")
    _report_system(config, err=False)


def _report_public_url(public_url: str) -> None:
    """Where links point, and a warning when only this machine can open them."""
    source = (
        f"${public_address.PUBLIC_URL_ENV}"
        if public_address.from_environment("")
        else "organization.public_url"
    )
    click.echo(f"  public links: {public_url} (from {source})")
    if public_address.is_loopback(public_url):
        click.echo(
            f"warning: {source} is {public_url}: only this machine can open the "
            "links in feeds, posts, e-mails and public pages, and Instagram and "
            "Threads cannot fetch images. Set it to the address readers use (e.g. "
            f"https://siaranpers.example.go.id), or ${public_address.PUBLIC_URL_ENV}. "
            "`publisher run --port N` moves a 127.0.0.1 address to port N."
        )


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


from . import accounts, operations, serve  # noqa: E402,F401  (commands register on main)
