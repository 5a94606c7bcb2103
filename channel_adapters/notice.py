"""What a person reads, as a value: a code and its parameters, never a sentence.

Adapters, services, validation and the dispatcher all speak in `Notice` values; the
edge (web page, API answer, e-mail notification) turns a code into a sentence in the
reader's language from one catalog. A remote's own message travels verbatim as a
parameter and is never translated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .text.clean import clean

# Parameter values are plain JSON scalars (or lists of them), so a notice can be
# stored in a JSON column and rendered again years later in another language.
Scalar = str | int | float | bool | None


@dataclass(frozen=True)
class Notice:
    """A coded outcome: `code` names the case (`schedule.before_embargo`), `params`
    fill its sentence (`{"embargo": "2026-12-01T10:00+08:00"}`)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code or "." not in self.code:
            raise ValueError(f"a notice code is 'area.case', not {self.code!r}")
        # A remote's reply may hold any bytes; what is kept must fit in XML, a
        # PostgreSQL text column and a log line, so control characters go.
        object.__setattr__(
            self, "params", {k: _safe(v) for k, v in dict(self.params).items()}
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form kept in the database and sent by the API."""
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_stored(cls, value: Any) -> Notice:
        """A notice from its stored JSON form; a plain string from before codes
        existed becomes `legacy.text`, shown verbatim."""
        if isinstance(value, Notice):
            return value
        if isinstance(value, Mapping) and isinstance(value.get("code"), str):
            return cls(value["code"], value.get("params") or {})
        return cls("legacy.text", {"text": str(value)})

    def __str__(self) -> str:
        """For logs only (code and parameters), never for people."""
        if self.code == "legacy.text":
            return str(self.params.get("text", ""))
        if not self.params:
            return self.code
        inner = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.code}({inner})"


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    return value


def distinct(notices: Iterable[Notice]) -> list[Notice]:
    """`notices` in order, each once (a notice's parameters make it unhashable)."""
    out: list[Notice] = []
    for notice in notices:
        if notice not in out:
            out.append(notice)
    return out
