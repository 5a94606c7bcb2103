"""Demo accounts and a sample draft, so a first start shows something real."""

from __future__ import annotations

import os
import secrets

from sqlalchemy import func, select

from .config import Config
from .db import Database
from .models import User
from .services import accounts, drafting

DEMO_USERS = (
    ("penyusun", "drafter", "Ni Luh Putu Ayu (Penyusun)"),
    ("editor", "editor", "I Made Dwi Prayana (Editor)"),
    ("admin", "admin", "Administrator"),
)
LOGINS_FILE = "demo-logins.txt"

SAMPLE = {
    "title": "Diskominfos Bali Gelar Sosialisasi Keterbukaan Informasi Publik "
    "bagi Komunitas Informasi Masyarakat",
    "lead": "Dinas Komunikasi, Informatika dan Statistik Provinsi Bali mengajak "
    "Komunitas Informasi Masyarakat (KIM) se-Bali memperkuat literasi media "
    "dan melawan hoaks melalui sosialisasi keterbukaan informasi publik.",
    "body": (
        "Kegiatan yang diikuti 120 peserta dari sembilan kabupaten/kota ini dibuka "
        "oleh Kepala Bidang Informasi dan Komunikasi Publik di Gedung Ksirarnawa, "
        "Taman Budaya Denpasar.\n\n"
        "“Informasi publik yang tepat, benar dan dapat dipertanggungjawabkan adalah "
        "hak masyarakat. KIM adalah mitra kami untuk menyampaikannya sampai ke desa "
        "adat,” ujarnya.\n\n"
        "Dalam sesi berikutnya, narasumber dari PPID Provinsi Bali memaparkan:\n\n"
        "- tata cara permohonan informasi publik;\n"
        "- pengelolaan pengaduan melalui SP4N-LAPOR!;\n"
        "- kiat mengenali berita bohong di media sosial.\n\n"
        "Sosialisasi serupa akan dilanjutkan ke kampus dan sekolah menengah atas "
        "di seluruh Bali."
    ),
    "category": "Informasi Publik",
    "tags": ["KIM", "PPID", "LiterasiDigital"],
    "contact_name": "I Made Dwi Prayana, Sub Koordinator Publikasi",
    "contact_phone": "+62 361 123456",
    "contact_email": "publikasi@example.go.id",
}


def seed(database: Database, config: Config) -> list[tuple[str, str, str]]:
    """On an empty database: demo users and one draft. Returns the logins to print."""
    logins_path = config.data_dir / LOGINS_FILE
    with database.session() as session:
        if session.scalar(select(func.count(User.id))):
            return _read_logins(logins_path)
        logins = []
        drafter = None
        for username, role, display in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            user = accounts.create_user(session, username, role, password, display)
            drafter = drafter or user
            logins.append((username, password, role))
        content = drafting.ReleaseContent(
            **SAMPLE,
            dateline_city=config.organization.city,
            language=config.organization.language,
        )
        drafting.create_release(session, drafter, content)
    _write_logins(logins_path, logins)
    return logins


def _write_logins(path, logins: list[tuple[str, str, str]]) -> None:
    # Kept (mode 0600) so a second `make run` can show them again; delete it once
    # real accounts exist.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for row in logins:
            handle.write("\t".join(row) + "\n")


def _read_logins(path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3]
