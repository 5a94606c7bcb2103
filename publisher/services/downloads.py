"""The frozen files of a delivery, as people download them: name, type, SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .scheduling import get_delivery

# Machine payloads (the JSON a webhook posts) stay out of the download list.
HIDDEN_SUFFIXES = (".json",)


@dataclass(frozen=True)
class Download:
    """One file exactly as approved and sent."""

    name: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the bytes: what a desk compares with what it received."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        """Length in bytes."""
        return len(self.data)


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
        Download(f.name, f.media_type, f.data)
        for f in frozen.files
        if not f.name.endswith(HIDDEN_SUFFIXES)
    ]


def delivery_download(
    session: Session, delivery_id: int, name: str, release_id: int | None = None
) -> Download | None:
    """The file called `name` of a delivery, or None."""
    found = delivery_downloads(session, delivery_id, release_id)
    return next((f for f in found if f.name == name), None)
