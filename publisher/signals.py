"""Signals between parts that must not import each other.

`comment_added`: sent by the comments service (publisher/services/comments.py)
right after it adds a comment, *before* the commit, with the session as sender:

    comment_added.send(session, release_id=…, comment_id=…, actor_id=…,
                       text=…, mentioned_ids=[…])

The notifications service listens and adds its rows to the same transaction, so a
comment and the notices about it are stored together or not at all.
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()
comment_added = signals.signal("comment-added")
