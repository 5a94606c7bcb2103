"""Errors a service raises and a view or API handler turns into a response.

Each carries a `Notice` (a code and its parameters), never a sentence: the web page
and the API render it in the reader's language (`publisher.notices`). `fields` says
which input field is wrong and why, again as notices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from channel_adapters.notice import Notice

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
# Pydantic's error types, mapped to our codes; the parameters come from its `ctx`.
_PYDANTIC: dict[str, str] = {
    "missing": "field.required",
    "string_too_long": "field.too_long",
    "too_long": "field.too_many",
    "too_short": "field.too_few",
    "literal_error": "field.choice",
    "enum": "field.choice",
    "extra_forbidden": "field.unknown",
    "string_type": "field.not_text",
    "int_type": "field.not_integer",
    "int_parsing": "field.not_integer",
    "int_from_float": "field.not_integer",
    "float_type": "field.not_number",
    "float_parsing": "field.not_number",
    "finite_number": "field.not_number",
    "bool_type": "field.not_boolean",
    "bool_parsing": "field.not_boolean",
    "list_type": "field.not_list",
    "dict_type": "field.not_object",
    "model_type": "field.not_object",
    "model_attributes_type": "field.not_object",
    "datetime_type": "field.not_datetime",
    "datetime_parsing": "field.not_datetime",
    "datetime_from_date_parsing": "field.not_datetime",
    "datetime_object_invalid": "field.not_datetime",
    "timezone_aware": "field.needs_offset",
    "greater_than_equal": "field.too_small",
    "greater_than": "field.too_small",
    "less_than_equal": "field.too_large",
    "less_than": "field.too_large",
}
_CTX = {
    "max_length": "max",
    "min_length": "min",
    "ge": "min",
    "gt": "min",
    "le": "max",
    "lt": "max",
    "expected": "expected",
}


def field_notice(error: Mapping[str, Any]) -> Notice:
    """One pydantic error as a notice, by its type and context, never its wording."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if "." in kind:  # raised by our own validators as PydanticCustomError(code, …)
        return Notice(kind, {k: v for k, v in ctx.items() if _plain(v)})
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return Notice("field.required")
    if kind == "string_too_short":
        return Notice("field.too_short", {"min": ctx.get("min_length")})
    code = _PYDANTIC.get(kind, "field.invalid")
    params = {_CTX[k]: v for k, v in ctx.items() if k in _CTX and _plain(v)}
    return Notice(code, params)


def _as_notice(value: Notice | str) -> Notice:
    """A notice, or a bare code (`"field.required"`); a sentence raises ValueError."""
    if isinstance(value, Notice):
        return value
    if not _CODE.fullmatch(value):
        raise ValueError(f"a field's problem is a notice code, not {value!r}")
    return Notice(value)


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


class ServiceError(Exception):
    """Base: a notice safe to show the user, and the HTTP status that fits."""

    status = 400
    error = "bad_request"  # the API's `error` word for this family

    def __init__(
        self,
        notice: Notice | str,
        *,
        fields: Mapping[str, Notice | str] | None = None,
        **params: Any,
    ) -> None:
        self.notice = notice if isinstance(notice, Notice) else Notice(notice, params)
        self.fields: dict[str, Notice] = {
            name: _as_notice(value) for name, value in (fields or {}).items()
        }
        super().__init__(str(self.notice))


class NotFound(ServiceError):
    """The thing does not exist (or the user may not know it exists)."""

    status = 404
    error = "not_found"


class PermissionDenied(ServiceError):
    """The user's role does not allow this."""

    status = 403
    error = "forbidden"


class Conflict(ServiceError):
    """Not possible in the current state (approving a draft, editing a withdrawn)."""

    status = 409
    error = "conflict"


class InvalidInput(ServiceError):
    """Input is malformed or breaks a rule; `fields` says which field and why."""

    status = 422
    error = "invalid"

    def __init__(
        self,
        notice: Notice | str = "input.invalid",
        *,
        fields: Mapping[str, Notice | str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(notice, fields=fields, **params)

    @classmethod
    def from_validation(cls, exc: ValidationError, prefix: str = "") -> InvalidInput:
        """One notice per field from a pydantic error, keyed `a.0.b`."""
        fields: dict[str, Notice] = {}
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "body"
            if prefix:
                where = f"{prefix}.{where}" if where != "body" else prefix
            fields.setdefault(where, field_notice(error))
        return cls("input.invalid", fields=fields)
