"""The media library: a release's pictures and documents, safe and sized per outlet.

(Just over 400 lines: the service and the bookkeeping of the files a transaction
wrote or let go, which must commit or roll back with it.)

`uploads` judges each file by its content and makes the private original and every
outlet's variant; this module stores them once under their SHA-256 and attaches them
to the release. Changing media is an edit like any other: after approval it makes a
new revision and sends the release back to review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from .. import audit, feeds
from ..config import Config
from ..models import (
    MediaAsset,
    MediaFile,
    MediaKind,
    Release,
    Revision,
    RevisionMedia,
    User,
    crop_key,
    utcnow,
)
from ..storage import Storage
from ..uploads import Checked, MediaRefused, Refusal, Upload, check, read_upload
from ..variants import Made, cropped_purposes, make_variants
from . import drafting
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .values import CleanStr

# Purposes that may be shown to the public once the release is; "original" is not.
PUBLIC_PURPOSES = frozenset(
    {"web", "thumbnail", "og", "x", "bluesky", "instagram", "file"}
)


class MediaDetails(BaseModel):
    """What a drafter writes about a picture or document."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    alt: CleanStr = Field("", max_length=1000)
    caption: CleanStr = Field("", max_length=1000)
    credit: CleanStr = Field("", max_length=200)
    focal_x: float = Field(0.5, ge=0, le=1)
    focal_y: float = Field(0.5, ge=0, le=1)


def parse_details(data: Any) -> MediaDetails:
    """Validate alt text, caption, credit and focal point; InvalidInput per field.

    Only the fields given count as set (`model_fields_set`), so an edit can change
    one of them. Empty strings for the focal point mean "not given".
    """
    if not isinstance(data, dict):
        raise InvalidInput(fields={"body": "field.not_object"})
    data = {
        k: v
        for k, v in data.items()
        if not (k in ("focal_x", "focal_y") and v in ("", None))
    }
    try:
        return MediaDetails.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None


# --- files a transaction wrote or let go ----------------------------------------------

_LEDGER = "media_ledger"


class _Ledger:
    """Files written in a transaction, and files it stopped using.

    On rollback the files it wrote go (nothing half-stored stays behind); after a
    commit the files it stopped using go. Either way only files that no row names.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.written: set[str] = set()
        self.released: set[str] = set()

    def committed(self, session: Session) -> None:
        """After a commit: remove the files the transaction stopped using."""
        keys, self.written, self.released = self.released, set(), set()
        self._remove_unused(session, keys)

    def rolled_back(self, session: Session) -> None:
        """After a rollback: remove the files the transaction wrote."""
        keys, self.written, self.released = self.written, set(), set()
        self._remove_unused(session, keys)

    def _remove_unused(self, session: Session, keys: set[str]) -> None:
        """Delete those of `keys` that no row names (asked on a fresh connection)."""
        if not keys:
            return
        try:
            with session.get_bind().connect() as connection:
                used = set(
                    connection.scalars(
                        select(MediaFile.key).where(MediaFile.key.in_(keys))
                    )
                )
        except SQLAlchemyError:
            return  # unsure whether a row names them: keeping a file is harmless
        for key in keys - used:
            self.storage.delete(key)


def _ledger(session: Session, storage: Storage) -> _Ledger:
    """The session's ledger, listening to its commits and rollbacks."""
    ledger = session.info.get(_LEDGER)
    if ledger is None:
        ledger = session.info[_LEDGER] = _Ledger(storage)
        event.listen(session, "after_commit", ledger.committed)
        event.listen(session, "after_rollback", ledger.rolled_back)
    return ledger


def _store(session: Session, storage: Storage, made: Iterable[Made]) -> list[MediaFile]:
    """Write each file (complete, or not at all) and the rows that name them."""
    ledger = _ledger(session, storage)
    rows = []
    for item in made:
        key, created = storage.put(item.data, item.extension)
        if created:
            ledger.written.add(key)
        rows.append(
            MediaFile(
                purpose=item.purpose,
                crop=item.crop,
                key=key,
                media_type=item.media_type,
                width=item.width,
                height=item.height,
                size=len(item.data),
            )
        )
    return rows


# --- the service ----------------------------------------------------------------------


@dataclass
class Added:
    """What an upload did: the media now on the release, and the refused files."""

    release: Release
    added: list[RevisionMedia]
    refused: list[Refusal]


