"""Fixtures for the media library: storage, a release, and uploads through the API."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from publisher.storage import LocalStorage, open_storage


@pytest.fixture
def storage(config) -> LocalStorage:
    """The test config's media folder."""
    return open_storage(config)


@pytest.fixture
def stored(storage):
    """Every file in the media folder (names), to see that nothing stays behind."""

    def files() -> set[str]:
        root = Path(storage.root)
        return (
            {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()
        )

    return files


@pytest.fixture
def draft(client, accounts_):
    """Factory: a new draft release made by the drafter through the API; its id."""

    def make(title: str = "Gubernur Resmikan Pasar Rakyat") -> int:
        response = client.post(
            "/api/v1/releases",
            headers=accounts_["penyusun"].headers,
            json={"title": title, "lead": "Ringkasan.", "body": "Isi rilis."},
        )
        assert response.status_code == 201, response.json
        return response.json["id"]

    return make


def multipart(fields: list[tuple[str, object]]) -> dict:
    """Keyword arguments that POST `fields` as multipart/form-data.

    A `(bytes, name)` value is a file. The body is encoded here, in memory: the
    test client would spool a large body to a temporary file it never closes.
    """
    values = MultiDict()
    for name, value in fields:
        if isinstance(value, tuple):
            data, filename = value
            value = FileStorage(io.BytesIO(data), filename=filename, name=name)
        values.add(name, value)
    boundary, body = encode_multipart(values)
    return {
        "data": body,
        "content_type": f"multipart/form-data; boundary={boundary}",
    }


@pytest.fixture
def upload(client, accounts_):
    """Factory: POST one file to a release's media as the drafter; the response."""

    def send(release_id: int, name: str, data: bytes, account="penyusun", **fields):
        return client.post(
            f"/api/v1/releases/{release_id}/media",
            headers=accounts_[account].headers,
            **multipart([("file", (data, name)), *fields.items()]),
        )

    return send
