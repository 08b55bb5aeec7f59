"""The protocol-level scenarios against scim2-server, a SCIM server written elsewhere.

The scenarios tagged @protocol check RFC 7643/7644 behaviour and no Soulanma
rule. scim2-server is started on loopback with the schemas, the User resource
type and the service provider configuration that the reference server
publishes, so that the Soulanma extension is an ordinary schema extension to it.
Its known deviations are strict expected failures (`steps.profiles`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reference_server import discovery
from soulanma_scim.embedded import free_port
from steps.profiles import (
    DEVIATIONS,
    PROFILE_VARIABLE,
    SCIM2_SERVER,
    scenario_matches,
)

SCIM2_SERVER_COMMAND = shutil.which("scim2-server") or str(
    Path(sys.executable).with_name("scim2-server")
)
TENANT = "scim-v2"
START_TIMEOUT_SECONDS = 30
RUN_TIMEOUT_SECONDS = 900
# Dialects that send PATCH and booleans in different forms; the generic one
# follows the RFC to the letter.
DIALECTS = "generic,entra"

pytestmark = pytest.mark.independent


def _write_configuration(directory: Path, base_url: str) -> list[str]:
    """Write the reference server's discovery documents as scim2-server options."""
    schemas = directory / "schemas.json"
    resource_types = directory / "resource_types.json"
    config = directory / "service_provider_config.json"
    schemas.write_text(json.dumps(discovery.schemas(base_url)))
    resource_types.write_text(json.dumps([discovery.user_resource_type(base_url)]))
    config.write_text(json.dumps(discovery.service_provider_config(base_url)))
    return [
        "--schema",
        str(schemas),
        "--resource-type",
        str(resource_types),
        "--service-provider-config",
        str(config),
    ]


@pytest.fixture(scope="module")
def scim2_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """scim2-server on a free loopback port, with one tenant at /scim-v2."""
    if not Path(SCIM2_SERVER_COMMAND).exists():
        pytest.fail("scim2-server is not installed: pip install scim2-server")
    directory = tmp_path_factory.mktemp("scim2-server")
    port = free_port()
    token = secrets.token_urlsafe(24)
    base_url = f"http://127.0.0.1:{port}/{TENANT}"
    # NOTE: scim2-server takes the token only on its command line, where other
    # local users can read it. The token is random and lives as long as the test.
    command = [SCIM2_SERVER_COMMAND, "--hostname", "127.0.0.1", "--port", str(port)]
    command += ["--tenant", TENANT, "--bearer-token", token]
    command += _write_configuration(directory, base_url)
    log = directory / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(process, base_url, token, log)
        yield {"base_url": base_url, "token": token, "log": str(log)}
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(
    process: subprocess.Popen[bytes], base_url: str, token: str, log: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scim2-server exited early:\n{log.read_text()}")
        try:
            response = httpx.get(
                f"{base_url}/ServiceProviderConfig", headers=headers, timeout=1.0
            )
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"scim2-server did not answer within {START_TIMEOUT_SECONDS}s")


def _outcomes(report: Path) -> dict[str, list[str]]:
    outcomes: dict[str, list[str]] = {
        "passed": [],
        "failed": [],
        "skipped": [],
        "xfailed": [],
    }
    # The report is one that this test had a child process write.
    root = ElementTree.parse(report).getroot()  # noqa: S314
    for case in root.iter("testcase"):
        name = case.get("name", "")
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            outcomes["failed"].append(name)
        elif skipped is not None and skipped.get("type") == "pytest.xfail":
            outcomes["xfailed"].append(name)
        elif skipped is not None:
            outcomes["skipped"].append(f"{name}: {skipped.get('message', '')}")
        else:
            outcomes["passed"].append(name)
    return outcomes


@pytest.fixture(scope="module")
def protocol_run(
    scim2_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """Run the @protocol scenarios against scim2-server, as the README shows."""
    report = tmp_path_factory.mktemp("protocol-run") / "report.xml"
    env = {
        **os.environ,
        PROFILE_VARIABLE: SCIM2_SERVER,
        "SOULANMA_SCIM_TOKEN": scim2_server["token"],
    }
    env.pop("SOULANMA_ADMIN_TOKEN", None)
    completed = subprocess.run(
        [
            sys.executable, "-m", "soulanma_scim", "verify",
            "--base-url", scim2_server["base_url"],
            "--idp", DIALECTS,
            "-k", "protocol",
            "--junitxml", str(report),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    assert report.exists(), completed.stdout + completed.stderr
    outcomes = _outcomes(report)
    outcomes["exit_code"] = [str(completed.returncode)]
    outcomes["output"] = [completed.stdout[-6000:] + completed.stderr[-3000:]]
    print(
        f"\nscim2-server: {len(outcomes['passed'])} passed, "
        f"{len(outcomes['xfailed'])} expected failures, "
        f"{len(outcomes['failed'])} failed"
    )
    return outcomes


def test_protocol_scenarios_pass_on_scim2_server(
    protocol_run: dict[str, list[str]],
) -> None:
    assert protocol_run["failed"] == [], protocol_run["output"][0]
    assert protocol_run["exit_code"] == ["0"], protocol_run["output"][0]


def test_protocol_run_covers_each_area(protocol_run: dict[str, list[str]]) -> None:
    ran = protocol_run["passed"] + protocol_run["xfailed"]
    for scenario in (
        "test_listing_users_without_valid_credentials",
        "test_malformed_bodies",
        "test_reading_the_schemas",
        "test_finding_the_user_with_a_filter",
        "test_malformed_filters",
        "test_outofrange_startindex_and_count",
        "test_replacing_the_family_name",
        "test_the_same_email_cannot_be_provisioned_twice",
        "test_a_deleted_user_is_gone_from_scim",
    ):
        assert any(name.startswith(scenario) for name in ran), scenario


def test_protocol_run_needs_no_admin_api(protocol_run: dict[str, list[str]]) -> None:
    # A dialect may skip a request it never sends, but a scenario that needs the
    # admin API checks a Soulanma rule, so it must not carry the protocol tag.
    needing_admin = [
        skipped for skipped in protocol_run["skipped"] if "admin API" in skipped
    ]
    assert needing_admin == []


def test_each_deviation_is_observed(protocol_run: dict[str, list[str]]) -> None:
    for pattern in DEVIATIONS[SCIM2_SERVER]:
        assert any(
            scenario_matches(pattern, name) for name in protocol_run["xfailed"]
        ), pattern


def test_each_deviation_cites_an_rfc_section() -> None:
    for pattern, reason in DEVIATIONS[SCIM2_SERVER].items():
        assert "RFC 764" in reason, pattern
        assert "Section" in reason, pattern
