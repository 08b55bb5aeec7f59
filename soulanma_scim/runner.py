"""Run the features with pytest, in this process, against a target."""

from __future__ import annotations

from pathlib import Path

import pytest

import steps
from soulanma_scim.live_run import EXIT_INTERRUPTED, RunOptions, run_live
from soulanma_scim.summary import FeatureSummary
from soulanma_scim.target import Target

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def pytest_arguments(keyword: str | None, junitxml: str | None) -> list[str]:
    steps_dir = Path(steps.__file__).resolve().parent
    arguments = [
        str(steps_dir / "test_scenarios.py"),
        "-c",
        str(steps_dir / "pytest.ini"),
        "--rootdir",
        str(steps_dir),
        "-p",
        "steps.plugin",
        "-p",
        "no:cacheprovider",
        # httpx imported anyio before pytest started, so pytest warns that it
        # cannot rewrite anyio's plugin; the features use no anyio asserts.
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "-q",
        "-rfEs",
    ]
    if keyword:
        arguments += ["-k", keyword]
    if junitxml:
        arguments += ["--junitxml", junitxml]
    return arguments


def run_features(
    target: Target,
    keyword: str | None,
    junitxml: str | None,
    options: RunOptions | None = None,
) -> int:
    """Run every selected scenario and map pytest's exit code to ours.

    Returns EXIT_INTERRUPTED after Ctrl-C or SIGTERM, once cleanup has run.
    """
    target.export()
    options = options or RunOptions()
    if junitxml:
        options.junitxml = Path(junitxml)

    def run_pytest(extra: list[str], plugins: list[object]) -> int:
        arguments = pytest_arguments(keyword, None) + extra
        return pytest.main(arguments, plugins=[FeatureSummary(), *plugins])

    code = run_live(target, options, run_pytest)
    if code in (EXIT_INTERRUPTED, pytest.ExitCode.INTERRUPTED):
        return EXIT_INTERRUPTED
    if code == pytest.ExitCode.OK:
        return EXIT_OK
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("soulanma-scim: no scenario matched the selection.")
        return EXIT_USAGE
    if code == pytest.ExitCode.USAGE_ERROR:
        return EXIT_USAGE
    return EXIT_FAILED
