"""The pytest plugin that runs the conformance features: `pytest -p steps.plugin`.

It loads the step modules, reads the server under test from the environment,
skips the scenarios that need the admin API when it is not given, and attaches
the scenario's redacted HTTP exchanges to the report of a failing scenario.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from mock_idp.transcript import Transcript
from steps.target import target_from_environment

pytest_plugins = [
    "steps.fixtures",
    "steps.outcomes",
    "steps.users",
    "steps.roles",
    "steps.workspace",
    "steps.protocol",
    "steps.queries",
    "steps.patching",
]

MARKERS = {
    "admin": "needs the workspace admin API (--admin-url and --admin-token)",
    "read_only": "changes nothing on the server",
}
ADMIN_SKIP_REASON = "needs the workspace admin API (--admin-url and --admin-token)"
TRANSCRIPT_SECTION = "HTTP exchanges (tokens redacted)"
TRANSCRIPT_KEY = pytest.StashKey[Transcript]()


def pytest_configure(config: pytest.Config) -> None:
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.stash[_HAS_ADMIN_KEY] = target_from_environment().has_admin_api


_HAS_ADMIN_KEY = pytest.StashKey[bool]()


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if config.stash[_HAS_ADMIN_KEY]:
        return
    skip = pytest.mark.skip(reason=ADMIN_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("admin") is not None:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    transcript = item.stash.get(TRANSCRIPT_KEY, None)
    if report.failed and transcript is not None:
        report.sections.append((TRANSCRIPT_SECTION, transcript.render(last=12)))
    return report
