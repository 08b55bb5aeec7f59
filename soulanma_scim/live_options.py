"""The command-line options for live targets, and the `cleanup` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soulanma_scim.target import ADMIN_TOKEN_ENV, TOKEN_ENV, Target

if TYPE_CHECKING:
    from soulanma_scim.live_run import RunOptions


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {value}")
    return number


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return number


def add_connection_options(command: argparse.ArgumentParser) -> None:
    """Add the token-file and TLS options that `verify` and `cleanup` share."""
    command.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="read the SCIM token from FILE; it takes precedence over --token",
    )
    command.add_argument(
        "--admin-token-file",
        type=Path,
        metavar="FILE",
        help="read the admin API token from FILE; it takes precedence over "
        "--admin-token",
    )
    command.add_argument(
        "--ca-bundle",
        type=Path,
        metavar="FILE",
        help="verify TLS certificates against the CA certificates in FILE (PEM)",
    )
    command.add_argument(
        "--insecure",
        action="store_true",
        help="do not verify TLS certificates (prints a warning)",
    )


def add_live_options(verify: argparse.ArgumentParser) -> None:
    add_connection_options(verify)
    verify.add_argument(
        "--dry-run",
        action="store_true",
        help="print every request the run would send, in order, and send none",
    )
    verify.add_argument(
        "--read-only",
        action="store_true",
        help="run only the scenarios tagged @read_only, which send GET requests "
        "only; any other request is refused before it is sent",
    )
    verify.add_argument(
        "--email-domain",
        default=None,
        help="domain of the emails of created users (default: "
        "scim-conformance.example.com, reserved by RFC 2606)",
    )
    verify.add_argument(
        "--ledger",
        type=Path,
        metavar="FILE",
        help="record each created user in FILE before creating it (default: "
        "ledger-RUNID.jsonl in --report-dir, kept; else "
        "soulanma-scim-ledger-RUNID.jsonl in the current directory, removed "
        "after a complete cleanup)",
    )
    verify.add_argument(
        "--timeout",
        type=_positive,
        default=10.0,
        metavar="SECONDS",
        help="timeout of each request attempt in seconds (default: 10)",
    )
    verify.add_argument(
        "--retries",
        type=_count,
        default=3,
        metavar="N",
        help="retries after a connection error, a 5xx or a 429 (default: 3)",
    )
    verify.add_argument(
        "--max-retry-after",
        type=_positive,
        default=30.0,
        metavar="SECONDS",
        help="longest Retry-After to wait for on a 429 (default: 30)",
    )
    verify.add_argument(
        "--max-rps",
        type=_positive,
        metavar="N",
        help="send at most N requests per second (default: no limit)",
    )
    verify.add_argument(
        "--cucumberjson", type=Path, metavar="FILE", help="write Cucumber JSON to FILE"
    )
    verify.add_argument(
        "--html", type=Path, metavar="FILE", help="write the HTML report to FILE"
    )
    verify.add_argument(
        "--report-dir",
        type=Path,
        metavar="DIR",
        help="write junit.xml, cucumber.json and report.html into DIR",
    )


def add_cleanup_command(commands: Any) -> None:
    cleanup = commands.add_parser(
        "cleanup",
        help="remove the users and workspaces that an interrupted run left",
    )
    cleanup.add_argument(
        "--ledger", type=Path, required=True, metavar="FILE", help="the run's ledger"
    )
    cleanup.add_argument(
        "--base-url", help="SCIM base URL (default: the one the ledger names)"
    )
    cleanup.add_argument(
        "--token",
        default=os.environ.get(TOKEN_ENV),
        help=f"SCIM bearer token of the target (env {TOKEN_ENV})",
    )
    cleanup.add_argument(
        "--admin-url", help="admin API URL (default: the one the ledger names)"
    )
    cleanup.add_argument(
        "--admin-token",
        default=os.environ.get(ADMIN_TOKEN_ENV),
        help=f"bearer token of the workspace admin API (env {ADMIN_TOKEN_ENV})",
    )
    add_connection_options(cleanup)


def read_token_files(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Replace the tokens with the contents of --token-file and --admin-token-file."""
    for option, attribute in (
        ("token_file", "token"),
        ("admin_token_file", "admin_token"),
    ):
        path = getattr(args, option)
        if path is None:
            continue
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            parser.error(
                f"cannot read --{option.replace('_', '-')} {path}: {error.strerror}"
            )
        if not value:
            parser.error(f"--{option.replace('_', '-')} {path} is empty")
        setattr(args, attribute, value)


def check_ca_bundle(parser: argparse.ArgumentParser, ca_bundle: str | None) -> None:
    """Reject a --ca-bundle that is not a readable file of PEM certificates."""
    if ca_bundle is None:
        return
    import ssl

    try:
        ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as error:
        parser.error(f"--ca-bundle {str(ca_bundle)!r} cannot be used: {error}")


def run_options(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> RunOptions:
    from mock_idp.resilience import RetryPolicy
    from soulanma_scim.live_run import RunOptions

    if args.insecure and args.ca_bundle:
        parser.error("--insecure and --ca-bundle cannot be combined")
    check_ca_bundle(parser, args.ca_bundle)
    options = RunOptions(
        dry_run=args.dry_run,
        read_only=args.read_only,
        ledger=args.ledger,
        ca_bundle=args.ca_bundle,
        insecure=args.insecure,
        policy=RetryPolicy(
            timeout=args.timeout,
            retries=args.retries,
            max_retry_after=args.max_retry_after,
        ),
        max_rps=args.max_rps,
        junitxml=Path(args.junitxml) if args.junitxml else None,
        cucumberjson=args.cucumberjson,
        html=args.html,
    )
    if args.email_domain:
        options.email_domain = args.email_domain
    if args.report_dir:
        options.use_report_dir(args.report_dir)
    return options


def cleanup(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Finish the cleanup of a ledger; exit 0 when nothing the run made remains."""
    from mock_idp.ledger import read_ledger
    from soulanma_scim.live_run import RunOptions, network_transport
    from soulanma_scim.safety import clean_up

    read_token_files(parser, args)
    try:
        state = read_ledger(args.ledger)
    except OSError as error:
        parser.error(f"cannot read --ledger {args.ledger}: {error.strerror}")
    base_url = args.base_url or state.base_url
    admin_url = args.admin_url or state.admin_url
    if not base_url:
        parser.error("the ledger names no SCIM base URL, so give --base-url")
    if not args.token:
        parser.error(f"cleanup needs --token, --token-file or {TOKEN_ENV}")
    target = Target(
        base_url.rstrip("/"),
        args.token,
        admin_url if args.admin_token else None,
        args.admin_token if admin_url else None,
    )
    check_ca_bundle(parser, args.ca_bundle)
    options = RunOptions(ca_bundle=args.ca_bundle, insecure=args.insecure)
    report = clean_up(args.ledger, target, network_transport(options, None))
    for line in report.lines():
        print(line)
    if not report.complete:
        print(
            f"soulanma-scim: the ledger {args.ledger} lists what remains",
            file=sys.stderr,
        )
        return 1
    return 0
