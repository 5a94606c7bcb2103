"""Turn a revision into each channel's rendition, through the channel Jinja env."""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from jinja2 import Environment, TemplateError
from pydantic import ValidationError

from channel_adapters import templating
from channel_adapters.base import (
    Adapter,
    Attachment,
    Contact,
    Image,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from channel_adapters.notice import Notice
from channel_adapters.registry import get_adapter

from .config import Config
from .models import (
    FrozenRendition,
    MediaFile,
    MediaKind,
    Release,
    RenditionFileRow,
    Revision,
)
from .storage import open_storage


def channel_environment() -> Environment:
    """The adapters' own Jinja environment (`channel_adapters.templating`)."""
    return templating.environment()


def snapshot(release: Release, revision: Revision, config: Config) -> ReleaseSnapshot:
    """A revision as the plain, frozen values adapters render from."""
    images, attachments = media_snapshot(config, release, revision)
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
        images=images,
        attachments=attachments,
    )


def media_snapshot(
    config: Config, release: Release, revision: Revision
) -> tuple[tuple[Image, ...], tuple[Attachment, ...]]:
    """The revision's pictures (lead first) and documents, as local files."""
    storage = open_storage(config)
    images: list[Image] = []
    attachments: list[Attachment] = []
    for item in revision.media:
        files = item.files()
        if item.asset.kind == MediaKind.IMAGE:
            web = files["web"]
            images.append(
                Image(
                    id=item.asset_id,
                    alt=item.alt,
                    caption=item.caption,
                    credit=item.credit,
                    width=web.width or 0,
                    height=web.height or 0,
                    media_type=web.media_type,
                    variants={p: storage.path(f.key) for p, f in files.items()},
                    url=media_url(config, release, web),
                )
            )
        else:
            document = files["file"]
            attachments.append(
                Attachment(
                    id=item.asset_id,
                    name=item.asset.filename,
                    media_type=document.media_type,
                    path=storage.path(document.key),
                    size=document.size,
                )
            )
    return tuple(images), tuple(attachments)


def public_url(config: Config, release: Release) -> str:
    """Where the release's public page lives once it is published."""
    return f"{config.organization.public_url}/p/{release.public_id}"


def media_url(config: Config, release: Release, file: MediaFile) -> str:
    """A file's public address; it answers only while the release is public."""
    return f"{public_url(config, release)}/media/{file.key}"


def render_channel(
    config: Config,
    channel: str,
    release: ReleaseSnapshot,
    *,
    with_files: bool,
    now: datetime | None = None,
    override: str | None = None,
) -> Rendition:
    """One channel's rendition of a snapshot, with the drafter's text if any."""
    context = RenderContext(
        organization=config.organization_snapshot(),
        templates=channel_environment(),
        now=now or release.approved_at or datetime.now(UTC),
        with_files=with_files,
        glossary=config.glossary,
    )
    adapter = config.adapter(channel)
    if with_files and adapter.files_from():
        context = replace(
            context, files=files_for(adapter, channel, config, release, context)
        )
    rendition = adapter.render(release, context)
    if override is not None and adapter.overridable:
        rendition = adapter.apply_override(rendition, override, release, context)
    return rendition


def files_for(
    adapter: Adapter,
    channel: str,
    config: Config,
    release: ReleaseSnapshot,
    context: RenderContext,
) -> dict[str, tuple[RenditionFile, ...]]:
    """The files of each adapter type `adapter` carries (e-mail's `attach`), each
    rendered with that adapter's default settings, exactly as its channel makes
    them. A type that needs settings of its own is left out (the adapter says so)."""
    files: dict[str, tuple[RenditionFile, ...]] = {}
    for name in adapter.files_from():
        try:
            cls = get_adapter(name)
            settings = cls.validate_settings({})
        except (LookupError, ValidationError):
            continue
        made = cls(channel, settings, config.data_dir).render(release, context)
        files[name] = made.files
    return files


