"""Run the features against each reference-server mutant and print the score.

A mutant is the reference server with one rule broken on purpose (see
`reference_server.mutants`). Each mutant runs the scenarios of its rule's area
in a child `soulanma-scim verify` process with a JUnit XML report. The mutant
is detected when a scenario fails, and it behaves as expected when exactly the
scenarios named in `EXPECTATIONS` fail and every other scenario run passes.

    python -m soulanma_scim.mutation [--jobs 2] [--mutant NAME ...] [--all-features]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reference_server.mutants import ALLOW_ENV, MUTANT_ENV, MUTANTS
from steps.profiles import scenario_matches

RUN_TIMEOUT_SECONDS = 900
# Each scenario runs once, under the dialect that sends RFC 7644 requests as
# written. Scenarios for other dialects' forms name those forms in their steps.
DIALECT = "generic"


@dataclass(frozen=True)
class Expectation:
    """The scenarios run against one mutant, and those that must fail.

    `keyword` is a pytest -k expression over scenario test names, and each
    entry of `killers` is a scenario pattern as `scenario_matches` reads it.
    """

    keyword: str
    killers: tuple[str, ...]


# Scenario patterns are test names without the `test_` prefix: the scenario
# name in snake case, optionally followed by `[EXAMPLE]`, where EXAMPLE is a
# substring of the example's test id.
DEACTIVATION_AREA = "deactivat or reactivat or deleted"
ROLE_UPDATE_AREA = (
    "updating_the_profile_keeps_the_role or update_without_editor "
    "or admin_stays_admin or setting_the_role"
)
ERROR_AREA = "malformed_bodies or requests_for_an_unknown_id or request_media_types"
WORKSPACE_AREA = "saml or enterprise_plan"
EXPECTATIONS: dict[str, Expectation] = {
    "ignore-default-role": Expectation(
        "role_of_a_new_user",
        (
            "role_of_a_new_user[editor-absent-editor]",
            "role_of_a_new_user[editor-null-editor]",
        ),
    ),
    "update-resets-role": Expectation(
        ROLE_UPDATE_AREA,
        (
            "updating_the_profile_keeps_the_role[editor-replaces]",
            "updating_the_profile_keeps_the_role[editor-removes]",
            "updating_the_profile_keeps_the_role"
            "[editor-sets editor to null with PATCH]",
            "updating_the_profile_keeps_the_role[editor-sets editor to null with PUT]",
            "an_update_without_editor_keeps_a_members_role_in_the_workspace",
            "an_admin_stays_admin_when_editor_is_removed",
        ),
    ),
    "put-demotes-editor": Expectation(
        ROLE_UPDATE_AREA,
        (
            "updating_the_profile_keeps_the_role[editor-replaces]",
            "updating_the_profile_keeps_the_role[editor-sets editor to null with PUT]",
            "an_update_without_editor_keeps_a_members_role_in_the_workspace",
        ),
    ),
    "deactivate-deletes": Expectation(
        DEACTIVATION_AREA,
        (
            "deactivating_a_member",
            "reading_a_deactivated_user",
            "deactivating_with_a_full_put_as_oktas_appwizard_integrations_do",
            "a_deactivated_user_reads_as_removed_with_the_rest_unchanged",
            "a_reactivated_user_is_pending_with_the_same_id",
            "a_reactivated_member_is_pending_until_the_next_signin",
            "a_reactivated_member_who_signs_in_is_a_member_again",
            "a_deactivated_user_is_refused",
        ),
    ),
    "deactivate-keeps-member": Expectation(
        DEACTIVATION_AREA,
        (
            "deactivating_a_member",
            "reading_a_deactivated_user",
            "deactivating_with_a_full_put_as_oktas_appwizard_integrations_do",
            "a_deactivated_user_reads_as_removed_with_the_rest_unchanged",
            "a_collaborator_opens_a_deactivated_authors_shared_document",
            "a_reactivated_user_is_pending_with_the_same_id",
            "a_reactivated_member_is_pending_until_the_next_signin",
            "a_deactivated_user_is_refused",
        ),
    ),
    "reactivate-new-id": Expectation(
        "reactivat", ("a_reactivated_user_is_pending_with_the_same_id",)
    ),
    "account-at-once": Expectation(
        "pending",
        (
            "a_pending_user_reads_active",
            "a_pending_editor_has_no_account_and_holds_no_seat",
            "a_pending_editor_holds_no_seat",
            "a_user_with_an_existing_account_is_provisioned_as_pending",
        ),
    ),
    "case-sensitive-user-name": Expectation(
        "finding_the_user_with_a_filter or another_letter_case or the_same_email",
        (
            'finding_the_user_with_a_filter[userName eq "{EMAIL}"]',
            "the_same_email_in_another_letter_case_is_the_same_user",
            "a_signin_with_the_email_in_another_letter_case_links_the_user",
            "changing_the_email_to_another_users_email_in_another_letter_case",
        ),
    ),
    "case-sensitive-ops": Expectation(
        "replacing_the_family_name or adding_a_title or a_remove_clears "
        "or unknown_op or core_attribute_by_its_full_urn",
        (
            "replacing_the_family_name[Replace]",
            "replacing_the_family_name[REPLACE]",
            "adding_a_title[Add]",
            "a_remove_clears_an_attribute[Remove]",
            "a_core_attribute_by_its_full_urn",
        ),
    ),
    "reject-string-booleans": Expectation(
        "editor_as_a_string or editor_that_is_neither or explicit_role",
        (
            "editor_as_a_string_on_create",
            "editor_as_a_string_on_patch_as_entra_id_sends_it",
        ),
    ),
    "content-deleted-with-author": Expectation(
        "document",
        (
            "a_collaborator_opens_a_deactivated_authors_shared_document",
            "a_deleted_authors_shared_document_stays_open_to_collaborators",
        ),
    ),
    "groups-answer-200": Expectation(
        "group or only_resource_type", ("listing_groups", "creating_a_group")
    ),
    "no-match-404": Expectation(
        "looking_up or filter_that_excludes or a_create_without_a_token "
        "or deleted_user_is_gone or finding_the_user_with_a_filter",
        (
            "looking_up_an_unknown_username",
            "looking_up_a_random_external_id_as_entra_id_tests_a_connection",
            "a_filter_that_excludes_the_user",
            "a_create_without_a_token_creates_nothing",
            "a_deleted_user_is_gone_from_scim",
        ),
    ),
    "any-token": Expectation(
        "without_valid_credentials or without_a_token or another_workspace",
        ("listing_users_without_valid_credentials[with a wrong bearer token]",),
    ),
    "numeric-error-status": Expectation(
        ERROR_AREA, ("malformed_bodies", "requests_for_an_unknown_id")
    ),
    "error-without-schemas": Expectation(
        ERROR_AREA, ("malformed_bodies", "requests_for_an_unknown_id")
    ),
    "duplicate-account": Expectation(
        "account", ("a_user_with_an_account_signs_in",)
    ),
    "invited-not-linked": Expectation(
        "invited_by_hand",
        (
            "provisioning_a_member_invited_by_hand",
            "a_member_invited_by_hand_who_has_signed_in_stays_a_member",
        ),
    ),
    "admin-through-roles": Expectation(
        "role_naming_admin or admin_stays_admin",
        (
            "a_role_naming_admin_or_owner_is_rejected",
            "a_role_naming_admin_is_rejected_on_patch",
        ),
    ),
    "no-plan-check": Expectation(
        WORKSPACE_AREA, ("scim_outside_the_enterprise_plan",)
    ),
    "no-saml-check": Expectation(
        WORKSPACE_AREA,
        (
            "scim_without_saml_sso",
            "a_user_provisioned_before_saml_was_switched_off_is_not_changed",
        ),
    ),
    "pagination-off-by-one": Expectation(
        "importing_users or order_is_stable or outofrange or startindex_0 "
        "or counters",
        # NOTE: the out-of-range and startIndex 0 scenarios still pass, because
        # they check the page's startIndex and size, not which users it holds.
        ("importing_users_two_at_a_time", "the_order_is_stable_between_reads"),
    ),
    "duplicate-create-201": Expectation(
        "the_same_email or invited_by_hand",
        (
            "the_same_email_cannot_be_provisioned_twice",
            "the_same_email_in_another_letter_case_is_the_same_user",
        ),
    ),
}


@dataclass
class MutantResult:
    """The outcome of the features against one mutant."""

    mutant: str
    exit_code: int
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""

    @property
    def detected(self) -> bool:
        return bool(self.failed)


def unexpected_outcomes(result: MutantResult, expectation: Expectation) -> list[str]:
    """List each way the run differs from the expectation, or nothing."""
    problems = []
    for pattern in expectation.killers:
        if not any(scenario_matches(pattern, name) for name in result.failed):
            problems.append(f"scenario {pattern} did not fail")
        for name in result.passed:
            if scenario_matches(pattern, name):
                problems.append(f"{name} passed but should fail")
    for name in result.failed:
        if not any(scenario_matches(pattern, name) for pattern in expectation.killers):
            problems.append(f"{name} failed outside the mutant's rule")
    if not result.passed and not result.failed:
        problems.append(f"no scenario ran (exit code {result.exit_code})")
    return problems


def read_junit(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Return the passed, failed and skipped test names of a JUnit XML report."""
    passed: list[str] = []
    failed: list[str] = []
    skipped: list[str] = []
    # The report is one that this process had a child write, not outside input.
    root = ElementTree.parse(path).getroot()  # noqa: S314
    for case in root.iter("testcase"):
        name = case.get("name", "")
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(name)
        elif case.find("skipped") is not None:
            skipped.append(name)
        else:
            passed.append(name)
    return passed, failed, skipped


