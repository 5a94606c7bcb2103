"""Housekeeping: files a killed process left behind, media files nothing shows.

An upload is written to `.upload-*` beside its final place and renamed into place
(storage.py); a process killed in between leaves the temporary file. A file can
also be stored while its transaction is rolled back by a crash before the ledger
in media.py removes it, or an asset can outlive every revision that showed it.
Werkzeug's own spooled upload files are unlinked on creation, so they cannot leak.

Only files older than `grace` (an hour) are touched: a younger one may belong to
an upload that is still being written or committed by another process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from .models import MediaAsset, MediaFile, RevisionMedia, utcnow
from .storage import KEY, LocalStorage

GRACE = timedelta(hours=1)
TEMPORARY = ".upload-*"
log = logging.getLogger(__name__)


def _old(path: Path, grace: timedelta) -> bool:
    try:
        return path.stat().st_mtime < time.time() - grace.total_seconds()
    except FileNotFoundError:
        return False


def stale_uploads(storage: LocalStorage, grace: timedelta = GRACE) -> list[Path]:
    """Temporary upload files older than `grace`."""
    if not storage.root.is_dir():
        return []
    return sorted(p for p in storage.root.glob(f"*/{TEMPORARY}") if _old(p, grace))


def remove_stale_uploads(storage: LocalStorage, grace: timedelta = GRACE) -> int:
    """Delete temporary upload files older than `grace`; returns how many."""
    removed = 0
    for path in stale_uploads(storage, grace):
        path.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info(
            "removed %d temporary upload file(s) left by a killed process", removed
        )
    return removed


@dataclass
class Unreferenced:
    """Media that no revision shows: asset rows, and files on disk."""

    asset_ids: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    size: int = 0


def unreferenced_media(
    session: Session, storage: LocalStorage, grace: timedelta = GRACE
) -> Unreferenced:
    """Assets no revision shows, and stored files no remaining asset names."""
    cutoff = utcnow() - grace
    orphan_assets = list(
        session.scalars(
            select(MediaAsset.id)
            .where(
                ~exists().where(RevisionMedia.asset_id == MediaAsset.id),
                MediaAsset.created_at < cutoff,
            )
            .order_by(MediaAsset.id)
        )
    )
    kept = set(
        session.scalars(
            select(MediaFile.key).where(MediaFile.asset_id.not_in(orphan_assets))
        )
    )
    found = Unreferenced(asset_ids=orphan_assets)
    if storage.root.is_dir():
        for path in sorted(storage.root.glob("*/*")):
            if KEY.fullmatch(path.name) and path.name not in kept and _old(path, grace):
                found.keys.append(path.name)
                found.size += path.stat().st_size
    return found


def remove_unreferenced(
    session: Session, storage: LocalStorage, found: Unreferenced
) -> None:
    """Delete what `unreferenced_media` found: the asset rows, then the files."""
    if found.asset_ids:
        session.execute(
            delete(MediaFile).where(MediaFile.asset_id.in_(found.asset_ids))
        )
        session.execute(delete(MediaAsset).where(MediaAsset.id.in_(found.asset_ids)))
        session.commit()
    for key in found.keys:
        storage.delete(key)
