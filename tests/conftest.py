"""Shared fixtures: a config in a temporary folder, the app, users and their tokens."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import waitress
import yaml
from argon2 import PasswordHasher
from support import Receiver

from publisher import create_app, security
from publisher.config import Config, parse_config
from publisher.db import Database
from publisher.services import accounts

PASSWORD = "kata-sandi-uji-123"
WEBHOOK_SECRET = "rahasia-uji-yang-panjang"

BASE_CONFIG: dict[str, Any] = {
    "organization": {
        "name": "Dinas Komunikasi, Informatika dan Statistik Provinsi Bali",
        "short_name": "Diskominfos Bali",
        "city": "Denpasar",
        "address": "Jl. Basuki Rahmat No. 7, Denpasar",
        "phone": "(0361) 000000",
        "email": "diskominfos@example.go.id",
        "website": "https://diskominfos.example.go.id",
        "timezone": "Asia/Makassar",
        "language": "id",
        "public_url": "http://127.0.0.1:5000",
    },
    "data_dir": "instance",
    "dispatcher": {"poll_seconds": 0.5, "heartbeat_seconds": 1},
    "channels": {
        "mitra_online": {"adapter": "rss", "label": "Media daring mitra"},
        "koran": {"adapter": "print", "label": "Media cetak"},
        "radio": {"adapter": "radio", "label": "Radio"},
    },
}


def make_config(
    folder: Path, database_url: str | None = None, **channels: dict[str, Any]
) -> Config:
    """A validated config rooted in `folder`, with extra channels merged in."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"].update(channels)
    if database_url:
        raw["database_url"] = database_url
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return parse_config(raw, path)


@dataclass
class Account:
    """A test user with a password and an API token."""

    username: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header for the API."""
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def receiver():
    """A partner's HTTP endpoint on 127.0.0.1 that records what it receives."""
    with Receiver() as server:
        yield server


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite in the test's folder."""
    return f"sqlite:///{tmp_path}/instance/publisher.db"


@pytest.fixture
def webhook_channel(receiver) -> dict[str, Any]:
    """Settings of a webhook channel pointed at the local receiver."""
    return {
        "adapter": "webhook",
        "url": receiver.url,
        "secret": WEBHOOK_SECRET,
        "allow_networks": ["127.0.0.0/8"],  # the receiver runs on this machine
    }


@pytest.fixture
def extra_channels() -> dict[str, dict[str, Any]]:
    """Channels a test module adds to the base config (override the fixture)."""
    return {}


@pytest.fixture
def config(tmp_path: Path, database_url: str, extra_channels) -> Config:
    """The validated test config."""
    return make_config(tmp_path, database_url, **extra_channels)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """argon2id with its smallest cost in tests (production keeps the library's
    defaults): hashing four accounts per test was most of each test's set-up."""
    original = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = original


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once per session; tests start from a copy."""
    path = tmp_path_factory.mktemp("template") / "publisher.db"
    template = Database(f"sqlite:///{path}")
    template.upgrade()
    template.dispose()
    return path


@pytest.fixture
def database(config: Config, migrated_sqlite: Path):
    """The migrated database (a copy of the session's template, for SQLite)."""
    url = config.database_url
    if url.startswith("sqlite:///"):
        target = Path(url.removeprefix("sqlite:///"))
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(migrated_sqlite, target)
    db = Database(url)
    db.upgrade()  # at head already for a copy: only checks
    yield db
    db.dispose()


@pytest.fixture
def app(config: Config, database: Database):
    """The app, with CSRF off for the test client (the browser tests keep it on)."""
    app = create_app(config)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    yield app
    app.extensions["publisher"].db.dispose()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def accounts_(database: Database) -> dict[str, Account]:
    """A drafter, two editors and an admin, each with an API token."""
    made = {}
    with database.session() as session:
        for username, role in (
            ("penyusun", "drafter"),
            ("editor", "editor"),
            ("editor2", "editor"),
            ("admin", "admin"),
        ):
            accounts.create_user(session, username, role, PASSWORD)
            made[username] = Account(
                username, role, accounts.create_token(session, username)
            )
    return made


def plan(database: Database, config: Config, release_id: int, when, *channels):
    """Schedule `channels` of an approved release at `when` as the editor; their
    delivery ids, in order."""
    from publisher.models import User
    from publisher.services import scheduling

    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        made = scheduling.schedule(
            session,
            config,
            editor,
            release_id,
            scheduling.SchedulePlan(
                deliveries=[{"channel": c, "planned_at": when} for c in channels]
            ),
        )
        session.flush()
        return [d.id for d in made]


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def base_url(config, database, accounts_) -> Iterator[str]:
    """The app served by waitress on a free port, exactly as in production (CSRF on)."""
    app = create_app(config)
    assert app.config.get("WTF_CSRF_ENABLED", True)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=5)
    app.extensions["publisher"].db.dispose()


@pytest.fixture
def page(base_url):
    """A fresh page in Debian's Chromium (skipped if missing; CI requires it)."""
    if not CHROMIUM.exists():
        if os.environ.get("PUBLISHER_REQUIRE_BROWSER"):
            pytest.fail("/usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("/usr/bin/chromium is not installed")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=base_url, locale="id-ID", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL tests unless PUBLISHER_TEST_POSTGRES_URL is set."""
    if os.environ.get("PUBLISHER_TEST_POSTGRES_URL"):
        return
    skip = pytest.mark.skip(reason="set PUBLISHER_TEST_POSTGRES_URL to run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def approved_release(database: Database, config: Config, accounts_):
    """Factory: a release written by the drafter and approved by an editor."""
    from publisher.models import User
    from publisher.services import drafting, workflow

    def make(title: str = "Sosialisasi KIM di Denpasar", **content: Any) -> int:
        with database.session() as session:
            drafter = session.query(User).filter_by(username="penyusun").one()
            editor = session.query(User).filter_by(username="editor").one()
            values = {
                "title": title,
                "lead": "Ringkasan rilis.",
                "body": "Isi rilis yang **penting**.",
                **content,
            }
            release = drafting.create_release(
                session, drafter, drafting.ReleaseContent(**values)
            )
            workflow.submit(session, drafter, release.id)
            workflow.approve(session, config, editor, release.id)
            return release.id

    return make
