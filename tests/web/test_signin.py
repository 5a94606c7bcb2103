"""Sign-in that an attacker cannot brute-force, redirect, replay or frame.

Each test is a finding of the security review (issue 12) that failed before.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from click.testing import CliRunner
from conftest import PASSWORD
from sqlalchemy import select, update

from publisher.cli import main
from publisher.models import SignInThrottle, User, utcnow
from publisher.services import accounts
from publisher.services.errors import InvalidInput


def sign_in(client, username: str, password: str = PASSWORD, next_: str | None = None):
    """POST the sign-in form; the response."""
    url = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(url, data={"username": username, "password": password})


def signed_in(client) -> bool:
    """Whether the client's session opens the release list."""
    return client.get("/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%0d%0a/evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_off_site(client, accounts_, target):
    response = sign_in(client, "penyusun", next_=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard"


def test_sign_in_returns_to_a_local_page(client, accounts_):
    response = sign_in(client, "penyusun", next_="/releases/new?x=1")
    assert response.headers["Location"] == "/releases/new?x=1"


def test_repeated_failures_slow_down_then_wait_is_said(app, client, accounts_):
    for _ in range(5):
        assert sign_in(client, "editor", "salah-sekali-lagi").status_code == 401
    refused = sign_in(client, "editor")  # even the right password must wait now
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Tunggu" in refused.text and "detik" in refused.text
    assert not signed_in(client)
    with app.extensions["publisher"].db.session() as session:
        session.execute(
            update(SignInThrottle).values(
                last_failure_at=utcnow() - timedelta(minutes=1)
            )
        )
    assert sign_in(client, "editor").status_code == 303  # the wait is over
    with app.extensions["publisher"].db.session() as session:
        assert session.get(SignInThrottle, "account:editor") is None  # forgotten


def test_an_account_locks_until_an_admin_unlocks_it(app, client, config, accounts_):
    with app.extensions["publisher"].db.session() as session:
        session.add(
            SignInThrottle(
                key="account:editor",
                failures=19,  # far apart: each waited out its growing delay
                last_failure_at=utcnow() - timedelta(minutes=20),
                locked=False,
            )
        )
    assert sign_in(client, "editor", "salah").status_code == 401  # the 20th
    locked = sign_in(client, "editor")
    assert locked.status_code == 429
    assert "dikunci" in locked.text
    runner = CliRunner()
    listed = runner.invoke(main, ["--config", str(config.path), "users", "list"])
    assert re.search(r"editor\s+editor\s+locked", listed.output)
    unlocked = runner.invoke(
        main, ["--config", str(config.path), "users", "unlock", "editor"]
    )
    assert unlocked.exit_code == 0, unlocked.output
    assert sign_in(client, "editor").status_code == 303


def test_many_accounts_from_one_address_slow_down(client, accounts_):
    for n in range(20):
        assert sign_in(client, f"tebakan{n}", "salah").status_code == 401
    assert sign_in(client, "penyusun").status_code == 429


def test_sign_out_ends_the_session_everywhere(app, accounts_):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "penyusun")
    sign_in(second, "penyusun")
    stolen = first.get_cookie("session").value
    assert signed_in(first) and signed_in(second)
    first.post("/logout")
    assert not signed_in(second)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not signed_in(replay)  # a copied cookie is dead after sign-out


def test_password_change_checks_strength_and_ends_sessions(app, accounts_):
    browser, other = app.test_client(), app.test_client()
    sign_in(browser, "penyusun")
    sign_in(other, "penyusun")
    wrong = browser.post(
        "/account/password",
        data={
            "current_password": "bukan-ini",
            "new_password": "x",
            "confirm_password": "x",
        },
    )
    assert wrong.status_code == 422
    assert "Kata sandi saat ini salah." in wrong.text
    weak = browser.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "password123",
            "confirm_password": "password123",
        },
    )
    assert weak.status_code == 422
    assert "terlalu mudah ditebak" in weak.text
    new = "kebun-kopi-kintamani-hujan"
    done = browser.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": new,
            "confirm_password": new,
        },
    )
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert not signed_in(other) and not signed_in(browser)
    assert sign_in(browser, "penyusun").status_code == 401
    assert sign_in(browser, "penyusun", new).status_code == 303


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaa", "password123", "qwertyuiop", "penyusun2026"]
)
def test_short_and_common_passwords_are_refused(database, password):
    with database.session() as session:
        with pytest.raises(InvalidInput) as refused:
            accounts.create_user(session, "penyusun", "drafter", password)
    assert refused.value.fields["password"].code in (
        "account.password_weak",
        "account.password_short",
    )


def _enrol(client) -> tuple[str, list[str]]:
    """Set up the second factor on the signed-in (or pending) user."""
    page = client.get("/login/enrol")
    assert page.status_code == 200
    assert "<svg" in page.text  # the QR code, inline
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page.text).group(1)
    secret = secret.replace(" ", "")
    assert client.post("/login/enrol", data={"code": "000000"}).status_code == 422
    done = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.text)
    assert len(codes) == 10
    return secret, codes


def test_two_step_sign_in_with_code_and_recovery_code(app, client, accounts_):
    sign_in(client, "editor")
    secret, codes = _enrol(client)
    client.post("/logout")

    first = sign_in(client, "editor")
    assert first.headers["Location"] == "/login/code"
    assert not signed_in(client)  # the password alone is not enough
    assert client.post("/login/code", data={"code": "123456"}).status_code == 401
    # The code of this half minute went into the set-up; the next one works
    # (a clock a step apart is allowed).
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/login/code", data={"code": code}).status_code == 303
    assert signed_in(client)
    client.post("/logout")

    sign_in(client, "editor")
    reused = client.post("/login/code", data={"code": code})
    assert reused.status_code == 401  # each code works once
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 303
    client.post("/logout")
    sign_in(client, "editor")
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 401
    with app.extensions["publisher"].db.session() as session:
        user = session.scalar(select(User).where(User.username == "editor"))
        assert len(user.recovery_codes) == 9


@pytest.fixture
def security_config(tmp_path, database_url, extra_channels):
    """The office requires a second factor of editors."""
    import yaml
    from conftest import BASE_CONFIG

    from publisher.config import parse_config

    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["security"] = {"two_factor_required_for": ["editor"]}
    raw["database_url"] = database_url
    return parse_config(raw, tmp_path / "config.yaml")


def test_a_required_second_factor_is_set_up_before_anything_else(
    security_config, database, accounts_
):
    from publisher import create_app

    app = create_app(security_config)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = sign_in(client, "editor")
    assert response.headers["Location"] == "/login/enrol"
    assert not signed_in(client)
    _enrol(client)
    assert client.post("/login/enrol/done").status_code == 303
    assert signed_in(client)
    page = client.get("/account")
    assert "Kantor Anda mewajibkannya untuk peran Anda." in page.text
    # A drafter, not required, signs in with the password alone.
    drafter = app.test_client()
    assert sign_in(drafter, "penyusun").headers["Location"] == "/dashboard"
    app.extensions["publisher"].db.dispose()


@pytest.mark.parametrize("path", ["/", "/login", "/feeds/rss.xml", "/api/v1/releases"])
def test_every_answer_carries_the_security_headers(client, accounts_, path):
    response = client.get(path, headers=accounts_["editor"].headers)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_hsts_over_https(client):
    response = client.get("/login", base_url="https://pers.example.go.id")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_page_has_inline_script(client, accounts_):
    sign_in(client, "editor")
    for path in ("/", "/releases/new", "/account", "/review"):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert not re.search(r"\son[a-z]+=", page), path  # no inline handlers
