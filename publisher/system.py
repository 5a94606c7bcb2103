"""What this machine must have besides Python packages, found out before it bites.

WeasyPrint, which makes the print and TV PDFs, loads Pango through the system's
shared libraries, and the print and TV templates name fonts that fontconfig must
find. Without them the first approval fails deep inside a render. So every start
(`publisher check-config`, `run`, `web`, `dispatcher`, `make run`) asks `probe()`,
once per process, and says each missing piece in one line with the `apt-get
install` that adds it; channels whose adapter `needs` a missing piece are shown as
unavailable with that reason and refused at approval, instead of a 500.

Adapters declare what they need as a class attribute (`needs = ("pango",
"fonts")`); this module knows how to look for each piece and which Debian/Ubuntu
packages carry it (the names in README.md).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from channel_adapters.notice import Notice
from channel_adapters.registry import get_adapter

# The shared libraries WeasyPrint opens (weasyprint/text/ffi.py), by soname.
# libpango-1.0-0 and libpangoft2-1.0-0 bring GObject, HarfBuzz and fontconfig along.
PANGO_LIBRARIES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)
PANGO_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0")
# Every font family the print and TV templates name, and the package carrying it.
FONTS = {
    "Liberation Serif": "fonts-liberation2",
    "Liberation Sans": "fonts-liberation2",
    "Liberation Mono": "fonts-liberation2",
    "Noto Serif Balinese": "fonts-noto-core",
    "Noto Sans Javanese": "fonts-noto-core",
    "Noto Color Emoji": "fonts-noto-color-emoji",
    "DejaVu Sans": "fonts-dejavu-core",
    "DejaVu Serif": "fonts-dejavu-core",
}
FC_LIST_TIMEOUT = 20  # seconds; the first call may build fontconfig's cache


@dataclass(frozen=True)
class Missing:
    """One piece this machine lacks: which need, what exactly, and its packages."""

    need: str  # the word adapters use in `needs`: "pango", "fonts"
    what: str  # names a person recognises: "Pango", "Liberation Serif, …"
    packages: tuple[str, ...]

    @property
    def install(self) -> str:
        """The command that adds it."""
        return install_command(self.packages)


def install_command(packages: Iterable[str]) -> str:
    """`apt-get install …` for these packages, each once, in order."""
    return "apt-get install " + " ".join(dict.fromkeys(packages))


def _loads(soname: str) -> bool:
    """Whether the dynamic linker can load this shared library."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _font_families() -> set[str] | None:
    """Every family fontconfig knows, or None when fontconfig's tools are missing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(
            [fc_list, ":", "family"],
            capture_output=True,
            check=True,
            text=True,
            timeout=FC_LIST_TIMEOUT,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


@lru_cache(maxsize=1)
def probe() -> tuple[Missing, ...]:
    """What this machine lacks; looked for once per process (a few milliseconds)."""
    missing = []
    if not all(_loads(name) for name in PANGO_LIBRARIES):
        missing.append(Missing("pango", "Pango", PANGO_PACKAGES))
    families = _font_families()
    if families is None:
        missing.append(Missing("fonts", "fontconfig (fc-list)", ("fontconfig",)))
    else:
        absent = [family for family in FONTS if family not in families]
        if absent:
            packages = tuple(dict.fromkeys(FONTS[f] for f in absent))
            missing.append(Missing("fonts", ", ".join(absent), packages))
    return tuple(missing)


def channel_needs(channel: Any) -> set[str]:
    """The pieces a configured channel needs: its adapter's, and those of the
    adapters whose files it attaches (an e-mail with the print PDF)."""
    needs = set(getattr(channel.adapter_class, "needs", ()))
    for name in getattr(channel.settings, "attach", None) or ():
        try:
            needs |= set(getattr(get_adapter(name), "needs", ()))
        except LookupError:  # the adapter says so in its own warnings
            continue
    return needs


def missing_for(needs: Iterable[str]) -> list[Missing]:
    """The missing pieces among `needs`."""
    wanted = set(needs)
    return [piece for piece in probe() if piece.need in wanted]


def unavailable_notice(label: str, pieces: list[Missing]) -> Notice:
    """`channel.unavailable`: which channel, what is missing, the command to add it."""
    return Notice(
        "channel.unavailable",
        {
            "label": label,
            "missing": "; ".join(p.what for p in pieces),
            "install": install_command(pkg for p in pieces for pkg in p.packages),
        },
    )


def unavailable(channels: Mapping[str, Any]) -> dict[str, Notice]:
    """channel name → why it cannot work on this machine, for each channel that
    needs a missing piece (`channels` as in `Config.enabled_channels`)."""
    found = {}
    for name, channel in channels.items():
        pieces = missing_for(channel_needs(channel))
        if pieces:
            found[name] = unavailable_notice(channel.label, pieces)
    return found


def blocking(channels: Mapping[str, Any]) -> Notice | None:
    """One `channel.unavailable` notice naming every channel that cannot work here,
    or None when all can (approval freezes every enabled channel's files)."""
    labels, pieces = [], []
    for channel in channels.values():
        lacking = missing_for(channel_needs(channel))
        if lacking:
            labels.append(channel.label)
            pieces += [p for p in lacking if p not in pieces]
    return unavailable_notice(", ".join(labels), pieces) if labels else None


def startup_report(channels: Mapping[str, Any]) -> list[Notice]:
    """One `system.missing` notice per missing piece, naming the channels it stops."""
    report = []
    for piece in probe():
        users = [
            ch.label for ch in channels.values() if piece.need in channel_needs(ch)
        ]
        report.append(
            Notice(
                "system.missing",
                {
                    "missing": piece.what,
                    "channels": ", ".join(users) or "-",
                    "install": piece.install,
                },
            )
        )
    return report


def missing_packages() -> list[str]:
    """The Debian packages that would add every missing piece (for `make run`)."""
    return list(dict.fromkeys(pkg for piece in probe() for pkg in piece.packages))
