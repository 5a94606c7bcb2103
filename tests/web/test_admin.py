"""Administration in the UI: users, tokens, channel switches, the glossary and the
audit page, each through the forms an administrator uses, and the read-only
viewer who sees but cannot change."""

from __future__ import annotations

import re

from conftest import PASSWORD
from webforms import create_release, login, logout

NEW_PASSWORD = "Sementara-Bedugul-4821"
OTHER_PASSWORD = "Pengganti-Kintamani-7310"


def _as_admin(app):
    """A fresh client signed in as the administrator."""
    admin = app.test_client()
    login(admin, "admin")
    return admin


def _create_user(admin, username: str, role: str = "drafter"):
    return admin.post(
        "/admin/users",
        data={
            "username": username,
            "display_name": "Ni Luh Ayu",
            "role": role,
            "password": NEW_PASSWORD,
        },
    )


def _sign_in_first_time(client, username: str) -> None:
    """Sign in with the temporary password and choose one's own."""
    client.post("/login", data={"username": username, "password": NEW_PASSWORD})
    client.post(
        "/account/password",
        data={
            "current_password": NEW_PASSWORD,
            "new_password": OTHER_PASSWORD,
            "confirm_password": OTHER_PASSWORD,
        },
    )
    client.post("/login", data={"username": username, "password": OTHER_PASSWORD})


