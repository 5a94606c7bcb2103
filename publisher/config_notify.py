"""The `notifications:` section of config.yaml: the SMTP server that mails users
their notifications, and when the daily digest goes out."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class NotificationSmtpConfig(BaseModel):
    """How to reach the office's mail server (587 STARTTLS by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    host: str = ""
    port: Annotated[int, Field(gt=0, lt=65536)] | None = None
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    timeout: Annotated[float, Field(gt=0, le=300)] = 30.0

    @property
    def effective_port(self) -> int:
        """The configured port, else the submission port for the security chosen."""
        return self.port or (465 if self.security == "ssl" else 587)


class NotificationsConfig(BaseModel):
    """Notification e-mail; off by default (the bell in the app always works)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    smtp: NotificationSmtpConfig = NotificationSmtpConfig()
    from_address: str = ""
    from_name: str = ""  # defaults to the organization's short name
    digest_hour: Annotated[int, Field(ge=0, le=23)] = 7  # in the office's zone
    interval_seconds: Annotated[float, Field(gt=0, le=3600)] = 30.0
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 5

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> NotificationsConfig:
        if self.from_address and not ADDRESS.match(self.from_address):
            raise ValueError(
                "from_address: not an e-mail address (e.g. humas@example.go.id)"
            )
        if not self.enabled:
            return self
        if not self.smtp.host.strip():
            raise ValueError("smtp.host: required when enabled is true")
        if not self.from_address:
            raise ValueError("from_address: required when enabled is true")
        if bool(self.smtp.username) != bool(self.smtp.password):
            raise ValueError(
                "smtp.username and smtp.password go together: set both or neither"
            )
        return self
