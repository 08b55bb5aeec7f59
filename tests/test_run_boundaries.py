"""A run never changes what it did not create: cleanup and read-only runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mock_idp.ledger import Ledger, LedgerTransport, UnsafeRequestError
from soulanma_scim.safety import clean_up
from soulanma_scim.target import Target
from tests.conftest import user_body

RUN_ID = "0b0e1234"


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


def test_cleanup_rejects_malformed_run_id(
    server: Target, workspace: dict[str, str], scim: httpx.Client, tmp_path: Path
) -> None:
    created = scim.post("/Users", json=user_body("bob.existing@example.org"))
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    ledger = Ledger(tmp_path / "edited.jsonl")
    ledger.start("@", server.base_url, None)
    ledger.write("user-created", id=user_id, userName="bob.existing@example.org")
    target = Target(server.base_url, workspace["scim_token"])

    report = clean_up(ledger.path, target)

    assert scim.get(f"/Users/{user_id}").status_code == 200
    assert report.deleted == []


def test_cleanup_leaves_workspace_of_others(
    server: Target, workspace: dict[str, str], scim: httpx.Client, tmp_path: Path
) -> None:
    ledger = Ledger(tmp_path / "edited.jsonl")
    ledger.start(RUN_ID, server.base_url, server.admin_url)
    ledger.write("workspace-created", id=workspace["id"])

    report = clean_up(ledger.path, server)

    assert scim.get("/Users").status_code == 200
    assert report.deleted == []
    assert any(workspace["id"] in line for line in report.remaining)


def test_cleanup_removes_workspace_of_run(
    server: Target, admin: httpx.Client, tmp_path: Path
) -> None:
    created = admin.post("/workspaces", json={"name": f"SCIM conformance {RUN_ID}"})
    assert created.status_code == 201, created.text
    workspace_id = created.json()["id"]
    ledger = Ledger(tmp_path / "run.jsonl")
    ledger.start(RUN_ID, server.base_url, server.admin_url)
    ledger.write("workspace-created", id=workspace_id)

    report = clean_up(ledger.path, server)

    assert admin.get(f"/workspaces/{workspace_id}").status_code == 404
    assert report.deleted == [f"workspace {workspace_id}"]


def test_read_only_run_with_admin_api_passes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "soulanma_scim", "verify", "--read-only",
         "--idp", "generic", "--report-dir", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Rejected" not in result.stdout


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
