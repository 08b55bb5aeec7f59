"""A loopback HTTP server that misbehaves on cue: slow, dropped, 429, 500.

Each request takes the next action from the server's script, and requests
beyond the script get 200 with a small JSON body. Every request is counted,
so tests can tell how many attempts reached the server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    """The actions to play, one per request, and what the server received."""

    actions: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    ok_body: dict[str, object] = field(default_factory=lambda: {"ok": True})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self, method: str, path: str) -> str:
        with self.lock:
            self.requests.append((method, path))
            return self.actions.pop(0) if self.actions else "ok"


class Handler(BaseHTTPRequestHandler):
    """Play one action: `ok`, `drop`, `slow:SECONDS`, `status:CODE` or `429:SECONDS`."""

    server: ScriptedServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        action = self.server.script.next_action(self.command, self.path)
        kind, _, argument = action.partition(":")
        if kind == "drop":
            self.close_connection = True
            self.connection.close()
            return
        if kind == "slow":
            time.sleep(float(argument))
            self._reply(200, self.server.script.ok_body)
        elif kind == "status":
            self._reply(int(argument), {"detail": "scripted failure"})
        elif kind == "429":
            self._reply(429, {"detail": "slow down"}, {"Retry-After": argument})
        else:
            self._reply(200, self.server.script.ok_body)

    def _reply(
        self, status: int, body: object, headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = script

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def scripted_server(*actions: str) -> Iterator[tuple[ScriptedServer, Script]]:
    """Serve on a free loopback port until the block ends."""
    script = Script(list(actions))
    server = ScriptedServer(script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, script
    finally:
        server.shutdown()
        server.server_close()
