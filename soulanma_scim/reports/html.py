"""A self-contained HTML report: one file, inline CSS, no script, no remote asset."""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from html import escape
from importlib import metadata

from mock_idp.transcript import Exchange
from soulanma_scim.probe import Capabilities
from soulanma_scim.reports.curl import curl_command
from soulanma_scim.results import (
    ScenarioResult,
    count_outcomes,
    rule_coverage,
    skipped_by_reason,
)

DISTRIBUTIONS = ("soulanma-scim-conformance", "pytest", "pytest-bdd", "httpx")
OUTCOME_COLUMNS = ("passed", "failed", "skipped", "not executed")

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #1d1d1f; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }
td.number { text-align: right; }
.failed { color: #b00020; }
.passed { color: #0a7d32; }
pre { background: #f5f5f7; padding: 0.8em; overflow-x: auto; white-space: pre-wrap; }
section.failure { border-left: 4px solid #b00020; padding-left: 1em; margin: 2em 0; }
"""


@dataclass
class ReportContext:
    """Everything the HTML report shows besides the scenario results."""

    base_url: str
    admin_url: str | None
    mode: str
    capabilities: Capabilities | None = None
    started: float = field(default_factory=time.time)
    seconds: float = 0.0


def render_html(context: ReportContext, results: list[ScenarioResult]) -> str:
    """Render the whole report as one HTML document."""
    counts = count_outcomes(results)
    verdict = "failed" if counts.get("failed") else "passed"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>SCIM conformance report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>SCIM conformance report</h1>",
        f'<p id="verdict" class="{verdict}">Run {verdict}: '
        + ", ".join(f"{counts.get(name, 0)} {name}" for name in OUTCOME_COLUMNS)
        + "</p>",
        _target_section(context),
        _versions_section(),
        _capabilities_section(context.capabilities),
        _feature_table(results),
        _dialect_matrix(results),
        _coverage_section(results),
        _failures_section(results, context.admin_url),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part)


def _target_section(context: ReportContext) -> str:
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(context.started))
    rows = [
        ("SCIM base URL", context.base_url),
        ("admin API", context.admin_url or "not given"),
        ("mode", context.mode),
        ("started", started),
        ("duration", f"{context.seconds:.1f}s"),
    ]
    return "<h2>Target</h2>" + _key_value_table(rows, "target")


def _versions_section() -> str:
    rows = [("Python", platform.python_version()), ("platform", platform.platform())]
    for name in DISTRIBUTIONS:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return "<h2>Versions</h2>" + _key_value_table(rows, "versions")


def _capabilities_section(capabilities: Capabilities | None) -> str:
    if capabilities is None:
        return "<h2>Capabilities</h2><p>Not probed (dry run).</p>"
    rows = [
        (name, ("yes: " if available else "no: ") + capabilities.reasons.get(name, ""))
        for name, available in sorted(capabilities.available.items())
    ]
    return "<h2>Capabilities</h2>" + _key_value_table(rows, "capabilities")


def _dialect_matrix(results: list[ScenarioResult]) -> str:
    """Render features by identity-provider dialect, as passed/failed/skipped."""
    dialects = sorted({result.dialect for result in results if result.dialect})
    if not dialects:
        return ""
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for result in results:
        if result.dialect:
            cell = cells.setdefault(
                (result.feature, result.dialect), dict.fromkeys(OUTCOME_COLUMNS, 0)
            )
            cell[result.outcome] = cell.get(result.outcome, 0) + 1
    header = "".join(f"<th>{escape(dialect)}</th>" for dialect in dialects)
    rows = []
    for feature in sorted({feature for feature, _ in cells}):
        row = []
        for dialect in dialects:
            cell = cells.get((feature, dialect))
            text = (
                "-"
                if cell is None
                else "/".join(
                    str(cell.get(name, 0)) for name in ("passed", "failed", "skipped")
                )
            )
            failed = cell is not None and cell.get("failed", 0) > 0
            style = ' class="number failed"' if failed else ' class="number"'
            row.append(f"<td{style}>{text}</td>")
        rows.append(f"<tr><td>{escape(feature)}</td>{''.join(row)}</tr>")
    return (
        "<h2>Rules by identity provider</h2>"
        "<p>Each cell: passed/failed/skipped scenarios; - means none ran.</p>"
        f'<table id="matrix"><tr><th>feature</th>{header}</tr>{"".join(rows)}</table>'
    )


def _feature_table(results: list[ScenarioResult]) -> str:
    features: dict[str, dict[str, int]] = {}
    for result in results:
        row = features.setdefault(result.feature, dict.fromkeys(OUTCOME_COLUMNS, 0))
        row[result.outcome] = row.get(result.outcome, 0) + 1
    header = "".join(f"<th>{escape(name)}</th>" for name in OUTCOME_COLUMNS)
    rows = []
    for feature, row in sorted(features.items()):
        cells = "".join(
            f'<td class="number">{row.get(name, 0)}</td>' for name in OUTCOME_COLUMNS
        )
        rows.append(f"<tr><td>{escape(feature)}</td>{cells}</tr>")
    return (
        '<h2>Results per feature</h2><table id="features">'
        f"<tr><th>feature</th>{header}</tr>{''.join(rows)}</table>"
    )


def _coverage_section(results: list[ScenarioResult]) -> str:
    coverage = rule_coverage(results)
    checked = sum(1 for rule in coverage if rule.was_checked)
    parts = [
        "<h2>Coverage</h2>",
        f'<p id="coverage">Rules checked: {checked} of {len(coverage)}</p>',
    ]
    for reason, rules in sorted(skipped_by_reason(coverage).items()):
        items = "".join(
            f"<li>{escape(rule.feature)}: {escape(rule.rule)}</li>" for rule in rules
        )
        parts.append(f"<h3>Skipped: {escape(reason)}</h3><ul>{items}</ul>")
    return "".join(parts)


def _failures_section(results: list[ScenarioResult], admin_url: str | None) -> str:
    failed = [result for result in results if result.failure is not None]
    if not failed:
        return '<h2>Failures</h2><p id="failures">No scenario failed.</p>'
    parts = [f'<h2>Failures</h2><p id="failures">{len(failed)} scenarios failed.</p>']
    for result in failed:
        parts.append(_failure(result, admin_url))
    return "".join(parts)


def _failure(result: ScenarioResult, admin_url: str | None) -> str:
    failure = result.failure
    assert failure is not None
    exchanges = "".join(
        _exchange(number, exchange, admin_url)
        for number, exchange in enumerate(failure.exchanges, start=1)
    )
    return (
        '<section class="failure">'
        f"<h3>{escape(result.feature)}: {escape(result.scenario)}</h3>"
        f"<p>Rule: {escape(result.rule)}</p>"
        f"<p>Step: <code>{escape(failure.step)}</code></p>"
        f"<p>Expected: {escape(failure.expected)}</p>"
        f"<p>Actual:</p><pre>{escape(failure.actual)}</pre>"
        f"<h4>HTTP exchanges ({len(failure.exchanges)}, tokens redacted)</h4>"
        f"{exchanges or '<p>No HTTP exchange was recorded.</p>'}"
        "</section>"
    )


def _exchange(number: int, exchange: Exchange, admin_url: str | None) -> str:
    recorded = _full_exchange(exchange)
    return (
        f"<h5>Exchange {number}</h5><pre>{escape(recorded)}</pre>"
        "<p>Reproduce with:</p>"
        f'<pre class="curl">{escape(curl_command(exchange, admin_url))}</pre>'
    )


def _full_exchange(exchange: Exchange) -> str:
    """Render an exchange with its whole bodies, which the transcript shortens."""
    lines = [f"> {exchange.method} {exchange.url}"]
    lines += [f"> {name}: {value}" for name, value in exchange.request_headers.items()]
    if exchange.request_body:
        lines.append(exchange.request_body)
    lines.append(f"< {exchange.status} ({exchange.duration * 1000:.0f} ms)")
    lines += [f"< {name}: {value}" for name, value in exchange.response_headers.items()]
    if exchange.response_body:
        lines.append(exchange.response_body)
    return "\n".join(lines)


def _key_value_table(rows: list[tuple[str, str]], table_id: str) -> str:
    body = "".join(
        f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>"
        for key, value in rows
    )
    return f'<table id="{table_id}">{body}</table>'
