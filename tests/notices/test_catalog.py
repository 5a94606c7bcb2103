"""Every notice code used in the tree has a sentence in English and Indonesian."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from channel_adapters.notice import Notice
from publisher.notices import CATALOG, as_json, render

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "publisher/translations/id/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# Callables whose first argument, when a string literal, is a notice code.
MAKERS = {
    "Notice",
    "ServiceError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "InvalidInput",
    "DeliveryError",
    "RetryableError",
    "PermanentError",
    "UnknownOutcomeError",
    "InternalError",
    "Refusal",
    "notice",
    "warn",
}


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def codes_in_source() -> dict[str, str]:
    """code → first place it is used, for every literal code passed to a maker."""
    found: dict[str, str] = {}
    for folder in ("publisher", "channel_adapters"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and _callee(node) in MAKERS):
                    continue
                args = list(node.args[:1]) + [
                    k.value for k in node.keywords if k.arg == "code"
                ]
                for arg in args:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and CODE.match(arg.value)
                    ):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.setdefault(arg.value, where)
    return found


def test_every_code_used_in_the_tree_is_in_the_catalog():
    used = codes_in_source()
    missing = {code: where for code, where in used.items() if code not in CATALOG}
    assert missing == {}


def test_every_code_has_an_indonesian_sentence_with_the_same_placeholders():
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    problems = {}
    for code, english in CATALOG.items():
        entry = catalog.get(english)
        if entry is None or not entry.string:
            problems[code] = "no Indonesian translation"
            continue
        if entry.fuzzy:
            problems[code] = "fuzzy"
        if set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(entry.string)):
            problems[code] = f"placeholders differ: {english!r} / {entry.string!r}"
    assert problems == {}


def test_codes_are_named_area_dot_case():
    assert [c for c in CATALOG if not CODE.match(c)] == []


def test_a_notice_renders_in_either_language(app):
    notice = Notice("release.not_found", {"id": 7})
    with app.test_request_context():
        assert render(notice, language="en") == "Release 7 does not exist."
        assert as_json(notice, language="id") == {
            "code": "release.not_found",
            "params": {"id": 7},
            "message": "Siaran pers 7 tidak ada.",
        }
        # A remote's words travel verbatim, in either language.
        quoted = Notice("legacy.text", {"text": "Pesan dari server mitra"})
        assert render(quoted, language="en") == "Pesan dari server mitra"


def test_a_stored_plain_string_is_kept_verbatim():
    assert Notice.from_stored("gave up") == Notice("legacy.text", {"text": "gave up"})
    stored = Notice("delivery.x", {"a": 1}).as_dict()
    assert Notice.from_stored(stored) == Notice("delivery.x", {"a": 1})
