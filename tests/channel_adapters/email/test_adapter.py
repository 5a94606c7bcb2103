"""The email adapter: a press release sent through a real local SMTP server."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from pydantic import ValidationError

from channel_adapters.base import (
    DeliveryResult,
    PermanentError,
    Rendition,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.broadcast.radio import RadioAdapter
from channel_adapters.email.adapter import EmailAdapter
from channel_adapters.notice import Notice
from channel_adapters.print.adapter import PrintAdapter
from tests.channel_adapters.fixtures import (
    FIXTURES,
    english_release,
    long_release,
    render_context,
    short_release,
    with_files_of,
)
from tests.mail_desk import QUEUED, Desk, LocalController

SENDER = "humas@baliprov.example"
DESKS = ["redaksi@koran-bali.example", "newsroom@radio-dewata.example"]
PASSWORD = "sandi-rahasia-Smtp-2022"
# How the print and radio adapters name the short release's files.
STEM = "101-r1-diskominfos-bali-ajak-warga-manfaatkan-hak-atas-informasi-pu"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


StartServer = Callable[..., tuple[Desk, int]]


@pytest.fixture
def start_server() -> Iterator[StartServer]:
    """Start SMTP servers on 127.0.0.1 (aiosmtpd options as keywords); stop them."""
    controllers: list[LocalController] = []

    def start(**options: object) -> tuple[Desk, int]:
        desk = Desk()
        if options.pop("with_auth", False):
            options["authenticator"] = desk.authenticate
        controller = LocalController(
            desk,
            hostname="127.0.0.1",
            port=0,
            server_hostname="mail.koran-bali.example",
            **options,
        )
        controller.start()
        controllers.append(controller)
        return desk, controller.port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def desk(start_server: StartServer) -> tuple[Desk, int]:
    """A plain SMTP server (no TLS, no login) and its port."""
    return start_server()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """The TLS context of the desk's mail server."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust the test certificate the way an operator trusts an internal CA."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


@pytest.fixture
def refused_port() -> int:
    """A port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections but never greets."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


# --- helpers --------------------------------------------------------------------------


def channel(port: int, tmp_path: Path, **settings: object) -> EmailAdapter:
    """The `meja_redaksi` channel sending through 127.0.0.1:`port`."""
    values = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": SENDER,
        "to": DESKS,
        "timeout": 5,
        **settings,
    }
    return EmailAdapter(
        "meja_redaksi", EmailAdapter.validate_settings(values), tmp_path
    )


def frozen(rendition: Rendition) -> bytes:
    """The message frozen at approval."""
    file = rendition.file("message.eml")
    assert file is not None and file.media_type == "message/rfc822"
    return file.data


def parts(message: EmailMessage) -> dict[str, str]:
    """The readable parts of a message by content type, with a reader's newlines."""
    return {
        part.get_content_type(): part.get_content().replace("\r\n", "\n")
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
        and not part.is_attachment()
    }


