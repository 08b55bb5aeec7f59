"""The provisioning flows of an identity provider, built on `ScimClient`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from mock_idp.client import PATCH_OP_URN, ScimClient
from mock_idp.dialects import Dialect, get_dialect
from mock_idp.dialects.base import (
    ABSENT,
    CORE_USER_URN,
    DELETE,
    EDITOR,
    EDITOR_PATH,
    ENTERPRISE_USER_URN,
    PATCH,
    PATH_LESS_PATCH,
    PUT,
    REMOVE,
    SOULANMA_USER_URN,
    WORK_EMAIL_PATH,
    ConnectionTest,
    Unexpressible,
)
from mock_idp.identities import Identity
from mock_idp.transcript import Exchange

__all__ = [
    "ABSENT",
    "CORE_USER_URN",
    "EDITOR_PATH",
    "ENTERPRISE_USER_URN",
    "SOULANMA_USER_URN",
    "EditorValue",
    "IdentityProvider",
    "ImportResult",
    "ProvisioningError",
    "Unexpressible",
]

# Value that the identity provider sends as `editor`: a boolean, None for JSON null,
# or a string such as "True" as Entra ID sends booleans.
EditorValue = bool | str | None


class ProvisioningError(AssertionError):
    """A step of a flow that got a status the flow cannot go on from."""


@dataclass
class ImportResult:
    """The users an import collected, with each page's exchange."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    pages: list[Exchange] = field(default_factory=list)


