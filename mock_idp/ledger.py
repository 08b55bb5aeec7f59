"""The on-disk record of what a run created, and a transport that keeps it.

A run against a live deployment writes each user create and each workspace
create to the ledger before the request leaves the machine. `cleanup` reads the
ledger back to remove whatever an interrupted run left behind.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

USER_PATH = re.compile(r"^/Users/(?P<id>[^/?]+)$")
WORKSPACE_PATH = re.compile(r"^/workspaces/(?P<id>[^/?]+)(?:/.*)?$")
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UnsafeRequestError(RuntimeError):
    """A request that would change something this run did not create."""


@dataclass
class LedgerState:
    """Contents of a ledger file: the run and the items still to remove."""

    run_id: str = ""
    base_url: str = ""
    admin_url: str | None = None
    pending_user_names: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)
    workspaces: list[str] = field(default_factory=list)


class Ledger:
    """An append-only JSON Lines file, flushed to disk after every entry.

    Each line is one event. The file never contains a token, because the
    cleanup command reads its tokens from the same options as `verify`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.created_user_ids: set[str] = set()
        self.created_workspace_ids: set[str] = set()

    def start(self, run_id: str, base_url: str, admin_url: str | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write(
            "run", run_id=run_id, base_url=base_url, admin_url=admin_url,
            started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )  # fmt: skip

    def write(self, event: str, **values: Any) -> None:
        """Append one event and flush it to disk before returning."""
        line = json.dumps({"event": event, **values}, ensure_ascii=False)
        with self._lock, open(self.path, "a", encoding="utf-8") as file:
            file.write(line + "\n")
            file.flush()
            os.fsync(file.fileno())
        if event == "user-created":
            self.created_user_ids.add(values["id"])
        elif event == "workspace-created":
            self.created_workspace_ids.add(values["id"])


def read_ledger(path: Path) -> LedgerState:
    """Replay a ledger file into what is still to remove.

    A user whose create was requested but whose id never came back stays in
    `pending_user_names`, so that cleanup can look it up by userName.
    """
    state = LedgerState()
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                # A run killed while writing leaves at most a partial last line.
                continue
            _apply(state, entry, number)
    return state


def _apply(state: LedgerState, entry: dict[str, Any], number: int) -> None:
    event = entry.get("event")
    if event == "run":
        state.run_id = str(entry.get("run_id", ""))
        state.base_url = str(entry.get("base_url", ""))
        state.admin_url = entry.get("admin_url")
    elif event == "user-create":
        state.pending_user_names.append(entry["userName"])
    elif event == "user-created":
        _drop(state.pending_user_names, entry["userName"])
        state.users[entry["id"]] = entry["userName"]
    elif event in ("user-deleted", "user-absent"):
        user_name = state.users.pop(entry["id"], None)
        if user_name:
            _drop(state.pending_user_names, user_name)
    elif event == "user-create-failed":
        _drop(state.pending_user_names, entry["userName"])
    elif event == "workspace-created":
        state.workspaces.append(entry["id"])
    elif event == "workspace-deleted" and entry["id"] in state.workspaces:
        state.workspaces.remove(entry["id"])


def _drop(names: list[str], name: str) -> None:
    lowered = name.lower()
    for index, value in enumerate(names):
        if value.lower() == lowered:
            del names[index]
            return


class LedgerTransport(httpx.BaseTransport):
    """Record creates in the ledger and reject changes to anything else.

    Users are recorded when created with `shared_token`, the workspace that
    other people use. Workspaces are recorded when created through the admin
    API at `admin_url`, and their users go with them. A PUT, PATCH or DELETE of
    a user that a response of this run showed but that this run did not
    create raises UnsafeRequestError, and so does any change to a workspace
    that this run did not create.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        ledger: Ledger,
        *,
        base_url: str,
        shared_token: str,
        admin_url: str | None = None,
        read_only: bool = False,
    ) -> None:
        self._inner = inner
        self._read_only = read_only
        self._ledger = ledger
        self._base_url = base_url.rstrip("/")
        self._admin_url = admin_url.rstrip("/") if admin_url else None
        self._shared_authorization = f"Bearer {shared_token}"
        self._foreign_user_ids: set[str] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if self._read_only and request.method not in ("GET", "HEAD"):
            # A scenario tagged @read_only that writes is a defect; refusing the
            # request keeps the target unchanged even then.
            raise UnsafeRequestError(
                f"Rejected {request.method} {request.url.path}: the run is read-only."
            )
        if url.startswith(self._base_url + "/") and self._is_shared(request):
            return self._send_scim(request, url[len(self._base_url) :])
        if self._admin_url and url.startswith(self._admin_url + "/"):
            return self._send_admin(request, url[len(self._admin_url) :])
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()

    def _is_shared(self, request: httpx.Request) -> bool:
        return request.headers.get("authorization") == self._shared_authorization

    def _send_scim(self, request: httpx.Request, path: str) -> httpx.Response:
        # Identity providers call "/Users/" and "//Users" too (Entra's tenant
        # URL ends in a slash); each is the same collection.
        path = "/" + path.split("?", 1)[0].strip("/")
        match = USER_PATH.match(path)
        if match and request.method in MUTATING_METHODS:
            user_id = match["id"]
            if user_id in self._foreign_user_ids:
                raise UnsafeRequestError(
                    f"Rejected {request.method} {path}: that user exists on the "
                    "target but was not created by this run."
                )

        user_name = None
        if request.method == "POST" and path == "/Users":
            user_name = _user_name(request)
            self._ledger.write("user-create", userName=user_name)

        response = self._inner.handle_request(request)
        response.read()
        body = _json(response)
        if user_name is not None:
            self._after_create(user_name, response.status_code, body)
        elif match and request.method == "DELETE" and response.status_code == 204:
            self._ledger.write("user-deleted", id=match["id"])
        self._note_foreign(body)
        return response

    def _after_create(self, user_name: str, status: int, body: Any) -> None:
        if status == 201 and isinstance(body, dict) and isinstance(body.get("id"), str):
            self._ledger.write("user-created", id=body["id"], userName=user_name)
        elif status < 500:
            # NOTE: a 5xx may still have created the user, so it stays pending
            # and cleanup looks it up by userName.
            self._ledger.write("user-create-failed", userName=user_name, status=status)

    def _note_foreign(self, body: Any) -> None:
        resources = body.get("Resources") if isinstance(body, dict) else None
        candidates = resources if isinstance(resources, list) else [body]
        for resource in candidates:
            if not isinstance(resource, dict):
                continue
            user_id = resource.get("id")
            if (
                isinstance(user_id, str)
                and user_id not in self._ledger.created_user_ids
            ):
                self._foreign_user_ids.add(user_id)

    def _send_admin(self, request: httpx.Request, path: str) -> httpx.Response:
        path = path.split("?", 1)[0]
        match = WORKSPACE_PATH.match(path)
        ours = match is not None and match["id"] in self._ledger.created_workspace_ids
        if match and request.method in MUTATING_METHODS and not ours:
            raise UnsafeRequestError(
                f"Rejected {request.method} {path}: that workspace was not "
                "created by this run."
            )

        creating = request.method == "POST" and path == "/workspaces"
        if creating:
            self._ledger.write("workspace-create", name=_json_body(request).get("name"))
        response = self._inner.handle_request(request)
        response.read()
        body = _json(response)
        if creating and response.status_code == 201 and isinstance(body, dict):
            self._ledger.write("workspace-created", id=str(body.get("id")))
        deleted = match and path == f"/workspaces/{match['id']}"
        if deleted and request.method == "DELETE" and response.status_code == 204:
            self._ledger.write("workspace-deleted", id=match["id"])
        return response


def _json_body(request: httpx.Request) -> dict[str, Any]:
    try:
        body = json.loads(request.content or b"null")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _user_name(request: httpx.Request) -> str:
    value = _json_body(request).get("userName")
    return value if isinstance(value, str) else ""


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
