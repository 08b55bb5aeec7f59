"""Everything around the pytest session of `verify`: probe, ledger, cleanup, reports.

The steps build their clients without a transport, so the run installs one
factory in `mock_idp.session` that gives each client the TLS settings, the
retry policy, the shared rate limit and the ledger, or the dry-run transport.
"""

from __future__ import annotations

import os
import secrets
import ssl
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from mock_idp.dryrun import DryRunTransport
from mock_idp.identities import EMAIL_DOMAIN, EMAIL_DOMAIN_VARIABLE, RUN_ID_VARIABLE
from mock_idp.ledger import Ledger, LedgerTransport
from mock_idp.resilience import RateLimiter, ResilientTransport, RetryPolicy
from mock_idp.session import use_transport_factory
from soulanma_scim.live import LivePlugin, LiveRun
from soulanma_scim.probe import ProbeError, probe
from soulanma_scim.reports.html import ReportContext, render_html
from soulanma_scim.safety import CleanupReport, clean_up, sigterm_as_interrupt
from soulanma_scim.target import Target
from steps.target import READ_ONLY_VARIABLE

EXIT_INTERRUPTED = 130
JUNIT_NAME = "junit.xml"
CUCUMBER_NAME = "cucumber.json"
HTML_NAME = "report.html"


@dataclass
class RunOptions:
    """The options of `verify` that concern safety, the network and reports."""

    dry_run: bool = False
    read_only: bool = False
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    email_domain: str = EMAIL_DOMAIN
    ledger: Path | None = None
    ca_bundle: Path | None = None
    insecure: bool = False
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    max_rps: float | None = None
    junitxml: Path | None = None
    cucumberjson: Path | None = None
    html: Path | None = None

    def use_report_dir(self, directory: Path) -> None:
        """Write each report that no option names into `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        self.junitxml = self.junitxml or directory / JUNIT_NAME
        self.cucumberjson = self.cucumberjson or directory / CUCUMBER_NAME
        self.html = self.html or directory / HTML_NAME
        self.ledger = self.ledger or directory / f"ledger-{self.run_id}.jsonl"

    def report_files(self) -> list[Path]:
        return [p for p in (self.junitxml, self.cucumberjson, self.html) if p]


def tls_verification(options: RunOptions) -> ssl.SSLContext | bool:
    """Return httpx's `verify` value: a context with the CA bundle, or a bool."""
    if options.insecure:
        warnings.warn(
            "--insecure: TLS certificates are not verified, so anyone on the "
            "network path can read the tokens.",
            stacklevel=1,
        )
        return False
    if options.ca_bundle is not None:
        return ssl.create_default_context(cafile=str(options.ca_bundle))
    return True


def network_transport(
    options: RunOptions, limiter: RateLimiter | None
) -> httpx.BaseTransport:
    """Return a transport with TLS verification, timeouts, retries and rate limit."""
    inner = httpx.HTTPTransport(verify=tls_verification(options))
    return ResilientTransport(inner, options.policy, limiter=limiter)


