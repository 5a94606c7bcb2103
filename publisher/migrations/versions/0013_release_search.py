"""release search index and list indexes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 23:00:00

`release_search`: one row per release holding the words of its official number
and of its newest revision (title, lead, body, tags). On SQLite it is an FTS5
table (rowid = release id); on PostgreSQL a table with a `tsvector` ('simple'
configuration, so Indonesian words are not stemmed as English) under a GIN index.
Triggers on `releases` and `revisions` keep it current; the upgrade fills it for
the releases that exist. Two indexes let the list page read one page of releases
in the order it shows them, whatever the size of the archive.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The newest revision's text of one release, as one row (SQLite).
_SQLITE_REFRESH = """
    DELETE FROM release_search WHERE rowid = {release_id};
    INSERT INTO release_search (rowid, number, title, body, tags)
    SELECT rv.release_id, COALESCE(rl.number, ''), rv.title,
           rv.lead || ' ' || rv.body, COALESCE(rv.tags, '')
    FROM revisions rv JOIN releases rl ON rl.id = rv.release_id
    WHERE rv.release_id = {release_id}
    ORDER BY rv.number DESC LIMIT 1;
"""

_SQLITE_TRIGGERS = {
    "release_search_revision_added": "AFTER INSERT ON revisions",
    "release_search_revision_changed": (
        "AFTER UPDATE OF title, lead, body, tags ON revisions"
    ),
}

# Punctuation becomes a space before PostgreSQL's parser sees the text, so a
# number such as "012/HUMAS/2026" is three words, as it is for FTS5.
_PG_FUNCTION = """
CREATE FUNCTION release_search_refresh(target integer) RETURNS void AS $$
BEGIN
    DELETE FROM release_search WHERE release_id = target;
    INSERT INTO release_search (release_id, document)
    SELECT rv.release_id, to_tsvector('simple', regexp_replace(
        concat_ws(' ', rl.number, rv.title, rv.lead, rv.body, rv.tags::text),
        '\\W+', ' ', 'g'))
    FROM revisions rv JOIN releases rl ON rl.id = rv.release_id
    WHERE rv.release_id = target
    ORDER BY rv.number DESC LIMIT 1;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION release_search_from_revision() RETURNS trigger AS $$
BEGIN
    PERFORM release_search_refresh(NEW.release_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION release_search_from_release() RETURNS trigger AS $$
BEGIN
    PERFORM release_search_refresh(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER release_search_revision
AFTER INSERT OR UPDATE OF title, lead, body, tags ON revisions
FOR EACH ROW EXECUTE FUNCTION release_search_from_revision();

CREATE TRIGGER release_search_release
AFTER UPDATE OF number ON releases
FOR EACH ROW EXECUTE FUNCTION release_search_from_release();
"""


def upgrade() -> None:
    op.create_index(
        "ix_releases_updated_at_id", "releases", ["updated_at", "id"], unique=False
    )
    op.create_index(
        "ix_releases_created_at_id", "releases", ["created_at", "id"], unique=False
    )
    op.create_index("ix_deliveries_release_id", "deliveries", ["release_id"])
    op.create_index("ix_deliveries_sent", "deliveries", ["status", "sent_at"])
    op.create_index(
        "ix_deliveries_status_updated", "deliveries", ["status", "updated_at", "id"]
    )
    op.create_index(
        "ix_releases_status_updated", "releases", ["status", "updated_at", "id"]
    )
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def _upgrade_sqlite() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE release_search USING fts5("
        "number, title, body, tags, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for name, event in _SQLITE_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {event} BEGIN"
            + _SQLITE_REFRESH.format(release_id="NEW.release_id")
            + "END"
        )
    op.execute(
        "CREATE TRIGGER release_search_number_changed "
        "AFTER UPDATE OF number ON releases BEGIN"
        + _SQLITE_REFRESH.format(release_id="NEW.id")
        + "END"
    )
    op.execute(
        "INSERT INTO release_search (rowid, number, title, body, tags) "
        "SELECT rv.release_id, COALESCE(rl.number, ''), rv.title, "
        "rv.lead || ' ' || rv.body, COALESCE(rv.tags, '') "
        "FROM revisions rv JOIN releases rl ON rl.id = rv.release_id "
        "WHERE rv.number = (SELECT MAX(number) FROM revisions newest "
        "WHERE newest.release_id = rv.release_id)"
    )


def _upgrade_postgresql() -> None:
    op.execute(
        "CREATE TABLE release_search ("
        "release_id integer PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    )
    op.execute(
        "CREATE INDEX ix_release_search_document ON release_search USING gin (document)"
    )
    op.execute(_PG_FUNCTION)
    op.execute("SELECT release_search_refresh(id) FROM releases")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (*_SQLITE_TRIGGERS, "release_search_number_changed"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS release_search_revision ON revisions")
        op.execute("DROP TRIGGER IF EXISTS release_search_release ON releases")
        for name in ("from_revision()", "from_release()", "refresh(integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS release_search_{name}")
    op.execute("DROP TABLE IF EXISTS release_search")
    op.drop_index("ix_releases_status_updated", table_name="releases")
    op.drop_index("ix_deliveries_status_updated", table_name="deliveries")
    op.drop_index("ix_deliveries_sent", table_name="deliveries")
    op.drop_index("ix_deliveries_release_id", table_name="deliveries")
    op.drop_index("ix_releases_created_at_id", table_name="releases")
    op.drop_index("ix_releases_updated_at_id", table_name="releases")
