"""Files a killed process left behind are swept; unreferenced media is listed."""

from __future__ import annotations

import hashlib
import os
import time

import sqlalchemy as sa
from click.testing import CliRunner

from publisher import create_app
from publisher.cli import main
from publisher.models import MediaAsset, RevisionMedia, utcnow
from tests.media.pictures import encode, scene

HOUR = 3600


def aged(path, seconds: float):
    """Make `path` look `seconds` old."""
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def run(config, *args: str):
    """Invoke `publisher --config <test config> ARGS`."""
    return CliRunner().invoke(main, ["--config", str(config.path), *args])


def test_a_start_removes_temporary_upload_files_older_than_an_hour(config, storage):
    folder = storage.root / "ab"
    folder.mkdir(parents=True)
    left = folder / ".upload-k1ll3d"  # as storage.put's mkstemp names it
    left.write_bytes(b"half a photo")
    aged(left, 2 * HOUR)
    busy = folder / ".upload-wr1t1ng"  # another process is writing this one now
    busy.write_bytes(b"being written")

    create_app(config).extensions["publisher"].db.dispose()

    assert not left.exists()
    assert busy.exists()


def test_cleanup_lists_then_removes_media_nothing_shows(
    client, config, database, draft, upload, storage
):
    release_id = draft()
    shown = upload(release_id, "foto.jpg", encode(scene()), alt="Pasar rakyat")
    assert shown.status_code == 201, shown.json
    gone = upload(release_id, "lain.jpg", encode(scene((900, 600))), alt="Lain")
    gone_id = gone.json["id"]
    with database.session() as session:
        # A crash between the rows and their files, as it would leave them.
        session.execute(
            sa.delete(RevisionMedia).where(RevisionMedia.asset_id == gone_id)
        )
        session.get(MediaAsset, gone_id).created_at = utcnow().replace(year=2025)
        gone_keys = {f.key for f in session.get(MediaAsset, gone_id).files}
    stray_data = b"written, then the transaction died"
    stray = storage.path(hashlib.sha256(stray_data).hexdigest() + ".jpg")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(stray_data)
    aged(stray, 2 * HOUR)
    for key in gone_keys:
        aged(storage.path(key), 2 * HOUR)
    temporary = stray.parent / ".upload-x"
    temporary.write_bytes(b"x")
    aged(temporary, 2 * HOUR)

    listed = run(config, "cleanup")
    assert listed.exit_code == 0, listed.output
    assert "removed 1 temporary upload file(s)" in listed.output
    assert f"asset {gone_id}: no revision shows it" in listed.output
    assert stray.name in listed.output
    assert all(key in listed.output for key in gone_keys)
    assert stray.exists() and all(storage.exists(k) for k in gone_keys)

    removed = run(config, "cleanup", "--remove-unreferenced")
    assert removed.exit_code == 0, removed.output
    assert f"removed 1 unreferenced asset(s) and {len(gone_keys) + 1}" in removed.output
    assert not stray.exists() and not any(storage.exists(k) for k in gone_keys)
    with database.session() as session:
        assert session.get(MediaAsset, gone_id) is None
    media = client.get(
        f"/api/v1/releases/{release_id}/media",
        headers={"Authorization": "Bearer " + _drafter_token(database)},
    )
    assert [m["id"] for m in media.json["media"]] == [shown.json["id"]]
    assert "found 0 unreferenced asset(s) and 0" in run(config, "cleanup").output


def _drafter_token(database) -> str:
    from publisher.services import accounts

    with database.session() as session:
        return accounts.create_token(session, "penyusun", "uji")


def test_a_really_killed_upload_leaves_a_file_that_the_next_start_removes(
    config, storage
):
    import signal
    import subprocess
    import sys
    import textwrap

    from support import wait_until

    # A process stops for good between writing the temporary file and renaming it.
    script = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        from publisher.storage import LocalStorage
        os.replace = lambda *a: (print("written", flush=True), time.sleep(60))
        LocalStorage(Path({str(storage.root)!r})).put(b"half a photo", "jpg")
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "written"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
    [left] = list(storage.root.glob("*/.upload-*"))
    create_app(config).extensions["publisher"].db.dispose()
    assert left.exists()  # younger than an hour: maybe another process's upload
    aged(left, 2 * HOUR)
    create_app(config).extensions["publisher"].db.dispose()
    assert wait_until(lambda: not left.exists(), timeout=1)
