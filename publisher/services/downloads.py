"""The frozen files of a delivery, as people download them: name, type, SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..models import RenditionFileRow
from .scheduling import get_delivery

# Machine payloads (the JSON a webhook posts) stay out of the download list.
HIDDEN_SUFFIXES = (".json",)


# (rendition content hash, file name) → (SHA-256, size). The rendition's content
# hash covers every file's bytes, so an entry never goes stale; listing a page of
# deliveries then reads no file bytes after the first time.
_DIGESTS: dict[tuple[str, str], tuple[str, int]] = {}
_DIGESTS_KEPT = 4096


@dataclass(frozen=True)
class Download:
    """One file exactly as approved and sent; `data` reads its bytes."""

    name: str
    media_type: str
    sha256: str  # hex: what a desk compares with what it received
    size: int
    row: RenditionFileRow

    @property
    def data(self) -> bytes:
        """The file's bytes."""
        return self.row.data


def _digest(content_hash: str, row: RenditionFileRow) -> tuple[str, int]:
    """(SHA-256 hex, size) of a frozen file, computed once per process."""
    key = (content_hash, row.name)
    found = _DIGESTS.get(key)
    if found is None:
        found = (hashlib.sha256(row.data).hexdigest(), len(row.data))
        if len(_DIGESTS) >= _DIGESTS_KEPT:
            _DIGESTS.clear()
        _DIGESTS[key] = found
    return found


def delivery_downloads(
    session: Session, delivery_id: int, release_id: int | None = None
) -> list[Download]:
    """The downloadable files of a delivery (print PDF and DOCX, scripts, the
    e-mail as `.eml`), in rendering order; NotFound for an unknown delivery."""
    delivery = get_delivery(session, delivery_id, release_id)
    frozen = delivery.frozen
    if frozen is None:
        return []
    return [
        Download(f.name, f.media_type, *_digest(frozen.content_hash, f), row=f)
        for f in frozen.files
        if not f.name.endswith(HIDDEN_SUFFIXES)
    ]


def delivery_download(
    session: Session, delivery_id: int, name: str, release_id: int | None = None
) -> Download | None:
    """The file called `name` of a delivery, or None."""
    found = delivery_downloads(session, delivery_id, release_id)
    return next((f for f in found if f.name == name), None)
