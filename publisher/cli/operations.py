"""`publisher backup`, `restore`, `cleanup` and `audit verify`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import config_path
from ..db import Database
from . import _config, main


@main.command("backup")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="folder for the archive, or a file name ending in .tar.gz (default: .)",
)
@click.pass_context
def backup_command(ctx: click.Context, output: Path | None) -> None:
    """Database, media, keys and config.yaml into one .tar.gz with a manifest."""
    from ..backup import BackupError, backup

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
    from ..backup import BackupError
    from ..restore import restore

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
    from ..restore import config_from

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
    from .. import maintenance
    from ..storage import open_storage

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
    from .. import audit

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
