"""`verify` against a workspace that other people use: safety, cleanup, reports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from soulanma_scim.embedded import embedded_server
from soulanma_scim.target import Target
from tests.misbehaving_servers import scripted_server

DOMAIN = "live-run.example.com"
SELECTION = "deactivat and not collaborator and not member"
TIMEOUT = 300
CUCUMBER_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["keyword", "name", "uri", "elements"],
        "properties": {
            "elements": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["keyword", "name", "steps"],
                    "properties": {
                        "steps": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["keyword", "name", "result"],
                                "properties": {
                                    "result": {
                                        "type": "object",
                                        "required": ["status"],
                                    }
                                },
                            },
                        }
                    },
                },
            }
        },
    },
}


def command(*arguments: str, env: dict[str, str] | None = None) -> list[str]:
    return [sys.executable, "-m", "soulanma_scim", *arguments]


def clean_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "SOULANMA_SCIM_TOKEN": "", "SOULANMA_ADMIN_TOKEN": ""}
    env.update(extra)
    return env


def populate(admin: httpx.Client, scim: httpx.Client, workspace_id: str) -> None:
    """Give the workspace members that belong to other people."""
    for email, role in (
        ("ann@other.example.com", "editor"),
        ("bo@other.example.com", "viewer"),
    ):
        response = admin.post(
            f"/workspaces/{workspace_id}/members", json={"email": email, "role": role}
        )
        assert response.status_code == 201, response.text
    for email in ("cy@other.example.com", "di@other.example.com"):
        response = scim.post("/Users", json={"userName": email})
        assert response.status_code == 201, response.text
    user_id = response.json()["id"]
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    assert scim.patch(f"/Users/{user_id}", json=patch).status_code == 200


def snapshot(admin: httpx.Client, scim: httpx.Client, workspace_id: str) -> Any:
    members = admin.get(f"/workspaces/{workspace_id}/members").json()["members"]
    users = scim.get("/Users", params={"count": "200"}).json()["Resources"]
    reads = [scim.get(f"/Users/{user['id']}").json() for user in users]
    return {"members": members, "users": users, "reads": reads}


def own_users(scim: httpx.Client) -> list[str]:
    users = scim.get("/Users", params={"count": "200"}).json()["Resources"]
    return [user["userName"] for user in users if user["userName"].endswith(DOMAIN)]


def assert_no_token(texts: list[str], *tokens: str) -> None:
    for text in texts:
        for token in tokens:
            assert token not in text


@pytest.fixture
def shared(
    server: Target,
    admin: httpx.Client,
    workspace: dict[str, str],
    scim: httpx.Client,
) -> dict[str, Any]:
    populate(admin, scim, workspace["id"])
    return {
        "base_url": server.base_url,
        "token": workspace["scim_token"],
        "before": snapshot(admin, scim, workspace["id"]),
    }


def test_run_leaves_other_members_as_they_were(
    shared: dict[str, Any],
    admin: httpx.Client,
    scim: httpx.Client,
    workspace: dict[str, str],
    tmp_path: Path,
) -> None:
    reports = tmp_path / "reports"
    run = subprocess.run(
        command(
            "verify",
            "--base-url",
            shared["base_url"],
            "--email-domain",
            DOMAIN,
            "--token-file",
            str(_token_file(tmp_path, shared["token"])),
            "-k",
            SELECTION,
            "--report-dir",
            str(reports),
        ),  # fmt: skip
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "cleanup: removed" in run.stdout
    assert "rules checked:" in run.stdout
    assert snapshot(admin, scim, workspace["id"]) == shared["before"]
    assert own_users(scim) == []
    names = sorted(p.name for p in reports.iterdir())
    assert names[:2] == ["cucumber.json", "junit.xml"]
    assert names[2].startswith("ledger-")
    assert names[3:] == ["report.html"]
    files = [p.read_text() for p in reports.iterdir()]
    assert_no_token([run.stdout, run.stderr, *files], shared["token"])
    _check_junit(reports / "junit.xml")
    _check_cucumber(reports / "cucumber.json")


def test_sigint_mid_run_is_cleaned_up(
    shared: dict[str, Any],
    admin: httpx.Client,
    scim: httpx.Client,
    workspace: dict[str, str],
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    process = subprocess.Popen(
        command(
            "verify",
            "--base-url",
            shared["base_url"],
            "--email-domain",
            DOMAIN,
            "--ledger",
            str(ledger),
            "--max-rps",
            "15",
            "-k",
            "provision or deactivat",
        ),  # fmt: skip
        env=clean_env(SOULANMA_SCIM_TOKEN=shared["token"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_created_users(ledger, process, 2)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)

    assert process.returncode == 130, stdout + stderr
    assert "cleanup: removed" in stdout
    assert own_users(scim) == []
    assert snapshot(admin, scim, workspace["id"]) == shared["before"]
    assert_no_token([stdout, stderr, ledger.read_text()], shared["token"])


def test_cleanup_finishes_a_killed_run(
    shared: dict[str, Any],
    admin: httpx.Client,
    scim: httpx.Client,
    workspace: dict[str, str],
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    env = clean_env(SOULANMA_SCIM_TOKEN=shared["token"])
    process = subprocess.Popen(
        command(
            "verify",
            "--base-url",
            shared["base_url"],
            "--email-domain",
            DOMAIN,
            "--ledger",
            str(ledger),
            "--max-rps",
            "15",
            "-k",
            "provision or deactivat",
        ),  # fmt: skip
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_created_users(ledger, process, 2)
    process.kill()
    process.wait(TIMEOUT)
    left = own_users(scim)

    cleanup = subprocess.run(
        command("cleanup", "--ledger", str(ledger)),
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )

    assert left != []
    assert cleanup.returncode == 0, cleanup.stdout + cleanup.stderr
    assert own_users(scim) == []
    assert snapshot(admin, scim, workspace["id"]) == shared["before"]
    assert_no_token([cleanup.stdout, cleanup.stderr], shared["token"])


def test_read_only_run_creates_nothing(
    shared: dict[str, Any],
    admin: httpx.Client,
    scim: httpx.Client,
    workspace: dict[str, str],
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    run = subprocess.run(
        command(
            "verify",
            "--base-url",
            shared["base_url"],
            "--read-only",
            "--ledger",
            str(ledger),
            "-k",
            "groups or errors or provision",
        ),  # fmt: skip
        env=clean_env(SOULANMA_SCIM_TOKEN=shared["token"]),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "user-created" not in ledger.read_text()
    assert snapshot(admin, scim, workspace["id"]) == shared["before"]


def test_dry_run_prints_plan_and_sends_nothing(tmp_path: Path) -> None:
    with scripted_server() as (server, script):
        run = subprocess.run(
            command(
                "verify",
                "--base-url",
                f"{server.url}/scim-v2",
                "--dry-run",
                "--insecure",
                "-k",
                "groups or provision",
                "--junitxml",
                str(tmp_path / "junit.xml"),
            ),  # fmt: skip
            env=clean_env(SOULANMA_SCIM_TOKEN="dry-secret-token-321"),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    assert run.returncode == 0, run.stdout + run.stderr
    assert script.requests == []
    assert f"GET {server.url}/scim-v2/Groups" in run.stdout
    assert f"POST {server.url}/scim-v2/Users" in run.stdout
    assert "none sent" in run.stdout
    assert "TLS certificates are not verified" in run.stderr
    junit = ElementTree.parse(tmp_path / "junit.xml").getroot()  # noqa: S314
    assert "failed" not in junit.attrib
    assert_no_token([run.stdout, run.stderr], "dry-secret-token-321")


def test_html_report_renders_failures_in_chromium(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    mutant = {
        "SOULANMA_REFERENCE_ALLOW_MUTANTS": "1",
        "SOULANMA_REFERENCE_MUTANT": "groups-answer-200",
    }
    reports = tmp_path / "reports"
    with embedded_server(mutant) as target:
        run = subprocess.run(
            command(
                "verify",
                "--base-url",
                target.base_url,
                "--admin-url",
                str(target.admin_url),
                "-k",
                "groups",
                "--report-dir",
                str(reports),
            ),  # fmt: skip
            env=clean_env(
                SOULANMA_SCIM_TOKEN=target.token,
                SOULANMA_ADMIN_TOKEN=str(target.admin_token),
            ),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    tokens = (target.token, str(target.admin_token))

    dom = _render(browser, reports / "report.html")

    assert run.returncode == 1, run.stdout + run.stderr
    assert "Run failed" in dom
    assert "Groups are not supported" in dom
    assert "Step: " in dom
    assert "Expected: " in dom
    assert "GET http://127.0.0.1" in dom
    assert '"Authorization: Bearer $SOULANMA_SCIM_TOKEN"' in dom
    assert "Rules checked:" in dom
    assert "Rules by identity provider" in dom
    assert 'id="matrix"' in dom
    files = [p.read_text() for p in reports.iterdir()]
    assert_no_token([run.stdout, run.stderr, dom, *files], *tokens)
    _check_junit(reports / "junit.xml")
    _check_cucumber(reports / "cucumber.json")


def _render(browser: str, html: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        rendered = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--dump-dom",
                html.resolve().as_uri(),
            ],  # fmt: skip
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert rendered.returncode == 0, rendered.stderr
    return rendered.stdout


def _token_file(directory: Path, token: str) -> Path:
    path = directory / "token"
    path.write_text(token + "\n")
    return path


def _wait_for_created_users(
    ledger: Path, process: subprocess.Popen[Any], count: int
) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it created users"
        if ledger.exists() and ledger.read_text().count('"user-created"') >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"the run did not create {count} users within 120s")


def _check_junit(path: Path) -> None:
    root = ElementTree.parse(path).getroot()  # noqa: S314 - a report of this run
    suites = [root] if root.tag == "testsuite" else list(root)
    assert suites
    for suite in suites:
        assert suite.tag == "testsuite"
        assert int(suite.attrib["tests"]) == len(suite.findall("testcase"))


def _check_cucumber(path: Path) -> None:
    features = json.loads(path.read_text())
    jsonschema.validate(features, CUCUMBER_SCHEMA)
    assert features
