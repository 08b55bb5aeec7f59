"""The flow every identity provider shares, and the wire format each one chooses.

A `Dialect` turns the steps of provisioning (connection test, match, create,
update, deactivate, reactivate, delete, import) into HTTP requests. The
`generic` dialect is the clean RFC 7644 client; each provider's dialect
overrides only what that provider puts on the wire. What a provider never
sends is listed in `limits`, and asking for it raises `Unexpressible`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_idp.client import SCIM_MEDIA_TYPE, encode_query
from mock_idp.identities import Identity
from mock_idp.transcript import Exchange

if TYPE_CHECKING:
    from mock_idp.provisioning import IdentityProvider

CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SOULANMA_USER_URN = "urn:ietf:params:scim:schemas:extension:soulanma:2.0:User"
LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
EDITOR_PATH = f"{SOULANMA_USER_URN}:editor"
WORK_EMAIL_PATH = 'emails[type eq "work"].value'

# Capabilities that a dialect may lack; each step that needs one checks it.
EDITOR = "editor"
NULL_VALUE = "null value"
DELETE = "DELETE"
PUT = "PUT"
PATCH = "PATCH"
PATH_LESS_PATCH = "path-less PATCH"

# The marker for "leave the attribute out", distinct from JSON null.
ABSENT: Any = object()
# The value of a change that removes the attribute.
REMOVE: Any = object()

Changes = dict[str, Any]


class Unexpressible(Exception):
    """A request that the dialect's identity provider never sends.

    The feature plugin reports a scenario that raises it as skipped, with the
    message as the reason.
    """


@dataclass
class ConnectionTest:
    """The exchanges of a connection test and what the provider found wrong."""

    exchanges: list[Exchange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


class Dialect:
    """The generic RFC 7644 client, and the base of every provider's dialect."""

    name = "generic"
    title = "the generic RFC 7644 client"
    headers: Mapping[str, str] = {"Accept": SCIM_MEDIA_TYPE}
    content_type = SCIM_MEDIA_TYPE
    import_page_size = 100
    limits: Mapping[str, str] = {}

    def __repr__(self) -> str:
        return f"<dialect {self.name}>"

    def check(self, capability: str) -> None:
        """Raise Unexpressible when the provider never sends `capability`."""
        reason = self.limits.get(capability)
        if reason is not None:
            raise Unexpressible(f"{self.name}: {reason}")

    def request_headers(self, has_body: bool) -> dict[str, str]:
        headers = dict(self.headers)
        if has_body:
            headers["Content-Type"] = self.content_type
        return headers

    # Queries

    def encode(self, params: list[tuple[str, str]]) -> str:
        """Encode a query string, with %20 for spaces."""
        return encode_query(params)

    def list_path(
        self,
        *,
        filter: str | None = None,
        start_index: int | str | None = None,
        count: int | str | None = None,
    ) -> str:
        params: list[tuple[str, str]] = []
        if filter is not None:
            params.append(("filter", filter))
        if start_index is not None:
            params.append(("startIndex", str(start_index)))
        if count is not None:
            params.append(("count", str(count)))
        return "/Users" + self.encode(params)

    def lookup_path(self, user_name: str) -> str:
        return self.list_path(filter=f'userName eq "{user_name}"')

    def import_path(self, start_index: int, count: int) -> str:
        return self.list_path(start_index=start_index, count=count)

    # Bodies

    def check_editor(self, editor: Any) -> None:
        """Check that the provider can send `editor`, ABSENT meaning not at all."""
        if editor is ABSENT:
            return
        self.check(EDITOR)
        if editor is None:
            self.check(NULL_VALUE)

    def create_body(
        self,
        identity: Identity,
        editor: Any = ABSENT,
        *,
        user_name: str | None = None,
        list_extension: bool = True,
    ) -> dict[str, Any]:
        """Build the create body; the extension URN is listed in `schemas`."""
        self.check_editor(editor)
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

    def operation(self, op: str, path: str, value: Any = ABSENT) -> dict[str, Any]:
        operation: dict[str, Any] = {"op": op, "path": path}
        if value is not ABSENT:
            operation["value"] = value
        return operation

    def patch_operations(self, changes: Changes) -> list[dict[str, Any]]:
        """Turn changes into one PATCH operation per attribute, each with a path."""
        operations = []
        for path, value in changes.items():
            if value is REMOVE:
                operations.append(self.operation("remove", path))
            else:
                operations.append(self.operation("replace", path, value))
        return operations

    def put_body(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> dict[str, Any]:
        """Build a full replace body: the create body with the changes applied."""
        body = self.create_body(identity)
        apply_changes(body, changes, list_extension=True)
        return body

    # Flows

    def test_connection(self, provider: IdentityProvider) -> ConnectionTest:
        """Read /ServiceProviderConfig, as RFC 7644, Section 4 suggests."""
        result = ConnectionTest()
        exchange = provider.send("GET", "/ServiceProviderConfig")
        result.exchanges.append(exchange)
        if exchange.status != 200:
            result.problems.append(f"expected 200:\n{exchange.describe()}")
        return result

    def patch(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> Exchange:
        self.check(PATCH)
        self._check_changes(changes)
        return provider.send_patch(identity, self.patch_operations(changes))

    def put(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> Exchange:
        self.check(PUT)
        self._check_changes(changes)
        body = self.put_body(provider, identity, changes)
        return provider.send("PUT", provider.user_path(identity), body)

    def update(
        self, provider: IdentityProvider, identity: Identity, changes: Changes
    ) -> Exchange:
        """Send a profile or role change the way the provider usually does."""
        return self.patch(provider, identity, changes)

    def set_active(
        self, provider: IdentityProvider, identity: Identity, active: bool
    ) -> Exchange:
        """Deactivate or reactivate the user."""
        return self.update(provider, identity, {"active": active})

    def _check_changes(self, changes: Changes) -> None:
        for path, value in changes.items():
            if path == EDITOR_PATH:
                self.check_editor(None if value is REMOVE else value)
                if value is REMOVE:
                    continue
            if value is None:
                self.check(NULL_VALUE)


def apply_changes(
    body: dict[str, Any], changes: Changes, *, list_extension: bool
) -> None:
    """Apply changes, keyed by SCIM path, to a full User body in place."""
    for path, value in changes.items():
        if path == EDITOR_PATH:
            extension = body.setdefault(SOULANMA_USER_URN, {})
            if value is REMOVE:
                extension.pop("editor", None)
                continue
            extension["editor"] = value
            schemas = body.setdefault("schemas", [CORE_USER_URN])
            if list_extension and SOULANMA_USER_URN not in schemas:
                schemas.append(SOULANMA_USER_URN)
        elif path == WORK_EMAIL_PATH:
            for email in body.get("emails", []):
                if email.get("type") == "work":
                    email["value"] = value
        elif "." in path:
            parent, _, child = path.partition(".")
            if value is REMOVE:
                body.get(parent, {}).pop(child, None)
            else:
                body.setdefault(parent, {})[child] = value
        elif value is REMOVE:
            body.pop(path, None)
        else:
            body[path] = value


def text_boolean(value: Any) -> Any:
    """Render a boolean as "True" or "False", as Entra ID sends it by default."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return value