class IdentityProvider:
    """Provision identities into one workspace in one provider's dialect.

    The SCIM id of each identity is kept after its create, so later flows only
    name the identity. `created_ids` lists every id a create returned, for
    clean-up. Every request carries the dialect's headers; a flow the dialect's
    provider never sends raises `Unexpressible`.
    """

    def __init__(self, client: ScimClient, dialect: Dialect | None = None) -> None:
        self.client = client
        self.dialect = dialect if dialect is not None else get_dialect("generic")
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

    def user_path(self, identity: Identity) -> str:
        return f"/Users/{quote(self.user_id(identity), safe='')}"

    def send(self, method: str, path: str, body: Any = None) -> Exchange:
        """Send one request with the dialect's headers; `body` is sent as JSON."""
        headers = self.dialect.request_headers(body is not None)
        return self.client.request(method, path, json=body, headers=headers)

    def send_patch(
        self, identity: Identity, operations: list[dict[str, Any]]
    ) -> Exchange:
        body = {"schemas": [PATCH_OP_URN], "Operations": operations}
        return self.send("PATCH", self.user_path(identity), body)

    def test_connection(self) -> ConnectionTest:
        return self.dialect.test_connection(self)

    def look_up(self, user_name: str) -> Exchange:
        """Match a user by `userName eq`, as the dialect encodes the filter."""
        return self.send("GET", self.dialect.lookup_path(user_name))

    def search(self, filter: str) -> Exchange:
        return self.send("GET", self.dialect.list_path(filter=filter))

    def list_users(
        self, start_index: int | str | None = None, count: int | str | None = None
    ) -> Exchange:
        return self.send(
            "GET", self.dialect.list_path(start_index=start_index, count=count)
        )

    def payload(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        """Build the dialect's create body for `identity`.

        The Soulanma extension object is present only when `editor` is given,
        and the generic dialect lists its URN in `schemas` unless
        `list_extension` is False.
        """
        return self.dialect.create_body(
            identity, editor, user_name=user_name, list_extension=list_extension
        )

    def provision(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> Exchange:
        """Look the identity up by userName, then create it.

        The create is sent whatever the lookup found, so that the server decides
        between linking, 201 and 409. Returns the create exchange.
        """
        email = user_name if user_name is not None else identity.email
        body = self.payload(
            identity, editor, user_name=user_name, list_extension=list_extension
        )
        self.last_lookup = self.look_up(email)
        return self.create(identity, body)

    def create(self, identity: Identity, body: Any) -> Exchange:
        """POST `body` and remember the id of the created user."""
        exchange = self.send("POST", "/Users", body)
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
        return self.send("GET", self.user_path(identity))

    def patch(self, identity: Identity, operations: list[dict[str, Any]]) -> Exchange:
        """Send the operations as given, if the provider sends such a PATCH."""
        self.dialect.check(PATCH)
        if any("path" not in operation for operation in operations):
            self.dialect.check(PATH_LESS_PATCH)
        if SOULANMA_USER_URN.lower() in json.dumps(operations).lower():
            self.dialect.check(EDITOR)
        return self.send_patch(identity, operations)

    def replace(self, identity: Identity, body: dict[str, Any]) -> Exchange:
        """PUT `body` as given, if the provider sends PUT."""
        self.dialect.check(PUT)
        return self.send("PUT", self.user_path(identity), body)

    def update(
        self, identity: Identity, changes: dict[str, Any], method: str | None = None
    ) -> Exchange:
        """Send changes keyed by SCIM path, by PATCH, PUT or the dialect's choice."""
        if method is None:
            return self.dialect.update(self, identity, changes)
        if method.upper() == "PATCH":
            return self.dialect.patch(self, identity, changes)
        return self.dialect.put(self, identity, changes)

    def update_profile(
        self, identity: Identity, *, family_name: str, method: str | None = None
    ) -> Exchange:
        """Change the family and display names without sending `editor`."""
        changes = {
            "name.familyName": family_name,
            "displayName": f"{identity.given_name} {family_name}",
        }
        if method is not None and method.upper() == "PATCH":
            changes = {"name.familyName": family_name}
        return self.update(identity, changes, method)

    def change_email(
        self, identity: Identity, email: str, method: str | None = None
    ) -> Exchange:
        """Change the work email and the userName together."""
        changes = {WORK_EMAIL_PATH: email, "userName": email}
        return self.update(identity, changes, method)

    def set_role(
        self, identity: Identity, editor: EditorValue, *, method: str | None = None
    ) -> Exchange:
        """Send `editor` on an update, by PATCH, PUT or the dialect's choice."""
        return self.update(identity, {EDITOR_PATH: editor}, method)

    def clear_role(self, identity: Identity) -> Exchange:
        """Remove `editor` with a PATCH remove of its path."""
        return self.update(identity, {EDITOR_PATH: REMOVE}, "PATCH")

    def deactivate(self, identity: Identity, *, style: str | None = None) -> Exchange:
        return self._set_active(identity, False, style)

    def reactivate(self, identity: Identity, *, style: str | None = None) -> Exchange:
        return self._set_active(identity, True, style)

    def delete(self, identity: Identity) -> Exchange:
        self.dialect.check(DELETE)
        return self.send("DELETE", self.user_path(identity))

    def import_all(self, page_size: int | None = None) -> ImportResult:
        """Page through /Users with startIndex and count until totalResults is read.

        `page_size` defaults to the dialect's. Raises ProvisioningError when a
        page fails or the pages stop short.
        """
        size = page_size if page_size is not None else self.dialect.import_page_size
        result = ImportResult()
        start_index = 1
        while True:
            page = self.send("GET", self.dialect.import_path(start_index, size))
            result.pages.append(page)
            body = page.json()
            if page.status != 200 or not isinstance(body, dict):
                raise ProvisioningError(f"Import page failed:\n{page.describe()}")

            resources = body.get("Resources") or []
            result.resources.extend(resources)
            total = body.get("totalResults")
            if not isinstance(total, int):
                raise ProvisioningError(
                    f"totalResults is not an integer:\n{page.describe()}"
                )
            if start_index - 1 + len(resources) >= total:
                return result
            if not resources:
                raise ProvisioningError(
                    f"Empty page before totalResults={total}:\n{page.describe()}"
                )
            start_index += len(resources)

    def _set_active(
        self, identity: Identity, active: bool, style: str | None
    ) -> Exchange:
        """Send `active` in the dialect's form, or in one fixed `style`.

        `path` is a PATCH replace on the `active` path, `path-less` the Okta form
        with the value as an object, `string` the Entra ID form with "True" or
        "False", and `put` a full replace as Okta's AIW apps send.
        """
        if style is None:
            return self.dialect.set_active(self, identity, active)
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
