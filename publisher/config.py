"""config.yaml: read, expand `${ENV}` secrets, validate, and explain mistakes by key.

Over 400 lines on purpose: every section's model in one module, in the order of
config.yaml and docs/configuration.md, so the three are read side by side.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from channel_adapters.base import Adapter, AdapterSettings, OutboxSettings
from channel_adapters.base import Organization as OrganizationSnapshot
from channel_adapters.notice import Notice
from channel_adapters.registry import get_adapter

from . import public_address
from .config_notify import NotificationsConfig
from .posting_limits import (
    DEFAULT_CONCURRENCY,
    Rate,
    default_rate,
    parse_concurrency,
    parse_rate,
)
from .presets import SchedulePreset

CONFIG_ENV = "PUBLISHER_CONFIG"
DEFAULT_CONFIG = "config.yaml"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class ConfigError(Exception):
    """A mistake in the configuration; the message names the file and the key path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganizationConfig(_Strict):
    """The office that publishes."""

    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    city: str = Field(min_length=1)
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: Path | None = None
    timezone: str = "Asia/Makassar"
    language: Literal["id", "en"] = "id"
    public_url: str = "http://127.0.0.1:5000"
    code: str = Field("", max_length=40, pattern=r"^[A-Za-z0-9.\-]*$")
    about: str = ""
    about_en: str = ""
    hashtags: list[str] = []

    @field_validator("hashtags")
    @classmethod
    def _plain_tags(cls, tags: list[str]) -> list[str]:
        return [t.strip().lstrip("#") for t in tags if t.strip().lstrip("#")]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Asia/Makassar)"
            ) from None
        return value

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")


ROMAN_MONTHS = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
)


class NumberingConfig(_Strict):
    """How a release number is made at approval; `seq` restarts every year."""

    pattern: str = "{seq:03d}/HM/{org_code}/{month_roman}/{year}"

    @field_validator("pattern")
    @classmethod
    def _formats(cls, pattern: str) -> str:
        try:
            pattern.format(seq=1, org_code="X", month=1, month_roman="I", year=2026)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"cannot format {pattern!r} ({exc}); use the fields seq, org_code, "
                "month, month_roman, year"
            ) from None
        if "{seq" not in pattern:
            raise ValueError("the pattern must contain {seq} so numbers never repeat")
        return pattern


class DispatcherConfig(_Strict):
    """How the dispatcher polls, leases and retries."""

    poll_seconds: float = Field(1.0, gt=0, le=60)
    lookahead_seconds: float = Field(120.0, gt=0)
    lease_seconds: float = Field(120.0, gt=0)
    max_attempts: int = Field(8, ge=1, le=100)
    retry_base_seconds: float = Field(30.0, gt=0)
    retry_max_seconds: float = Field(3600.0, gt=0)
    heartbeat_seconds: float = Field(10.0, gt=0)
    # Threads that send, shared by all channels; each channel also has its own
    # `concurrency` bound, so a slow network never holds the others back.
    max_workers: int = Field(64, ge=1, le=1024)
    # false: the old single pool (every channel shares `max_workers` threads, no
    # per-channel bound, rate or pause); kept to compare in bench/dispatch_scale.py.
    per_channel: bool = True


class MediaConfig(_Strict):
    """Limits on uploaded images and documents, and where their files are kept."""

    max_image_bytes: int = Field(25_000_000, gt=0)
    max_document_bytes: int = Field(20_000_000, gt=0)
    # Above this many pixels an image is refused before it is decoded (decompression
    # bombs); Pillow itself refuses anything above 2 × 89,478,485 pixels.
    max_pixels: int = Field(50_000_000, gt=0, le=178_956_970)
    # A DOCX is a zip: refused when its parts would unpack to more than this in all,
    # or when a part over 1 MiB is compressed more than this many times (zip bombs;
    # Word's own XML rarely passes 30:1, a bomb is near 1000:1).
    max_document_unpacked_bytes: int = Field(200_000_000, gt=0)
    max_compression_ratio: int = Field(100, gt=1)
    storage_dir: Path | None = None  # null: <data_dir>/media


