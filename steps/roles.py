"""Steps that set, keep or clear the editor role, and try to grant admin."""

from __future__ import annotations

from pytest_bdd import parsers, when

from mock_idp.identities import Identity
from mock_idp.provisioning import EditorValue, IdentityProvider
from mock_idp.transcript import Exchange
from steps.users import parse_editor

CHANGED_FAMILY_NAME = "Okonkwo-Lindqvist"


@when(
    parsers.re(
        r'the identity provider sets editor to (?P<editor>true|false|null|"[^"]*") '
        r"with (?P<method>PATCH|PUT)"
    ),
    target_fixture="response",
    converters={"editor": parse_editor},
)
def set_editor(
    idp: IdentityProvider, identity: Identity, editor: EditorValue, method: str
) -> Exchange:
    return idp.set_role(identity, editor, method=method)


@when(
    "the identity provider replaces the user's profile without editor",
    target_fixture="response",
)
def replace_profile(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.update_profile(identity, family_name=CHANGED_FAMILY_NAME, method="PUT")


@when("the identity provider patches the user's family name", target_fixture="response")
def patch_family_name(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.update_profile(identity, family_name=CHANGED_FAMILY_NAME, method="PATCH")


@when(
    "the identity provider removes the user's editor attribute",
    target_fixture="response",
)
def remove_editor(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.clear_role(identity)


@when(
    parsers.re(
        r'the identity provider provisions the user with the role "(?P<role>\w+)"'
    ),
    target_fixture="response",
)
def provision_with_role(
    idp: IdentityProvider, identity: Identity, role: str
) -> Exchange:
    body = idp.payload(identity)
    body["roles"] = [{"value": role, "primary": True}]
    return idp.create(identity, body)


@when(
    parsers.re(r'the identity provider adds the role "(?P<role>\w+)" with PATCH'),
    target_fixture="response",
)
def add_role(idp: IdentityProvider, identity: Identity, role: str) -> Exchange:
    operation = {"op": "add", "path": "roles", "value": [{"value": role}]}
    return idp.patch(identity, [operation])
