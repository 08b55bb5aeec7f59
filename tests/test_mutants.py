"""Each reference-server mutant is caught by the scenarios named for its rule.

Every test starts `soulanma-scim verify` against one mutant, on the scenarios of
the mutant's rule area (`soulanma_scim.mutation.EXPECTATIONS`), and checks that
exactly the named scenarios fail while the others run there still pass. The
full run against the correct server (tests/test_cli.py and
tests/test_no_false_alarms.py) shows that nothing else fails without a mutant.
Deselect these tests with `-m "not mutation"`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from reference_server.mutants import ALLOW_ENV, MUTANTS
from soulanma_scim.embedded import free_port
from soulanma_scim.mutation import (
    EXPECTATIONS,
    MutantResult,
    format_report,
    run_mutant,
    unexpected_outcomes,
)

pytestmark = pytest.mark.mutation


def test_every_mutant_has_an_expectation() -> None:
    assert sorted(EXPECTATIONS) == sorted(MUTANTS)


def test_every_expectation_names_killers() -> None:
    for name, expectation in EXPECTATIONS.items():
        assert expectation.killers, name


@pytest.mark.parametrize("mutant", list(MUTANTS))
def test_mutant_is_killed_by_named_scenarios(
    mutant: str, record_property: pytest.RecordProperty
) -> None:
    result = run_mutant(mutant, EXPECTATIONS[mutant].keyword)
    # The score line reaches the terminal summary through the report.
    record_property("mutant_report", format_report([result]))
    assert result.passed or result.failed, result.output[-4000:]
    assert result.detected, f"{mutant} survived:\n{result.output[-4000:]}"
    problems = unexpected_outcomes(result, EXPECTATIONS[mutant])
    assert problems == [], result.output[-4000:]


def test_unexpected_outcomes_reports_each_kind() -> None:
    expectation = EXPECTATIONS["any-token"]
    result = MutantResult(
        "any-token",
        1,
        passed=["test_listing_users_without_valid_credentials[generic-with a wrong "
                "bearer token]"],
        failed=["test_a_create_without_a_token_creates_nothing[generic]"],
    )
    problems = unexpected_outcomes(result, expectation)
    assert any("did not fail" in problem for problem in problems)
    assert any("passed but should fail" in problem for problem in problems)
    assert any("outside the mutant's rule" in problem for problem in problems)


def test_format_report_prints_score_and_killers() -> None:
    results = [
        MutantResult("any-token", 1, failed=["test_listing_users[generic-x]"]),
        MutantResult("no-match-404", 0, passed=["test_looking_up[generic]"]),
    ]
    report = format_report(results)
    assert report.splitlines()[0] == "mutation score: 1/2 mutants detected"
    assert "any-token: killed by 1 of 1 scenarios run" in report
    assert "    listing_users" in report
    assert "no-match-404: SURVIVED" in report


def run_serve(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "soulanma_scim", "serve", *arguments],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_mutant_needs_permission() -> None:
    result = run_serve("--mutant", "any-token", env={ALLOW_ENV: ""})
    assert result.returncode == 2
    assert ALLOW_ENV in result.stderr


def test_serve_mutant_rejects_unknown_name() -> None:
    result = run_serve("--mutant", "no-such-mutant", env={ALLOW_ENV: "1"})
    assert result.returncode == 2
    assert "unknown mutant 'no-such-mutant'" in result.stderr


def test_serve_help_hides_mutant_option() -> None:
    result = run_serve("--help", env={})
    assert result.returncode == 0
    assert "--mutant" not in result.stdout


def test_serve_mutant_switches_it_on(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, ALLOW_ENV: "1", "SOULANMA_SCIM_TOKEN": "scim-token-123"}
    command = [sys.executable, "-m", "soulanma_scim", "serve", "--port", str(port)]
    command += ["--database", str(tmp_path / "db.sqlite3"), "--mutant", "any-token"]
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        status = None
        deadline = time.monotonic() + 30
        while status is None and time.monotonic() < deadline:
            try:
                status = httpx.get(
                    f"http://127.0.0.1:{port}/scim-v2/Users",
                    headers={"Authorization": "Bearer not-the-token"},
                    timeout=1.0,
                ).status_code
            except httpx.HTTPError:
                time.sleep(0.2)
        # A correct server returns 401 for a wrong token, and this mutant 200.
        assert status == 200, log.read_text()
        assert "Mutant any-token is active" in log.read_text()
    finally:
        process.terminate()
        process.wait(10)
