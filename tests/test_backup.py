"""Backups restore to a working system, even when taken while the dispatcher sends."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from conftest import make_config
from support import Reply, wait_until

from publisher import create_app
from publisher.cli import main
from publisher.db import Database, alembic_config
from publisher.dispatcher import Dispatcher
from publisher.models import AuditEvent, Delivery, MediaFile, Release, User
from publisher.services import scheduling
from tests.media.pictures import encode, scene


@pytest.fixture
def extra_channels(webhook_channel):
    """The office website's webhook, pointed at the local receiver."""
    return {"situs_web": webhook_channel}


def run(config_path, *args: str):
    """Invoke `publisher --config CONFIG ARGS`."""
    return CliRunner().invoke(main, ["--config", str(config_path), *args])


def snapshot(database: Database) -> dict:
    """What must survive: releases, deliveries with their outcome, media keys."""
    with database.session() as session:
        return {
            "releases": {
                r.id: (r.public_id, r.current.title)
                for r in session.scalars(sa.select(Release))
            },
            "deliveries": {
                d.id: (d.channel, d.status, d.remote_id)
                for d in session.scalars(sa.select(Delivery))
            },
            "media": set(session.scalars(sa.select(MediaFile.key))),
            "audit": session.scalar(sa.select(sa.func.count(AuditEvent.id))),
        }


