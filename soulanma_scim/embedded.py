"""The reference server in a child process, on a free loopback port."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from soulanma_scim.target import ADMIN_TOKEN_ENV, TOKEN_ENV, Target

START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


class EmbeddedServerError(Exception):
    """The embedded reference server did not start."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(
    process: subprocess.Popen[bytes], target: Target, log: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    url = f"{target.base_url}/ServiceProviderConfig"
    headers = {"Authorization": f"Bearer {target.token}"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmbeddedServerError(
                f"the reference server exited with code {process.returncode}:\n"
                + _tail(log)
            )
        try:
            if httpx.get(url, headers=headers, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise EmbeddedServerError(
        f"the reference server did not respond within {START_TIMEOUT_SECONDS:.0f}s:\n"
        + _tail(log)
    )


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


@contextmanager
def embedded_server(extra_env: dict[str, str] | None = None) -> Iterator[Target]:
    """Run `soulanma-scim serve` on a temporary database and yield its target.

    The tokens travel to the child in its environment, never on its command
    line, where other local users could read them.
    """
    scim_token = secrets.token_urlsafe(24)
    admin_token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="soulanma-scim-") as directory:
        port = free_port()
        log = Path(directory) / "server.log"
        env = {**os.environ, **(extra_env or {})}
        env[TOKEN_ENV] = scim_token
        env[ADMIN_TOKEN_ENV] = admin_token
        command = [
            sys.executable,
            "-m",
            "soulanma_scim",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database",
            str(Path(directory) / "reference.sqlite3"),
        ]
        with open(log, "wb") as log_file:
            process = subprocess.Popen(  # noqa: S603 - a fixed argument list
                command, env=env, stdout=log_file, stderr=subprocess.STDOUT
            )
        base = f"http://127.0.0.1:{port}"
        target = Target(f"{base}/scim-v2", scim_token, f"{base}/admin/api", admin_token)
        try:
            _wait_until_ready(process, target, log)
            yield target
        finally:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
