"""Scoped, expiring API tokens: a token does what its scope says and no more."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from publisher.api import scopes
from publisher.cli import main
from publisher.models import ApiToken, User, utcnow
from publisher.services import accounts, drafting, workflow

VALID = {"title": "Rilis uji", "lead": "Ringkasan.", "body": "Isi."}


@pytest.fixture
def in_review(database, accounts_) -> int:
    """A release the drafter wrote and submitted (the admin may approve it)."""
    with database.session() as session:
        drafter = session.scalars(sa.select(User).filter_by(username="penyusun")).one()
        release = drafting.create_release(
            session, drafter, drafting.ReleaseContent(**VALID)
        )
        workflow.submit(session, drafter, release.id)
        return release.id


def admin_token(database, scope: str | None, **options) -> dict[str, str]:
    """Headers with a new token of the admin, whose role allows everything."""
    with database.session() as session:
        token = accounts.create_token(session, "admin", "uji", scope, **options)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        ("read", {"read"}),
        ("draft", {"read", "draft"}),
        ("publish", {"read", "draft", "publish"}),
    ],
)
def test_each_scope_against_a_read_a_draft_write_and_a_publish_action(
    client, database, in_review, scope, allowed
):
    headers = admin_token(database, scope)
    calls = {
        "read": lambda: client.get("/api/v1/releases", headers=headers),
        "draft": lambda: client.post("/api/v1/releases", headers=headers, json=VALID),
        "publish": lambda: client.post(
            f"/api/v1/releases/{in_review}/approve", headers=headers
        ),
    }
    for needed, call in calls.items():
        response = call()
        if needed in allowed:
            assert response.status_code in (200, 201), (needed, response.json)
        else:
            assert response.status_code == 403, (needed, response.json)
            assert response.json["code"] == "auth.token_scope"
            assert response.json["params"] == {"scope": scope, "needed": needed}


def test_the_refusal_is_read_in_the_requesters_language(client, database, accounts_):
    headers = admin_token(database, "read")
    answer = client.post(
        "/api/v1/releases",
        headers={**headers, "Accept-Language": "en"},
        json=VALID,
    ).json
    assert answer["detail"] == "This token's scope is read; this call needs draft."


def test_an_expired_token_is_401_with_its_own_code(client, database, accounts_):
    headers = admin_token(database, "read", expires_at=utcnow() + timedelta(hours=1))
    assert client.get("/api/v1/releases", headers=headers).status_code == 200
    with database.session() as session:
        for token in session.scalars(sa.select(ApiToken).filter_by(name="uji")):
            token.expires_at = utcnow() - timedelta(seconds=1)
    answer = client.get("/api/v1/releases", headers=headers)
    assert answer.status_code == 401
    assert answer.json["code"] == "auth.token_expired"


def test_a_token_cannot_outgrow_its_users_role(database, accounts_):
    from publisher.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused, database.session() as session:
        accounts.create_token(session, "penyusun", "api", "publish")
    assert refused.value.fields["scope"].code == "token.scope_beyond_role"


def test_default_scope_is_what_the_role_allows(database, accounts_):
    with database.session() as session:
        by_user = {
            t.user.username: t.scope for t in session.scalars(sa.select(ApiToken))
        }
    assert by_user == {
        "penyusun": "draft",
        "editor": "publish",
        "editor2": "publish",
        "admin": "publish",
    }


def test_every_api_endpoint_is_in_the_scope_table(app):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api")
    }
    assert endpoints - scopes.PUBLIC == set(scopes.NEEDED)


def test_token_create_with_scope_and_expiry_and_list_shows_them(
    client, config, accounts_
):
    def run(*args: str):
        return CliRunner().invoke(main, ["--config", str(config.path), *args])

    made = run("token", "create", "editor", "--scope", "read", "--expires", "30d")
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/releases", headers=headers).status_code == 200
    assert (
        client.post("/api/v1/releases", headers=headers, json=VALID).status_code == 403
    )
    line = next(
        ln
        for ln in run("token", "list", "editor").output.splitlines()
        if token[:8] in ln
    )
    expected = (utcnow() + timedelta(days=30)).date().isoformat()
    assert " read " in line and f"expires {expected}" in line

    wrong = run("token", "create", "editor", "--expires", "bulan depan")
    assert wrong.exit_code == 1 and "expires:" in wrong.output
    too_wide = run("token", "create", "penyusun", "--scope", "publish")
    assert too_wide.exit_code == 1 and "scope:" in too_wide.output


def test_the_migration_gives_old_tokens_what_their_role_allows(config):
    from alembic import command

    from publisher.db import Database, alembic_config

    database = Database(config.database_url)
    with database.engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0004")
        for n, role in enumerate(("drafter", "editor", "admin")):
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, username, display_name, role, "
                    "password_hash, active, created_at) VALUES (:n, :u, :u, :r, 'x', "
                    "1, '2026-11-01 00:00:00')"
                ),
                {"n": n + 1, "u": f"u{n}", "r": role},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO api_tokens (user_id, name, token_hash, prefix, "
                    "created_at) VALUES (:n, 'api', :h, 'prp_x', "
                    "'2026-11-01 00:00:00')"
                ),
                {"n": n + 1, "h": f"{n:064d}"},
            )
    database.upgrade()
    try:
        with database.session() as session:
            scopes_ = {
                t.user.role.value: (t.scope, t.expires_at)
                for t in session.scalars(sa.select(ApiToken))
            }
        assert scopes_ == {
            "drafter": ("draft", None),
            "editor": ("publish", None),
            "admin": ("publish", None),
        }
    finally:
        database.dispose()
