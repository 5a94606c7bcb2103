"""Errors a service raises and a view or API handler turns into a response."""

from __future__ import annotations

from pydantic import ValidationError


class ServiceError(Exception):
    """Base: a message safe to show the user, and the HTTP status that fits."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ServiceError):
    """The thing does not exist (or the user may not know it exists)."""

    status = 404
    code = "not_found"


class PermissionDenied(ServiceError):
    """The user's role does not allow this."""

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    """Not possible in the current state (approving a draft, editing a withdrawn)."""

    status = 409
    code = "conflict"


class InvalidInput(ServiceError):
    """Input is malformed or breaks a rule; `fields` says which field and why."""

    status = 422
    code = "invalid"

    @classmethod
    def from_validation(cls, exc: ValidationError, prefix: str = "") -> InvalidInput:
        """One message per field from a pydantic error."""
        fields: dict[str, str] = {}
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "body"
            if prefix:
                where = f"{prefix}.{where}" if where != "body" else prefix
            message = "field required" if error["type"] == "missing" else error["msg"]
            fields.setdefault(where, message.removeprefix("Value error, "))
        summary = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return cls(summary, fields=fields)
