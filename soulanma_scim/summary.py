"""A pytest plugin that prints a summary per feature: counts and time."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

OUTCOMES = ("passed", "failed", "skipped")


@dataclass
class FeatureTally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    seconds: float = 0.0
    failed_scenarios: list[str] = field(default_factory=list)


def record_outcome(outcomes: dict[str, str], report: pytest.TestReport) -> None:
    """Fold one setup, call or teardown report into its scenario's outcome.

    A failure in any phase wins, then a skip; a scenario passed when its call
    passed.
    """
    if report.failed:
        outcomes[report.nodeid] = "failed"
    elif report.skipped and outcomes.get(report.nodeid) != "failed":
        outcomes[report.nodeid] = "skipped"
    elif report.when == "call" and report.passed:
        outcomes.setdefault(report.nodeid, "passed")


def feature_of(item: pytest.Item) -> tuple[str, str]:
    """Return (feature name, scenario name) of a pytest-bdd test item.

    pytest-bdd sets each scenario test's docstring to "FILE: SCENARIO", where
    FILE is the feature file's path; the feature's own name is read from it.
    """
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    source, separator, scenario = doc.rpartition(".feature: ")
    if not separator:
        return "(not a scenario)", item.name
    return _feature_name(source + ".feature"), scenario


@functools.cache
def _feature_name(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as feature_file:
            for line in feature_file:
                keyword, colon, name = line.strip().partition(":")
                if colon and keyword == "Feature":
                    return name.strip()
    except OSError:
        pass
    return Path(path).stem


class FeatureSummary:
    """Collects each scenario's outcome and prints a table at the end."""

    def __init__(self) -> None:
        self.tallies: dict[str, FeatureTally] = defaultdict(FeatureTally)
        self._names: dict[str, tuple[str, str]] = {}
        self._outcomes: dict[str, str] = {}
        self._durations: dict[str, float] = defaultdict(float)
        self._started = time.perf_counter()

    @pytest.hookimpl
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self._names[item.nodeid] = feature_of(item)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._durations[report.nodeid] += report.duration
        record_outcome(self._outcomes, report)

    @pytest.hookimpl
    def pytest_terminal_summary(
        self, terminalreporter: pytest.TerminalReporter
    ) -> None:
        for nodeid, outcome in self._outcomes.items():
            feature, scenario = self._names.get(nodeid, ("(unknown)", nodeid))
            tally = self.tallies[feature]
            tally.counts[outcome] += 1
            tally.seconds += self._durations[nodeid]
            if outcome == "failed":
                tally.failed_scenarios.append(scenario)
        if not self.tallies:
            return
        write = terminalreporter.write_line
        terminalreporter.section("summary per feature")
        width = max(len(name) for name in self.tallies) + 2
        write(
            f"{'feature':<{width}}{'passed':>8}{'failed':>8}{'skipped':>9}{'time':>9}"
        )
        totals = FeatureTally()
        for name in sorted(self.tallies):
            tally = self.tallies[name]
            write(_row(name, tally, width))
            for outcome in OUTCOMES:
                totals.counts[outcome] += tally.counts[outcome]
            totals.seconds += tally.seconds
        write(_row("total", totals, width))
        write(f"wall time {time.perf_counter() - self._started:.1f}s")
        for name in sorted(self.tallies):
            for scenario in self.tallies[name].failed_scenarios:
                write(f"FAILED {name}: {scenario}", red=True)


def _row(name: str, tally: FeatureTally, width: int) -> str:
    counts = tally.counts
    return (
        f"{name:<{width}}{counts['passed']:>8}{counts['failed']:>8}"
        f"{counts['skipped']:>9}{tally.seconds:>8.1f}s"
    )
