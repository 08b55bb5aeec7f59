"""Broken reference servers fail the features under the dialects that expose them.

Each test runs `python -m soulanma_scim verify` in a subprocess against an
embedded reference server with one mutant switched on, and reads the outcome of
each scenario under each dialect from the JUnit XML report.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mock_idp.dialects import DIALECT_NAMES

PROJECT = Path(__file__).resolve().parent.parent
DEACTIVATION = "test_reading_a_deactivated_user"
CONTROL = "test_matching_a_provisioned_user"
SELECTION = f"{DEACTIVATION} or {CONTROL}"
TEST_NAME = re.compile(r"(?P<scenario>\w+)\[(?P<dialect>[\w-]+)\]")


def verify(
    tmp_path: Path, *arguments: str, mutant: str | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[tuple[str, str], str]]:
    """Run verify and return the process and each (scenario, dialect) outcome."""
    report = tmp_path / "report.xml"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("SOULANMA_REFERENCE_MUTANT", None)
    if mutant is not None:
        env["SOULANMA_REFERENCE_ALLOW_MUTANTS"] = "1"
        env["SOULANMA_REFERENCE_MUTANT"] = mutant
    command = [sys.executable, "-m", "soulanma_scim", "verify", *arguments]
    command += ["--junitxml", str(report)]
    completed = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )
    return completed, outcomes(report) if report.exists() else {}


def outcomes(report: Path) -> dict[tuple[str, str], str]:
    """Map (scenario test, dialect) to passed, failed or skipped."""
    # The report is the file that the subprocess above has just written.
    root = ElementTree.parse(report).getroot()  # noqa: S314
    result: dict[tuple[str, str], str] = {}
    for case in root.iter("testcase"):
        match = TEST_NAME.fullmatch(case.get("name", ""))
        assert match is not None, case.get("name")
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        result[(match["scenario"], match["dialect"])] = outcome
    return result


def by_dialect(results: dict[tuple[str, str], str], scenario: str) -> dict[str, str]:
    return {dialect: results[(scenario, dialect)] for dialect in DIALECT_NAMES}


def test_correct_server_passes_every_dialect(tmp_path: Path) -> None:
    completed, results = verify(tmp_path, "-k", SELECTION)

    assert completed.returncode == 0, completed.stdout[-3000:]
    assert set(by_dialect(results, DEACTIVATION).values()) == {"passed"}
    assert set(by_dialect(results, CONTROL).values()) == {"passed"}
    assert "rule areas by identity provider" in completed.stdout


@pytest.mark.parametrize(
    ("mutant", "failing"),
    [
        # Entra ID sends "False"; OneLogin's template sends editor as "false".
        ("reject-string-booleans", {"entra", "onelogin"}),
        # Only Entra ID without aadOptscim062020 capitalises op names.
        ("case-sensitive-ops", {"entra"}),
        # Every provider deactivates, and Okta deactivates instead of deleting.
        ("deactivate-deletes", set(DIALECT_NAMES)),
    ],
)
def test_mutant_fails_where_dialect_exposes_it(
    tmp_path: Path, mutant: str, failing: set[str]
) -> None:
    completed, results = verify(tmp_path, "-k", SELECTION, mutant=mutant)

    assert completed.returncode == 1, completed.stdout[-3000:]
    expected = {
        name: "failed" if name in failing else "passed" for name in DIALECT_NAMES
    }
    assert by_dialect(results, DEACTIVATION) == expected
    if mutant != "reject-string-booleans":
        assert set(by_dialect(results, CONTROL).values()) == {"passed"}


def test_idp_selects_dialects(tmp_path: Path) -> None:
    completed, results = verify(tmp_path, "--idp", "okta,entra", "-k", CONTROL)

    assert completed.returncode == 0, completed.stdout[-3000:]
    assert set(results) == {(CONTROL, "okta"), (CONTROL, "entra")}


def test_unknown_idp_is_usage_error(tmp_path: Path) -> None:
    completed, _ = verify(tmp_path, "--idp", "okta,pingone")

    assert completed.returncode == 2
    assert "pingone" in completed.stderr
    for name in DIALECT_NAMES:
        assert name in completed.stderr
