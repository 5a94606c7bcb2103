"""Atomic writes into a channel's outbox folder, for desks that pick files up."""

from __future__ import annotations

import errno
import grp
import os
import re
import tempfile
from pathlib import Path

from .base import (
    CheckResult,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    Rendition,
    RetryableError,
)
from .notice import Notice

# Readable by the desk's share unless the channel says otherwise (`file_mode`).
DEFAULT_MODE = 0o644
# Errors a retry cannot cure: someone has to fix the folder first.
HOPELESS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR}


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name fragment from free text: lower case, ASCII, dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "rilis"


def write_atomic(
    folder: Path,
    name: str,
    data: bytes,
    mode: int = DEFAULT_MODE,
    gid: int | None = None,
) -> Path:
    """Write `data` to `folder/name` so a reader never sees a half-written file;
    the file gets `mode` and, if given, group `gid` before it appears."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if gid is not None:
                os.fchown(handle.fileno(), -1, gid)
            os.fchmod(handle.fileno(), mode)  # after chown, which may clear bits
            os.fsync(handle.fileno())
        target = folder / name
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def file_stem(release: ReleaseSnapshot) -> str:
    """`12-r2-judul-rilis`: the outbox name, unique per release and revision."""
    # The id and revision go into the name at render time: `deliver` sees only files.
    return f"{release.release_id}-r{release.revision}-{safe_name(release.title)}"


def group_id(group: str | None) -> int | None:
    """The numeric id of `group` (a name or a number); None for none. KeyError
    when this machine has no such group."""
    if group is None:
        return None
    if group.isdigit():
        return int(group)
    return grp.getgrnam(group).gr_gid


def deliver_to_outbox(
    folder: Path,
    rendition: Rendition,
    mode: int = DEFAULT_MODE,
    group: str | None = None,
) -> DeliveryResult:
    """Write each file of `rendition` atomically into `folder` with `mode` and
    `group`; report the first."""
    if not rendition.files:
        raise PermanentError(Notice("delivery.no_files"))
    try:
        gid = group_id(group)
    except KeyError:
        raise PermanentError(Notice("outbox.unknown_group", {"group": group})) from None
    written = []
    for file in rendition.files:
        try:
            written.append(write_atomic(folder, file.name, file.data, mode, gid))
        except OSError as exc:
            notice = Notice(
                "outbox.write_failed",
                {
                    "file": file.name,
                    "folder": str(folder),
                    "reason": exc.strerror or str(exc),
                },
            )
            if exc.errno in HOPELESS:
                raise PermanentError(notice) from exc
            # A full disk or a flaky network share may well be fine in a minute.
            raise RetryableError(notice) from exc
    main = written[0].resolve()
    return DeliveryResult(
        remote_id=str(main), remote_url=main.as_uri(), detail=f"written to {folder}"
    )


def check_outbox(folder: Path, group: str | None = None) -> CheckResult:
    """Whether `folder` exists (or can be made) and accepts a new file, and
    `group`, if set, exists here."""
    try:
        group_id(group)
    except KeyError:
        notice = Notice("outbox.unknown_group", {"group": group})
        return CheckResult(ok=False, notice=notice)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(prefix=".check-", dir=folder):
            pass
    except OSError as exc:
        params = {"folder": str(folder), "reason": exc.strerror or str(exc)}
        return CheckResult(ok=False, notice=Notice("outbox.not_writable", params))
    notice = Notice("outbox.writable", {"folder": str(folder)})
    return CheckResult(ok=True, notice=notice)
