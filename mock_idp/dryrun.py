"""A transport that records the requests a run would send and sends none."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from mock_idp.transcript import REDACTED

LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
DRY_RUN_SCIM_TOKEN = "dry-run-scim-token"  # noqa: S105 - a placeholder, no secret


@dataclass(frozen=True)
class PlannedRequest:
    """One request of the plan, with its Authorization value redacted."""

    method: str
    url: str
    body: str

    def render(self) -> str:
        line = f"{self.method} {self.url}"
        return f"{line}\n    {self.body}" if self.body else line


class DryRunTransport(httpx.BaseTransport):
    """Answer every request locally with a plausible success and keep the plan.

    The answers are made up: a create returns its body with a new id, a list
    returns no resources, a delete returns 204. They let a scenario go on
    until its first check, so the plan shows each scenario's requests up to
    the point where it would need the server's real answer.
    """

    def __init__(self) -> None:
        self.plan: list[PlannedRequest] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body_text = request.content.decode("utf-8", errors="replace")
        with self._lock:
            self.plan.append(
                PlannedRequest(request.method, str(request.url), body_text)
            )
        status, body = _answer(request.method, request.url.path, body_text)
        if body is None:
            return httpx.Response(status, request=request)
        return httpx.Response(
            status,
            json=body,
            headers={"Content-Type": "application/scim+json"},
            request=request,
        )

    def take_plan(self) -> list[PlannedRequest]:
        """Return the requests planned since the last call and forget them."""
        with self._lock:
            taken, self.plan = self.plan, []
        return taken


def _answer(method: str, path: str, body_text: str) -> tuple[int, Any]:
    sent = _decode(body_text)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if method == "DELETE":
        return 204, None
    if method == "POST":
        created = {**sent, "id": str(uuid.uuid4())}
        if last == "workspaces":
            created["scim_token"] = DRY_RUN_SCIM_TOKEN
        return 201, created
    if method in ("PUT", "PATCH"):
        return 200, {**sent, "id": last}
    if last in ("Users", "Groups", "members", "accounts"):
        return 200, {"schemas": [LIST_RESPONSE_URN], "totalResults": 0, "Resources": []}
    return 200, {"id": last}


def _decode(body_text: str) -> dict[str, Any]:
    try:
        body = json.loads(body_text or "null")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def redact_plan_line(line: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        line = line.replace(secret, REDACTED)
    return line
