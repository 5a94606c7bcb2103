"""The Jinja environment channel templates render in, built from the adapters' own
folders.

Each subpackage carries its templates as `<subpackage>/templates/<adapter>/<name>`
(`print/templates/print/siaran_pers.html`), so the package ships, and is tested,
without the application. The environment is strict (`StrictUndefined`) and escapes
only `.html` and `.xml`, so a radio script says `&`, not `&amp;`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .text import formatting

PACKAGE = Path(__file__).resolve().parent
# Subpackages with templates; an adapter's template is `<adapter name>/<file>`.
FOLDERS = ("print", "broadcast", "feeds", "email")


def template_folders() -> list[Path]:
    """Every subpackage's `templates/` folder, in a fixed order."""
    return [PACKAGE / folder / "templates" for folder in FOLDERS]


@lru_cache(maxsize=4)
def environment(extra: Path | None = None) -> Environment:
    """The channel environment; `extra` (a folder searched first) lets an office
    or a test replace one adapter's template."""
    folders = ([extra] if extra else []) + template_folders()
    env = Environment(
        loader=FileSystemLoader([str(f) for f in folders]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["dateline_date"] = formatting.dateline_date
    env.filters["long_datetime"] = formatting.long_datetime
    env.filters["short_datetime"] = formatting.short_datetime
    env.globals["zone_label"] = formatting.zone_label
    return env
