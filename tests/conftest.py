"""Fixtures that start real reference servers on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from soulanma_scim.embedded import embedded_server
from soulanma_scim.target import Target

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SOULANMA = "urn:ietf:params:scim:schemas:extension:soulanma:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture(scope="session")
def server() -> Iterator[Target]:
    """One reference server process for the session, on a temporary database."""
    with embedded_server() as target:
        yield target


@pytest.fixture
def admin(server: Target) -> Iterator[httpx.Client]:
    assert server.admin_url is not None
    headers = {"Authorization": f"Bearer {server.admin_token}"}
    with httpx.Client(base_url=server.admin_url, headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def workspace(admin: httpx.Client) -> Iterator[dict[str, str]]:
    """A new Enterprise workspace with SAML SSO, viewer by default."""
    response = admin.post(
        "/workspaces",
        json={
            "name": "test",
            "plan": "enterprise",
            "saml_configured": True,
            "default_role": "viewer",
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    yield created
    admin.delete(f"/workspaces/{created['id']}")


@pytest.fixture
def scim(server: Target, workspace: dict[str, str]) -> Iterator[httpx.Client]:
    """A SCIM client whose token selects the `workspace` fixture's workspace."""
    headers = {"Authorization": f"Bearer {workspace['scim_token']}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=10) as client:
        yield client


def user_body(email: str, **extra: object) -> dict[str, object]:
    return {"schemas": [CORE_USER], "userName": email, **extra}


def patch_body(*operations: dict[str, object]) -> dict[str, object]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def assert_scim_error(
    response: httpx.Response, status: int, scim_type: str | None = None
) -> dict[str, object]:
    """Check that `response` is a SCIM Error of `status` and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type
    assert isinstance(body.get("detail"), str)
    return body


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the mutation score of the mutant tests that ran in this session."""
    reports = [
        dict(report.user_properties)["mutant_report"]
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call" and "mutant_report" in dict(report.user_properties)
    ]
    if not reports:
        return
    killed = sum(" killed by " in report.splitlines()[1] for report in reports)
    terminalreporter.section("mutation score")
    terminalreporter.write_line(f"{killed}/{len(reports)} mutants detected")
    for report in sorted(reports, key=lambda text: text.splitlines()[1]):
        for line in report.splitlines()[1:]:
            terminalreporter.write_line(line)
