"""The `soulanma-scim` command: `serve` the reference server, `verify` a target."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from mock_idp.dialects import DIALECT_NAMES
from soulanma_scim.embedded import EmbeddedServerError, embedded_server
from soulanma_scim.live_options import (
    add_cleanup_command,
    add_live_options,
    cleanup,
    read_token_files,
    run_options,
)
from soulanma_scim.target import ADMIN_TOKEN_ENV, TOKEN_ENV, Target

IDP_ENV = "SOULANMA_SCIM_IDP"
EXIT_USAGE = 2

logger = logging.getLogger("soulanma_scim")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soulanma-scim",
        description="Conformance scenarios for Soulanma's SCIM 2.0 provisioning.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="start the reference SCIM server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8000, help="TCP port to listen on")
    serve.add_argument(
        "--database",
        default="soulanma-scim.sqlite3",
        help="SQLite file, created with its schema when missing",
    )
    serve.add_argument(
        "--scim-token",
        default=os.environ.get(TOKEN_ENV),
        help=f"SCIM bearer token of the default workspace (env {TOKEN_ENV}); "
        "a random one is printed once when absent",
    )
    serve.add_argument(
        "--admin-token",
        default=os.environ.get(ADMIN_TOKEN_ENV),
        help=f"bearer token of the workspace admin API (env {ADMIN_TOKEN_ENV}); "
        "a random one is printed once when absent",
    )
    # A deliberately broken server, for showing that the features catch it.
    serve.add_argument("--mutant", help=argparse.SUPPRESS)

    verify = commands.add_parser(
        "verify",
        help="run the features against the embedded reference server or a target",
    )
    verify.add_argument(
        "--base-url",
        help="SCIM base URL of the target, such as https://host/scim-v2; without "
        "it, an embedded reference server is started on loopback",
    )
    verify.add_argument(
        "--token",
        default=os.environ.get(TOKEN_ENV),
        help=f"SCIM bearer token of the target (env {TOKEN_ENV})",
    )
    verify.add_argument("--admin-url", help="base URL of the workspace admin API")
    verify.add_argument(
        "--admin-token",
        default=os.environ.get(ADMIN_TOKEN_ENV),
        help=f"bearer token of the workspace admin API (env {ADMIN_TOKEN_ENV})",
    )
    verify.add_argument(
        "-k", dest="keyword", help="run only scenarios matching EXPRESSION (pytest -k)"
    )
    verify.add_argument(
        "--junitxml", metavar="FILE", help="write a JUnit XML report to FILE"
    )
    verify.add_argument(
        "--idp",
        metavar="NAME[,NAME...]",
        help="identity-provider dialects to run each scenario under, from "
        f"{', '.join(DIALECT_NAMES)} (default: all)",
    )
    add_live_options(verify)
    add_cleanup_command(commands)
    for name, command_parser in commands.choices.items():
        command_parser.set_defaults(command_parser=command_parser, command=name)
    return parser


def _check_url(parser: argparse.ArgumentParser, option: str, url: str) -> str:
    if not url.startswith(("http://", "https://")):
        parser.error(f"{option} must be an http:// or https:// URL, got {url!r}")
    return url.rstrip("/")


def _target_from(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> Target | None:
    if args.base_url is None:
        if args.admin_url:
            parser.error("--admin-url needs --base-url")
        return None
    if not args.token:
        parser.error(
            f"--base-url needs --token (or the environment variable {TOKEN_ENV})"
        )
    admin_url = None
    if args.admin_url:
        if not args.admin_token:
            parser.error(
                "--admin-url needs --admin-token (or the environment variable "
                f"{ADMIN_TOKEN_ENV})"
            )
        admin_url = _check_url(parser, "--admin-url", args.admin_url)
    return Target(
        base_url=_check_url(parser, "--base-url", args.base_url),
        token=args.token,
        admin_url=admin_url,
        admin_token=args.admin_token if admin_url else None,
    )


def select_mutant(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Hand `serve --mutant NAME` to the reference server through its environment."""
    from reference_server.mutants import ALLOW_ENV, MUTANT_ENV, MUTANTS

    source = "--mutant"
    if args.mutant is None and os.environ.get(MUTANT_ENV):
        args.mutant = os.environ[MUTANT_ENV]
        source = MUTANT_ENV
    if args.mutant is None:
        return

    if os.environ.get(ALLOW_ENV) != "1":
        parser.error(f"{source} needs the environment variable {ALLOW_ENV}=1")
    if args.mutant not in MUTANTS:
        parser.error(
            f"unknown mutant {args.mutant!r}; known mutants: {', '.join(MUTANTS)}"
        )
    os.environ[MUTANT_ENV] = args.mutant


def select_dialects(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Check `--idp` and hand it to the feature plugin through its environment."""
    os.environ.pop(IDP_ENV, None)
    if args.idp is None:
        return
    names = [name.strip() for name in args.idp.split(",") if name.strip()]
    unknown = [name for name in names if name not in DIALECT_NAMES]
    if unknown or not names:
        parser.error(
            f"unknown identity provider {', '.join(unknown) or '(none)'} in --idp; "
            f"choose from {', '.join(DIALECT_NAMES)}"
        )
    os.environ[IDP_ENV] = ",".join(names)


def serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import uvicorn

    from reference_server.app import build_server_app

    database = Path(args.database).expanduser()
    if not database.parent.is_dir():
        parser.error(f"--database: the folder {str(database.parent)!r} does not exist")
    listen_error = _check_listen(args.host, args.port)
    if listen_error:
        address = f"{args.host}:{args.port}"
        print(f"soulanma-scim: cannot listen on {address}: {listen_error}")
        return 1
    app, setup = build_server_app(str(database), args.scim_token, args.admin_token)
    if setup.scim_token_generated:
        print(f"SCIM token of the default workspace: {setup.scim_token}", flush=True)
    if setup.admin_token_generated:
        print(f"Admin API token: {setup.admin_token}", flush=True)
    base = f"http://{args.host}:{args.port}"
    print(
        f"SCIM base URL: {base}/scim-v2\n"
        f"Admin API: {base}/admin/api "
        f"(default workspace id: {setup.default_workspace_id})\n"
        f"Database: {database}",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info")
    return 0


def _check_listen(host: str, port: int) -> str | None:
    """Return why `host:port` cannot be listened on, or None when it can."""
    try:
        with socket.create_server((host, port)):
            return None
    except OSError as error:
        return error.strerror or str(error)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0-65535")
    return port


def verify(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from soulanma_scim.runner import run_features

    select_dialects(parser, args)
    read_token_files(parser, args)
    options = run_options(parser, args)
    target = _target_from(parser, args)
    if target is not None:
        return run_features(target, args.keyword, args.junitxml, options)
    try:
        with embedded_server() as embedded:
            return run_features(embedded, args.keyword, args.junitxml, options)
    except EmbeddedServerError as error:
        print(f"soulanma-scim: {error}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs each request at INFO; the run's own output is enough.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    # Errors found after parsing print the usage of the command that was run.
    parser = args.command_parser
    if args.command == "serve":
        select_mutant(parser, args)
        return serve(parser, args)
    if args.command == "cleanup":
        return cleanup(parser, args)
    return verify(parser, args)


if __name__ == "__main__":
    sys.exit(main())