class SignInConfig(_Strict):
    """How failed sign-ins are slowed down, per account and per address."""

    # Failures allowed before each further try must wait (1 s, 2 s, 4 s, … capped).
    free_failures: int = Field(5, ge=1, le=100)
    max_delay_seconds: float = Field(900.0, gt=0, le=86_400)
    # After this many failures in a row the account is locked until an admin
    # unlocks it (`publisher users unlock NAME`).
    lock_after: int = Field(20, ge=2, le=1000)
    # The same, per network address (many accounts tried from one place).
    address_free_failures: int = Field(20, ge=1, le=10_000)
    # Failures older than this are forgotten.
    window_minutes: float = Field(60.0, gt=0)


class SecurityConfig(_Strict):
    """Sign-in, second factor, passwords, and the reverse proxy in front."""

    sign_in: SignInConfig = SignInConfig()
    # Roles that must sign in with a second factor (TOTP); they enrol at their
    # next sign-in.
    two_factor_required_for: list[Literal["drafter", "editor", "admin"]] = []
    min_password_length: int = Field(10, ge=8, le=128)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are
    # believed (0: none; 1: one nginx or Caddy). Needed for the client's address
    # in sign-in throttling, for Secure cookies and for HSTS behind HTTPS.
    trusted_proxies: int = Field(0, ge=0, le=5)


class LoggingConfig(_Strict):
    """How log lines look: `text` for people, `json` for a log collector."""

    format: Literal["text", "json"] = "text"


class MetricsConfig(_Strict):
    """/metrics: off (404) without a token; with one, only for `Bearer <token>`."""

    token: str | None = None

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if not value:  # `${METRICS_TOKEN:-}` with the variable unset: off
            return None
        if len(value) < 16:
            raise ValueError("use at least 16 random characters (or leave it empty)")
        return value


# A delivery that comes due later than this (the dispatcher was down) is not sent
# stale: it waits as "missed" for an editor's decision.
DEFAULT_MAX_LATENESS = 6 * 3600.0
_DURATION = re.compile(r"(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?")


def parse_duration(value: Any) -> float:
    """Seconds from a number of seconds or a duration such as "6h", "30m",
    "1h30m", "2d"; ValueError (saying what is expected) for anything else."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 6h, 30m or 1h30m")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = str(value).strip().lower()
        match = _DURATION.fullmatch(text)
        if not text or match is None:
            if text.replace(".", "", 1).isdigit():
                seconds = float(text)
            else:
                raise ValueError(
                    f"{value!r} is not a duration; write e.g. 6h, 30m, 1h30m or a "
                    "number of seconds"
                )
        else:
            days, hours, minutes, secs = (int(g or 0) for g in match.groups())
            seconds = float(days * 86400 + hours * 3600 + minutes * 60 + secs)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError("must be a finite duration longer than zero")
    return seconds


class ChannelConfig(BaseModel):
    """A named channel: its adapter, whether it is on, and its validated settings."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    adapter: str
    enabled: bool
    label: str
    settings: AdapterSettings
    # Seconds a delivery may come due late and still be sent (see DEFAULT_MAX_LATENESS).
    max_lateness: float = DEFAULT_MAX_LATENESS
    concurrency: int = DEFAULT_CONCURRENCY
    rate: Rate | None = None

    @property
    def adapter_class(self) -> type[Adapter]:
        """The adapter class this channel runs."""
        return get_adapter(self.adapter)

    @property
    def blocker(self) -> Notice | None:
        """Why this channel cannot send (render-only adapter, missing credentials),
        with the channel's name and label; None when it can."""
        found = self.adapter_class.delivery_blocker(self.settings)
        if found is None:
            return None
        return Notice(
            found.code, {**found.params, "channel": self.name, "label": self.label}
        )


