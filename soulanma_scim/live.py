"""A pytest plugin for runs against a target: needs, secrets, progress, results.

It skips each scenario whose `needs_*` tags name a capability the probe found
missing, removes every known secret from reports before pytest or any report
writer sees them, prints progress per feature, and collects the outcome of each
scenario for the coverage summary and the HTML report. In a dry run it prints
the planned requests and reports every scenario as not executed.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, replace

import pytest

from mock_idp.dryrun import DryRunTransport, redact_plan_line
from mock_idp.transcript import REDACTED, Exchange
from soulanma_scim.probe import Capabilities
from soulanma_scim.results import (
    NOT_EXECUTED,
    Failure,
    ScenarioResult,
    rule_coverage,
    skipped_by_reason,
)
from soulanma_scim.summary import feature_of
from steps.plugin import TRANSCRIPT_KEY

NEEDS_PREFIX = "needs_"
# Capabilities that a `needs_*` tag can name, with what the marker means.
NEED_MARKERS = {
    "needs_patch": "needs PATCH, as the ServiceProviderConfig claims it",
    "needs_filter": "needs filtering, as the ServiceProviderConfig claims it",
}
DRY_RUN_REASON = "not executed: dry run, no request was sent"
NO_RULE = "(no rule)"


@dataclass
class LiveRun:
    """State of one run: its secrets, capabilities and collected results."""

    secrets: set[str] = field(default_factory=set)
    capabilities: Capabilities | None = None
    dry_run: DryRunTransport | None = None
    results: list[ScenarioResult] = field(default_factory=list)

    def scrub(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text


class LivePlugin:
    """The hooks; registered by the runner with `pytest.main(plugins=...)`."""

    def __init__(self, run: LiveRun) -> None:
        self.run = run
        self._by_nodeid: dict[str, ScenarioResult] = {}
        self._failed_steps: dict[str, tuple[str, str]] = {}
        self._feature_sizes: dict[str, int] = {}
        self._current_feature: str | None = None
        self._done = 0
        self._failures = 0
        self._planned = 0
        self._config: pytest.Config | None = None

    @pytest.hookimpl
    def pytest_configure(self, config: pytest.Config) -> None:
        for name, description in NEED_MARKERS.items():
            config.addinivalue_line("markers", f"{name}: {description}")
        self._config = config

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            feature, scenario = feature_of(item)
            result = ScenarioResult(item.nodeid, feature, _rule_of(item), scenario)
            callspec = getattr(item, "callspec", None)
            if callspec is not None:
                result.dialect = str(callspec.params.get("dialect", ""))
            self.run.results.append(result)
            self._by_nodeid[item.nodeid] = result
            self._feature_sizes[feature] = self._feature_sizes.get(feature, 0) + 1
            reason = self._missing_need(item)
            if reason is not None:
                item.add_marker(pytest.mark.skip(reason=reason))

    def _missing_need(self, item: pytest.Item) -> str | None:
        capabilities = self.run.capabilities
        if capabilities is None:
            return None
        needs = [
            marker.name[len(NEEDS_PREFIX) :]
            for marker in item.iter_markers()
            if marker.name.startswith(NEEDS_PREFIX)
        ]
        if item.get_closest_marker("admin") is not None:
            needs.append("admin_api")
        for need in needs:
            reason = capabilities.missing_reason(need)
            if reason is not None:
                return reason
        return None

    @pytest.hookimpl
    def pytest_bdd_step_error(
        self, request: pytest.FixtureRequest, step: object, exception: Exception
    ) -> None:
        keyword = getattr(step, "keyword", "")
        name = getattr(step, "name", str(step))
        text = self.run.scrub(f"{keyword} {name}".strip())
        message = self.run.scrub(f"{type(exception).__name__}: {exception}")
        self._failed_steps[request.node.nodeid] = (text, message)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if self.run.dry_run is not None and report.when == "call":
            _mark_not_executed(report)
        self._scrub_report(report)
        if report.failed:
            self._record_failure(item, report)
        return report

    def _scrub_report(self, report: pytest.TestReport) -> None:
        longrepr = report.longrepr
        if isinstance(longrepr, tuple):
            path, line, reason = longrepr
            report.longrepr = (path, line, self.run.scrub(reason))
        elif longrepr is not None:
            report.longrepr = self.run.scrub(str(longrepr))
        report.sections = [
            (title, self.run.scrub(content)) for title, content in report.sections
        ]

    def _record_failure(self, item: pytest.Item, report: pytest.TestReport) -> None:
        result = self._by_nodeid.get(item.nodeid)
        if result is None or result.failure is not None:
            return
        step, actual = self._failed_steps.get(
            item.nodeid, (f"({report.when})", _last_line(str(report.longrepr)))
        )
        transcript = item.stash.get(TRANSCRIPT_KEY, None)
        exchanges = list(transcript.exchanges) if transcript is not None else []
        result.failure = Failure(
            step=step,
            expected=step,
            actual=actual,
            exchanges=[self._scrub_exchange(exchange) for exchange in exchanges],
        )

    def _scrub_exchange(self, exchange: Exchange) -> Exchange:
        return replace(
            exchange,
            url=self.run.scrub(exchange.url),
            request_body=self.run.scrub(exchange.request_body),
            response_body=self.run.scrub(exchange.response_body),
        )

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = self._by_nodeid.get(report.nodeid)
        if result is None:
            return
        result.seconds += report.duration
        if report.failed:
            result.outcome = "failed"
        elif report.skipped and result.outcome != "failed":
            result.outcome = "skipped"
            if isinstance(report.longrepr, tuple):
                result.reason = report.longrepr[2].removeprefix("Skipped: ")
        elif report.when == "call" and report.passed and result.outcome == NOT_EXECUTED:
            result.outcome = "passed"

    @pytest.hookimpl
    def pytest_runtest_logstart(self, nodeid: str) -> None:
        result = self._by_nodeid.get(nodeid)
        if result is None or result.feature == self._current_feature:
            return
        self._current_feature = result.feature
        total = len(self.run.results)
        self._write(
            f"[{self._done:>3}/{total}] {result.feature} "
            f"({self._feature_sizes[result.feature]} scenarios), "
            f"failures so far: {self._failures}"
        )

    @pytest.hookimpl
    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self._done += 1
        result = self._by_nodeid.get(nodeid)
        if result is not None and result.outcome == "failed":
            self._failures += 1
        if self.run.dry_run is not None:
            self._print_plan(result.scenario if result else nodeid)

    def _print_plan(self, scenario: str) -> None:
        assert self.run.dry_run is not None
        planned = self.run.dry_run.take_plan()
        if not planned:
            return
        self._write(f"plan for {scenario}:")
        for request in planned:
            self._planned += 1
            line = redact_plan_line(request.render(), self.run.secrets)
            self._write(f"  {self._planned:>4}. {line}")

    @pytest.hookimpl
    def pytest_terminal_summary(
        self, terminalreporter: pytest.TerminalReporter
    ) -> None:
        coverage = rule_coverage(self.run.results)
        if not coverage:
            return
        terminalreporter.section("coverage")
        checked = sum(1 for rule in coverage if rule.was_checked)
        terminalreporter.write_line(f"rules checked: {checked} of {len(coverage)}")
        for reason, rules in sorted(skipped_by_reason(coverage).items()):
            terminalreporter.write_line(f"rules skipped ({len(rules)}): {reason}")
            for rule in rules:
                terminalreporter.write_line(f"  - {rule.feature}: {rule.rule}")
        if self.run.dry_run is not None:
            terminalreporter.write_line(
                f"dry run: {self._planned} requests planned, none sent"
            )

    def _write(self, line: str) -> None:
        if self._config is None:
            return
        writer = self._config.get_terminal_writer()
        if writer.width_of_current_line:
            # Quiet mode leaves the line of outcome letters open.
            writer.line()
        writer.line(line)


def _mark_not_executed(report: pytest.TestReport) -> None:
    """Report a dry-run scenario as skipped, whatever its made-up responses caused."""
    path, line, _ = report.location
    report.outcome = "skipped"
    report.longrepr = (path, (line or 0) + 1, f"Skipped: {DRY_RUN_REASON}")


def _rule_of(item: pytest.Item) -> str:
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:
        return NO_RULE
    function = getattr(item, "function", None)
    template = scenario_wrapper_template_registry.get(function)  # type: ignore[arg-type]
    rule = getattr(template, "rule", None)
    return str(rule.name) if rule is not None else NO_RULE


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else text
