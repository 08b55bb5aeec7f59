"""A client for the workspace admin API that the conformance scenarios use."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from mock_idp.session import RecordingSession
from mock_idp.transcript import Exchange, Transcript


class AdminApiError(AssertionError):
    """An admin API request that did not get the status the scenario relies on."""


class AdminClient:
    """Act as a workspace admin through the admin API, recording each exchange.

    Every `scim_token` that a response carries is added to the transcript's
    secrets before the exchange is recorded.
    """

    def __init__(
        self,
        admin_url: str,
        admin_token: str,
        transport: httpx.BaseTransport | None = None,
        *,
        timeout: float = 10.0,
        transcript: Transcript | None = None,
    ) -> None:
        self._session = RecordingSession(
            admin_url,
            admin_token,
            transcript=transcript,
            transport=transport,
            timeout=timeout,
            default_headers={"Accept": "application/json"},
        )
        self._session.on_response = self._hide_scim_tokens

    @property
    def transcript(self) -> Transcript:
        return self._session.transcript

    def close(self) -> None:
        self._session.close()

    def create_workspace(
        self,
        name: str,
        *,
        plan: str = "enterprise",
        saml_configured: bool = True,
        default_role: str = "viewer",
    ) -> Exchange:
        body = {
            "name": name,
            "plan": plan,
            "saml_configured": saml_configured,
            "default_role": default_role,
        }
        return self._send("POST", "/workspaces", body)

    def get_workspace(self, workspace_id: str) -> Exchange:
        return self._send("GET", _workspace_path(workspace_id))

    def patch_workspace(self, workspace_id: str, **changes: Any) -> Exchange:
        return self._send("PATCH", _workspace_path(workspace_id), changes)

    def delete_workspace(self, workspace_id: str) -> Exchange:
        return self._send("DELETE", _workspace_path(workspace_id))

    def invite_member(self, workspace_id: str, email: str, role: str) -> Exchange:
        body = {"email": email, "role": role}
        return self._send("POST", _workspace_path(workspace_id, "members"), body)

    def list_members(self, workspace_id: str) -> Exchange:
        return self._send("GET", _workspace_path(workspace_id, "members"))

    def grant_admin(self, workspace_id: str, email: str) -> Exchange:
        body = {"email": email}
        return self._send("POST", _workspace_path(workspace_id, "admins"), body)

    def seats(self, workspace_id: str) -> Exchange:
        return self._send("GET", _workspace_path(workspace_id, "seats"))

    def sso_sign_in(self, workspace_id: str, email: str) -> Exchange:
        body = {"email": email}
        return self._send("POST", _workspace_path(workspace_id, "sso-sign-in"), body)

    def create_account(self, email: str) -> Exchange:
        return self._send("POST", "/accounts", {"email": email})

    def find_accounts(self, email: str) -> Exchange:
        return self._send("GET", f"/accounts?email={quote(email, safe='')}")

    def create_document(
        self, workspace_id: str, author_email: str, folder: str
    ) -> Exchange:
        body = {"author_email": author_email, "folder": folder}
        return self._send("POST", _workspace_path(workspace_id, "documents"), body)

    def document_access(
        self, workspace_id: str, document_id: str, email: str
    ) -> Exchange:
        path = _workspace_path(workspace_id, "documents", document_id, "access")
        return self._send("GET", f"{path}?email={quote(email, safe='')}")

    def member(self, workspace_id: str, email: str) -> dict[str, Any] | None:
        """Return the member with `email`, matched in any letter case, or None."""
        exchange = expect(self.list_members(workspace_id), 200)
        members = exchange.json().get("members", [])
        for member in members:
            if str(member.get("email", "")).lower() == email.lower():
                return dict(member)
        return None

    def _send(self, method: str, path: str, body: Any = None) -> Exchange:
        return self._session.send(method, path, json_body=body)

    def _hide_scim_tokens(self, body: Any) -> None:
        for token in _find_values(body, "scim_token"):
            self.transcript.add_secret(token)


def expect(exchange: Exchange, status: int) -> Exchange:
    """Return `exchange` when it has `status`, else raise AdminApiError."""
    if exchange.status != status:
        raise AdminApiError(
            f"The admin API returned {exchange.status}, expected {status}:\n"
            f"{exchange.describe()}"
        )
    return exchange


def _workspace_path(workspace_id: str, *parts: str) -> str:
    segments = ["workspaces", workspace_id, *parts]
    return "/" + "/".join(quote(segment, safe="") for segment in segments)


def _find_values(body: Any, key: str) -> list[str]:
    if isinstance(body, dict):
        found = [value for name, value in body.items() if name == key]
        for value in body.values():
            found.extend(_find_values(value, key))
        return [value for value in found if isinstance(value, str)]
    if isinstance(body, list):
        return [value for item in body for value in _find_values(item, key)]
    return []