class LiveSession:
    """Set up a run, hand pytest its arguments and plugin, then clean up and report."""

    def __init__(self, target: Target, options: RunOptions) -> None:
        self.target = target
        self.options = options
        self.run = LiveRun(secrets={t for t in (target.token, target.admin_token) if t})
        self.limiter = RateLimiter(options.max_rps) if options.max_rps else None
        self.ledger_path = options.ledger or Path(
            f"soulanma-scim-ledger-{options.run_id}.jsonl"
        )
        self.started = time.time()

    def pytest_arguments(self) -> list[str]:
        arguments: list[str] = []
        if self.options.read_only:
            arguments += ["-m", "read_only"]
        if self.options.junitxml:
            arguments += ["--junitxml", str(self.options.junitxml)]
        # NOTE: pytest-bdd writes only the scenarios that started, so those
        # skipped at collection (no admin API, say) are missing from this file.
        if self.options.cucumberjson:
            arguments += ["--cucumberjson", str(self.options.cucumberjson)]
        return arguments

    def prepare(self) -> LivePlugin:
        """Probe the target and install the transports; raises ProbeError."""
        os.environ[RUN_ID_VARIABLE] = self.options.run_id
        os.environ[READ_ONLY_VARIABLE] = "1" if self.options.read_only else ""
        os.environ[EMAIL_DOMAIN_VARIABLE] = self.options.email_domain
        tls_verification(self.options)  # warns about --insecure, also in a dry run
        if self.options.dry_run:
            self.run.dry_run = DryRunTransport()
            dry_run = self.run.dry_run
            use_transport_factory(lambda base_url: dry_run)
            return LivePlugin(self.run)

        self.run.capabilities = probe(
            self.target, network_transport(self.options, self.limiter)
        )
        ledger = Ledger(self.ledger_path)
        ledger.start(self.options.run_id, self.target.base_url, self.target.admin_url)
        use_transport_factory(self._ledgered_transport_factory(ledger))
        return LivePlugin(self.run)

    def _ledgered_transport_factory(
        self, ledger: Ledger
    ) -> Callable[[str], httpx.BaseTransport]:
        def factory(base_url: str) -> httpx.BaseTransport:
            return LedgerTransport(
                network_transport(self.options, self.limiter),
                ledger,
                base_url=self.target.base_url,
                shared_token=self.target.token,
                admin_url=self.target.admin_url,
                read_only=self.options.read_only,
            )

        return factory

    def finish(self) -> CleanupReport | None:
        """Remove what the run left, write the HTML report and scrub every report."""
        use_transport_factory(None)
        report = None
        if not self.options.dry_run and self.ledger_path.exists():
            report = self._clean_up()
        self._write_html()
        self._scrub_reports()
        return report

    def _clean_up(self) -> CleanupReport | None:
        try:
            report = clean_up(
                self.ledger_path,
                self.target,
                network_transport(self.options, self.limiter),
            )
        except (KeyboardInterrupt, httpx.HTTPError) as error:
            print(
                f"soulanma-scim: cleanup did not finish ({type(error).__name__}); "
                f"run: soulanma-scim cleanup --ledger {self.ledger_path}",
                file=sys.stderr,
            )
            return None
        for line in report.lines():
            print(line)
        if report.complete and self.options.ledger is None:
            self.ledger_path.unlink()
        elif not report.complete:
            print(f"soulanma-scim: the ledger stays at {self.ledger_path}")
        return report

    def _write_html(self) -> None:
        if self.options.html is None:
            return
        context = ReportContext(
            base_url=self.target.base_url,
            admin_url=self.target.admin_url,
            mode=self._mode(),
            capabilities=self.run.capabilities,
            started=self.started,
            seconds=time.time() - self.started,
        )
        self.options.html.parent.mkdir(parents=True, exist_ok=True)
        html = render_html(context, self.run.results)
        self.options.html.write_text(self.run.scrub(html), encoding="utf-8")

    def _mode(self) -> str:
        if self.options.dry_run:
            return "dry run: no request sent"
        return "read-only scenarios" if self.options.read_only else "all scenarios"

    def _scrub_reports(self) -> None:
        """Replace any token in the report files, whatever wrote them."""
        for path in self.options.report_files():
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            scrubbed = self.run.scrub(text)
            if scrubbed != text:
                path.write_text(scrubbed, encoding="utf-8")


def run_live(
    target: Target,
    options: RunOptions,
    run_pytest: Callable[[list[str], list[object]], int],
) -> int:
    """Run pytest through `run_pytest(arguments, plugins)` inside a live session.

    Returns pytest's exit code, EXIT_INTERRUPTED after Ctrl-C or SIGTERM, and 1
    when the probe finds the target unusable. Cleanup and the reports run in
    every case.
    """
    session = LiveSession(target, options)
    try:
        plugin = session.prepare()
    except ProbeError as error:
        use_transport_factory(None)
        print(f"soulanma-scim: {session.run.scrub(str(error))}", file=sys.stderr)
        return 1
    code = EXIT_INTERRUPTED
    try:
        with sigterm_as_interrupt():
            code = run_pytest(session.pytest_arguments(), [plugin])
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    finally:
        with sigterm_as_interrupt():
            session.finish()
    return code
