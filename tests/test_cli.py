"""The `soulanma-scim` command, run as a user runs it: a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from soulanma_scim.embedded import free_port

TIMEOUT = 600


def run_command(
    *arguments: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "soulanma_scim", *arguments],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, str]]:
    """`soulanma-scim serve` in its own process, with its log file."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "SOULANMA_SCIM_TOKEN": "", "SOULANMA_ADMIN_TOKEN": ""}
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "soulanma_scim", "serve",
                "--port", str(port),
                "--database", str(tmp_path / "served.sqlite3"),
                "--scim-token", "scim-secret-token-123",
                "--admin-token", "admin-secret-token-456",
            ],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/scim-v2/ServiceProviderConfig", "scim-secret-token-123")
        yield {
            "base_url": f"{base}/scim-v2",
            "admin_url": f"{base}/admin/api",
            "token": "scim-secret-token-123",
            "admin_token": "admin-secret-token-456",
            "log": str(log),
        }
    finally:
        process.terminate()
        process.wait(10)


def _wait_for(url: str, token: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            headers = {"Authorization": f"Bearer {token}"}
            if httpx.get(url, headers=headers, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within 30 s")


def test_verify_passes_against_embedded_server(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"

    result = run_command("verify", "--junitxml", str(report), cwd=tmp_path)

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "summary per feature" in result.stdout
    assert "\ntotal " in result.stdout
    assert "FAILED" not in result.stdout
    assert report.exists()


def test_verify_passes_against_separate_server(
    tmp_path: Path, served: dict[str, str]
) -> None:
    result = run_command(
        "verify",
        "--base-url", served["base_url"],
        "--admin-url", served["admin_url"],
        cwd=tmp_path,
        env={
            "SOULANMA_SCIM_TOKEN": served["token"],
            "SOULANMA_ADMIN_TOKEN": served["admin_token"],
        },
    )

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "summary per feature" in result.stdout
    assert served["token"] not in result.stdout + result.stderr
    assert served["admin_token"] not in result.stdout + result.stderr


def test_verify_without_admin_api_skips_with_reason(
    tmp_path: Path, served: dict[str, str]
) -> None:
    result = run_command(
        "verify", "--base-url", served["base_url"], cwd=tmp_path,
        env={"SOULANMA_SCIM_TOKEN": served["token"], "SOULANMA_ADMIN_TOKEN": ""},
    )

    assert result.returncode == 0, result.stdout[-6000:]
    assert "needs the workspace admin API" in result.stdout
    assert "skipped" in result.stdout


def test_serve_logs_requests_without_tokens(served: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {served['token']}"}

    response = httpx.get(f"{served['base_url']}/Users", headers=headers, timeout=5)
    httpx.get(f"{served['base_url']}/Users", headers={"Authorization": "Bearer x"})
    time.sleep(0.3)
    log = Path(served["log"]).read_text()

    assert response.status_code == 200
    assert "GET /scim-v2/Users 200" in log
    assert "GET /scim-v2/Users 401" in log
    assert served["token"] not in log
    assert served["admin_token"] not in log


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["verify", "--base-url", "http://127.0.0.1:9/scim-v2"], "--token"),
        (["verify", "--base-url", "ftp://x", "--token", "t"], "http://"),
        (
            ["verify", "--base-url", "http://127.0.0.1:9/scim-v2", "--token", "t",
             "--admin-url", "http://127.0.0.1:9/admin/api"],
            "--admin-token",
        ),
        (["verify", "--admin-url", "http://127.0.0.1:9/admin/api"], "--base-url"),
        (["frobnicate"], "invalid choice"),
        (
            ["verify", "--base-url", "http://127.0.0.1:9/scim-v2", "--token", "t",
             "--ca-bundle", "/nonexistent/ca.pem"],
            "--ca-bundle",
        ),
        (["serve", "--port", "70000"], "outside 0-65535"),
        (["serve", "--database", "/nonexistent/folder/x.sqlite3"], "does not exist"),
    ],
)
def test_usage_errors_exit_with_two(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = run_command(
        *arguments, cwd=tmp_path,
        env={"SOULANMA_SCIM_TOKEN": "", "SOULANMA_ADMIN_TOKEN": ""},
    )

    assert result.returncode == 2
    assert message in result.stderr


def test_verify_with_unmatched_keyword_is_usage_error(tmp_path: Path) -> None:
    result = run_command("verify", "-k", "no_scenario_has_this_name", cwd=tmp_path)

    assert result.returncode == 2
    assert "no scenario matched" in result.stdout


def test_mutant_from_environment_needs_permission(tmp_path: Path) -> None:
    result = run_command(
        "serve", "--database", str(tmp_path / "x.sqlite3"), cwd=tmp_path,
        env={
            "SOULANMA_REFERENCE_MUTANT": "any-token",
            "SOULANMA_REFERENCE_ALLOW_MUTANTS": "",
        },
    )

    assert result.returncode == 2
    assert "SOULANMA_REFERENCE_ALLOW_MUTANTS=1" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()
