"""Reading a multipart/form-data body the way a network's server does."""

from __future__ import annotations

from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP

from tests.fakes.api import Request


@dataclass(frozen=True)
class Part:
    """One field of a form: its value as text, or a file's name, type and bytes."""

    name: str
    data: bytes
    filename: str | None = None
    content_type: str = "text/plain"

    @property
    def text(self) -> str:
        """The field's value as text."""
        return self.data.decode("utf-8")


def form_parts(request: Request) -> list[Part]:
    """The parts of a multipart/form-data request ([] for any other body)."""
    kind = request.headers.get("Content-Type", "")
    if not kind.startswith("multipart/form-data"):
        return []
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + request.body
    )
    return [
        Part(
            name=part.get_param("name", header="content-disposition") or "",
            data=part.get_payload(decode=True) or b"",
            filename=part.get_filename(),
            content_type=part.get_content_type(),
        )
        for part in message.iter_parts()
    ]


def form_fields(request: Request) -> dict[str, list[Part]]:
    """The multipart fields by name, each with all its parts in order."""
    fields: dict[str, list[Part]] = {}
    for part in form_parts(request):
        fields.setdefault(part.name, []).append(part)
    return fields