def run_mutant(mutant: str, keyword: str | None) -> MutantResult:
    """Run `soulanma-scim verify` against one mutant in a child process."""
    env = {**os.environ, ALLOW_ENV: "1", MUTANT_ENV: mutant}
    with tempfile.TemporaryDirectory(prefix="soulanma-mutant-") as directory:
        report = Path(directory) / "report.xml"
        command = [sys.executable, "-m", "soulanma_scim", "verify"]
        command += ["--idp", DIALECT, "--junitxml", str(report)]
        if keyword:
            command += ["-k", keyword]
        started = time.monotonic()
        completed = subprocess.run(  # noqa: S603 - a fixed argument list
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_SECONDS,
            check=False,
        )
        result = MutantResult(
            mutant,
            completed.returncode,
            seconds=time.monotonic() - started,
            output=completed.stdout + completed.stderr,
        )
        if report.exists():
            result.passed, result.failed, result.skipped = read_junit(report)
    return result


def run_mutants(
    mutants: Iterable[str], *, jobs: int = 2, all_features: bool = False
) -> list[MutantResult]:
    """Run several mutants, `jobs` at a time, in the order given."""
    names = list(mutants)

    def run(name: str) -> MutantResult:
        keyword = None if all_features else EXPECTATIONS[name].keyword
        return run_mutant(name, keyword)

    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        return list(pool.map(run, names))


