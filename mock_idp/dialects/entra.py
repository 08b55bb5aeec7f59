"""Microsoft Entra ID's provisioning service, without the compliance flag.

Source: Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM
endpoint" and "Known issues and resolutions with SCIM 2.0 protocol compliance"
(learn.microsoft.com/entra/identity/app-provisioning/).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from mock_idp.client import SCIM_MEDIA_TYPE
from mock_idp.dialects.base import (
    ABSENT,
    CORE_USER_URN,
    ENTERPRISE_USER_URN,
    LIST_RESPONSE_URN,
    NULL_VALUE,
    PATH_LESS_PATCH,
    PUT,
    REMOVE,
    SOULANMA_USER_URN,
    Changes,
    ConnectionTest,
    Dialect,
    text_boolean,
)
from mock_idp.identities import Identity

if TYPE_CHECKING:
    from mock_idp.provisioning import IdentityProvider

ENTRA_LIMITS = {
    PUT: "Entra ID updates users with PATCH only",
    NULL_VALUE: "Entra ID never provisions null values",
}


class EntraDialect(Dialect):
    name = "entra"
    title = "Microsoft Entra ID"
    # NOTE: Entra ID's User-Agent is undocumented, so none is imitated here.
    headers = {"Accept": SCIM_MEDIA_TYPE}
    content_type = SCIM_MEDIA_TYPE
    limits = {
        **ENTRA_LIMITS,
        PATH_LESS_PATCH: "Entra ID without aadOptscim062020 sends one PATCH "
        "operation per attribute, each with a path",
    }
    # The admin enters the tenant URL with a trailing slash, as Microsoft's
    # example does; Entra appends "Users", so the path is the same as without.
    # NOTE: whether Entra collapses a doubled slash is not documented.
    tenant_url_suffix = "/"

    def encode(self, params: list[tuple[str, str]]) -> str:
        """Encode the query as a form, with + for spaces.

        NOTE: Microsoft's documentation shows filters unencoded; the + form is
        what third-party logs of Entra and its validator show.
        """
        return "?" + urlencode(params) if params else ""

    def create_body(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        """Build the create body of Entra's default attribute mappings.

        The custom extension object is sent without its URN in `schemas`, as
        Microsoft states for custom extension attributes.
        """
        self.check_editor(editor)
        email = user_name if user_name is not None else identity.email
        body: dict[str, Any] = {
            "schemas": [CORE_USER_URN, ENTERPRISE_USER_URN],
            "externalId": identity.external_id,
            "userName": email,
            "active": True,
            "displayName": identity.display_name,
            "emails": [{"primary": True, "type": "work", "value": email}],
            "meta": {"resourceType": "User"},
            "name": {
                "formatted": identity.display_name,
                "familyName": identity.family_name,
                "givenName": identity.given_name,
            },
            "roles": [],
        }
        if editor is not ABSENT:
            # NOTE: whether Entra sends a Boolean attribute as a JSON boolean on
            # create is not documented; PATCH sends the string "True".
            body[SOULANMA_USER_URN] = {"editor": editor}
        return body

    def patch_operations(self, changes: Changes) -> list[dict[str, Any]]:
        """Send one capitalised operation per attribute, with booleans as strings."""
        operations = []
        for path, value in changes.items():
            if value is REMOVE:
                operations.append(self.operation("Remove", path))
            else:
                operations.append(self.operation("Replace", path, text_boolean(value)))
        return operations

    def test_connection(self, provider: IdentityProvider) -> ConnectionTest:
        """Filter on a random GUID and expect 200 with an empty ListResponse."""
        result = ConnectionTest()
        exchange = provider.send("GET", self.lookup_path(str(uuid.uuid4())))
        result.exchanges.append(exchange)
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict):
            result.problems.append(f"expected 200:\n{exchange.describe()}")
        elif LIST_RESPONSE_URN not in body.get("schemas", []):
            result.problems.append(f"expected a ListResponse:\n{exchange.describe()}")
        elif body.get("totalResults") != 0:
            result.problems.append(f"expected no results:\n{exchange.describe()}")
        return result