def add_media(
    session: Session,
    config: Config,
    storage: Storage,
    actor: User,
    release_id: int,
    uploads: list[Upload],
    details: MediaDetails | None = None,
) -> Added:
    """Check each file and attach the accepted ones to the release, in one edit.

    A refused file leaves nothing behind and does not stop the others. Once a
    release is past drafting every new image needs its alt text at once.
    """
    release = _editable(session, actor, release_id)
    details = details or MediaDetails()
    focal = (round(details.focal_x, 3), round(details.focal_y, 3))
    current = release.current
    known = {
        file.key
        for item in current.media
        for file in item.asset.files
        if file.purpose in ("original", "file")
    }
    accepted: list[tuple[Checked, list[MediaFile]]] = []
    refused: list[Refusal] = []
    for upload in uploads:
        try:
            name, data = read_upload(upload, config.media)
            checked = check(name, data, config.media, focal)
            if (
                checked.kind == MediaKind.IMAGE
                and not details.alt
                and _submitted(release)
            ):
                raise MediaRefused(Refusal(name, "alt_required"))
            kept = checked.made[0]  # the original, or the document itself
            key = f"{hashlib.sha256(kept.data).hexdigest()}.{kept.extension}"
            if key in known:
                raise MediaRefused(Refusal(checked.filename, "duplicate"))
        except MediaRefused as exc:
            refused.append(exc.refusal)
            continue
        known.add(key)
        accepted.append((checked, _store(session, storage, checked.made)))
    if not accepted:
        return Added(release, [], refused)

    revision = drafting.writable_revision(
        session, actor, release, [f"media: {c.filename}" for c, _ in accepted]
    )
    position = max((m.position for m in revision.media), default=-1)
    added = []
    cleaned: dict[int, tuple[str, ...]] = {}
    for checked, files in accepted:
        position += 1
        asset = MediaAsset(
            release_id=release.id,
            kind=checked.kind,
            filename=checked.filename,
            media_type=checked.media_type,
            width=checked.width,
            height=checked.height,
            size=checked.size,
            created_by_id=actor.id,
            created_at=utcnow(),
            files=files,
        )
        item = RevisionMedia(
            asset=asset,
            position=position,
            alt=details.alt,
            caption=details.caption,
            credit=details.credit,
            focal_x=focal[0],
            focal_y=focal[1],
        )
        revision.media.append(item)
        added.append(item)
        cleaned[id(item)] = checked.removed
    session.flush()
    for item in added:
        removed = cleaned[id(item)]
        audit.record(
            session,
            actor,
            "media.added",
            release,
            revision=revision.number,
            media=item.asset_id,
            file=item.asset.filename,
            **({"cleaned": list(removed)} if removed else {}),
        )
    return Added(release, added, refused)


def update_media(
    session: Session,
    storage: Storage,
    actor: User,
    release_id: int,
    asset_id: int,
    details: MediaDetails,
) -> RevisionMedia:
    """Change the words or the focal point of one item: the fields given only."""
    release = _editable(session, actor, release_id)
    item = _item(release, asset_id)
    changes = details.model_dump(include=details.model_fields_set)
    for axis in ("focal_x", "focal_y"):
        if axis in changes:
            changes[axis] = round(changes[axis], 3)
    if all(getattr(item, name) == value for name, value in changes.items()):
        return item
    if "alt" in changes and not changes["alt"] and _submitted(release):
        if item.asset.kind == MediaKind.IMAGE:
            gone = Notice("media.alt_not_removable", {"name": item.asset.filename})
            raise InvalidInput(gone, fields={"alt": gone})
    focal = (
        changes.get("focal_x", item.focal_x),
        changes.get("focal_y", item.focal_y),
    )
    if item.asset.kind == MediaKind.IMAGE and crop_key(*focal) != item.crop:
        _ensure_crops(session, storage, item.asset, focal)
    revision = drafting.writable_revision(
        session, actor, release, [f"media: {item.asset.filename}"]
    )
    item = next(m for m in revision.media if m.asset_id == asset_id)
    for name, value in changes.items():
        setattr(item, name, value)
    session.flush()
    audit.record(
        session,
        actor,
        "media.changed",
        release,
        revision=revision.number,
        media=asset_id,
        file=item.asset.filename,
        fields=sorted(changes),
    )
    return item


def reorder(
    session: Session, actor: User, release_id: int, order: list[int]
) -> list[RevisionMedia]:
    """Put the media in this order (every id once); the first image is the lead."""
    release = _editable(session, actor, release_id)
    current = [m.asset_id for m in release.current.media]
    if sorted(order) != sorted(current):
        listed = ", ".join(str(i) for i in current) or "none"
        raise InvalidInput(
            fields={"order": Notice("field.order_incomplete", {"ids": listed})}
        )
    if order == current:
        return list(release.current.media)
    revision = drafting.writable_revision(session, actor, release, ["media order"])
    place = {asset_id: index for index, asset_id in enumerate(order)}
    for item in revision.media:
        item.position = place[item.asset_id]
    revision.media.sort(key=lambda m: m.position)
    session.flush()
    audit.record(session, actor, "media.reordered", release, revision=revision.number)
    return list(revision.media)