def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    """(file name, content type, bytes) of each attachment."""
    return [
        (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
        for part in message.iter_attachments()
    ]


# --- what arrives ---------------------------------------------------------------------


def test_each_desk_gets_the_release_blind_copied(desk, tmp_path):
    server, port = desk
    adapter = channel(port, tmp_path)
    rendition = adapter.render(short_release(), render_context())

    result = adapter.deliver(rendition, "kunci-1")

    [arrived] = server.arrived
    assert arrived.mail_from == SENDER and arrived.rcpt_tos == DESKS
    message = arrived.message
    assert message["Subject"] == (
        "[SIARAN PERS] Diskominfos Bali Ajak Warga Manfaatkan Hak atas Informasi Publik"
    )
    assert message["From"] == f"Diskominfos Bali <{SENDER}>"
    assert message["To"] == message["From"]  # the desks do not see each other
    assert not any(address in arrived.data.decode() for address in DESKS)
    assert message["Reply-To"] == "diskominfos@baliprov.example"
    assert message["Date"].datetime.tzinfo is not None
    assert message["Content-Language"] == "id"
    assert parts(message) == {
        "text/plain": rendition.text,
        "text/html": rendition.html,
    }
    assert result == DeliveryResult(
        remote_id=message["Message-ID"].strip(),
        detail=f"127.0.0.1:{port} accepted the message for 2 of 2 recipients: {QUEUED}",
    )


def test_without_bcc_the_desks_are_named_in_to(desk, tmp_path):
    server, port = desk
    adapter = channel(
        port,
        tmp_path,
        bcc=False,
        from_name="Humas Pemprov Bali",
        reply_to="ikp@baliprov.example",
    )

    adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")

    message = server.arrived[0].message
    assert message["To"] == ", ".join(DESKS)
    assert message["From"] == f"Humas Pemprov Bali <{SENDER}>"
    assert message["Reply-To"] == "ikp@baliprov.example"


def test_the_body_is_a_complete_release(tmp_path):
    release = short_release()

    rendition = channel(25, tmp_path).render(release, render_context())

    text = rendition.text
    for expected in (
        "SIARAN PERS",
        "Nomor: 012/HM/DISKOMINFOS/XI/2022",
        "UNTUK DISIARKAN SEGERA",
        "Denpasar, Selasa (29/11/2022) – Dinas Komunikasi",
        "Narahubung:\nNi Luh Putu Ayu Lestari\nTelp. 0812-3456-7890",
        "\n###\n",
        release.public_url,
    ):
        assert expected in text
    assert "[laman" not in text and "laman PPID Provinsi Bali atau" in text
    assert '<a href="https://ppid.baliprov.example" rel="noopener">' in rendition.html
    assert "<strong>Narahubung:</strong>" in rendition.html


def test_html_and_scripts_in_the_body_never_reach_the_html_part(tmp_path):
    release = dataclasses.replace(
        short_release(),
        title="Uji <b>&</b>",
        body_markdown="<script>alert('x')</script>\n\n<b>tebal</b> & *miring*",
    )

    rendition = channel(25, tmp_path).render(release, render_context())

    html = parts(message_from_bytes(frozen(rendition), policy=default))["text/html"]
    assert "<script" not in html and "<b>" not in html
    assert "Uji &lt;b&gt;&amp;&lt;/b&gt;" in html and "<em>miring</em>" in html


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_plain_text_part_matches_the_golden_file(name, tmp_path, golden):
    rendition = channel(25, tmp_path).render(FIXTURES[name](), render_context())

    message = message_from_bytes(frozen(rendition), policy=default)
    golden(f"{name}.email.txt", parts(message)["text/plain"])
    assert parts(message)["text/plain"] == rendition.text


def test_an_embargo_is_in_the_subject_and_the_body(tmp_path):
    rendition = channel(25, tmp_path).render(long_release(), render_context())

    message = message_from_bytes(frozen(rendition), policy=default)
    embargo = "EMBARGO hingga Selasa, 29 November 2022 pukul 10.00 WITA"
    assert message["Subject"] == (
        f"[SIARAN PERS – {embargo}] "
        "Festival Ekonomi Kreatif Bali 2022 Targetkan Transaksi Rp 3,5 Miliar"
    )
    assert embargo in rendition.text and embargo in rendition.html
    assert "UNTUK DISIARKAN SEGERA" not in rendition.text


def test_an_english_release_is_labelled_in_english(tmp_path):
    release = english_release()
    adapter = channel(25, tmp_path)

    plain = message_from_bytes(frozen(adapter.render(release, render_context())))
    embargoed = dataclasses.replace(
        release, embargo_at=datetime(2022, 11, 30, 2, 0, tzinfo=UTC)
    )
    subject = message_from_bytes(
        frozen(adapter.render(embargoed, render_context())), policy=default
    )["Subject"]

    assert plain["Subject"] == (
        "[PRESS RELEASE] Sanur Beach Clean-Up Becomes a Monthly Event"
    )
    assert plain["Content-Language"] == "en"
    assert subject.startswith(
        "[PRESS RELEASE – EMBARGOED UNTIL Wednesday, 30 November 2022, 10:00"
    )


def test_print_and_radio_files_are_attached_as_those_channels_make_them(tmp_path):
    release = short_release()
    context = render_context()
    adapter = channel(25, tmp_path, attach=["print", "radio"])

    rendition = adapter.render(release, with_files_of(adapter, release, context))

    made = PrintAdapter("koran", PrintAdapter.Settings(), tmp_path).render(
        release, context
    )
    script = RadioAdapter("radio", RadioAdapter.Settings(), tmp_path).render(
        release, context
    )
    expected = [
        (f.name, f.media_type, f.data)
        for f in made.files
        if f.media_type in ("application/pdf", DOCX)
    ]
    expected += [(f.name, "text/plain", f.data) for f in script.files]
    message = message_from_bytes(frozen(rendition), policy=default)
    assert attachments(message) == expected
    assert expected[0][0] == f"{STEM}.pdf"
    assert expected[0][2].startswith(b"%PDF")
    assert rendition.warnings == ()


def test_an_unknown_attachment_is_left_out_with_a_warning(tmp_path):
    adapter = channel(25, tmp_path, attach=["radio", "koran"])

    preview = adapter.render(short_release(), render_context(with_files=False))
    context = render_context()
    approved = adapter.render(
        short_release(), with_files_of(adapter, short_release(), context)
    )

    assert preview.files == ()
    assert [w.code for w in preview.warnings] == ["email.attach_unknown"]
    assert preview.warnings[0].params["name"] == "koran"
    message = message_from_bytes(frozen(approved), policy=default)
    assert [name for name, _, _ in attachments(message)] == [f"{STEM}.txt"]
    assert approved.warnings == preview.warnings


def test_a_retry_sends_the_same_message(desk, tmp_path):
    server, port = desk
    adapter = channel(port, tmp_path)
    rendition = adapter.render(short_release(), render_context())

    first = adapter.deliver(rendition, "kunci-1")
    second = adapter.deliver(rendition, "kunci-1")

    again = adapter.render(short_release(), render_context())
    assert frozen(again) == frozen(rendition)
    assert (
        first.remote_id
        == second.remote_id
        == ("<0b8f6a8e-5d43-4a4e-9d1c-6f2b1e7c0101.r1.meja_redaksi@baliprov.example>")
    )
    for arrived in server.arrived:
        date, rest = arrived.data.split(b"\r\n", 1)
        assert date.startswith(b"Date: ")
        assert rest.rstrip(b"\r\n") == frozen(rendition).rstrip(b"\r\n")


# --- what goes wrong ------------------------------------------------------------------


def test_a_closed_port_is_retryable(refused_port, tmp_path):
    adapter = channel(refused_port, tmp_path)
    rendition = adapter.render(short_release(), render_context())

    with pytest.raises(
        RetryableError, match=r"delivery\.connection_failed.*Connection refused"
    ):
        adapter.deliver(rendition, "kunci-1")


def test_a_server_that_never_greets_is_retryable(silent_port, tmp_path):
    adapter = channel(silent_port, tmp_path, timeout=0.3)
    rendition = adapter.render(short_release(), render_context())

    with pytest.raises(
        RetryableError, match=r"delivery\.connect_timeout.*seconds=0\.3"
    ):
        adapter.deliver(rendition, "kunci-1")


def test_a_hang_up_before_data_is_retryable(desk, tmp_path):
    server, port = desk
    server.hang_up_at_mail = True
    adapter = channel(port, tmp_path)

    with pytest.raises(RetryableError, match=r"email\.server_closed"):
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")
    assert server.arrived == []


@pytest.mark.parametrize(
    ("stage", "reply", "error"),
    [
        ("rcpt", "450 4.2.1 Mailbox busy, try later", RetryableError),
        ("rcpt", "550 5.1.1 No such mailbox", PermanentError),
        ("mail", "451 4.3.0 Greylisted, come back in 5 minutes", RetryableError),
        (
            "mail",
            "553 5.7.1 Sender address rejected: not owned by user",
            PermanentError,
        ),
        ("data", "452 4.3.1 Insufficient system storage", RetryableError),
        ("data", "554 5.7.1 Message rejected as spam", PermanentError),
    ],
)
def test_refusals_carry_the_servers_message(desk, tmp_path, stage, reply, error):
    server, port = desk
    if stage == "rcpt":
        server.rcpt_replies = dict.fromkeys(DESKS, reply)
    elif stage == "mail":
        server.mail_reply = reply
    else:
        server.data_reply = reply
    adapter = channel(port, tmp_path)

    with pytest.raises(error) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")

    assert reply[4:] in caught.value.notice.params["remote"]  # the server's words
    assert caught.value.status == int(reply[:3])


def test_a_partly_refused_list_is_sent_and_names_the_refused(desk, tmp_path, caplog):
    server, port = desk
    server.rcpt_replies = {DESKS[1]: "550 5.1.1 No such mailbox"}
    adapter = channel(port, tmp_path)

    with caplog.at_level(logging.WARNING, logger="channel_adapters.email.smtp"):
        result = adapter.deliver(
            adapter.render(short_release(), render_context()), "kunci-1"
        )

    assert server.arrived[0].rcpt_tos == [DESKS[0]]
    assert "for 1 of 2 recipients" in result.detail
    assert f"Refused: {DESKS[1]} (550 5.1.1 No such mailbox)" in result.detail
    assert DESKS[1] in caplog.text


def test_a_hang_up_after_data_is_an_unknown_outcome(desk, tmp_path):
    server, port = desk
    server.after_data = "hang up"
    adapter = channel(port, tmp_path)

    with pytest.raises(UnknownOutcomeError, match=r"delivery\.broken_after_send"):
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")
    assert len(server.arrived) == 1  # it may well be in the desks' inboxes


def test_no_answer_after_data_is_an_unknown_outcome(desk, tmp_path):
    server, port = desk
    server.after_data = "stall"
    adapter = channel(port, tmp_path, timeout=0.3)

    with pytest.raises(
        UnknownOutcomeError, match=r"delivery\.timeout_after_send.*seconds=0\.3"
    ):
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")


def test_a_rendition_without_the_message_is_permanent(tmp_path):
    adapter = channel(25, tmp_path)
    preview = adapter.render(short_release(), render_context(with_files=False))

    with pytest.raises(PermanentError, match=r"delivery\.no_payload.*message\.eml"):
        adapter.deliver(preview, "kunci-1")


# --- login and TLS --------------------------------------------------------------------


def test_login_then_send(start_server, tmp_path):
    server, port = start_server(with_auth=True, auth_require_tls=False)
    adapter = channel(port, tmp_path, username="humas", password=PASSWORD)

    adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")

    assert server.logins == ["humas"] and len(server.arrived) == 1


def test_a_wrong_password_is_permanent_and_never_shown(start_server, tmp_path):
    server, port = start_server(with_auth=True, auth_require_tls=False)
    wrong = "salah-" + PASSWORD
    adapter = channel(port, tmp_path, username="humas", password=wrong)
    rendition = adapter.render(short_release(), render_context())

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition, "kunci-1")
    checked = adapter.check()

    assert caught.value.notice.code == "email.login_refused"
    assert caught.value.notice.params["status"] == 535
    assert not checked.ok and checked.notice.params["status"] == 535
    for shown in (str(caught.value), checked.detail, repr(adapter.settings)):
        assert wrong not in shown
    assert server.arrived == []


