"""The database: one engine per process, sessions per request or per job, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from blinker import Namespace
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from . import audit
from .services import notifications

WAKE_KEY = "dispatcher_wake"
# Sent after a commit that created or moved deliveries; the dispatcher in the same
# process listens, so a delivery planned two seconds ahead is not left to the poll.
deliveries_changed = Namespace().signal("deliveries-changed")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Database:
    """An engine and its session factory; SQLite tuned for a web + dispatcher pair."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "after_commit", _announce_wake)
        event.listen(self.sessions, "after_rollback", _forget_wake)
        # Notifications first: their rows are written before the audit chain's
        # head lock, which must stay the last lock a transaction takes.
        notifications.install(self.sessions)
        audit.install(self.sessions)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> None:
        """Apply every pending Alembic migration."""
        with self.engine.begin() as connection:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _announce_wake(session: Session) -> None:
    """Tell this process's dispatcher which deliveries changed, once durable."""
    ids = session.info.pop(WAKE_KEY, None)
    if ids:
        deliveries_changed.send(session, delivery_ids=frozenset(ids))


def _forget_wake(session: Session) -> None:
    session.info.pop(WAKE_KEY, None)


def ping(session: Session) -> str | None:
    """None if the database answers, else the kind of error it gave."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "down" to a monitor
        session.rollback()
        return type(exc).__name__
    return None


def alembic_config() -> AlembicConfig:
    """Alembic settings pointing at the migrations shipped inside the package."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def make_engine(url: str) -> Engine:
    """An engine; for SQLite: WAL, a busy timeout and enforced foreign keys."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Python's sqlite3 opens transactions lazily; take control of BEGIN so
            # a claim's UPDATE starts a write transaction at once (see dispatcher).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)