def move(
    session: Session, actor: User, release_id: int, asset_id: int, where: str
) -> list[RevisionMedia]:
    """Move one item `up`, `down` or `first` among the items of its kind."""
    release = _editable(session, actor, release_id)
    items = list(release.current.media)
    item = _item(release, asset_id)
    same = [m for m in items if m.asset.kind == item.asset.kind]
    index = same.index(item)
    target = {"up": index - 1, "down": index + 1, "first": 0}.get(where)
    if target is None:
        raise InvalidInput(fields={"where": "field.move_where"})
    target = min(max(target, 0), len(same) - 1)
    same.insert(target, same.pop(index))
    slots = iter(same)
    order = [
        (next(slots) if m.asset.kind == item.asset.kind else m).asset_id for m in items
    ]
    return reorder(session, actor, release_id, order)


def remove(
    session: Session, storage: Storage, actor: User, release_id: int, asset_id: int
) -> Release:
    """Take an item off the release; its files go once no revision shows it."""
    release = _editable(session, actor, release_id)
    filename = _item(release, asset_id).asset.filename
    revision = drafting.writable_revision(
        session, actor, release, [f"media: {filename}"]
    )
    item = next(m for m in revision.media if m.asset_id == asset_id)
    revision.media.remove(item)
    for position, other in enumerate(revision.media):
        other.position = position
    session.flush()
    still_shown = session.scalar(
        select(RevisionMedia.id).where(RevisionMedia.asset_id == asset_id).limit(1)
    )
    if still_shown is None:
        asset = session.get(MediaAsset, asset_id)
        if asset is not None:
            _ledger(session, storage).released.update(f.key for f in asset.files)
            session.delete(asset)
            session.flush()
    audit.record(
        session,
        actor,
        "media.removed",
        release,
        revision=revision.number,
        media=asset_id,
        file=filename,
    )
    return release


def require_alt_text(revision: Revision) -> None:
    """InvalidInput naming every image of `revision` that has no alt text."""
    lacking = [
        m
        for m in revision.media
        if m.asset.kind == MediaKind.IMAGE and not m.alt.strip()
    ]
    if lacking:
        raise InvalidInput(
            "media.alt_missing",
            names=[m.asset.filename for m in lacking],
            fields={
                f"media.{m.asset_id}.alt": Notice(
                    "media.alt_missing_for", {"name": m.asset.filename}
                )
                for m in lacking
            },
        )


def find_file(release: Release, key: str) -> tuple[MediaAsset, MediaFile] | None:
    """The asset of `release` (any revision) and its file stored under `key`."""
    for revision in release.revisions:
        for item in revision.media:
            for file in item.asset.files:
                if file.key == key:
                    return item.asset, file
    return None


def public_files(
    session: Session, config: Config, release: Release
) -> dict[str, tuple[MediaAsset, MediaFile]]:
    """The files anyone may fetch now, by key: none until the release is public.

    Only the revision the public page shows counts (`feeds.visible_items` decides),
    and never an original: a picture removed by a published correction goes too.
    """
    items = feeds.visible_items(
        session, config, adapter=None, public_id=release.public_id
    )
    shown = next(
        (r for r in release.revisions if items and r.number == items[0].revision),
        None,
    )
    if shown is None:
        return {}
    return {
        file.key: (item.asset, file)
        for item in shown.media
        for purpose, file in item.files().items()
        if purpose in PUBLIC_PURPOSES
    }


def find_public_file(
    session: Session, config: Config, public_id: str, key: str
) -> tuple[MediaAsset, MediaFile] | None:
    """The public file under `key` of the release `public_id`, if anyone may see it."""
    release = session.scalar(select(Release).where(Release.public_id == public_id))
    if release is None:
        return None
    return public_files(session, config, release).get(key)


def _editable(session: Session, actor: User, release_id: int) -> Release:
    """The release, if `actor` may change it and it is not withdrawn."""
    if not actor.can_write:
        raise PermissionDenied("release.role_cannot_write")
    release = drafting.get_release(session, release_id)
    if release.is_withdrawn:
        raise Conflict("release.withdrawn_read_only")
    return release


def _item(release: Release, asset_id: int) -> RevisionMedia:
    """The current revision's item for `asset_id`, or NotFound."""
    item = next((m for m in release.current.media if m.asset_id == asset_id), None)
    if item is None:
        raise NotFound("media.not_found", media=asset_id, release=release.id)
    return item


def _submitted(release: Release) -> bool:
    """Whether an edit now lands in a revision already sent for review."""
    return not release.is_submittable


def _ensure_crops(
    session: Session,
    storage: Storage,
    asset: MediaAsset,
    focal: tuple[float, float],
) -> None:
    """Make the variants cut around `focal` unless they were made before."""
    key = crop_key(*focal)
    have = {(f.purpose, f.crop) for f in asset.files}
    purposes = [
        p
        for p in cropped_purposes(asset.width or 1, asset.height or 1)
        if (p, key) not in have
    ]
    if not purposes:
        return
    original = next(f for f in asset.files if f.purpose == "original")
    with Image.open(storage.path(original.key)) as stored:
        stored.load()
        stored.info = {
            k: v for k, v in stored.info.items() if k in ("icc_profile", "transparency")
        }
        made = make_variants(stored, focal, purposes)
    asset.files.extend(_store(session, storage, made))