def killing_scenarios(result: MutantResult) -> list[str]:
    """Return the scenario names, without example ids, whose failure killed it."""
    names = [name.partition("[")[0].removeprefix("test_") for name in result.failed]
    return sorted(set(names))


def format_report(results: Sequence[MutantResult]) -> str:
    """Render the mutation score and, per mutant, the scenarios that killed it."""
    detected = sum(result.detected for result in results)
    lines = [f"mutation score: {detected}/{len(results)} mutants detected"]
    for result in results:
        status = "killed" if result.detected else "SURVIVED"
        lines.append(
            f"{result.mutant}: {status} by {len(result.failed)} of "
            f"{len(result.failed) + len(result.passed)} scenarios run "
            f"({result.seconds:.0f}s) - {MUTANTS[result.mutant]}"
        )
        lines.extend(f"    {name}" for name in killing_scenarios(result))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m soulanma_scim.mutation",
        description="Run the features against each reference-server mutant and "
        "print the mutation score.",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="number of mutants to run at the same time"
    )
    parser.add_argument(
        "--mutant",
        action="append",
        choices=sorted(MUTANTS),
        metavar="NAME",
        help="run only this mutant; repeatable (default: every mutant)",
    )
    parser.add_argument(
        "--all-features",
        action="store_true",
        help="run every scenario against each mutant, not only its rule's area",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Print the score; exit 1 when a mutant survives or breaks its expectation."""
    args = build_parser().parse_args(argv)
    names = args.mutant or list(MUTANTS)
    results = run_mutants(names, jobs=args.jobs, all_features=args.all_features)
    print(format_report(results))
    failures = 0
    for result in results:
        problems = unexpected_outcomes(result, EXPECTATIONS[result.mutant])
        if args.all_features:
            # Scenarios outside the rule's area run too, so only survival counts.
            problems = [] if result.detected else ["no scenario failed"]
        for problem in problems:
            print(f"{result.mutant}: {problem}")
        failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
