"""The fake-API base routes by method and path and injects faults per route."""

from __future__ import annotations

import requests

from tests.fakes.api import FakeApi, Request, route
from tests.support import Reply


class Notes(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    @route("POST", r"/notes")
    def create(self, request: Request) -> Reply:
        self.notes.append(request.json()["text"])
        return Reply(201, {"id": str(len(self.notes))})

    @route("GET", r"/notes/(\d+)")
    def show(self, request: Request) -> Reply:
        return Reply(200, {"text": self.notes[int(request.match.group(1)) - 1]})


def test_routes_keep_state_and_a_fault_answers_once():
    with Notes() as api:
        api.fail("POST", r"/notes", Reply(503, {"error": "sibuk"}))
        first = requests.post(f"{api.url}/notes", json={"text": "a"}, timeout=5)
        second = requests.post(f"{api.url}/notes", json={"text": "b"}, timeout=5)
        shown = requests.get(f"{api.url}/notes/1?x=1", timeout=5)
        missing = requests.get(f"{api.url}/other", timeout=5)

    assert (first.status_code, second.json(), shown.json()) == (
        503,
        {"id": "1"},
        {"text": "b"},
    )
    assert missing.status_code == 404
    assert [r.path for r in api.requests_to("POST", r"/notes")] == ["/notes"] * 2
    assert api.received[2].query == {"x": ["1"]}