def test_admin_creates_a_user_who_can_then_sign_in(app, accounts_):
    admin = _as_admin(app)
    response = _create_user(admin, "niluh")
    assert response.status_code == 303
    page = admin.get("/admin/users").text
    assert "Pengguna niluh dibuat" in page
    assert 'id="user-niluh"' in page

    newcomer = app.test_client()
    signed_in = newcomer.post(
        "/login", data={"username": "niluh", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 303
    assert newcomer.get("/account").status_code == 200


def test_a_weak_temporary_password_is_refused_naming_the_field(app, accounts_):
    admin = _as_admin(app)
    admin.post(
        "/admin/users",
        data={"username": "x1", "role": "drafter", "password": "password123"},
    )
    page = admin.get("/admin/users").text
    assert "Kata sandi" in page and 'id="user-x1"' not in page


def test_deactivating_a_user_ends_their_sessions_and_tokens(app, accounts_):
    drafter = app.test_client()
    login(drafter, "penyusun")
    assert drafter.get("/").status_code == 200
    admin = _as_admin(app)

    response = admin.post("/admin/users/penyusun/active", data={"active": "0"})

    assert response.status_code == 303
    assert drafter.get("/").status_code == 302  # back to the sign-in page
    token = accounts_["penyusun"].token
    api = drafter.get("/api/v1/releases", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    refused = drafter.post(
        "/login", data={"username": "penyusun", "password": PASSWORD}
    )
    assert refused.status_code == 401

    admin.post("/admin/users/penyusun/active", data={"active": "1"})
    login(drafter, "penyusun")


def test_an_admin_cannot_deactivate_themselves(app, accounts_):
    admin = _as_admin(app)
    admin.post("/admin/users/admin/active", data={"active": "0"})
    assert admin.get("/admin/users").status_code == 200


def test_resetting_a_password_ends_sessions_and_sets_the_new_one(app, accounts_):
    drafter = app.test_client()
    login(drafter, "penyusun")
    admin = _as_admin(app)

    response = admin.post(
        "/admin/users/penyusun/password", data={"password": OTHER_PASSWORD}
    )

    assert response.status_code == 303
    assert drafter.get("/").status_code == 302
    old = drafter.post("/login", data={"username": "penyusun", "password": PASSWORD})
    assert old.status_code == 401
    new = drafter.post(
        "/login", data={"username": "penyusun", "password": OTHER_PASSWORD}
    )
    assert new.status_code == 303


def test_changing_a_role_narrows_what_the_user_may_do(app, accounts_):
    admin = _as_admin(app)
    admin.post("/admin/users/editor2/role", data={"role": "viewer"})
    token = accounts_["editor2"].token  # a publish token: beyond a viewer's reach
    api = app.test_client().get(
        "/api/v1/releases", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 401
    viewer = app.test_client()
    login(viewer, "editor2")
    assert viewer.get("/review").status_code == 403


def test_a_token_created_in_the_ui_works_until_revoked(app, accounts_):
    admin = _as_admin(app)

    response = admin.post(
        "/admin/tokens",
        data={"label": "Situs web", "username": "editor", "scope": "read"},
    )

    assert response.status_code == 201
    secret = re.search(r'id="new-token">([^<]+)<', response.text).group(1)
    assert "hanya ditampilkan sekali" in response.text
    headers = {"Authorization": f"Bearer {secret}"}
    api = app.test_client()
    assert api.get("/api/v1/releases", headers=headers).status_code == 200
    listing = admin.get("/admin/tokens").text
    assert secret not in listing  # shown once only
    token_id = re.search(r'id="token-(\d+)">\s*<td>Situs web', listing).group(1)
    assert admin.post(f"/admin/tokens/{token_id}/revoke").status_code == 303

    assert api.get("/api/v1/releases", headers=headers).status_code == 401
    assert "Dicabut" in admin.get("/admin/tokens").text


def test_a_channel_switched_off_is_no_longer_offered_for_scheduling(
    app, accounts_, approved_release
):
    release_id = approved_release()
    editor = app.test_client()
    login(editor, "editor")
    form = editor.get(f"/releases/{release_id}/schedule").text
    assert 'value="koran"' in form
    admin = _as_admin(app)

    response = admin.post("/channels/koran/switch", data={"enabled": "0"})

    assert response.status_code == 303
    page = admin.get("/channels").text
    assert "Kanal koran dinonaktifkan" in page
    assert "config.yaml menyatakan Ya" in page
    assert 'value="koran"' not in editor.get(f"/releases/{release_id}/schedule").text
    refused = editor.post(
        f"/releases/{release_id}/schedule",
        data={"channel": "koran", "when": "now"},
    )
    assert refused.status_code in (200, 422)
    admin.post("/channels/koran/switch", data={"enabled": "1"})
    assert 'value="koran"' in editor.get(f"/releases/{release_id}/schedule").text


def test_a_glossary_entry_changes_the_radio_script(app, accounts_):
    drafter = app.test_client()
    login(drafter, "penyusun")
    release_id = create_release(
        drafter, lead="PPID melayani warga.", body="PPID buka setiap hari."
    )
    token = accounts_["editor"].token
    headers = {"Authorization": f"Bearer {token}"}

    def radio_text() -> str:
        got = app.test_client().get(
            f"/api/v1/releases/{release_id}/renditions", headers=headers
        )
        return next(r for r in got.json["renditions"] if r["channel"] == "radio")[
            "text"
        ]

    assert "pe-pe-i-de" not in radio_text()
    admin = _as_admin(app)
    admin.post("/admin/glossary", data={"term": "PPID", "spoken": "pe-pe-i-de"})
    assert "PPID [pe-pe-i-de]" in radio_text()
    page = admin.get("/admin/glossary").text
    assert "pe-pe-i-de" in page and "Ditambahkan di sini" in page

    admin.post("/admin/glossary/remove", data={"term": "PPID"})
    assert "pe-pe-i-de" not in radio_text()


def test_the_audit_page_filters_and_verifies_the_chain(app, accounts_):
    admin = _as_admin(app)
    _create_user(admin, "wayan")
    admin.post("/admin/users/wayan/active", data={"active": "0"})
    drafter = app.test_client()
    login(drafter, "penyusun")
    release_id = create_release(drafter)

    everything = admin.get("/admin/audit").text
    assert "Rantai utuh" in everything
    assert "user.created" in everything and "user.deactivated" in everything

    only_created = admin.get("/admin/audit?action=user.created").text
    assert (
        "wayan" in only_created and "<code>user.deactivated</code>" not in only_created
    )
    by_drafter = admin.get("/admin/audit?user=penyusun").text
    assert f"#{release_id}" in by_drafter and "wayan" not in by_drafter
    by_release = admin.get(f"/admin/audit?release={release_id}").text
    assert "<code>user.created</code>" not in by_release
    future = admin.get("/admin/audit?since=2999-01-01").text
    assert "Tidak ada peristiwa yang cocok" in future

    editor = app.test_client()
    login(editor, "editor")
    assert editor.get("/admin/audit").status_code == 200
    logout(editor)
    login(drafter, "penyusun")
    assert drafter.get("/admin/audit").status_code == 403


def test_the_viewer_sees_but_cannot_change(app, accounts_):
    admin = _as_admin(app)
    _create_user(admin, "kabid", role="viewer")
    drafter = app.test_client()
    login(drafter, "penyusun")
    release_id = create_release(drafter)
    viewer = app.test_client()
    _sign_in_first_time(viewer, "kabid")

    assert viewer.get("/").status_code == 200
    assert viewer.get(f"/releases/{release_id}").status_code == 200
    assert "Rilis baru" not in viewer.get("/").text
    refused = viewer.post("/releases/new", data={"title": "x"})
    assert refused.status_code == 403
    assert "Peran Anda tidak mengizinkan" in refused.text
    edit = viewer.post(f"/releases/{release_id}/submit")
    assert edit.status_code == 403

    created = admin.post(
        "/admin/tokens", data={"label": "Kabid", "username": "kabid", "scope": ""}
    )
    secret = re.search(r'id="new-token">([^<]+)<', created.text).group(1)
    headers = {"Authorization": f"Bearer {secret}"}
    api = app.test_client()
    assert api.get(f"/api/v1/releases/{release_id}", headers=headers).status_code == 200
    write = api.post("/api/v1/releases", json={"title": "x"}, headers=headers)
    assert write.status_code == 403
    assert write.json["code"] == "auth.token_scope"


def test_a_new_user_must_choose_their_own_password_first(app, accounts_):
    admin = _as_admin(app)
    _create_user(admin, "made")
    newcomer = app.test_client()
    newcomer.post("/login", data={"username": "made", "password": NEW_PASSWORD})

    bounced = newcomer.get("/")

    assert bounced.status_code == 303 and bounced.location.endswith("/account")
    account = newcomer.get("/account").text
    assert "buat kata sandi sendiri untuk melanjutkan" in account
    changed = newcomer.post(
        "/account/password",
        data={
            "current_password": NEW_PASSWORD,
            "new_password": OTHER_PASSWORD,
            "confirm_password": OTHER_PASSWORD,
        },
    )
    assert changed.status_code == 303
    newcomer.post("/login", data={"username": "made", "password": OTHER_PASSWORD})
    assert newcomer.get("/").status_code == 200
