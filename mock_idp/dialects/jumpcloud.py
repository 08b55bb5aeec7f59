"""JumpCloud's custom SCIM identity-management connector.

Source: JumpCloud's support article "Provision and manage users and groups in
apps using custom SCIM identity management integration". The update method is
not documented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_idp.dialects.base import (
    ABSENT,
    CORE_USER_URN,
    EDITOR,
    PATH_LESS_PATCH,
    PUT,
    ConnectionTest,
    Dialect,
)
from mock_idp.identities import Identity, run_email

if TYPE_CHECKING:
    from mock_idp.provisioning import IdentityProvider



class JumpCloudDialect(Dialect):
    name = "jumpcloud"
    title = "JumpCloud"
    limits = {
        EDITOR: "JumpCloud cannot send custom attributes, so it cannot set editor",
        # NOTE: one low-confidence third-party library shows pathed PATCH
        # updates; nothing public shows JumpCloud sending PUT or path-less PATCH.
        PUT: "JumpCloud updates users with PATCH operations that have a path",
        PATH_LESS_PATCH: "JumpCloud updates users with PATCH operations that "
        "have a path",
    }

    def create_body(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        self.check_editor(editor)
        email = user_name if user_name is not None else identity.email
        return {
            "schemas": [CORE_USER_URN],
            "userName": email,
            "externalId": identity.external_id,
            "name": {
                "givenName": identity.given_name,
                "familyName": identity.family_name,
            },
            "displayName": identity.display_name,
            "emails": [{"value": email, "type": "work", "primary": True}],
            "active": True,
        }

    def test_connection(self, provider: IdentityProvider) -> ConnectionTest:
        """Create a test user and delete it again."""
        result = ConnectionTest()
        email = run_email("jumpcloud-test")
        body = {
            "schemas": [CORE_USER_URN],
            "userName": email,
            "name": {"givenName": "Connection", "familyName": "Test"},
            "emails": [{"value": email, "type": "work", "primary": True}],
            "active": True,
        }
        created = provider.send("POST", "/Users", body)
        result.exchanges.append(created)
        resource = created.json()
        if created.status != 201 or not isinstance(resource, dict):
            result.problems.append(f"expected 201:\n{created.describe()}")
            return result
        deleted = provider.send("DELETE", f"/Users/{resource.get('id')}")
        result.exchanges.append(deleted)
        if deleted.status != 204:
            result.problems.append(f"expected 204:\n{deleted.describe()}")
        return result
