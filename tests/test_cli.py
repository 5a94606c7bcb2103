"""Administrators' commands: users and tokens, with effects the API shows."""

from __future__ import annotations

from click.testing import CliRunner

from publisher.cli import main


def run(config, *args: str):
    """Invoke `publisher --config <test config> ARGS`."""
    return CliRunner().invoke(main, ["--config", str(config.path), *args])


def test_create_user_and_token_then_use_the_api(client, config, database):
    created = run(
        config,
        "users",
        "create",
        "wayan",
        "--role",
        "editor",
        "--password",
        "kata-sandi-panjang",
    )
    assert created.exit_code == 0, created.output
    token = run(config, "token", "create", "wayan").output.strip()
    assert token.startswith("prp_")
    me = client.get("/api/v1/releases", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_revoked_token_stops_working(client, config, accounts_):
    editor = accounts_["editor"]
    listing = run(config, "token", "list", "editor").output
    prefix = editor.token[:8]
    assert prefix in listing and "active" in listing
    assert client.get("/api/v1/releases", headers=editor.headers).status_code == 200

    revoked = run(config, "token", "revoke", prefix)
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/releases", headers=editor.headers).status_code == 401
    assert "revoked" in run(config, "token", "list", "editor").output
    again = run(config, "token", "revoke", prefix)
    assert again.exit_code == 1
    assert "No active token starts with" in again.output


def test_deactivated_user_can_neither_sign_in_nor_use_tokens(client, config, accounts_):
    drafter = accounts_["penyusun"]
    assert run(config, "users", "deactivate", "penyusun").exit_code == 0
    assert client.get("/api/v1/releases", headers=drafter.headers).status_code == 401
    login = client.post(
        "/login", data={"username": "penyusun", "password": "kata-sandi-uji-123"}
    )
    assert login.status_code == 401
    assert "deactivated" in run(config, "users", "list").output
    assert run(config, "users", "activate", "penyusun").exit_code == 0
    assert client.get("/api/v1/releases", headers=drafter.headers).status_code == 200


def test_unknown_user_is_a_clear_error(config, database):
    result = run(config, "users", "deactivate", "tidak-ada")
    assert result.exit_code == 1
    assert "The user tidak-ada does not exist." in result.output
