"""Three releases written for this project, shared by every renderer's tests.

`short_release()` (Indonesian, a few paragraphs), `long_release()` (Indonesian, about
600 words, dense with money, dates, times, percentages, ordinals, phone numbers and
abbreviations, under embargo) and `english_release()`; `render_context()` renders
them with the shipped channel templates and a fixed clock. `FIXTURES` maps a short
name, used in golden-file names, to each release function.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from channel_adapters.base import (
    Adapter,
    Contact,
    Image,
    Organization,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
)
from channel_adapters.registry import ADAPTERS
from channel_adapters.social.base import SocialAdapter
from channel_adapters.templating import environment as channel_environment

MEDIA_DIR = Path(__file__).resolve().parents[1] / "data" / "media"
# Tuesday 29 November 2022, 09.00 WITA: the clock every fixture render reads.
NOW = datetime(2022, 11, 29, 1, 0, tzinfo=UTC)
# Approved at 08.30 WITA the same Tuesday.
APPROVED_AT = datetime(2022, 11, 29, 0, 30, tzinfo=UTC)
# The long release is embargoed until Tuesday 29 November 2022, 10.00 WITA.
EMBARGO_AT = datetime(2022, 11, 29, 2, 0, tzinfo=UTC)

# How an announcer reads the abbreviations the fixtures use.
GLOSSARY: Mapping[str, str] = {
    "SP4N-LAPOR!": "es-pe-empat-en lapor",
    "KIM": "kim",
    "PPID": "pe-pe-i-de",
    "Diskominfos": "dis-kominfos",
    "UMKM": "u-em-ka-em",
    "OPD": "o-pe-de",
    "APBD": "a-pe-be-de",
    "QRIS": "kyu-ris",
}

ABOUT = (
    "Dinas Komunikasi, Informatika dan Statistik (Diskominfos) Provinsi Bali "
    "menyelenggarakan urusan pemerintahan di bidang komunikasi dan informatika, "
    "statistik sektoral dan persandian. Diskominfos Bali mengelola kanal informasi "
    "resmi Pemerintah Provinsi Bali, layanan PPID dan pengaduan SP4N-LAPOR!."
)
ABOUT_EN = (
    "The Bali Provincial Office of Communication, Informatics and Statistics "
    "(Diskominfos) runs the official information channels of the Bali Provincial "
    "Government, its public information service (PPID) and the SP4N-LAPOR! "
    "complaints service."
)


def organization(*, logo: bool = True) -> Organization:
    """The Bali provincial communication office, with a full letterhead."""
    return Organization(
        name="Dinas Komunikasi, Informatika dan Statistik Provinsi Bali",
        short_name="Diskominfos Bali",
        city="Denpasar",
        address="Jl. D.I. Panjaitan No. 7, Renon, Denpasar, Bali 80235",
        phone="(0361) 229 360",
        email="diskominfos@baliprov.example",
        website="https://diskominfos.baliprov.example",
        logo_path=MEDIA_DIR / "logo-diskominfos.png" if logo else None,
        timezone="Asia/Makassar",
        language="id",
        public_url="https://rilis.baliprov.example",
        code="DISKOMINFOS",
        about=ABOUT,
        about_en=ABOUT_EN,
        hashtags=("BaliEraBaru", "DiskominfosBali"),
    )


def render_context(
    *,
    with_files: bool = True,
    org: Organization | None = None,
    now: datetime = NOW,
    glossary: Mapping[str, str] | None = None,
) -> RenderContext:
    """A render context with the shipped templates, the fixed clock and the glossary."""
    return RenderContext(
        organization=org or organization(),
        templates=channel_environment(),
        now=now,
        with_files=with_files,
        glossary=GLOSSARY if glossary is None else glossary,
    )


def _image(image_id: int, file: str, alt: str, caption: str, credit: str) -> Image:
    """A fixture picture whose every variant is the same local JPEG."""
    path = MEDIA_DIR / file
    return Image(
        id=image_id,
        alt=alt,
        caption=caption,
        credit=credit,
        width=1200,
        height=800,
        media_type="image/jpeg",
        variants={"original": path, "web": path},
        url=f"https://rilis.baliprov.example/media/{image_id}/web.jpg",
    )


FORUM_IMAGE = _image(
    1,
    "forum-layanan-publik.jpg",
    "Peserta forum duduk di depan wantilan beratap merah",
    "Peserta Forum Keterbukaan Informasi Publik di Wantilan DPRD Provinsi Bali.",
    "Diskominfos Bali/Made Arya",
)
COAST_IMAGE = _image(
    2,
    "pantai-sanur.jpg",
    "Pantai berbukit hijau dengan laut biru di bawah matahari pagi",
    "Pantai Sanur, salah satu lokasi Festival Ekonomi Kreatif Bali 2022.",
    "Diskominfos Bali",
)
BEACH_IMAGE = _image(
    3,
    "pantai-sanur.jpg",
    "Green hills above a blue sea and a sandy beach under the morning sun",
    "Sanur Beach on the morning of the first clean-up.",
    "Bali Provincial Government",
)

SHORT_BODY = """\
Forum yang digelar di Wantilan DPRD Provinsi Bali ini diikuti 150 peserta dari \
perangkat daerah, desa adat, dan Kelompok Informasi Masyarakat (KIM) se-Bali.

