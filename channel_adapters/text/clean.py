"""Text that can never break a document or a database.

XML 1.0 (every feed), PostgreSQL (text columns) and the renditions cannot carry NUL
and most other control characters; Word puts U+000B (Shift+Enter) and U+000C (page
break) into pasted text. `clean` removes them (the two line breaks become a
newline). The publisher applies it where text enters; adapters and notices may
apply it again where text leaves or is stored, for anything that came from outside.
"""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return; DEL; C1 controls but NEL; the
# non-characters U+FFFE/U+FFFF; lone surrogates (not text at all).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]"
)
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n"})
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """`text` without the characters no document or database may hold."""
    return _FORBIDDEN.sub("", text.translate(_BREAKS))


def clean_line(text: str) -> str:
    """`text` cleaned and folded onto one line (names, usernames)."""
    return _SPACES.sub(" ", clean(text)).strip()
