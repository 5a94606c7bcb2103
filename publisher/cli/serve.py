"""`publisher run`, `web`, `dispatcher` and `demo`: the processes."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

import click

from .. import public_address
from ..config import Config
from ..db import Database
from . import _config, _report_system, main


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Create demo accounts and a sample draft on an empty database."""
    from .. import demo as demo_data

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
    from .. import create_app
    from .. import demo as demo_data
    from ..dispatcher import Dispatcher

    config = _on_port(_config(ctx), port)
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
    from .. import create_app

    config = _on_port(_config(ctx), port)
    _report_system(config)
    _serve(create_app(config), host, port)


def _on_port(config: Config, port: int) -> Config:
    """The config with public_url on `port` when it points at this machine
    (`make run PORT=5101` keeps its links working); says so when it changes."""
    org = config.organization
    public_url = public_address.for_port(org.public_url, port)
    if public_url == org.public_url:
        return config
    click.echo(f"organization.public_url: {public_url} (the port this server uses)")
    organization = org.model_copy(update={"public_url": public_url})
    return config.model_copy(update={"organization": organization})


@main.command()
@click.pass_context
def dispatcher(ctx: click.Context) -> None:
    """The dispatcher alone, until SIGTERM or Ctrl-C."""
    from .. import maintenance
    from ..dispatcher import Dispatcher
    from ..storage import open_storage

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