class Config(BaseModel):
    """The whole validated configuration."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    organization: OrganizationConfig
    data_dir: Path
    database_url: str
    secret_key: str | None
    dispatcher: DispatcherConfig
    numbering: NumberingConfig
    glossary: dict[str, str]
    channels: dict[str, ChannelConfig]
    media: MediaConfig = MediaConfig()
    security: SecurityConfig = SecurityConfig()
    logging: LoggingConfig = LoggingConfig()
    metrics: MetricsConfig = MetricsConfig()
    notifications: NotificationsConfig = NotificationsConfig()
    # Buttons on the schedule form; `preset` in the API (publisher/presets.py).
    schedule_presets: tuple[SchedulePreset, ...] = ()
    # Two releases to one channel closer than this (seconds): a warning, not an error.
    schedule_gap: float = 600.0

    def preset(self, name: str) -> SchedulePreset | None:
        """The schedule preset called `name`, or None."""
        return next((p for p in self.schedule_presets if p.name == name), None)

    @property
    def enabled_channels(self) -> dict[str, ChannelConfig]:
        """Channels that are switched on, in config order."""
        return {name: ch for name, ch in self.channels.items() if ch.enabled}

    def adapter(self, channel: str) -> Adapter:
        """A ready adapter instance for `channel`."""
        ch = self.channels[channel]
        return ch.adapter_class(ch.name, ch.settings, self.data_dir)

    def organization_snapshot(self) -> OrganizationSnapshot:
        """The organization as adapters see it."""
        org = self.organization
        return OrganizationSnapshot(
            name=org.name,
            short_name=org.short_name,
            city=org.city,
            address=org.address,
            phone=org.phone,
            email=org.email,
            website=org.website,
            logo_path=org.logo,
            timezone=org.timezone,
            language=org.language,
            public_url=org.public_url,
            code=org.code or org.short_name.replace(" ", "").upper(),
            about=org.about,
            about_en=org.about_en,
            hashtags=tuple(org.hashtags),
        )


class _RawConfig(_Strict):
    organization: OrganizationConfig
    data_dir: Path = Path("instance")
    database_url: str | None = None
    secret_key: str | None = None
    dispatcher: DispatcherConfig = DispatcherConfig()
    numbering: NumberingConfig = NumberingConfig()
    media: MediaConfig = MediaConfig()
    security: SecurityConfig = SecurityConfig()
    logging: LoggingConfig = LoggingConfig()
    metrics: MetricsConfig = MetricsConfig()
    notifications: NotificationsConfig = NotificationsConfig()
    glossary: dict[str, str] = {}
    channels: dict[str, dict[str, Any]] = {}
    schedule_presets: list[SchedulePreset] = []
    schedule_gap: float = 600.0

    @field_validator("schedule_gap", mode="before")
    @classmethod
    def _gap(cls, value: Any) -> float:
        return parse_duration(value)

    @field_validator("schedule_presets")
    @classmethod
    def _unique_presets(cls, presets: list[SchedulePreset]) -> list[SchedulePreset]:
        names = [p.name for p in presets]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"preset names must differ; listed twice: {twice}")
        return presets


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file: the argument, else $PUBLISHER_CONFIG, else ./config.yaml."""
    return Path(explicit or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG).resolve()


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate a config file; ConfigError names the first bad key."""
    file = config_path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{file}: file not found (set {CONFIG_ENV} or run from the folder "
            "that holds config.yaml)"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: expected a mapping of settings at the top level")
    override = public_address.from_environment("")
    if override and isinstance(raw.get("organization"), dict):
        raw["organization"] = {**raw["organization"], "public_url": override}
    return parse_config(raw, file)


def parse_config(raw: dict[str, Any], file: Path) -> Config:
    """Validate an already-read mapping as if it came from `file`."""
    raw = dict(raw)
    channels = raw.pop("channels", None) or {}
    notifications = raw.pop("notifications", None)
    expanded = _expand_env(raw, (), file)
    if notifications is not None:
        # Switched off, its SMTP password may name a variable this machine lacks.
        on = isinstance(notifications, dict) and notifications.get("enabled") is True
        expanded["notifications"] = _expand_env(
            notifications, ("notifications",), file, strict=on
        )
    if isinstance(channels, dict):
        # A switched-off channel may name secrets that are not set on this machine.
        expanded["channels"] = {
            name: _expand_env(
                spec,
                ("channels", str(name)),
                file,
                strict=not (isinstance(spec, dict) and spec.get("enabled") is False),
            )
            for name, spec in channels.items()
        }
    else:
        expanded["channels"] = channels
    try:
        base = _RawConfig.model_validate(expanded)
    except ValidationError as exc:
        raise ConfigError(_first_error(file, exc, ())) from None

    data_dir = (
        base.data_dir if base.data_dir.is_absolute() else file.parent / base.data_dir
    )
    logo = base.organization.logo
    if logo is not None and not logo.is_absolute():
        logo = file.parent / logo
    organization = base.organization.model_copy(update={"logo": logo})
    channels = {
        name: _parse_channel(name, spec, file) for name, spec in base.channels.items()
    }
    for i, preset in enumerate(base.schedule_presets):
        for j, name in enumerate(preset.channels):
            if name not in channels:
                where = _dotted(("schedule_presets", i, "channels", j))
                raise ConfigError(
                    f"{file}: {where}: no channel named {name!r} (channels: "
                    f"{', '.join(channels) or 'none'})"
                )
    media_dir = base.media.storage_dir or data_dir / "media"
    if not media_dir.is_absolute():
        media_dir = file.parent / media_dir
    database_url = base.database_url or f"sqlite:///{data_dir.resolve()}/publisher.db"
    sqlite_path = database_url.removeprefix("sqlite:///")
    if (
        database_url.startswith("sqlite:///")
        and sqlite_path not in ("", ":memory:")
        and not Path(sqlite_path).is_absolute()
    ):
        database_url = f"sqlite:///{(file.parent / sqlite_path).resolve()}"
    return Config(
        path=file,
        organization=organization,
        data_dir=data_dir.resolve(),
        database_url=database_url,
        secret_key=base.secret_key,
        dispatcher=base.dispatcher,
        numbering=base.numbering,
        glossary=base.glossary,
        channels=channels,
        media=base.media.model_copy(update={"storage_dir": media_dir.resolve()}),
        security=base.security,
        logging=base.logging,
        metrics=base.metrics,
        notifications=base.notifications,
        schedule_presets=tuple(base.schedule_presets),
        schedule_gap=base.schedule_gap,
    )


def _parse_channel(name: str, spec: Any, file: Path) -> ChannelConfig:
    where = ("channels", name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,62}", name):
        raise ConfigError(
            f"{file}: {_dotted(where)}: channel names use lower-case letters, digits, "
            "'_' and '-'"
        )
    if not isinstance(spec, dict):
        raise ConfigError(f"{file}: {_dotted(where)}: expected a mapping")
    settings = dict(spec)
    adapter_name = settings.pop("adapter", None)
    if not adapter_name:
        raise ConfigError(f"{file}: {_dotted((*where, 'adapter'))}: field required")
    try:
        adapter = get_adapter(str(adapter_name))
    except LookupError as exc:
        raise ConfigError(f"{file}: {_dotted((*where, 'adapter'))}: {exc}") from None
    enabled = settings.pop("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(
            f"{file}: {_dotted((*where, 'enabled'))}: expected true or false"
        )
    label = str(settings.pop("label", "") or name)
    concurrency = _channel_key(
        settings, "concurrency", DEFAULT_CONCURRENCY, parse_concurrency, where, file
    )
    rate = _channel_key(
        settings, "rate", default_rate(adapter.name), parse_rate, where, file
    )
    try:
        max_lateness = parse_duration(
            settings.pop("max_lateness", DEFAULT_MAX_LATENESS)
        )
    except ValueError as exc:
        raise ConfigError(
            f"{file}: {_dotted((*where, 'max_lateness'))}: {exc}"
        ) from None
    try:
        parsed = adapter.validate_settings(settings)
    except ValidationError as exc:
        if enabled or not _only_unset_references(exc):
            raise ConfigError(_first_error(file, exc, where)) from None
        # Switched off and waiting for its secrets: keep it, unvalidated, for now.
        parsed = adapter.Settings.model_construct(**settings)
    parsed = _resolve_outbox(parsed, file)
    return ChannelConfig(
        name=name,
        adapter=adapter.name,
        enabled=enabled,
        label=label,
        settings=parsed,
        max_lateness=max_lateness,
        concurrency=concurrency,
        rate=rate,
    )


def _channel_key(
    settings: dict[str, Any],
    key: str,
    default: Any,
    parse: Any,
    where: tuple[str, ...],
    file: Path,
) -> Any:
    """Pop a channel-level key (not an adapter setting) and parse it; ConfigError
    names the key when `parse` refuses the value."""
    if key not in settings:
        return default
    try:
        return parse(settings.pop(key))
    except ValueError as exc:
        raise ConfigError(f"{file}: {_dotted((*where, key))}: {exc}") from None


def _only_unset_references(exc: ValidationError) -> bool:
    """Whether every error is about a value still written as `${VAR}`."""
    return all(
        isinstance(e.get("input"), str) and _ENV_REF.search(e["input"])
        for e in exc.errors(include_input=True)
    )


def _resolve_outbox(settings: AdapterSettings, file: Path) -> AdapterSettings:
    """A relative `outbox_dir` is beside the config file, like `data_dir`."""
    if not isinstance(settings, OutboxSettings):
        return settings
    folder = settings.outbox_dir
    if folder and not Path(folder).is_absolute():
        return settings.model_copy(
            update={"outbox_dir": type(folder)(file.parent / folder)}
        )
    return settings


def _expand_env(
    value: Any, where: tuple[str, ...], file: Path, strict: bool = True
) -> Any:
    """Replace `${VAR}` (or `${VAR:-default}`) in every string value.

    Not `strict`: an unset variable stays as written instead of stopping start-up.
    """
    if isinstance(value, dict):
        return {
            k: _expand_env(v, (*where, str(k)), file, strict) for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            _expand_env(v, (*where, str(i)), file, strict) for i, v in enumerate(value)
        ]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        var, default = match.group(1), match.group(2)
        value = os.environ.get(var)
        if default is not None:  # like the shell: unset or empty takes the default
            return value or default
        if value is not None:
            return value
        if not strict:
            return match.group(0)
        raise ConfigError(
            f"{file}: {_dotted(where)}: environment variable {var} is not set"
        )

    return _ENV_REF.sub(substitute, value)


def _dotted(parts: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in parts) or "(top level)"


def _first_error(file: Path, exc: ValidationError, prefix: tuple[str, ...]) -> str:
    """One line for the first error, e.g. `channels.x.chat_id: field required`."""
    error = exc.errors()[0]
    where = _dotted((*prefix, *error["loc"]))
    kind = error["type"]
    if kind == "missing":
        message = "field required"
    elif kind == "extra_forbidden":
        message = "unknown setting (check the spelling against docs/configuration.md)"
    else:
        message = error["msg"].removeprefix("Value error, ")
    count = len(exc.errors())
    more = (
        f" (and {count - 1} more problem{'s' if count > 2 else ''})"
        if count > 1
        else ""
    )
    return f"{file}: {where}: {message}{more}"
