"""Cleanup of what a run created, and the signals that must not skip it."""

from __future__ import annotations

import logging
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import quote

import httpx

from mock_idp.ledger import Ledger, read_ledger
from soulanma_scim.target import Target
from steps.target import WORKSPACE_PREFIX

_RUN_ID = re.compile(r"[0-9a-f]{8}")
logger = logging.getLogger("soulanma_scim")


@dataclass
class CleanupReport:
    """Outcome of a cleanup: the removed, the deactivated and the remaining items."""

    deleted: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.deactivated and not self.remaining

    def lines(self) -> list[str]:
        lines = [f"cleanup: removed {len(self.deleted)}"]
        lines += [
            f"cleanup: deactivated, could not delete: {u}" for u in self.deactivated
        ]
        lines += [f"cleanup: still present: {item}" for item in self.remaining]
        return lines


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Raise KeyboardInterrupt on SIGTERM, so that cleanup runs as on Ctrl-C."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"received signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def clean_up(
    ledger_path: Path, target: Target, transport: httpx.BaseTransport | None = None
) -> CleanupReport:
    """Remove every user and workspace that the ledger lists as still present.

    A user that cannot be deleted is deactivated and listed. Users whose create
    got no response are looked up by userName. Only users whose names carry the
    ledger's run id, and workspaces named after the run, are touched. Each
    removal is appended to the ledger, so running cleanup again repeats nothing.
    """
    state = read_ledger(ledger_path)
    ledger = Ledger(ledger_path)
    report = CleanupReport()
    scim_headers = {
        "Authorization": f"Bearer {target.token}",
        "Accept": "application/scim+json",
        "Content-Type": "application/scim+json",
    }
    with httpx.Client(
        base_url=target.base_url,
        headers=scim_headers,
        transport=transport,
        timeout=30.0,
    ) as scim:
        users = dict(state.users)
        for user_name in state.pending_user_names:
            if carries_run_id(user_name, state.run_id):
                users.update(_find_users(scim, user_name))
        for user_id in users:
            _remove_if_ours(scim, ledger, report, user_id, state.run_id)
    _remove_workspaces(
        state.workspaces, state.run_id, target, transport, ledger, report
    )
    return report


def carries_run_id(user_name: str, run_id: str) -> bool:
    """Return whether `user_name` is an email that a run with `run_id` made.

    Runs write emails as `LOCAL.RUNID-SERIAL@DOMAIN`, with an 8-digit hex run
    id. A ledger is a plain file, so anything else in it is no proof.
    """
    if _RUN_ID.fullmatch(run_id) is None:
        return False
    pattern = rf"\.{run_id}-[0-9a-f]+@"
    return re.search(pattern, user_name, re.IGNORECASE) is not None


def _remove_if_ours(
    scim: httpx.Client,
    ledger: Ledger,
    report: CleanupReport,
    user_id: str,
    run_id: str,
) -> None:
    """Delete the user only while its current userName carries the run id.

    An edited ledger, or a server that reuses ids, must not make cleanup delete
    another person, so the user is read first.
    """
    response = scim.get(f"/Users/{quote(user_id, safe='')}")
    if response.status_code == 404:
        ledger.write("user-absent", id=user_id)
        return
    body = response.json() if response.status_code == 200 else None
    user_name = str(body.get("userName", "")) if isinstance(body, dict) else ""
    if not carries_run_id(user_name, run_id):
        report.remaining.append(
            f"user id {user_id} (userName {user_name or 'unknown'!r}, read status "
            f"{response.status_code}): not made by run {run_id!r}, so left alone"
        )
        return
    _remove_user(scim, ledger, report, user_id, user_name)


def _find_users(scim: httpx.Client, user_name: str) -> dict[str, str]:
    query = quote(f'userName eq "{user_name}"', safe="")
    response = scim.get(f"/Users?filter={query}")
    if response.status_code != 200:
        return {}
    found = {}
    for resource in response.json().get("Resources") or []:
        if str(resource.get("userName", "")).lower() == user_name.lower():
            found[str(resource["id"])] = user_name
    return found


def _remove_user(
    scim: httpx.Client,
    ledger: Ledger,
    report: CleanupReport,
    user_id: str,
    user_name: str,
) -> None:
    path = f"/Users/{quote(user_id, safe='')}"
    status = scim.delete(path).status_code
    if status in (204, 404):
        ledger.write("user-deleted" if status == 204 else "user-absent", id=user_id)
        report.deleted.append(user_name)
        return
    logger.warning("DELETE of %s returned %s, deactivating it", user_name, status)
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    if scim.patch(path, json=body).status_code in (200, 204):
        report.deactivated.append(f"{user_name} (id {user_id})")
    else:
        report.remaining.append(f"user {user_name} (id {user_id})")


def _remove_workspaces(
    workspace_ids: list[str],
    run_id: str,
    target: Target,
    transport: httpx.BaseTransport | None,
    ledger: Ledger,
    report: CleanupReport,
) -> None:
    if not workspace_ids:
        return
    if not (target.admin_url and target.admin_token):
        report.remaining += [
            f"workspace {workspace_id} (needs --admin-url and --admin-token)"
            for workspace_id in workspace_ids
        ]
        return
    headers = {"Authorization": f"Bearer {target.admin_token}"}
    with httpx.Client(
        base_url=target.admin_url, headers=headers, transport=transport, timeout=30.0
    ) as admin:
        for workspace_id in workspace_ids:
            path = f"/workspaces/{quote(workspace_id, safe='')}"
            read = admin.get(path)
            if read.status_code == 404:
                ledger.write("workspace-deleted", id=workspace_id)
                continue
            # Runs name their workspaces after the run id; a workspace with any
            # other name is another party's, whatever the ledger contains.
            body = read.json() if read.status_code == 200 else None
            name = body.get("name") if isinstance(body, dict) else None
            ours = f"{WORKSPACE_PREFIX}{run_id}"
            if _RUN_ID.fullmatch(run_id) is None or name != ours:
                report.remaining.append(
                    f"workspace {workspace_id} (name {name!r}): not made by run "
                    f"{run_id!r}, so left alone"
                )
                continue
            status = admin.delete(path)
            if status.status_code in (204, 404):
                ledger.write("workspace-deleted", id=workspace_id)
                report.deleted.append(f"workspace {workspace_id}")
            else:
                report.remaining.append(
                    f"workspace {workspace_id} (DELETE returned {status.status_code})"
                )
