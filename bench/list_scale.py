"""Does the release list cost the same with a large archive as with a small one?

Seeds two databases, one with 100 releases and one with 20,000 (bulk inserts; the
search index is filled by the migration's triggers), and times side by side, through
the app (Flask test client, signed in / bearer token):
- the list page (`/`), the dashboard (`/dashboard`),
- a search in the list page (`/?q=desa&limit=10`: a word in one release of
  nine, so both archives fill the page of ten),
- the API's first page (`/api/v1/releases`), its second page (the `next` link),
- an API search for the same word, for a rarer one (`subak`, one release in
  200) and for one release's official number.
Each figure is the median of `--repeat` requests after one warm-up request; the
two archives are asked in turn, so a busy machine slows both alike.

Usage: .venv/bin/python bench/list_scale.py [--sizes 100 20000] [--repeat 15]
       [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_config  # noqa: E402

from publisher import create_app  # noqa: E402
from publisher.db import Database  # noqa: E402
from publisher.models import (  # noqa: E402
    Delivery,
    Release,
    Revision,
    User,
    utcnow,
)
from publisher.services import accounts  # noqa: E402

PASSWORD = "kata-sandi-bench-123"
WORDS = "pelayanan publik desa wisata pasar rakyat irigasi beasiswa festival".split()
BATCH = 2000


def seed(database: Database, size: int) -> str:
    """`size` releases (every fifth approved, with a sent and a failed or waiting
    delivery); returns the official number of one release in the middle."""
    with database.session() as session:
        author = accounts.create_user(session, "penyusun", "drafter", PASSWORD)
        accounts.create_user(session, "editor", "editor", PASSWORD)
        author_id = author.id
    now = utcnow()
    engine = database.engine
    for start in range(0, size, BATCH):
        releases, revisions, deliveries = [], [], []
        for n in range(start, min(start + BATCH, size)):
            made = now - timedelta(minutes=size - n)
            approved = n % 5 == 0
            releases.append(
                {
                    "id": n + 1,
                    "public_id": str(uuid.uuid4()),
                    "number": f"{n + 1:05d}/HUMAS/2026" if approved else None,
                    "status": "published" if approved else "draft",
                    "author_id": author_id,
                    "approved_revision": 1 if approved else None,
                    "created_at": made,
                    "updated_at": made,
                }
            )
            word = WORDS[n % len(WORDS)]
            rare = " subak" if n % 200 == 7 else ""  # one release in 200
            revisions.append(
                {
                    "id": n + 1,
                    "release_id": n + 1,
                    "number": 1,
                    "language": "id",
                    "title": f"Rilis {n} tentang {word}{rare}",
                    "lead": "Ringkasan kegiatan pemerintah daerah.",
                    "body": f"Isi rilis nomor {n} tentang {word} di Bali. " * 8,
                    "dateline_city": "Denpasar",
                    "category": "Pemerintahan",
                    "tags": [word, "bali"],
                    "contact_name": "",
                    "contact_phone": "",
                    "contact_email": "",
                    "created_by_id": author_id,
                    "created_at": made,
                }
            )
            if approved:
                for channel, status in (("koran", "sent"), ("radio", "failed")):
                    deliveries.append(
                        {
                            "release_id": n + 1,
                            "revision_id": n + 1,
                            "channel": channel,
                            "adapter": "print" if channel == "koran" else "radio",
                            "planned_at": made,
                            "status": status,
                            "attempts": 1,
                            "idempotency_key": str(uuid.uuid4()),
                            "sent_at": made if status == "sent" else None,
                            "created_at": made,
                            "updated_at": made,
                        }
                    )
        with engine.begin() as connection:
            connection.execute(Release.__table__.insert(), releases)
            connection.execute(Revision.__table__.insert(), revisions)
            if deliveries:
                connection.execute(Delivery.__table__.insert(), deliveries)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    middle = (size // 2) // 5 * 5
    return f"{middle + 1:05d}/HUMAS/2026"


def side_by_side(small: Callable, large: Callable, repeat: int) -> tuple[float, float]:
    """Median times (ms) of two calls, alternated so that the machine's load
    weighs on both alike, after one warm-up call each."""
    small(), large()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for call, found in ((small, times[0]), (large, times[1])):
            started = time.perf_counter()
            call()
            found.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


@contextmanager
def archive(size: int, postgres: str | None) -> Iterator[dict[str, Callable]]:
    """The requests to time, against an app over an archive of `size` releases."""
    with tempfile.TemporaryDirectory() as folder:
        schema = None
        url = None
        if postgres:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(postgres)
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            separator = "&" if "?" in postgres else "?"
            url = f"{postgres}{separator}options=-csearch_path%3D{schema}"
        try:
            config = make_config(Path(folder), url)
            database = Database(config.database_url)
            database.upgrade()
            number = seed(database, size)
            with database.session() as session:
                editor = session.query(User).filter_by(username="editor").one()
                token = accounts.create_token(session, editor.username)
            database.dispose()
            app = create_app(config)
            app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
            web = app.test_client()
            web.post("/login", data={"username": "editor", "password": PASSWORD})
            api = app.test_client()
            headers = {"Authorization": f"Bearer {token}"}

            def ok(response):
                assert response.status_code == 200, response.status_code
                return response

            first = ok(api.get("/api/v1/releases", headers=headers)).json
            found = ok(
                api.get("/api/v1/releases", headers=headers, query_string={"q": number})
            ).json
            assert [r["number"] for r in found["releases"]] == [number]
            requests = {
                "list page /": lambda: ok(web.get("/")),
                "dashboard /dashboard": lambda: ok(web.get("/dashboard")),
                "list search /?q=desa": lambda: ok(web.get("/?q=desa&limit=10")),
                "API first page": lambda: ok(
                    api.get("/api/v1/releases", headers=headers)
                ),
                "API next page": lambda: ok(api.get(first["next"], headers=headers)),
                "API search ?q=desa": lambda: ok(
                    api.get("/api/v1/releases?q=desa&limit=10", headers=headers)
                ),
                "API search ?q=subak": lambda: ok(
                    api.get("/api/v1/releases?q=subak&limit=10", headers=headers)
                ),
                "API search by number": lambda: ok(
                    api.get(
                        "/api/v1/releases", headers=headers, query_string={"q": number}
                    )
                ),
            }
            yield requests
            app.extensions["publisher"].db.dispose()
        finally:
            if schema:
                with admin.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                admin.dispose()


def main() -> None:
    """Seed, time and print a side-by-side table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 20000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    small, large = args.sizes
    database = "PostgreSQL" if args.postgres else "SQLite"
    started = time.perf_counter()
    with archive(small, args.postgres) as few, archive(large, args.postgres) as many:
        timings = {
            name: side_by_side(few[name], many[name], args.repeat) for name in few
        }
    print(
        f"{database}, median of {args.repeat} alternated requests (ms), "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    print(f"{'request':<24} {small:>8} {large:>8}  ratio")
    for name, (a, b) in timings.items():
        print(f"{name:<24} {a:>8.1f} {b:>8.1f}  {b / a:.2f}×")


if __name__ == "__main__":
    main()
