"""Known deviations of independent SCIM servers, applied as strict expected failures.

`SOULANMA_CONFORMANCE_TARGET_PROFILE` names the implementation under test. For a
profile listed in `DEVIATIONS`, each scenario that the table names is marked as
an expected failure with the RFC section that the server breaks. The marks are
strict, so a scenario that starts passing fails the run and its entry must go.
"""

from __future__ import annotations

import os

import pytest

PROFILE_VARIABLE = "SOULANMA_CONFORMANCE_TARGET_PROFILE"
SCIM2_SERVER = "scim2-server"

# Scenario patterns, as `scenario_matches` reads them, mapped to the reason.
# Observed with scim2-server 0.8.3.
DEVIATIONS: dict[str, dict[str, str]] = {
    SCIM2_SERVER: {
        "noninteger_paging_parameters[1-2.0]": (
            "RFC 7644, Section 3.4.2.4 defines count as a non-negative integer, "
            "but scim2-server reads count=2.0 as 2 instead of answering 400"
        ),
    },
}


def scenario_matches(pattern: str, test_name: str) -> bool:
    """Return whether a test name belongs to a scenario pattern.

    The test name is `test_<scenario>` with an optional `[<id>]`. The pattern
    `<scenario>` matches every example of the scenario, and `<scenario>[<part>]`
    matches the examples whose id contains <part>, so an id that gains a prefix
    or suffix, such as an identity-provider dialect, still matches.
    """
    function, _, parameters = test_name.partition("[")
    parameters = parameters.removesuffix("]")
    scenario, _, example = pattern.partition("[")
    if function != f"test_{scenario}":
        return False
    return example.removesuffix("]") in parameters


def deviation_reason(profile: str | None, test_name: str) -> str | None:
    """Return why the profile's server fails this test, or None when it should pass."""
    for pattern, reason in DEVIATIONS.get(profile or "", {}).items():
        if scenario_matches(pattern, test_name):
            return reason
    return None


def mark_deviations(items: list[pytest.Item]) -> None:
    """Mark the known deviations of the profile in the environment as strict xfails."""
    profile = os.environ.get(PROFILE_VARIABLE, "").strip() or None
    if profile is not None and profile not in DEVIATIONS:
        raise pytest.UsageError(
            f"unknown {PROFILE_VARIABLE} {profile!r}; known profiles: "
            f"{', '.join(DEVIATIONS)}"
        )
    for item in items:
        reason = deviation_reason(profile, item.name)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