def test_a_login_the_server_does_not_offer_is_permanent(desk, tmp_path):
    _, port = desk
    adapter = channel(port, tmp_path, username="humas", password=PASSWORD)

    with pytest.raises(PermanentError, match="AUTH extension not supported"):
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")


def test_starttls_then_login(start_server, server_tls, trusted, tmp_path):
    server, port = start_server(
        with_auth=True, tls_context=server_tls, require_starttls=True
    )
    adapter = channel(
        port, tmp_path, security="starttls", username="humas", password=PASSWORD
    )

    adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")

    assert server.arrived[0].over_tls and server.logins == ["humas"]
    checked = adapter.check()
    assert checked.ok, checked.detail
    assert checked.notice == Notice(
        "email.check_login_ok",
        {"host": f"127.0.0.1:{port}", "security": "starttls", "username": "humas"},
    )


def test_an_untrusted_certificate_is_permanent(start_server, server_tls, tmp_path):
    server, port = start_server(tls_context=server_tls, require_starttls=True)
    adapter = channel(port, tmp_path, security="starttls")

    with pytest.raises(PermanentError, match=r"email\.certificate_untrusted"):
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")
    assert server.arrived == []


def test_starttls_the_server_does_not_offer_is_permanent(desk, tmp_path):
    _, port = desk
    adapter = channel(port, tmp_path, security="starttls")

    with pytest.raises(PermanentError, match="STARTTLS extension not supported"):
        adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")


