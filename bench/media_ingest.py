"""How long does one 12-megapixel phone photo take to ingest? Goal: at most 1 s.

Ingesting is everything an upload does: read and check the file, decode it, turn it
upright (EXIF orientation 6, as a phone held upright writes it), strip its metadata,
write the private original and the six variants (web, thumbnail, og, x, bluesky,
instagram) to storage, and add the database rows, through `media.add_media`.

The photo is made here: 4000 × 3000 pixels of shapes, gradients and sensor-like
noise, JPEG quality 92 with GPS in its EXIF, about the size a phone writes.

Usage: .venv/bin/python bench/media_ingest.py [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_config  # noqa: E402

from publisher.db import Database  # noqa: E402
from publisher.models import User  # noqa: E402
from publisher.services import (  # noqa: E402
    accounts,
    drafting,
    media,  # noqa: E402
)
from publisher.storage import open_storage  # noqa: E402
from publisher.uploads import Upload  # noqa: E402


def phone_photo() -> bytes:
    """A 12 MP JPEG like a phone's: sideways pixels, orientation 6, GPS."""
    size = (4000, 3000)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 397) % 3800, (n * 211) % 2800
        draw.rectangle((x, y, x + 300, y + 160), fill=(n * 37 % 256, 90, n * 53 % 256))
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.merge("RGB", [Image.effect_noise(size, 40)] * 3)
    image = Image.blend(image, noise, 0.25)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "S", 2: (8.0, 40.0, 12.5)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def main() -> None:
    """Ingest the photo `--runs` times into fresh releases; print the median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    photo = phone_photo()
    with tempfile.TemporaryDirectory() as folder:
        config = make_config(Path(folder))
        database = Database(config.database_url)
        database.upgrade()
        storage = open_storage(config)
        with database.session() as session:
            user = accounts.create_user(session, "penyusun", "drafter", "x" * 12)
            user_id = user.id
        timings = []
        for run in range(runs):
            with database.session() as session:
                user = session.get(User, user_id)
                release = drafting.create_release(
                    session, user, drafting.ReleaseContent(title=f"Rilis {run}")
                )
                session.commit()
                started = time.perf_counter()
                result = media.add_media(
                    session,
                    config,
                    storage,
                    user,
                    release.id,
                    [Upload("IMG_0001.JPG", io.BytesIO(photo))],
                    media.MediaDetails(alt="Foto uji"),
                )
                session.commit()
                timings.append(time.perf_counter() - started)
                assert result.added and not result.refused
            # Each run starts from an empty folder, as a new photo would.
            for path in sorted(storage.root.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
        database.dispose()
    ms = sorted(t * 1000 for t in timings)
    print(
        f"ingest of one 12 MP photo ({len(photo) / 1e6:.1f} MB JPEG, orientation 6) "
        f"with all variants, {runs} runs: median {statistics.median(ms):.0f} ms, "
        f"best {ms[0]:.0f} ms, worst {ms[-1]:.0f} ms (goal ≤ 1000 ms)"
    )


if __name__ == "__main__":
    main()
