"""A pytest plugin that prints the rule-by-identity-provider matrix of a run.

Each row is a feature, which states one rule area, and each column a dialect,
with the passed, failed and skipped scenarios of that feature under it.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from mock_idp.dialects import DIALECT_NAMES
from soulanma_scim.summary import OUTCOMES, feature_of, record_outcome

ONCE_MARKERS = ("once", "okta_spec_test", "microsoft_validator")


class DialectMatrix:
    """Collect each scenario's outcome by feature and dialect, then print them."""

    def __init__(self) -> None:
        self._cells: dict[str, tuple[str, str]] = {}
        self._once: set[str] = set()
        self._outcomes: dict[str, str] = {}

    @pytest.hookimpl
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            callspec = getattr(item, "callspec", None)
            dialect = None if callspec is None else callspec.params.get("dialect")
            if dialect is None:
                continue
            feature, _ = feature_of(item)
            self._cells[item.nodeid] = (feature, dialect)
            if any(item.get_closest_marker(name) for name in ONCE_MARKERS):
                self._once.add(feature)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record_outcome(self._outcomes, report)

    def table(self) -> list[str]:
        """Return the matrix as lines of text, or no lines when nothing ran."""
        counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(OUTCOMES, 0)
        )
        for nodeid, outcome in self._outcomes.items():
            if nodeid in self._cells:
                counts[self._cells[nodeid]][outcome] += 1
        if not counts:
            return []

        features = sorted({feature for feature, _ in counts})
        dialects = [
            name for name in DIALECT_NAMES if any(key[1] == name for key in counts)
        ]
        labels = {
            feature: feature + (" *" if feature in self._once else "")
            for feature in features
        }
        first = max(len(label) for label in labels.values()) + 2
        widths = {name: max(len(name), 8) + 2 for name in dialects}

        lines = [
            f"{'feature':<{first}}"
            + "".join(f"{name:>{widths[name]}}" for name in dialects)
        ]
        for feature in features:
            row = f"{labels[feature]:<{first}}"
            for name in dialects:
                cell = counts.get((feature, name))
                text = "-" if cell is None else "/".join(str(cell[o]) for o in OUTCOMES)
                row += f"{text:>{widths[name]}}"
            lines.append(row)
        lines.append("cells are passed/failed/skipped scenarios; - means none ran")
        if self._once:
            lines.append(
                "* runs once: raw protocol requests that no dialect changes, or a "
                "vendor's own checks under that vendor's dialect"
            )
        return lines

    @pytest.hookimpl
    def pytest_terminal_summary(
        self, terminalreporter: pytest.TerminalReporter
    ) -> None:
        lines = self.table()
        if not lines:
            return
        terminalreporter.section("rule areas by identity provider")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(DialectMatrix(), "soulanma-dialect-matrix")
