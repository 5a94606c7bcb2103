"""Where media files live: a small interface and a local folder behind it.

Files are addressed by content: a key is the SHA-256 of the bytes plus an extension
("3f2a….jpg"), so a key never names two different contents and a cached copy never
goes stale. A file appears under its key only once it is completely written.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from .config import Config

KEY = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,5}")


class Storage(Protocol):
    """What the media library needs from a place that keeps files."""

    def put(self, data: bytes, extension: str) -> tuple[str, bool]:
        """Store `data`; returns its key and whether this call created the file."""
        ...

    def path(self, key: str) -> Path:
        """A local path to read the file from (adapters get paths)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a file is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""
        ...


class LocalStorage:
    """Files in a folder: `<root>/ab/<sha256>.<ext>`, written via a temporary file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes, extension: str) -> tuple[str, bool]:
        """Write to a temporary file, flush it to disk, then rename it into place."""
        key = f"{hashlib.sha256(data).hexdigest()}.{extension}"
        target = self.path(key)
        if target.exists():
            return key, False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o644)
            # Atomic on one file system: readers see no file or the whole file.
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key, True

    def path(self, key: str) -> Path:
        """The file's path; ValueError for anything that is not a key."""
        if not KEY.fullmatch(key):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key[:2] / key

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self.path(key).unlink(missing_ok=True)


def open_storage(config: Config) -> LocalStorage:
    """The storage `config` names: `media.storage_dir`, else `<data_dir>/media`."""
    return LocalStorage(config.media.storage_dir or config.data_dir / "media")
