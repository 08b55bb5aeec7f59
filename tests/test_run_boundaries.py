"""A run never changes what it did not create: cleanup and read-only runs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mock_idp.ledger import Ledger, LedgerTransport, UnsafeRequestError
from soulanma_scim.safety import clean_up
from soulanma_scim.target import Target
from tests.conftest import user_body

RUN_ID = "run0b0e"


def test_cleanup_leaves_user_without_run_id(
    server: Target, workspace: dict[str, str], scim: httpx.Client, tmp_path: Path
) -> None:
    created = scim.post("/Users", json=user_body("someone.else@example.com"))
    assert created.status_code == 201, created.text
    foreign_id = created.json()["id"]
    ledger = Ledger(tmp_path / "edited.jsonl")
    ledger.start(RUN_ID, server.base_url, None)
    ledger.write(
        "user-created",
        id=foreign_id,
        userName=f"x.{RUN_ID}-1@scim-conformance.example.com",
    )
    target = Target(server.base_url, workspace["scim_token"])

    report = clean_up(ledger.path, target)

    assert scim.get(f"/Users/{foreign_id}").status_code == 200
    assert report.deleted == []
    assert any(foreign_id in line for line in report.remaining)


def test_cleanup_removes_user_with_run_id(
    server: Target, workspace: dict[str, str], scim: httpx.Client, tmp_path: Path
) -> None:
    email = f"ada.lovelace.{RUN_ID}-2@scim-conformance.example.com"
    created = scim.post("/Users", json=user_body(email))
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    ledger = Ledger(tmp_path / "run.jsonl")
    ledger.start(RUN_ID, server.base_url, None)
    ledger.write("user-created", id=user_id, userName=email)
    target = Target(server.base_url, workspace["scim_token"])

    report = clean_up(ledger.path, target)

    assert scim.get(f"/Users/{user_id}").status_code == 404
    assert report.deleted == [email]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_read_only_transport_refuses_writes(method: str, tmp_path: Path) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    transport = LedgerTransport(
        httpx.MockTransport(record),
        Ledger(tmp_path / "ledger.jsonl"),
        base_url="http://127.0.0.1:9/scim-v2",
        shared_token="token",
        read_only=True,
    )
    with httpx.Client(transport=transport) as client:
        read = client.get("http://127.0.0.1:9/scim-v2/Users")
        with pytest.raises(UnsafeRequestError):
            client.request(method, "http://127.0.0.1:9/scim-v2/Users/x", json={})

    assert read.status_code == 200
    assert [request.method for request in sent] == ["GET"]