"Setiap warga berhak tahu bagaimana anggaran dan program pemerintah dijalankan," \
kata Kepala Diskominfos Bali saat membuka forum.

Warga dapat mengajukan permohonan informasi melalui [laman PPID Provinsi \
Bali](https://ppid.baliprov.example) atau datang langsung ke Gedung Diskominfos \
setiap hari kerja pukul 08.00–15.00 WITA.
"""

LONG_BODY = """\
Festival yang berlangsung pada 1–3 Desember 2022 di Lapangan Niti Mandala Renon, \
Denpasar, ini merupakan penyelenggaraan ke-3 sejak 2020. Tahun ini Pemerintah \
Provinsi Bali menyiapkan anggaran Rp1,2 miliar dari APBD Perubahan 2022, naik 35% \
dibandingkan tahun lalu, serta hadiah pembinaan Rp 5.000.000 bagi 20 pelaku UMKM \
terbaik.

## Jadwal dan lokasi

Pembukaan dijadwalkan Kamis, 1 Desember 2022 pukul 10.00 WITA oleh Gubernur Bali. \
Stan dibuka setiap hari pukul 09.00–21.00 WITA, dengan panggung seni pada pukul \
19.30 WITA. Selain di Renon, sebanyak 12 stan kuliner juga hadir di Pantai Sanur \
pada 3 Desember 2022.

Kepala Diskominfos Bali menyebutkan, jumlah peserta meningkat dari 180 pelaku usaha \
pada 2021 menjadi 247 pelaku usaha tahun ini, atau tumbuh 37,2%. "Sebanyak 64% \
peserta adalah perempuan, dan 1 dari 4 peserta baru pertama kali berjualan secara \
daring," ujarnya.

## Transaksi nontunai dan target

Panitia menargetkan transaksi selama festival mencapai Rp 3,5 miliar, dengan \
sedikitnya 80% pembayaran memakai QRIS. Pada penyelenggaraan ke-2, nilai transaksi \
tercatat Rp2.750.000.000 dan 62,5% di antaranya nontunai.

Untuk mendukung target itu, Diskominfos Bali bekerja sama dengan Bank Pembangunan \
Daerah Bali dan 9 OPD lain. Pelaku usaha dapat:

1. mendaftar QRIS gratis di stan layanan perbankan;
2. mengikuti pelatihan pemasaran digital pada Jumat, 2 Desember 2022 pukul 13.00 \
WITA;
3. berkonsultasi tentang perizinan berusaha dengan petugas Mal Pelayanan Publik.

## Layanan informasi dan pengaduan

Informasi lengkap tersedia di laman PPID Provinsi Bali, \
<https://ppid.baliprov.example>, serta melalui Kelompok Informasi Masyarakat (KIM) \
di 9 kabupaten/kota. Warga yang menemukan pungutan liar atau layanan yang tidak \
sesuai dapat melapor melalui SP4N-LAPOR! di \
[lapor.go.id](https://www.lapor.go.id), SMS ke 1708, atau telepon pusat layanan \
Diskominfos di (0361) 229 360.

> Keterbukaan informasi bukan sekadar kewajiban undang-undang. Dengan data yang \
jelas, pelaku UMKM dan konsumen sama-sama diuntungkan.

Kepala Bidang Informasi dan Komunikasi Publik, I Gusti Ayu Putri Suryani, S.Sos., \
M.Si., menambahkan bahwa PPID pembantu di setiap OPD wajib menjawab permohonan \
informasi paling lambat 10 hari kerja, dan dapat diperpanjang 7 hari kerja. \
Sepanjang Januari–Oktober 2022, PPID Provinsi Bali menerima 1.284 permohonan, \
dengan 96,8% di antaranya selesai tepat waktu.

## Tentang festival

Festival Ekonomi Kreatif Bali pertama kali digelar pada 2020 sebagai upaya \
pemulihan ekonomi setelah pandemi. Tahun ini festival mengusung tema *Bali \
Bangkit, UMKM Naik Kelas*, dengan sasaran 15.000 pengunjung per hari dan \
peningkatan omzet peserta minimal 25% dalam 3 bulan setelah festival.

Selama festival, panitia juga membuka klinik konsultasi merek dagang, pendampingan \
sertifikasi halal, dan pendaftaran Nomor Induk Berusaha (NIB). Layanan tersebut \
tidak dipungut biaya. Pelaku usaha cukup membawa KTP elektronik, NPWP bila ada, \
serta contoh produk.

Bagi pengunjung, panitia menyediakan parkir di Lapangan Puputan Margarana dan bus \
ulang-alik gratis setiap 15 menit dari pukul 08.30 hingga 21.30 WITA. Pengunjung \
diimbau membawa tas belanja sendiri sesuai Peraturan Gubernur Bali Nomor 97 Tahun \
2018 tentang pembatasan timbulan sampah plastik sekali pakai.

## Pengawasan dan evaluasi

Diskominfos Bali akan memantau harga dan transaksi setiap hari melalui dasbor data \
terbuka, yang diperbarui pukul 12.00 dan 18.00 WITA. Hasil evaluasi disampaikan \
kepada Gubernur paling lambat 15 Desember 2022, termasuk rekomendasi untuk \
penyelenggaraan ke-4 pada 2023. Tim juga menyurvei 500 pengunjung secara acak; \
survei tahun lalu mencatat indeks kepuasan 4,3 dari skala 5.

Masyarakat yang ingin menjadi relawan festival dapat mendaftar hingga Rabu, \
30 November 2022 pukul 23.59 WITA melalui KIM di desa atau kelurahan masing-masing, \
atau menghubungi WhatsApp panitia di 0811-3860-2022. Relawan mendapat kaus, makan \
siang, dan sertifikat dari Diskominfos Bali.
"""

ENGLISH_BODY = """\
Around 40 volunteers from the Sanur and Sindhu coastal villages joined the \
clean-up, collecting 1.2 tonnes of waste along 3 km of beach. About 70% of it was \
single-use plastic.

## A monthly event

The clean-up will take place on the **last Sunday of every month** from 07.00 to \
09.00 WITA. Residents and visitors can sign up at \
[the provincial portal](https://baliprov.example/bersih-pantai).

> "A clean beach is the first thing our guests notice, and the last thing they \
remember," said the head of the Sanur traditional village.
"""


def short_release() -> ReleaseSnapshot:
    """A short Indonesian release about a public-information forum, not embargoed."""
    return ReleaseSnapshot(
        release_id=101,
        public_id="0b8f6a8e-5d43-4a4e-9d1c-6f2b1e7c0101",
        revision=1,
        language="id",
        title="Diskominfos Bali Ajak Warga Manfaatkan Hak atas Informasi Publik",
        lead=(
            "Dinas Komunikasi, Informatika dan Statistik (Diskominfos) Provinsi Bali "
            "mengajak warga memanfaatkan hak atas informasi publik melalui Forum "
            "Keterbukaan Informasi Publik 2022."
        ),
        body_markdown=SHORT_BODY,
        dateline_city="Denpasar",
        category="Informasi Publik",
        tags=("keterbukaan informasi", "PPID"),
        contact=Contact(
            name="Ni Luh Putu Ayu Lestari",
            phone="0812-3456-7890",
            email="ppid@baliprov.example",
        ),
        number="012/HM/DISKOMINFOS/XI/2022",
        public_url="https://rilis.baliprov.example/p/0b8f6a8e-5d43-4a4e-9d1c-6f2b1e7c0101",
        approved_at=APPROVED_AT,
        images=(FORUM_IMAGE,),
    )


def long_release() -> ReleaseSnapshot:
    """A long Indonesian release (about 600 words), embargoed, with two pictures."""
    return ReleaseSnapshot(
        release_id=102,
        public_id="5c2d9f41-8a7b-4e63-b0a5-3e9d2c4f0102",
        revision=3,
        language="id",
        title="Festival Ekonomi Kreatif Bali 2022 Targetkan Transaksi Rp 3,5 Miliar",
        subtitle="247 pelaku UMKM ikut serta, 80% pembayaran ditargetkan lewat QRIS",
        lead=(
            "Pemerintah Provinsi Bali melalui Diskominfos Bali menggelar Festival "
            "Ekonomi Kreatif Bali 2022 yang diikuti 247 pelaku UMKM dari 9 "
            "kabupaten/kota, dengan target transaksi Rp 3,5 miliar selama tiga hari."
        ),
        body_markdown=LONG_BODY,
        dateline_city="Denpasar",
        category="Ekonomi",
        tags=("UMKM", "ekonomi kreatif", "QRIS", "Bali"),
        contact=Contact(
            name="I Gusti Ayu Putri Suryani",
            phone="+62 361 229 360",
            email="ikp.diskominfos@baliprov.example",
        ),
        embargo_at=EMBARGO_AT,
        number="013/HM/DISKOMINFOS/XI/2022",
        public_url="https://rilis.baliprov.example/p/5c2d9f41-8a7b-4e63-b0a5-3e9d2c4f0102",
        approved_at=APPROVED_AT,
        images=(FORUM_IMAGE, COAST_IMAGE),
    )


def english_release() -> ReleaseSnapshot:
    """An English release about a monthly beach clean-up in Sanur."""
    return ReleaseSnapshot(
        release_id=103,
        public_id="9e1a7c3b-2f6d-4b8e-a4c0-7d5e3f1b0103",
        revision=1,
        language="en",
        title="Sanur Beach Clean-Up Becomes a Monthly Event",
        subtitle="Volunteers collected 1.2 tonnes of waste on the first morning",
        lead=(
            "The Bali Provincial Government and the Sanur traditional village will "
            "hold a beach clean-up every month, after a first event on Sunday drew "
            "around 40 volunteers."
        ),
        body_markdown=ENGLISH_BODY,
        dateline_city="Sanur",
        category="Environment",
        tags=("Sanur", "clean beach"),
        contact=Contact(
            name="Made Wirawan",
            phone="+62 812 3900 1122",
            email="media@baliprov.example",
        ),
        number="014/HM/DISKOMINFOS/XI/2022",
        public_url="https://rilis.baliprov.example/p/9e1a7c3b-2f6d-4b8e-a4c0-7d5e3f1b0103",
        approved_at=APPROVED_AT,
        images=(BEACH_IMAGE,),
    )


FIXTURES: Mapping[str, Callable[[], ReleaseSnapshot]] = {
    "pendek": short_release,
    "panjang": long_release,
    "english": english_release,
}


# --- the forum release the contract, webhook and broadcast tests share ---------------

FORUM_BODY = """\
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


def denpasar_office() -> Organization:
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


def forum_release() -> ReleaseSnapshot:
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
        body_markdown=FORUM_BODY,
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


def with_files_of(
    adapter: Adapter, release: ReleaseSnapshot, context: RenderContext
) -> RenderContext:
    """`context` carrying the files of the adapter types `adapter` takes along
    (e-mail's `attach`), each rendered with its default settings, as
    publisher.rendering does when it freezes a release."""
    files = {}
    for name in adapter.files_from():
        cls = ADAPTERS[name]
        made = cls(name, cls.validate_settings({}), adapter.data_dir).render(
            release, context
        )
        files[name] = made.files
    return dataclasses.replace(context, files=files)


# --- social networks ------------------------------------------------------------------

SOCIAL_NETWORKS: dict[str, type[SocialAdapter]] = {
    name: cls for name, cls in ADAPTERS.items() if issubclass(cls, SocialAdapter)
}
# A public address X and Mastodon see as a link (a .go.id domain).
GO_ID = "https://rilis.baliprov.go.id/p/0b8f6a8e-5d43-4a4e-9d1c-6f2b1e7c0101"


def social_channel(name: str, **settings: object) -> SocialAdapter:
    """A channel of social adapter `name` with these settings."""
    cls = SOCIAL_NETWORKS[name]
    return cls(f"{name}-kanal", cls.validate_settings(settings), Path("/nonexistent"))


def review(rendition: Rendition) -> str:
    """A rendition as a reviewer reads it: text, count, warnings, payload files."""
    lines = [
        rendition.text,
        "",
        f"=== {rendition.adapter}: {rendition.length}/{rendition.limit} ===",
        *(f"! {warning}" for warning in rendition.warnings),
    ]
    for file in rendition.files:
        if file.media_type.startswith("image/"):
            shown = f"({file.media_type}, {len(file.data)} bytes)"
        else:
            shown = file.data.decode()
        lines += [f"=== {file.name} ===", shown]
    return "\n".join(lines) + "\n"