def test_implicit_tls(start_server, server_tls, trusted, tmp_path):
    server, port = start_server(ssl_context=server_tls)
    adapter = channel(port, tmp_path, security="ssl")

    adapter.deliver(adapter.render(short_release(), render_context()), "kunci-1")

    assert server.arrived[0].over_tls


# --- check ----------------------------------------------------------------------------


def test_check_reports_a_reachable_server(desk, tmp_path):
    _, port = desk

    checked = channel(port, tmp_path).check()

    assert checked.ok
    assert checked.notice.code == "email.check_ok"
    assert checked.notice.params["host"] == f"127.0.0.1:{port}"


def test_check_reports_an_unreachable_server(refused_port, tmp_path):
    checked = channel(refused_port, tmp_path).check()

    assert not checked.ok and checked.notice.code == "delivery.connection_failed"
    assert checked.notice.params["reason"] == "Connection refused"


# --- settings -------------------------------------------------------------------------


def test_defaults(tmp_path):
    settings = channel(25, tmp_path).settings
    bare = EmailAdapter.validate_settings(
        {"host": "smtp.baliprov.example", "from_address": SENDER, "to": DESKS}
    )

    assert (bare.port, bare.security, bare.bcc, bare.timeout, bare.attach) == (
        None, "starttls", True, 30.0, []
    )  # fmt: skip
    assert EmailAdapter("a", bare, tmp_path)._server == "smtp.baliprov.example:587"
    implicit = bare.model_copy(update={"security": "ssl"})
    assert EmailAdapter("a", implicit, tmp_path)._server == "smtp.baliprov.example:465"
    assert settings.to == DESKS


@pytest.mark.parametrize(
    "bad",
    [
        {"to": []},
        {"to": ["redaksi koran"]},
        {"to": ["Redaksi <redaksi@koran.example>"]},
        {"from_address": "humas@"},
        {"reply_to": "bukan-alamat"},
        {"security": "tls"},
        {"username": "humas"},  # no password
        {"timeout": 0},
    ],
)
def test_bad_settings_are_a_config_error(bad):
    values = {"host": "smtp.baliprov.example", "from_address": SENDER, "to": DESKS}

    with pytest.raises(ValidationError):
        EmailAdapter.validate_settings({**values, **bad})


def test_the_password_stays_out_of_repr_and_errors():
    values = {"host": "smtp.baliprov.example", "from_address": SENDER}

    settings = EmailAdapter.validate_settings(
        {**values, "to": DESKS, "username": "humas", "password": PASSWORD}
    )
    with pytest.raises(ValidationError) as caught:
        EmailAdapter.validate_settings({**values, "to": [], "password": PASSWORD})

    assert PASSWORD not in repr(settings) and PASSWORD not in str(caught.value)
    assert settings.password.get_secret_value() == PASSWORD
