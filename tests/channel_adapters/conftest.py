"""Fixtures for adapter tests: a realistic release, a fixed clock, local servers."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from channel_adapters.base import Contact, Organization, ReleaseSnapshot, RenderContext
from channel_adapters.templating import environment as channel_environment

JSON = "application/json"
GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "renditions"
# Tuesday 29 November 2022, 09.00 WITA: the clock every render in these tests reads.
NOW = datetime(2022, 11, 29, 1, 0, tzinfo=UTC)

BODY = """\
Forum yang digelar di Gedung Dharma Negara Alaya, Lumintang, ini dibuka oleh Kepala \
Dinas Komunikasi, Informatika dan Statistik Kota Denpasar. Sebanyak 120 peserta dari \
perangkat daerah, desa dan kelurahan, serta komunitas warga hadir dalam kegiatan ini.

## Layanan informasi yang lebih dekat

Kepala Dinas menegaskan bahwa setiap warga berhak mendapatkan informasi publik secara \
cepat dan tepat waktu. "Keterbukaan informasi bukan sekadar kewajiban undang-undang, \
tetapi cara pemerintah membangun kepercayaan warga," ujarnya.

Dalam forum tersebut, Diskominfos juga memperkenalkan **layanan permohonan informasi \
daring** yang dapat diakses melalui [laman PPID](https://ppid.denpasarkota.example) \
serta tiga langkah sederhana bagi warga:

- mengisi formulir permohonan,
- melampirkan kartu identitas,
- menerima jawaban paling lambat sepuluh hari kerja.

Warga yang membutuhkan bantuan dapat datang langsung ke Mal Pelayanan Publik Kota \
Denpasar setiap hari kerja.
"""


@pytest.fixture
def organization() -> Organization:
    """The Denpasar communication office, with a letterhead's worth of details."""
    return Organization(
        name="Dinas Komunikasi, Informatika dan Statistik Kota Denpasar",
        short_name="Diskominfos Denpasar",
        city="Denpasar",
        address="Jl. Majapahit No. 1, Denpasar, Bali 80235",
        phone="(0361) 223344",
        email="diskominfos@denpasarkota.example",
        website="https://diskominfos.denpasarkota.example",
        timezone="Asia/Makassar",
    )


@pytest.fixture
def release() -> ReleaseSnapshot:
    """A short, realistic Indonesian press release about a public-information forum."""
    return ReleaseSnapshot(
        release_id=42,
        public_id="rilis-2022-0042",
        revision=2,
        language="id",
        title="Diskominfos Denpasar Gelar Forum Keterbukaan Informasi Publik",
        lead=(
            "Pemerintah Kota Denpasar mengajak warga memanfaatkan hak atas informasi "
            "publik melalui Forum Keterbukaan Informasi Publik 2022."
        ),
        body_markdown=BODY,
        dateline_city="Denpasar",
        category="Informasi Publik",
        tags=("keterbukaan informasi", "PPID"),
        contact=Contact(
            name="Ni Luh Putu Ayu Lestari",
            phone="0812-3456-7890",
            email="ppid@denpasarkota.example",
        ),
        number="045/SP/Diskominfos/XI/2022",
        public_url="https://diskominfos.denpasarkota.example/rilis/rilis-2022-0042",
        approved_at=datetime(2022, 11, 29, 0, 30, tzinfo=UTC),
    )


@pytest.fixture
def context(organization: Organization) -> RenderContext:
    """Rendering with the shipped channel templates and a fixed clock."""
    return RenderContext(
        organization=organization, templates=channel_environment(), now=NOW
    )


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with tests/data/renditions/<name>; UPDATE_GOLDEN=1 rewrites it."""

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.is_file(), f"no golden file {path}; run with UPDATE_GOLDEN=1"
        assert text == path.read_text(encoding="utf-8")

    return check


# --- a partner's webhook endpoint -----------------------------------------------------


@dataclass
class Received:
    """One request as the partner's server saw it."""

    method: str
    path: str
    headers: Message
    body: bytes


@dataclass
class Reply:
    """What the partner's server answers next."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang_up: bool = False


class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers as told."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.reply = Reply(201, b'{"id": "evt-1"}', {"Content-Type": JSON})
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/siaran-pers"

    def answer(
        self,
        status: int,
        *,
        json_body: object = None,
        text: str = "",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        hang_up: bool = False,
    ) -> None:
        """Set the next answers: status and JSON or text body, late or not at all."""
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers = {"Content-Type": JSON, **(headers or {})}
        else:
            body = text.encode()
        self.reply = Reply(status, body, headers or {}, delay, hang_up)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `receiver`."""

    class Handler(BaseHTTPRequestHandler):
        def serve(self) -> None:
            """Record the request, then answer with the receiver's current reply."""
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            received = Received(self.command, self.path, self.headers, body)
            receiver.requests.append(received)
            reply = receiver.reply
            if reply.delay and receiver.stopping.wait(reply.delay):
                return
            if reply.hang_up:
                self.close_connection = True
                return
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as the timeout tests intend

        do_GET = do_POST = do_HEAD = do_OPTIONS = serve

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A running partner endpoint; stopped (and any slow answer cut short) after."""
    server = Receiver()
    thread = threading.Thread(
        target=server.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield server
    server.stopping.set()
    server.server.shutdown()
    server.server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def refused_url() -> str:
    """A URL on a port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


@pytest.fixture
def unanswered_url() -> Iterator[str]:
    """A URL whose listener never accepts: a connect attempt times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    # Fill the accept queue; once full, the kernel drops new connection attempts.
    for _ in range(16):
        filler = socket.socket()
        filler.settimeout(0.2)
        try:
            filler.connect(("127.0.0.1", port))
        except OSError:
            filler.close()
            break
        fillers.append(filler)
    else:
        pytest.skip("this kernel accepts connections beyond the listen backlog")
    yield f"http://127.0.0.1:{port}/hooks"
    for filler in fillers:
        filler.close()
    listener.close()
