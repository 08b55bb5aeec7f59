"""Steps that send PATCH operations and read the attributes they change."""

from __future__ import annotations

import json
from typing import Any

from pytest_bdd import given, parsers, then, when

from mock_idp.identities import Identity, IdentityFactory
from mock_idp.provisioning import ENTERPRISE_USER_URN, IdentityProvider
from mock_idp.transcript import Exchange
from steps.checks import assert_updated, attribute_at, read_user
from steps.queries import fill_placeholders

OPERATION = (
    r'patches with op "(?P<op>\w+)" at path '
    r"(?:\"(?P<path>[^\"]+)\"|'(?P<quoted_path>[^']+)')"
    r'(?: the value "(?P<value>[^"]*)")?'
)


def _operation(
    op: str,
    path: str | None,
    quoted_path: str | None,
    value: str | None,
    identity: Identity,
    identities: IdentityFactory,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"op": op, "path": path or quoted_path}
    if value is not None:
        operation["value"] = fill_placeholders(value, identity, identities)
    return operation


@when(parsers.re(f"the identity provider {OPERATION}"), target_fixture="response")
def patch_operation(
    idp: IdentityProvider,
    identity: Identity,
    identities: IdentityFactory,
    op: str,
    path: str | None,
    quoted_path: str | None,
    value: str | None,
) -> Exchange:
    operation = _operation(op, path, quoted_path, value, identity, identities)
    return idp.patch(identity, [operation])


@given(
    parsers.re(f"the identity provider has {OPERATION.replace('patches', 'patched')}")
)
def patched(
    idp: IdentityProvider,
    identity: Identity,
    identities: IdentityFactory,
    op: str,
    path: str | None,
    quoted_path: str | None,
    value: str | None,
) -> None:
    operation = _operation(op, path, quoted_path, value, identity, identities)
    assert_updated(idp.patch(identity, [operation]))


@when(
    parsers.re(
        r'the identity provider patches with op "(?P<op>\w+)" at path '
        r'"(?P<path>[^"]+)" the JSON value (?P<value>.+)'
    ),
    target_fixture="response",
)
def patch_json_value(
    idp: IdentityProvider, identity: Identity, op: str, path: str, value: str
) -> Exchange:
    operation = {"op": op, "path": path, "value": json.loads(value)}
    return idp.patch(identity, [operation])


@when(
    parsers.re(
        r"the identity provider patches without a path the value (?P<value>\{.*\})"
    ),
    target_fixture="response",
)
def patch_without_path(
    idp: IdentityProvider, identity: Identity, value: str
) -> Exchange:
    operation = {"op": "replace", "value": json.loads(value)}
    return idp.patch(identity, [operation])


@when(
    parsers.re(r'the identity provider patches with op "(?P<op>\w+)" without a path'),
    target_fixture="response",
)
def patch_op_without_path(
    idp: IdentityProvider, identity: Identity, op: str
) -> Exchange:
    return idp.patch(identity, [{"op": op}])


@when(
    parsers.re(
        r'the identity provider patches the family name to "(?P<family>[^"]+)" '
        r'and active to "(?P<active>[^"]+)"'
    ),
    target_fixture="response",
)
def patch_two_operations(
    idp: IdentityProvider, identity: Identity, family: str, active: str
) -> Exchange:
    operations = [
        {"op": "replace", "path": "name.familyName", "value": family},
        {"op": "replace", "path": "active", "value": active},
    ]
    return idp.patch(identity, operations)


@then(parsers.re(r'SCIM reads "(?P<path>[\w.]+)" as "(?P<value>[^"]*)"'))
def reads_attribute(
    idp: IdentityProvider,
    identity: Identity,
    identities: IdentityFactory,
    path: str,
    value: str,
) -> None:
    resource, exchange = read_user(idp, identity)
    expected = fill_placeholders(value, identity, identities)
    assert attribute_at(resource, path) == expected, (
        f"expected {path} {expected!r}:\n{exchange.describe()}"
    )


@then(parsers.re(r'SCIM reads no "(?P<path>[\w.]+)"'))
def reads_no_attribute(idp: IdentityProvider, identity: Identity, path: str) -> None:
    resource, exchange = read_user(idp, identity)
    assert attribute_at(resource, path) in (None, ""), (
        f"expected no {path}:\n{exchange.describe()}"
    )


@then(
    parsers.re(
        "SCIM reads the (?P<field>given name|family name|userName) as provisioned"
    )
)
def reads_as_provisioned(idp: IdentityProvider, identity: Identity, field: str) -> None:
    resource, exchange = read_user(idp, identity)
    path, expected = {
        "given name": ("name.givenName", identity.given_name),
        "family name": ("name.familyName", identity.family_name),
        "userName": ("userName", identity.email),
    }[field]
    assert attribute_at(resource, path) == expected, (
        f"expected {path} {expected!r}:\n{exchange.describe()}"
    )


@then(parsers.re(r'SCIM reads the enterprise "(?P<name>\w+)" as "(?P<value>[^"]*)"'))
def reads_enterprise(
    idp: IdentityProvider, identity: Identity, name: str, value: str
) -> None:
    resource, exchange = read_user(idp, identity)
    enterprise = resource.get(ENTERPRISE_USER_URN) or {}
    assert enterprise.get(name) == value, (
        f"expected enterprise {name} {value!r}:\n{exchange.describe()}"
    )


@then(parsers.re(r'SCIM reads the work email as "(?P<value>[^"]*)"'))
def reads_work_email(
    idp: IdentityProvider, identity: Identity, identities: IdentityFactory, value: str
) -> None:
    resource, exchange = read_user(idp, identity)
    expected = fill_placeholders(value, identity, identities)
    work = [
        email.get("value")
        for email in resource.get("emails", [])
        if email.get("type") == "work"
    ]
    assert work == [expected], (
        f"expected work email {expected!r}:\n{exchange.describe()}"
    )
