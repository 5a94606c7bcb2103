"""Putting a backup back: check everything first, then replace, migrate, compare.

See backup.py for what an archive holds. Nothing in the target changes until the
manifest's format and schema revision are known and every member matches its
SHA-256; a target that already holds data is refused unless forced.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from .backup import CHUNK, FORMAT, MANIFEST, BackupError, run_pg_tool, table_state
from .config import Config
from .db import Database, alembic_config
from .storage import open_storage


@dataclass
class Restored:
    """What `restore` put in place."""

    manifest: dict[str, Any]
    counts: dict[str, int]
    files: int
    config_written: Path | None = None
    notes: list[str] = field(default_factory=list)


def read_manifest(archive: Path) -> dict[str, Any]:
    """The archive's manifest, after checking its format."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(member) if member else None
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive}: not a publisher backup ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format")
    revision = manifest["database"]["schema_revision"]
    known = {
        s.revision
        for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    if revision not in known:
        raise BackupError(
            f"{archive}: its database is at schema revision {revision}, which this "
            "version does not know; restore it with the version that made it"
        )
    return manifest


def config_from(archive: Path) -> bytes:
    """The archived config.yaml, after checking the manifest and its hash."""
    manifest = read_manifest(archive)
    with tarfile.open(archive, "r:gz") as tar:
        data = tar.extractfile("config/config.yaml").read()
    if (
        hashlib.sha256(data).hexdigest()
        != manifest["files"]["config/config.yaml"]["sha256"]
    ):
        raise BackupError(f"{archive}: config/config.yaml does not match the manifest")
    return data


def unpack(archive: Path, manifest: dict[str, Any], into: Path) -> None:
    """Extract every member into `into`, checking names, sizes and hashes."""
    expected = manifest["files"]
    seen = set()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            name = PurePosixPath(member.name)
            if (
                not member.isfile()
                or name.is_absolute()
                or ".." in name.parts
                or member.name not in expected
            ):
                raise BackupError(f"{archive}: unexpected member {member.name!r}")
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            sha = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    sha.update(chunk)
                    out.write(chunk)
            want = expected[member.name]
            if (
                sha.hexdigest() != want["sha256"]
                or target.stat().st_size != want["size"]
            ):
                raise BackupError(
                    f"{archive}: {member.name} does not match its SHA-256 in the "
                    "manifest; the archive is damaged"
                )
            seen.add(member.name)
    lacking = set(expected) - seen
    if lacking:
        raise BackupError(
            f"{archive}: {len(lacking)} file(s) missing, e.g. {min(lacking)}"
        )


def target_in_use(config: Config) -> list[str]:
    """What already holds data where `config` would restore to (empty: free)."""
    used = []
    url = make_url(config.database_url)
    if url.get_backend_name() == "sqlite":
        if (
            url.database
            and Path(url.database).is_file()
            and Path(url.database).stat().st_size
        ):
            used.append(f"database {url.database}")
    else:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                if sa.inspect(connection).get_table_names():
                    used.append(f"database {url.render_as_string(hide_password=True)}")
        finally:
            engine.dispose()
    media = open_storage(config).root
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        used.append(f"media folder {media}")
    return used


def restore(config: Config, archive: Path, force: bool = False) -> Restored:
    """Put the archive's system in place of `config`'s; see the module docstring."""
    manifest = read_manifest(archive)
    used = target_in_use(config)
    if used and not force:
        raise BackupError(
            "the target already holds data (" + "; ".join(used) + "); "
            "restore into an empty place, or add --force to overwrite it"
        )
    url = make_url(config.database_url)
    kind = "sqlite" if url.get_backend_name() == "sqlite" else url.get_backend_name()
    if kind != manifest["database"]["kind"]:
        raise BackupError(
            f"the backup holds a {manifest['database']['kind']} database, but "
            f"database_url is {kind}; restore into the same kind of database"
        )
    with tempfile.TemporaryDirectory(prefix="publisher-restore-") as tmp:
        staging = Path(tmp)
        unpack(archive, manifest, staging)  # everything checked before anything moves
        _restore_database(config, staging / manifest["database"]["member"], kind)
        files = _place(staging / "media", open_storage(config).root)
        files += _place(staging / "data", config.data_dir)
        written = None
        archived_config = staging / "config" / "config.yaml"
        if not config.path.exists():
            shutil.copy2(archived_config, config.path)
            written = config.path
        elif config.path.read_bytes() == archived_config.read_bytes():
            written = None
        else:
            written = config.path.with_name(config.path.name + ".from-backup")
            shutil.copy2(archived_config, written)
    database = Database(config.database_url)
    try:
        database.upgrade()
        with database.engine.connect() as connection:
            _, counts = table_state(connection)
    finally:
        database.dispose()
    result = Restored(
        manifest=manifest, counts=counts, files=files, config_written=written
    )
    for table, count in manifest["database"]["counts"].items():
        if counts.get(table) != count:
            result.notes.append(
                f"{table}: {count} in the manifest, {counts.get(table)} now"
            )
    return result


# Functions in the target schema that no extension owns, as droppable signatures.
_OUR_FUNCTIONS = """
SELECT p.oid::regprocedure::text FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema()
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.objid = p.oid AND d.deptype = 'e')
"""


def _restore_database(config: Config, dump: Path, kind: str) -> None:
    url = make_url(config.database_url)
    if kind == "sqlite":
        target = Path(url.database)
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        source = sqlite3.connect(dump)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:  # --force: empty the target schema first
            names = sa.inspect(connection).get_table_names()
            for name in names:
                connection.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
            # Trigger functions the migrations made (the search index's) go too,
            # or the dump's CREATE FUNCTION finds them already there.
            for signature in connection.scalars(sa.text(_OUR_FUNCTIONS)):
                connection.execute(
                    sa.text(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
                )
    finally:
        engine.dispose()
    run_pg_tool(
        "pg_restore", url, "--no-owner", "--no-privileges", "--exit-on-error", str(dump)
    )


def _place(source: Path, target: Path) -> int:
    """Copy a restored folder's files into `target`; how many."""
    count = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            count += 1
    return count