@dataclass(frozen=True)
class Preview:
    """A channel's rendition for the preview page, or why it could not be made."""

    channel: str
    label: str
    adapter: str
    rendition: Rendition | None
    error: str | None = None
    overridden: bool = False
    overridable: bool = False


def preview(config: Config, release: Release, revision: Revision) -> list[Preview]:
    """Every enabled channel's rendition of `revision`, without heavy files."""
    snap = _with_inline_images(snapshot(release, revision, config))
    overrides = {o.channel: o.text for o in revision.overrides}
    previews = []
    for name, channel in config.enabled_channels.items():
        facts = {
            "overridden": name in overrides,
            "overridable": channel.adapter_class.overridable,
        }
        try:
            rendition = render_channel(
                config, name, snap, with_files=False, override=overrides.get(name)
            )
            previews.append(
                Preview(name, channel.label, channel.adapter, rendition, **facts)
            )
        except TemplateError as exc:
            # A broken channel template must not hide the other channels' previews.
            previews.append(
                Preview(
                    name,
                    channel.label,
                    channel.adapter,
                    None,
                    f"template: {exc}",
                    **facts,
                )
            )
    return previews


def _with_inline_images(snap: ReleaseSnapshot) -> ReleaseSnapshot:
    """Pictures as data: URLs of their thumbnails, for previews.

    A preview is shown before the release is public, in a sandboxed frame that has
    no access to the signed-in session, so the public addresses would not answer.
    """
    images = []
    for image in snap.images:
        thumbnail = image.variant("thumbnail")
        if thumbnail is not None and thumbnail.exists():
            encoded = base64.b64encode(thumbnail.read_bytes()).decode("ascii")
            image = replace(image, url=f"data:{image.media_type};base64,{encoded}")
        images.append(image)
    return replace(snap, images=tuple(images))


def freeze(
    config: Config, release: Release, revision: Revision
) -> list[FrozenRendition]:
    """Render every enabled channel with its files and store the exact bytes."""
    snap = snapshot(release, revision, config)
    overrides = {o.channel: o.text for o in revision.overrides}
    frozen = []
    for name in config.enabled_channels:
        rendition = render_channel(
            config, name, snap, with_files=True, override=overrides.get(name)
        )
        row = _store(FrozenRendition(channel=name), rendition)
        revision.renditions.append(row)
        frozen.append(row)
    return frozen


def refreeze_for_schedule(
    config: Config,
    release: Release,
    revision: Revision,
    channel: str,
    planned_at: datetime,
) -> FrozenRendition | None:
    """Render a channel that shows its planned time again, with that time.

    Only the time changes: the revision, and so the approved content, is the same.
    """
    if not config.channels[channel].adapter_class.uses_planned_at:
        return None
    row = next((r for r in revision.renditions if r.channel == channel), None)
    if row is None:
        return None
    snap = replace(
        snapshot(release, revision, config), planned_at={channel: planned_at}
    )
    overrides = {o.channel: o.text for o in revision.overrides}
    rendition = render_channel(
        config, channel, snap, with_files=True, override=overrides.get(channel)
    )
    return _store(row, rendition)


def _store(row: FrozenRendition, rendition: Rendition) -> FrozenRendition:
    """Copy a rendition's text, files and hash into its database row."""
    row.adapter = rendition.adapter
    row.text = rendition.text
    row.html = rendition.html
    row.warnings = [notice.as_dict() for notice in rendition.warnings]
    row.length = rendition.length
    row.limit = rendition.limit
    row.content_hash = rendition.content_hash
    row.files = [
        RenditionFileRow(name=f.name, media_type=f.media_type, data=f.data)
        for f in rendition.files
    ]
    return row


def thaw(row: FrozenRendition) -> Rendition:
    """The stored rendition back as the dataclass adapters deliver."""
    return Rendition(
        channel=row.channel,
        adapter=row.adapter,
        text=row.text,
        html=row.html,
        files=tuple(RenditionFile(f.name, f.media_type, f.data) for f in row.files),
        warnings=tuple(Notice.from_stored(w) for w in row.warnings or ()),
        length=row.length,
        limit=row.limit,
    )