def photo_release(client, accounts_) -> int:
    """A release with a photo, approved; its id."""
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id = client.post(
        "/api/v1/releases",
        headers=drafter.headers,
        json={"title": "Rilis berfoto", "lead": "Ringkasan.", "body": "Isi."},
    ).json["id"]
    uploaded = client.post(
        f"/api/v1/releases/{release_id}/media",
        headers=drafter.headers,
        data={
            "file": (io.BytesIO(encode(scene((1600, 1200)))), "foto.jpg"),
            "alt": "Peserta forum",
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    approved = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=editor.headers
    )
    assert approved.status_code == 200, approved.json
    return release_id


def test_a_backup_taken_while_the_dispatcher_delivers_restores_to_a_working_system(
    app, client, config, database, accounts_, approved_release, receiver, tmp_path
):
    receiver.default = Reply(delay=0.05)
    ids = [photo_release(client, accounts_)]
    ids += [approved_release(f"Rilis {n}") for n in range(11)]
    start = datetime.now(UTC) + timedelta(seconds=1)
    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        for n, release_id in enumerate(ids):
            scheduling.schedule(
                session,
                config,
                editor,
                release_id,
                scheduling.SchedulePlan(
                    deliveries=[
                        {
                            "channel": "situs_web",
                            "planned_at": start + timedelta(seconds=0.25 * n),
                        }
                    ]
                ),
            )
    state = app.extensions["publisher"]
    dispatcher = Dispatcher(state.config, state.db)
    dispatcher.start()
    try:
        assert receiver.wait_for(3, timeout=15)  # delivering has begun
        before = snapshot(database)
        made = run(config.path, "backup", "--output", str(tmp_path / "backups"))
        assert made.exit_code == 0, made.output
        assert len(receiver.received) < len(ids), "the backup came too late to prove"
        assert wait_until(lambda: len(receiver.received) == len(ids), timeout=20)
    finally:
        dispatcher.shutdown()
    archive = next((tmp_path / "backups").glob("publisher-backup-*.tar.gz"))

    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["kind"] == "sqlite"
    # The newest migration, whichever it is once branches are merged.
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert manifest["database"]["schema_revision"] == head
    assert manifest["database"]["counts"]["releases"] == len(ids)
    assert any(name.startswith("media/") for name in manifest["files"])
    assert "data/secret_key" in manifest["files"]
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())

    fresh = tmp_path / "pulih"
    fresh.mkdir()
    target = make_config(
        fresh,
        f"sqlite:///{fresh}/instance/publisher.db",
        situs_web={
            "adapter": "webhook",
            "url": receiver.url,
            "secret": "x" * 24,
            "allow_networks": ["127.0.0.0/8"],
        },
    )
    restored = run(target.path, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "warning" not in restored.output

    again = Database(target.database_url)
    try:
        after = snapshot(again)
    finally:
        again.dispose()
    # Nothing committed before the backup began is lost, and nothing is invented.
    assert set(before["releases"]) == set(after["releases"])
    assert after["audit"] >= before["audit"]
    for delivery_id, (channel, status, remote_id) in before["deliveries"].items():
        if status == "sent":
            assert after["deliveries"][delivery_id] == (channel, status, remote_id)
    assert set(after["deliveries"]) == set(before["deliveries"])
    assert after["media"] == before["media"]

    verified = run(target.path, "audit", "verify")
    assert verified.exit_code == 0, verified.output

    restored_app = create_app(target)
    try:
        api = restored_app.test_client()
        drafter, admin = accounts_["penyusun"], accounts_["admin"]
        media = api.get(f"/api/v1/releases/{ids[0]}/media", headers=drafter.headers)
        assert media.status_code == 200, media.json
        files = media.json["media"][0]["files"]
        assert {"original", "web", "thumbnail"} <= files.keys()
        for purpose, file in files.items():
            with api.get(file["url"], headers=drafter.headers) as answer:
                assert answer.status_code == 200, purpose
                assert len(answer.data) == file["size"], purpose
        new = api.post(
            "/api/v1/releases",
            headers=drafter.headers,
            json={"title": "Sesudah pemulihan", "lead": "Ringkasan.", "body": "Isi."},
        )
        assert new.status_code == 201, new.json
        details = api.get("/healthz/details", headers=admin.headers).json
        assert details["database"] == "ok"
    finally:
        restored_app.extensions["publisher"].db.dispose()
    assert run(target.path, "audit", "verify").exit_code == 0


def test_restore_refuses_a_used_target_without_force_and_a_damaged_archive(
    config, database, accounts_, approved_release, tmp_path
):
    approved_release()
    made = run(config.path, "backup", "--output", str(tmp_path / "b.tar.gz"))
    assert made.exit_code == 0, made.output
    archive = tmp_path / "b.tar.gz"

    refused = run(config.path, "restore", str(archive))
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output

    forced = run(config.path, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output

    damaged = tmp_path / "rusak.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as out:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "config/config.yaml":
                data = data.replace(b"Denpasar", b"Singaraja")
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    fresh = tmp_path / "baru"
    fresh.mkdir()
    target = make_config(fresh, f"sqlite:///{fresh}/instance/publisher.db")
    answer = run(target.path, "restore", str(damaged))
    assert answer.exit_code == 1
    assert "does not match" in answer.output
    assert not (fresh / "instance" / "publisher.db").exists()


def test_restore_into_a_folder_without_a_config_uses_the_archived_one(tmp_path):
    (tmp_path / "lama").mkdir()
    source = make_config(tmp_path / "lama")  # data_dir "instance", beside the config
    Database(source.database_url).upgrade()
    made = run(source.path, "backup", "--output", str(tmp_path / "b.tar.gz"))
    assert made.exit_code == 0, made.output

    new_config = tmp_path / "baru" / "config.yaml"
    answer = run(new_config, "restore", str(tmp_path / "b.tar.gz"))
    assert answer.exit_code == 0, answer.output
    assert new_config.read_bytes() == source.path.read_bytes()
    assert (tmp_path / "baru" / "instance" / "publisher.db").is_file()
    assert run(new_config, "audit", "verify").exit_code == 0


@pytest.fixture
def postgres_databases():
    """Factory of fresh PostgreSQL databases (pg_dump dumps a whole database)."""
    import os
    import uuid

    base = sa.make_url(os.environ["PUBLISHER_TEST_POSTGRES_URL"])
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    made = []

    def make() -> str:
        name = f"ops_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        made.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as connection:
        for name in made:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.postgres
def test_postgresql_backup_restores_into_another_database(
    tmp_path, postgres_databases, receiver
):
    from publisher.services import accounts, drafting

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    source = make_config(tmp_path / "a", postgres_databases())
    database = Database(source.database_url)
    database.upgrade()
    try:
        with database.session() as session:
            user = accounts.create_user(
                session, "penyusun", "drafter", "kebun-kopi-kintamani-hujan"
            )
            drafting.create_release(
                session,
                user,
                drafting.ReleaseContent(title="Rilis PG", lead="L.", body="Isi."),
            )
        before = snapshot(database)
    finally:
        database.dispose()
    made = run(source.path, "backup", "--output", str(tmp_path / "pg.tar.gz"))
    assert made.exit_code == 0, made.output

    target = make_config(tmp_path / "b", postgres_databases())
    restored = run(target.path, "restore", str(tmp_path / "pg.tar.gz"))
    assert restored.exit_code == 0, restored.output
    again = Database(target.database_url)
    try:
        assert snapshot(again) == before
    finally:
        again.dispose()
    assert run(target.path, "audit", "verify").exit_code == 0
    refused = run(target.path, "restore", str(tmp_path / "pg.tar.gz"))
    assert refused.exit_code == 1 and "already holds data" in refused.output
    forced = run(target.path, "restore", "--force", str(tmp_path / "pg.tar.gz"))
    assert forced.exit_code == 0, forced.output
