"""A SCIM 2.0 client for the /Users endpoint, as identity providers use it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from mock_idp.session import RecordingSession
from mock_idp.transcript import Exchange, Transcript

SCIM_MEDIA_TYPE = "application/scim+json"
PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimClient:
    """Send SCIM requests with a bearer token and record every exchange.

    Each method returns the `Exchange`, whatever its status, so that callers
    assert on the status and body themselves.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        transcript: Transcript | None = None,
    ) -> None:
        self._session = RecordingSession(
            base_url,
            token,
            transcript=transcript,
            transport=transport,
            timeout=timeout,
            default_headers={"Accept": SCIM_MEDIA_TYPE},
        )

    @property
    def transcript(self) -> Transcript:
        return self._session.transcript

    @property
    def token(self) -> str:
        return self._session.token

    @property
    def base_url(self) -> str:
        return self._session.base_url

    def close(self) -> None:
        self._session.close()

    def find_by_user_name(self, email: str) -> Exchange:
        """Look a user up by `userName eq "email"`, as Okta and Entra ID do."""
        return self.list(filter=f'userName eq "{email}"')

    def create(self, payload: dict[str, Any]) -> Exchange:
        return self._send_json("POST", "/Users", payload)

    def get(self, user_id: str) -> Exchange:
        return self.request("GET", f"/Users/{quote(user_id, safe='')}")

    def list(
        self,
        start_index: int | str | None = None,
        count: int | str | None = None,
        filter: str | None = None,
    ) -> Exchange:
        """List users, sending each given argument as a URL-encoded query parameter."""
        params: list[tuple[str, str]] = []
        if filter is not None:
            params.append(("filter", filter))
        if start_index is not None:
            params.append(("startIndex", str(start_index)))
        if count is not None:
            params.append(("count", str(count)))
        return self.request("GET", "/Users" + encode_query(params))

    def replace(self, user_id: str, payload: dict[str, Any]) -> Exchange:
        return self._send_json("PUT", f"/Users/{quote(user_id, safe='')}", payload)

    def patch(self, user_id: str, operations: list[dict[str, Any]]) -> Exchange:
        body = {"schemas": [PATCH_OP_URN], "Operations": operations}
        return self._send_json("PATCH", f"/Users/{quote(user_id, safe='')}", body)

    def delete(self, user_id: str) -> Exchange:
        return self.request("DELETE", f"/Users/{quote(user_id, safe='')}")

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        authenticate: bool = True,
    ) -> Exchange:
        """Send a raw request to `base_url + path`.

        `json` is sent as `application/scim+json` unless `headers` set another
        Content-Type, and `content` is sent as given. `headers` override the
        defaults, `Authorization` included. With `authenticate=False` no token
        is sent.
        """
        merged = dict(headers or {})
        if json is not None and not _has_header(merged, "Content-Type"):
            merged["Content-Type"] = SCIM_MEDIA_TYPE
        return self._session.send(
            method,
            path,
            json_body=json,
            content=content,
            headers=merged,
            authenticate=authenticate,
        )

    def _send_json(self, method: str, path: str, body: Any) -> Exchange:
        return self.request(method, path, json=body)


def encode_query(params: list[tuple[str, str]]) -> str:
    """Encode query parameters with %20 for spaces, as identity providers send them."""
    if not params:
        return ""
    pairs = [
        f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in params
    ]
    return "?" + "&".join(pairs)


def _has_header(headers: dict[str, str], name: str) -> bool:
    return any(key.lower() == name.lower() for key in headers)
