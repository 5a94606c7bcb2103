"""Turn a revision into each channel's rendition, through the channel Jinja env."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from channel_adapters import formatting
from channel_adapters.base import (
    Contact,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)

from .config import Config
from .models import FrozenRendition, Release, RenditionFileRow, Revision
from .paths import templates_dir


@lru_cache(maxsize=4)
def channel_environment(root: Path | None = None) -> Environment:
    """Jinja env for renditions: strict, autoescaping only HTML/XML (radio says `&`)."""
    env = Environment(
        loader=FileSystemLoader(str(root or templates_dir())),
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


def snapshot(release: Release, revision: Revision, config: Config) -> ReleaseSnapshot:
    """A revision as the plain, frozen values adapters render from."""
    return ReleaseSnapshot(
        release_id=release.id,
        public_id=release.public_id,
        revision=revision.number,
        language=revision.language,
        title=revision.title,
        lead=revision.lead,
        body_markdown=revision.body,
        dateline_city=revision.dateline_city or config.organization.city,
        category=revision.category,
        tags=tuple(revision.tags or ()),
        contact=Contact(
            name=revision.contact_name,
            phone=revision.contact_phone,
            email=revision.contact_email,
        ),
        embargo_at=revision.embargo_at,
        public_url=public_url(config, release),
        approved_at=release.approved_at,
        number=release.number or "",
    )


def public_url(config: Config, release: Release) -> str:
    """Where the release's public page lives once it is published."""
    return f"{config.organization.public_url}/p/{release.public_id}"


def render_channel(
    config: Config,
    channel: str,
    release: ReleaseSnapshot,
    *,
    with_files: bool,
    now: datetime | None = None,
) -> Rendition:
    """One channel's rendition of a snapshot."""
    context = RenderContext(
        organization=config.organization_snapshot(),
        templates=channel_environment(),
        now=now or release.approved_at or datetime.now(UTC),
        with_files=with_files,
        glossary=config.glossary,
    )
    return config.adapter(channel).render(release, context)


@dataclass(frozen=True)
class Preview:
    """A channel's rendition for the preview page, or why it could not be made."""

    channel: str
    label: str
    adapter: str
    rendition: Rendition | None
    error: str | None = None


def preview(config: Config, release: Release, revision: Revision) -> list[Preview]:
    """Every enabled channel's rendition of `revision`, without heavy files."""
    snap = snapshot(release, revision, config)
    previews = []
    for name, channel in config.enabled_channels.items():
        try:
            rendition = render_channel(config, name, snap, with_files=False)
            previews.append(Preview(name, channel.label, channel.adapter, rendition))
        except TemplateError as exc:
            # A broken channel template must not hide the other channels' previews.
            previews.append(
                Preview(name, channel.label, channel.adapter, None, f"template: {exc}")
            )
    return previews


def freeze(
    config: Config, release: Release, revision: Revision
) -> list[FrozenRendition]:
    """Render every enabled channel with its files and store the exact bytes."""
    snap = snapshot(release, revision, config)
    frozen = []
    for name in config.enabled_channels:
        rendition = render_channel(config, name, snap, with_files=True)
        row = FrozenRendition(
            channel=name,
            adapter=rendition.adapter,
            text=rendition.text,
            html=rendition.html,
            warnings=list(rendition.warnings),
            length=rendition.length,
            limit=rendition.limit,
            content_hash=rendition.content_hash,
            files=[
                RenditionFileRow(name=f.name, media_type=f.media_type, data=f.data)
                for f in rendition.files
            ],
        )
        revision.renditions.append(row)
        frozen.append(row)
    return frozen


def thaw(row: FrozenRendition) -> Rendition:
    """The stored rendition back as the dataclass adapters deliver."""
    return Rendition(
        channel=row.channel,
        adapter=row.adapter,
        text=row.text,
        html=row.html,
        files=tuple(RenditionFile(f.name, f.media_type, f.data) for f in row.files),
        warnings=tuple(row.warnings or ()),
        length=row.length,
        limit=row.limit,
    )
