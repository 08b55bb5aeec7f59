"""Okta Lifecycle Management, as an OIN SCIM 2.0 integration provisions.

Source: Okta's "SCIM 2.0 Protocol Reference" and SCIM FAQ
(developer.okta.com/docs/reference/scim/scim-20/ and /docs/concepts/scim/faqs/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_idp.client import SCIM_MEDIA_TYPE
from mock_idp.dialects.base import (
    ABSENT,
    CORE_USER_URN,
    DELETE,
    LIST_RESPONSE_URN,
    NULL_VALUE,
    PATCH,
    PATH_LESS_PATCH,
    SOULANMA_USER_URN,
    Changes,
    ConnectionTest,
    Dialect,
    apply_changes,
)
from mock_idp.identities import Identity
from mock_idp.transcript import Exchange

if TYPE_CHECKING:
    from mock_idp.provisioning import IdentityProvider

PASSWORD_PLACEHOLDER = "Okta-placeholder-1!"


class OktaDialect(Dialect):
    name = "okta"
    title = "Okta"
    headers = {
        "User-Agent": "Okta SCIM Client 1.0.0",
        "Accept": SCIM_MEDIA_TYPE,
    }
    # NOTE: Okta documents its User-Agent but not its Content-Type; this one is
    # what Okta's own SCIM spec test sends on GETs.
    content_type = f"{SCIM_MEDIA_TYPE}; charset=utf-8"
    # NOTE: Okta's SCIM FAQ says OIN template integrations have PATCH enabled by
    # default, while its protocol reference says profile changes go as PUT; this
    # dialect follows the reference, so profile PATCH scenarios skip under it.
    limits = {
        DELETE: "Okta never sends DELETE; it deactivates with active false",
        PATCH: "Okta sends profile changes as a full PUT, and PATCH only to "
        "activate or deactivate",
        PATH_LESS_PATCH: "Okta sends a path-less PATCH only to activate or deactivate",
        NULL_VALUE: "Okta sends a full PUT from its own profile, never a null value",
    }

    def list_path(
        self,
        *,
        filter: str | None = None,
        start_index: int | str | None = None,
        count: int | str | None = None,
    ) -> str:
        """Add startIndex=1&count=100 to every list, a filtered one included."""
        params: list[tuple[str, str]] = []
        if filter is not None:
            params.append(("filter", filter))
        params.append(("startIndex", str(1 if start_index is None else start_index)))
        params.append(("count", str(100 if count is None else count)))
        return "/Users" + self.encode(params)

    def create_body(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        """Build Okta's create body: the core schema only, with a password."""
        self.check_editor(editor)
        email = user_name if user_name is not None else identity.email
        body: dict[str, Any] = {
            "schemas": [CORE_USER_URN],
            "userName": email,
            "name": {
                "givenName": identity.given_name,
                "familyName": identity.family_name,
            },
            "emails": [{"primary": True, "value": email, "type": "work"}],
            "displayName": identity.display_name,
            "locale": "en-US",
            "externalId": identity.external_id,
            "groups": [],
            "password": PASSWORD_PLACEHOLDER,
            "active": True,
        }
        if editor is not ABSENT:
            # NOTE: Okta sends a custom attribute as an object under its external
            # namespace; whether it also lists that URN in schemas is undocumented.
            body[SOULANMA_USER_URN] = {"editor": editor}
        return body

    def put_body(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> dict[str, Any]:
        """GET the user, then build the full object with its id and meta."""
        read = provider.send("GET", provider.user_path(identity))
        current = read.json() if read.status == 200 else None
        body = self.create_body(identity)
        del body["password"]
        if isinstance(current, dict):
            body = {"schemas": body.pop("schemas"), "id": current.get("id"), **body}
            if "meta" in current:
                body["meta"] = current["meta"]
        apply_changes(body, changes, list_extension=False)
        return body

    def update(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> Exchange:
        return self.put(provider, identity, changes)

    def set_active(
        self, provider: IdentityProvider, identity: Identity, active: bool
    ) -> Exchange:
        """Send the path-less replace that OIN integrations use."""
        operation = {"op": "replace", "value": {"active": active}}
        return provider.send_patch(identity, [operation])

    def test_connection(self, provider: IdentityProvider) -> ConnectionTest:
        # NOTE: only a third-party guide and an old Okta example show this probe.
        result = ConnectionTest()
        exchange = provider.send("GET", self.list_path(start_index=1, count=2))
        result.exchanges.append(exchange)
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict):
            result.problems.append(f"expected 200:\n{exchange.describe()}")
        elif LIST_RESPONSE_URN not in body.get("schemas", []):
            result.problems.append(f"expected a ListResponse:\n{exchange.describe()}")
        return result
