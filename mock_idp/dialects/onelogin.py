"""OneLogin's SCIM provisioning, which renders each body from the app's template.

Source: OneLogin's developer guide "Implement RESTful SCIM APIs"
(developers.onelogin.com/scim) and its sample server onelogin/onelogin-scim-node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_idp.dialects.base import (
    ABSENT,
    CORE_USER_URN,
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

JSON_MEDIA_TYPE = "application/json"


class OneLoginDialect(Dialect):
    name = "onelogin"
    title = "OneLogin"
    # NOTE: OneLogin's User-Agent is undocumented, so none is imitated here.
    headers = {"Accept": JSON_MEDIA_TYPE}
    content_type = JSON_MEDIA_TYPE
    limits = {
        PATCH: "OneLogin updates users with PUT; it sends PATCH only for groups",
        PATH_LESS_PATCH: "OneLogin updates users with PUT; it sends PATCH only "
        "for groups",
        NULL_VALUE: "OneLogin renders bodies from a template and cannot send null",
    }

    def create_body(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        """Render the SCIM v2 template, with editor as its custom parameter.

        NOTE: OneLogin's templates quote each placeholder, so editor arrives as
        the string "true" or "false". A template may also use SCIM 1.1 URNs,
        which this dialect does not imitate.
        """
        self.check_editor(editor)
        email = user_name if user_name is not None else identity.email
        body: dict[str, Any] = {
            "schemas": [CORE_USER_URN],
            "userName": email,
            "name": {
                "givenName": identity.given_name,
                "familyName": identity.family_name,
            },
            "emails": [{"value": email, "type": "work", "primary": True}],
            "displayName": identity.display_name,
            "externalId": identity.external_id,
            "active": True,
        }
        if editor is not ABSENT:
            body["schemas"].append(SOULANMA_USER_URN)
            body[SOULANMA_USER_URN] = {"editor": template_text(editor)}
        return body

    def put_body(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> dict[str, Any]:
        body = self.create_body(identity)
        rendered = {
            path: template_text(value) if "editor" in path else value
            for path, value in changes.items()
        }
        apply_changes(body, rendered, list_extension=True)
        return body

    def update(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> Exchange:
        return self.put(provider, identity, changes)

    def set_active(
        self, provider: IdentityProvider, identity: Identity, active: bool
    ) -> Exchange:
        """Send the whole template with active changed.

        NOTE: OneLogin's sample server reads active from a PUT; the request for
        a suspended user is not documented.
        """
        return self.put(provider, identity, {"active": active})

    def test_connection(self, provider: IdentityProvider) -> ConnectionTest:
        """Look up a userName that cannot exist; 200 empty or 404 both pass."""
        result = ConnectionTest()
        exchange = provider.send(
            "GET", self.lookup_path("onelogin-connection-test@invalid.example.com")
        )
        result.exchanges.append(exchange)
        body = exchange.json()
        if exchange.status == 404:
            return result
        if exchange.status != 200 or not isinstance(body, dict):
            result.problems.append(f"expected 200 or 404:\n{exchange.describe()}")
        elif body.get("Resources"):
            result.problems.append(f"expected no users:\n{exchange.describe()}")
        return result


def template_text(value: Any) -> Any:
    """Render a boolean as a template's quoted placeholder renders it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
