"""A banner for signed-in users when the page was opened at another address than
organization.public_url: the links the product makes would lead elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from .. import public_address, state

bp = Blueprint("address", __name__)


@bp.app_context_processor
def _public_url_banner() -> dict[str, Any]:
    """`address_mismatch`: (the address in use, public_url), or None."""
    public_url = state().config.organization.public_url
    if g.get("user") is None or not request:
        return {"address_mismatch": None}
    seen = request.host_url.rstrip("/")
    if not public_address.mismatch(public_url, seen):
        return {"address_mismatch": None}
    return {"address_mismatch": (seen, public_url)}
