"""The pytest plugin that runs the conformance features: `pytest -p steps.plugin`.

It loads the step modules, reads the server under test from the environment,
skips the scenarios that need the admin API when it is not given, and attaches
the scenario's redacted HTTP exchanges to the report of a failing scenario.
It also runs each scenario once per identity-provider dialect that `--idp`
selects, and reports a scenario that needs a request its dialect never sends
as skipped.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from mock_idp.dialects import DIALECT_NAMES, Unexpressible
from mock_idp.transcript import Transcript
from steps.profiles import mark_deviations
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
    "steps.vendor",
    "steps.matrix",
]

MARKERS = {
    "admin": "needs the workspace admin API (--admin-url and --admin-token)",
    "read_only": "changes nothing on the server",
    "protocol": "checks RFC 7643/7644 behaviour only, so any SCIM server can pass",
    "once": "runs once, under the first selected dialect, because no dialect "
    "changes what it checks",
    "okta_spec_test": "a check of Okta's SCIM 2.0 spec test; runs under okta",
    "microsoft_validator": "a check of Microsoft's SCIM validator; runs under entra",
}
# Vendor checks send their vendor's own requests, so each runs once, under the
# dialect of its vendor.
VENDOR_DIALECTS = {"okta_spec_test": "okta", "microsoft_validator": "entra"}
IDP_OPTION = "--idp"
# `soulanma-scim verify --idp` reaches the plugin through this variable.
IDP_VARIABLE = "SOULANMA_SCIM_IDP"
ADMIN_SKIP_REASON = "needs the workspace admin API (--admin-url and --admin-token)"
TRANSCRIPT_SECTION = "HTTP exchanges (tokens redacted)"
TRANSCRIPT_KEY = pytest.StashKey[Transcript]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        IDP_OPTION,
        default=os.environ.get(IDP_VARIABLE) or ",".join(DIALECT_NAMES),
        help="comma-separated identity-provider dialects to run each scenario "
        f"under (default: all of {', '.join(DIALECT_NAMES)})",
    )


def selected_dialects(config: pytest.Config) -> list[str]:
    """Return the dialects of `--idp` in their order, raising UsageError on others."""
    names = [name.strip() for name in str(config.getoption(IDP_OPTION)).split(",")]
    names = [name for name in names if name]
    unknown = [name for name in names if name not in DIALECT_NAMES]
    if unknown or not names:
        raise pytest.UsageError(
            f"unknown identity provider {', '.join(unknown) or '(none)'} in "
            f"{IDP_OPTION}; choose from {', '.join(DIALECT_NAMES)}"
        )
    return [name for name in DIALECT_NAMES if name in names]


def pytest_configure(config: pytest.Config) -> None:
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.stash[_HAS_ADMIN_KEY] = target_from_environment().has_admin_api
    config.stash[_DIALECTS_KEY] = selected_dialects(config)


_HAS_ADMIN_KEY = pytest.StashKey[bool]()
_DIALECTS_KEY = pytest.StashKey[list[str]]()


def dialects_for(definition: pytest.Item, selected: list[str]) -> list[str]:
    """Return the dialects a scenario runs under, before `--idp` deselects any.

    NOTE: a rule scenario runs under all six dialects, so a full run takes
    several times as long as one dialect; `--idp` narrows it.
    """
    for marker, dialect in VENDOR_DIALECTS.items():
        if definition.get_closest_marker(marker) is not None:
            return [dialect]
    if definition.get_closest_marker("once") is not None:
        return selected[:1]
    return list(DIALECT_NAMES)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # pytest-bdd requests step fixtures at run time, so a scenario's static
    # fixture closure holds only its example; `dialect` is added to it here.
    if "_pytest_bdd_example" not in metafunc.fixturenames:
        return
    if "dialect" not in metafunc.fixturenames:
        metafunc.fixturenames.append("dialect")
    names = dialects_for(metafunc.definition, metafunc.config.stash[_DIALECTS_KEY])
    metafunc.parametrize("dialect", names, indirect=True, ids=names)


def dialect_of(item: pytest.Item) -> str | None:
    """Return the dialect a collected scenario runs under, if it has one."""
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("dialect")


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    selected = config.stash[_DIALECTS_KEY]
    selected_items = [item for item in items if dialect_of(item) in (None, *selected)]
    if len(selected_items) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item not in selected_items]
        )
        items[:] = selected_items
    mark_deviations(items)
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
    if call.excinfo is not None and call.excinfo.errisinstance(Unexpressible):
        # The scenario needs a request that its dialect's provider never sends:
        # report it as skipped, with the reason, as pytest.skip() would.
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            f"Skipped: {call.excinfo.value}",
        )
        return report
    transcript = item.stash.get(TRANSCRIPT_KEY, None)
    if report.failed and transcript is not None:
        report.sections.append((TRANSCRIPT_SECTION, transcript.render(last=12)))
    return report
