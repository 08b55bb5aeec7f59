"""The provisioning flows of an identity provider, built on `ScimClient`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mock_idp.client import ScimClient
from mock_idp.identities import Identity
from mock_idp.transcript import Exchange

CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SOULANMA_USER_URN = "urn:ietf:params:scim:schemas:extension:soulanma:2.0:User"
EDITOR_PATH = f"{SOULANMA_USER_URN}:editor"

# What the identity provider sends as `editor`: a boolean, None for JSON null,
# or a string such as "True" as Entra ID sends booleans.
EditorValue = bool | str | None
ABSENT: Any = object()


class ProvisioningError(AssertionError):
    """A step of a flow that got a status the flow cannot go on from."""


@dataclass
class ImportResult:
    """The users an import collected, with each page's exchange."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    pages: list[Exchange] = field(default_factory=list)


class IdentityProvider:
    """Provision identities into one workspace as Okta or Entra ID do.

    The SCIM id of each identity is kept after its create, so later flows only
    name the identity. `created_ids` lists every id a create returned, for
    clean-up.
    """

    def __init__(self, client: ScimClient) -> None:
        self.client = client
        self.ids: dict[str, str] = {}
        self.created_ids: list[str] = []
        self.last_lookup: Exchange | None = None

    def user_id(self, identity: Identity) -> str:
        try:
            return self.ids[identity.email.lower()]
        except KeyError:
            raise ProvisioningError(
                f"{identity.email} has no SCIM id: provision it first."
            ) from None

    def payload(
        self,
        identity: Identity,
        editor: EditorValue = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        """Build the create or replace body for `identity`.

        The Soulanma extension object is present only when `editor` is given,
        and its URN is listed in `schemas` unless `list_extension` is False.
        """
        email = user_name if user_name is not None else identity.email
        body: dict[str, Any] = {
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
        if editor is not ABSENT:
            body[SOULANMA_USER_URN] = {"editor": editor}
            if list_extension:
                body["schemas"].append(SOULANMA_USER_URN)
        return body

    def provision(
        self,
        identity: Identity,
        editor: EditorValue = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> Exchange:
        """Look the identity up by userName, then create it.

        The create is sent whatever the lookup found, so that the server decides
        between linking, 201 and 409. Returns the create exchange.
        """
        email = user_name if user_name is not None else identity.email
        self.last_lookup = self.client.find_by_user_name(email)
        body = self.payload(
            identity, editor, user_name=user_name, list_extension=list_extension
        )
        return self.create(identity, body)

    def create(self, identity: Identity, body: dict[str, Any]) -> Exchange:
        """POST `body` and remember the id of the created user."""
        exchange = self.client.create(body)
        self.remember(identity, exchange)
        return exchange

    def remember(self, identity: Identity, exchange: Exchange) -> None:
        """Keep the id from a 201 create response for later flows and clean-up."""
        if exchange.status != 201:
            return
        resource = exchange.json()
        if isinstance(resource, dict) and isinstance(resource.get("id"), str):
            self.ids[identity.email.lower()] = resource["id"]
            self.created_ids.append(resource["id"])

    def read(self, identity: Identity) -> Exchange:
        return self.client.get(self.user_id(identity))

    def update_profile(
        self, identity: Identity, *, family_name: str, method: str = "PUT"
    ) -> Exchange:
        """Change the family name without sending `editor`, by PUT or PATCH."""
        user_id = self.user_id(identity)
        if method.upper() == "PATCH":
            operation = {
                "op": "replace",
                "path": "name.familyName",
                "value": family_name,
            }
            return self.client.patch(user_id, [operation])

        body = self.payload(identity)
        body["name"]["familyName"] = family_name
        body["displayName"] = f"{identity.given_name} {family_name}"
        return self.client.replace(user_id, body)

    def set_role(
        self, identity: Identity, editor: EditorValue, *, method: str = "PATCH"
    ) -> Exchange:
        """Send `editor` on an update: a PATCH replace of its path, or a full PUT."""
        user_id = self.user_id(identity)
        if method.upper() == "PUT":
            return self.client.replace(user_id, self.payload(identity, editor))
        operation = {"op": "replace", "path": EDITOR_PATH, "value": editor}
        return self.client.patch(user_id, [operation])

    def clear_role(self, identity: Identity) -> Exchange:
        """Remove `editor` with a PATCH remove of its path."""
        operation = {"op": "remove", "path": EDITOR_PATH}
        return self.client.patch(self.user_id(identity), [operation])

    def deactivate(self, identity: Identity, *, style: str = "path") -> Exchange:
        return self._set_active(identity, False, style)

    def reactivate(self, identity: Identity, *, style: str = "path") -> Exchange:
        return self._set_active(identity, True, style)

    def delete(self, identity: Identity) -> Exchange:
        return self.client.delete(self.user_id(identity))

    def import_all(self, page_size: int) -> ImportResult:
        """Page through /Users with startIndex and count until totalResults is read.

        Raises ProvisioningError when a page fails or the pages stop short.
        """
        result = ImportResult()
        start_index = 1
        while True:
            page = self.client.list(start_index=start_index, count=page_size)
            result.pages.append(page)
            body = page.json()
            if page.status != 200 or not isinstance(body, dict):
                raise ProvisioningError(f"Import page failed:\n{page.describe()}")

            resources = body.get("Resources") or []
            result.resources.extend(resources)
            total = body.get("totalResults")
            if not isinstance(total, int):
                raise ProvisioningError(
                    f"totalResults is no integer:\n{page.describe()}"
                )
            if start_index - 1 + len(resources) >= total:
                return result
            if not resources:
                raise ProvisioningError(
                    f"Empty page before totalResults={total}:\n{page.describe()}"
                )
            start_index += len(resources)

    def _set_active(self, identity: Identity, active: bool, style: str) -> Exchange:
        """Send `active` the way one identity provider does.

        `path` is a PATCH replace on the `active` path, `path-less` the Okta form
        with the value as an object, `string` the Entra ID form with "True" or
        "False", and `put` a full replace as Okta's AIW apps send.
        """
        user_id = self.user_id(identity)
        if style == "put":
            body = self.payload(identity)
            body["active"] = active
            return self.client.replace(user_id, body)
        if style == "path-less":
            operation: dict[str, Any] = {"op": "replace", "value": {"active": active}}
        elif style == "string":
            text = "True" if active else "False"
            operation = {"op": "Replace", "path": "active", "value": text}
        else:
            operation = {"op": "replace", "path": "active", "value": active}
        return self.client.patch(user_id, [operation])
