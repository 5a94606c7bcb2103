"""One archive that restores to a working system: database, media, keys, config.

`backup` writes `publisher-backup-<UTC time>.tar.gz` holding

- `manifest.json` (first member): format, when, versions, the database kind and
  schema revision, row counts, and the SHA-256 and size of every other member;
- `database/publisher.db` (SQLite, copied with the online backup API in one step, a
  consistent snapshot even while the dispatcher writes) or
  `database/publisher.dump` (PostgreSQL, `pg_dump -Fc`, itself one snapshot);
- `media/…`: the media folder (files are named by their SHA-256 and never change);
  it is copied before and topped up after the database snapshot, so every file the
  snapshot names is there even if an upload landed in between;
- `data/…`: everything else in `data_dir` (the cookie key, signing keys, outbox
  folders), without the SQLite files, the media folder and temporary uploads;
- `config/config.yaml`: the configuration file as written (`${VAR}` secrets stay
  references; their values live in the environment, not in the archive).

`restore.py` checks the manifest (format, known schema revision, every member's
hash) before it writes anything, refuses a target that already holds data unless
forced, puts everything in place, migrates the database to head, and compares the
counts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .config import Config
from .maintenance import TEMPORARY
from .storage import open_storage

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/publisher.db"
PG_MEMBER = "database/publisher.dump"
COUNTED = (
    "users",
    "api_tokens",
    "releases",
    "revisions",
    "deliveries",
    "audit_events",
    "media_assets",
    "media_files",
)
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


# --- taking a backup ---------------------------------------------------------


def backup(config: Config, output: Path | None = None) -> Path:
    """Write the archive into folder `output` (or as file `output`); its path."""
    now = datetime.now(UTC)
    target = _archive_path(output or Path.cwd(), now)
    storage_root = open_storage(config).root
    with tempfile.TemporaryDirectory(prefix="publisher-backup-") as tmp:
        staging = Path(tmp)
        media = dict(_media_files(storage_root))
        database = _snapshot(config, staging)
        media.update(_media_files(storage_root))  # uploads that landed meanwhile
        members: dict[str, Path] = {database["member"]: staging / database["member"]}
        members.update(media)
        members.update(_data_files(config, storage_root, target))
        members["config/config.yaml"] = config.path
        missing = set(database.pop("media_keys")) - {Path(m).name for m in media}
        if missing:
            raise BackupError(
                f"{len(missing)} media file(s) the database names are not in "
                f"{storage_root} (e.g. {sorted(missing)[0]}); run publisher cleanup "
                "and check the media folder"
            )
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "versions": _versions(),
            "database": database,
            "media_dir": str(storage_root),
            "data_dir": str(config.data_dir),
            "files": {name: _digest(path) for name, path in sorted(members.items())},
        }
        _write_archive(target, manifest, members)
    return target


def _archive_path(output: Path, now: datetime) -> Path:
    if output.name.endswith((".tar.gz", ".tgz")):
        output.parent.mkdir(parents=True, exist_ok=True)
        return output
    output.mkdir(parents=True, exist_ok=True)
    return output / f"publisher-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def _snapshot(config: Config, staging: Path) -> dict[str, Any]:
    """The database into `staging`; its manifest entry (with the media keys)."""
    url = make_url(config.database_url)
    if url.get_backend_name() == "sqlite":
        snapshot = staging / SQLITE_MEMBER
        snapshot.parent.mkdir(parents=True)
        source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(snapshot)
        try:
            source.backup(copy)  # pages=-1: one step, one consistent snapshot
        finally:
            copy.close()
            source.close()
        engine = sa.create_engine(f"sqlite:///{snapshot}")
        kind, member = "sqlite", SQLITE_MEMBER
    elif url.get_backend_name() == "postgresql":
        dump = staging / PG_MEMBER
        dump.parent.mkdir(parents=True)
        run_pg_tool(
            "pg_dump",
            url,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "-f",
            str(dump),
        )
        engine = sa.create_engine(url)  # counts from the live database, just after
        kind, member = "postgresql", PG_MEMBER
    else:
        raise BackupError(f"cannot back up a {url.get_backend_name()} database")
    try:
        with engine.connect() as connection:
            revision, counts = table_state(connection)
            keys = list(
                connection.scalars(sa.text("SELECT DISTINCT key FROM media_files"))
            )
    finally:
        engine.dispose()
    return {
        "kind": kind,
        "member": member,
        "schema_revision": revision,
        "counts": counts,
        "media_keys": keys,
    }


def table_state(connection: sa.Connection) -> tuple[str | None, dict[str, int]]:
    revision = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
    counts = {
        table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        for table in COUNTED
    }
    return revision, counts


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".upload-"):
            yield f"media/{path.relative_to(root).as_posix()}", path


def _data_files(config: Config, storage_root: Path, archive: Path) -> dict[str, Path]:
    """Everything in data_dir a restore needs that is not the database or media."""
    url = make_url(config.database_url)
    skip_files = set()
    if url.get_backend_name() == "sqlite" and url.database:
        db = Path(url.database).resolve()
        skip_files = {db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")}
    found = {}
    root = config.data_dir
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        resolved = path.resolve()
        if (
            not path.is_file()
            or resolved in skip_files
            or resolved == archive.resolve()
            or path.match(TEMPORARY)
            or storage_root.resolve() in resolved.parents
            or resolved.name.startswith("publisher-backup-")
        ):
            continue
        found[f"data/{path.relative_to(root).as_posix()}"] = path
    return found


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("press-release-publisher", "sqlalchemy", "alembic"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _digest(path: Path) -> dict[str, Any]:
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return {"sha256": sha.hexdigest(), "size": size}


def _write_archive(
    target: Path, manifest: dict[str, Any], members: dict[str, Path]
) -> None:
    partial = target.with_name(f".{target.name}.partial")
    try:
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = (
                len(data),
                int(datetime.now().timestamp()),
                0o600,
            )
            archive.addfile(info, io.BytesIO(data))
            for name, path in sorted(members.items()):
                info = archive.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
        os.chmod(partial, 0o600)  # it holds password hashes and keys
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def run_pg_tool(tool: str, url: sa.URL, *args: str) -> None:
    """Run pg_dump or pg_restore against `url`; the password goes by environment."""
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed (Debian: apt-get install postgresql-client)"
        )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False
    )
    command = [tool, f"--dbname={libpq}", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-500:]}")
