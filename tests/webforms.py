"""Helpers for tests that use the web forms through Flask's test client."""

from __future__ import annotations

from conftest import PASSWORD

RELEASE = {
    "title": "Pemprov Bali Gelar Forum Keterbukaan Informasi Publik",
    "lead": "Diskominfos Bali mengajak badan publik memperkuat layanan informasi.",
    "body": "Forum digelar di Denpasar.\n\nSebanyak **120 peserta** hadir.",
    "dateline_city": "Denpasar",
    "category": "Informasi Publik",
    "tags": "PPID, KIP",
    "contact_name": "I Made Dwi Prayana",
    "contact_phone": "+62 361 123456",
    "contact_email": "publikasi@example.go.id",
    "language": "id",
    "embargo_at": "",
}


def login(client, username: str) -> None:
    """Sign in as `username` (every test account has the same password)."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, response.text


def logout(client) -> None:
    """Sign out."""
    client.post("/logout")


def create_release(client, **changes: str) -> int:
    """Create a release through the form; returns its id."""
    response = client.post("/releases/new", data={**RELEASE, **changes})
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def submitted_release(client) -> int:
    """A release written and submitted by the drafter; the drafter is signed out."""
    login(client, "penyusun")
    release_id = create_release(client)
    assert client.post(f"/releases/{release_id}/submit").status_code == 303
    logout(client)
    return release_id
