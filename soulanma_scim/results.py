"""The outcome of each scenario of a run, and the coverage of the rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mock_idp.transcript import Exchange

NOT_EXECUTED = "not executed"


@dataclass
class Failure:
    """Failure of one scenario: its step, error and redacted HTTP exchanges.

    `expected` is the text of the step that failed, which states what the rule
    expects, and `actual` is the error that step raised.
    """

    step: str
    expected: str
    actual: str
    exchanges: list[Exchange] = field(default_factory=list)


@dataclass
class ScenarioResult:
    """One scenario (one row of an outline) and its outcome."""

    nodeid: str
    feature: str
    rule: str
    scenario: str
    outcome: str = NOT_EXECUTED
    seconds: float = 0.0
    reason: str = ""
    failure: Failure | None = None
    dialect: str = ""


@dataclass
class RuleCoverage:
    """Whether a rule was checked: some scenario of it passed or failed."""

    feature: str
    rule: str
    checked: int = 0
    skipped: int = 0
    reasons: set[str] = field(default_factory=set)

    @property
    def was_checked(self) -> bool:
        return self.checked > 0


def rule_coverage(results: list[ScenarioResult]) -> list[RuleCoverage]:
    """Group the results by rule, in the order the rules were collected."""
    rules: dict[tuple[str, str], RuleCoverage] = {}
    for result in results:
        key = (result.feature, result.rule)
        coverage = rules.setdefault(key, RuleCoverage(result.feature, result.rule))
        if result.outcome in ("passed", "failed"):
            coverage.checked += 1
        else:
            coverage.skipped += 1
            coverage.reasons.add(result.reason or result.outcome)
    return list(rules.values())


def skipped_by_reason(coverage: list[RuleCoverage]) -> dict[str, list[RuleCoverage]]:
    """Group the unchecked rules by why their scenarios were skipped."""
    grouped: dict[str, list[RuleCoverage]] = defaultdict(list)
    for rule in coverage:
        if not rule.was_checked:
            grouped["; ".join(sorted(rule.reasons))].append(rule)
    return dict(grouped)


def count_outcomes(results: list[ScenarioResult]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for result in results:
        counts[result.outcome] += 1
    return dict(counts)
