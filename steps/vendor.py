"""Steps that send the checks of Okta's spec test and Microsoft's SCIM validator.

Each check is sent with the headers and encoding of the vendor's own test, not
those of the provider's provisioning client.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from pytest_bdd import given, parsers, then, when

from mock_idp.client import PATCH_OP_URN, SCIM_MEDIA_TYPE, encode_query
from mock_idp.identities import Identity, IdentityFactory
from mock_idp.provisioning import CORE_USER_URN, ENTERPRISE_USER_URN, IdentityProvider
from mock_idp.transcript import Exchange
from steps.checks import (
    LIST_RESPONSE_URN,
    assert_scim_error,
    assert_status,
    attribute_at,
    json_object,
    list_resources,
    read_user,
)
from steps.fixtures import Workspace
from steps.queries import fill_placeholders

GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
MANAGER_PATH = f"{ENTERPRISE_USER_URN}:manager"
# Okta-SCIM-20-SPEC-Test.json sends these on every check, and creates users
# with Content-Type application/json.
OKTA_SPEC_HEADERS = {
    "Accept": SCIM_MEDIA_TYPE,
    "Content-Type": f"{SCIM_MEDIA_TYPE}; charset=utf-8",
    "User-Agent": "OKTA SCIM Integration",
}
OKTA_SPEC_CREATE_TYPE = "application/json"
VALIDATOR_HEADERS = {"Content-Type": f"{SCIM_MEDIA_TYPE}; charset=utf-8"}


def okta_send(
    workspace: Workspace, method: str, path: str, body: Any = None, **headers: str
) -> Exchange:
    merged = {**OKTA_SPEC_HEADERS, **headers}
    authenticate = "Authorization" not in headers
    return workspace.scim.request(
        method, path, json=body, headers=merged, authenticate=authenticate
    )


def validator_send(
    workspace: Workspace, method: str, path: str, body: Any = None
) -> Exchange:
    return workspace.scim.request(method, path, json=body, headers=VALIDATOR_HEADERS)


def okta_filter_path(user_name: str) -> str:
    return "/Users" + encode_query([("filter", f'userName eq "{user_name}"')])


def validator_filter_path(resource: str, expression: str) -> str:
    return f"/{resource}?" + urlencode([("filter", expression)])


# Okta's spec test


@when(
    "Okta's spec test lists users with count 1 and startIndex 1",
    target_fixture="response",
)
def okta_list(workspace: Workspace) -> Exchange:
    return okta_send(workspace, "GET", "/Users?count=1&startIndex=1")


def _assert_okta_fields(resource: dict[str, Any], exchange: Exchange) -> None:
    """Check the fields that Okta's test requires to be present and not empty."""
    for path in ("id", "name.familyName", "name.givenName", "userName"):
        assert attribute_at(resource, path), f"expected {path}:\n{exchange.describe()}"
    # NOTE: Okta's test asserts "active" is not empty; how its runner judges
    # false is not documented, so any boolean passes here.
    assert isinstance(resource.get("active"), bool), (
        f"expected active as a boolean:\n{exchange.describe()}"
    )
    emails = resource.get("emails") or [{}]
    assert emails[0].get("value"), f"expected emails[0].value:\n{exchange.describe()}"


@then("the list has integer counters and a first user with every field Okta reads")
def okta_list_fields(response: Exchange) -> None:
    _, resources = list_resources(response)
    body = json_object(response)
    for name in ("itemsPerPage", "startIndex", "totalResults"):
        assert type(body.get(name)) is int, f"expected integer {name}"
    assert resources, f"expected at least one user:\n{response.describe()}"
    _assert_okta_fields(resources[0], response)


@then("Okta's spec test reads that user by id with the same fields")
def okta_read_listed(workspace: Workspace, response: Exchange) -> None:
    _, resources = list_resources(response)
    user_id = resources[0]["id"]
    read = okta_send(workspace, "GET", f"/Users/{quote(user_id, safe='')}")
    assert_status(read, 200)
    resource = json_object(read)
    _assert_okta_fields(resource, read)
    assert resource["id"] == user_id, read.describe()


@when(
    parsers.re("Okta's spec test filters on the (?P<which>invalid|random) userName"),
    target_fixture="response",
)
def okta_filter_unknown(
    workspace: Workspace, identities: IdentityFactory, which: str
) -> Exchange:
    # Okta's test looks up abcdefgh@atko.com and a random name; both are kept
    # under the run's reserved domain here.
    domain = identities.unknown_email().split("@")[1]
    email = f"abcdefgh@{domain}" if which == "invalid" else identities.unknown_email()
    return okta_send(workspace, "GET", okta_filter_path(email))


@when(
    parsers.re('Okta\'s spec test reads the user id "(?P<user_id>[^"]+)"'),
    target_fixture="response",
)
def okta_read_unknown(workspace: Workspace, user_id: str) -> Exchange:
    return okta_send(workspace, "GET", f"/Users/{user_id}")


@then("the error has a detail")
def error_has_detail(response: Exchange) -> None:
    detail = json_object(response).get("detail")
    assert isinstance(detail, str) and detail, (
        f"expected a detail:\n{response.describe()}"
    )


@when(
    "Okta's spec test filters on the user's userName in upper case",
    target_fixture="response",
)
def okta_filter_upper(workspace: Workspace, identity: Identity) -> Exchange:
    return okta_send(workspace, "GET", okta_filter_path(identity.email.upper()))


def okta_realistic_body(identity: Identity) -> dict[str, Any]:
    return {
        "schemas": [CORE_USER_URN],
        "userName": identity.email,
        "name": {
            "givenName": identity.given_name,
            "familyName": identity.family_name,
        },
        "emails": [{"primary": True, "value": identity.email, "type": "work"}],
        "displayName": identity.display_name,
        "active": True,
    }


def _okta_create(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    exchange = okta_send(
        workspace,
        "POST",
        "/Users",
        okta_realistic_body(identity),
        **{"Content-Type": OKTA_SPEC_CREATE_TYPE},
    )
    idp.remember(identity, exchange)
    return exchange


@when(
    "Okta's spec test creates the user with realistic values", target_fixture="response"
)
def okta_create(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    return _okta_create(workspace, idp, identity)


@given("Okta's spec test has created the user with realistic values")
def okta_created(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> None:
    assert_status(_okta_create(workspace, idp, identity), 201)


@then("the created user echoes what Okta's spec test sent, active and with an id")
def okta_created_echo(response: Exchange, identity: Identity) -> None:
    body = json_object(response)
    assert body.get("active") is True, response.describe()
    assert body.get("id"), response.describe()
    assert attribute_at(body, "name.familyName") == identity.family_name
    assert attribute_at(body, "name.givenName") == identity.given_name
    assert CORE_USER_URN in body.get("schemas", []), response.describe()
    assert body.get("userName") == identity.email, response.describe()


@then("Okta's spec test reads the created user with the same names")
def okta_read_created(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> None:
    read = okta_send(workspace, "GET", idp.user_path(identity))
    assert_status(read, 200)
    body = json_object(read)
    assert body.get("userName") == identity.email, read.describe()
    assert attribute_at(body, "name.familyName") == identity.family_name
    assert attribute_at(body, "name.givenName") == identity.given_name


@when(
    parsers.re(
        "Okta's spec test filters on the invalid userName with the token "
        '"(?P<credentials>[^"]+)"'
    ),
    target_fixture="response",
)
def okta_filter_bad_token(
    workspace: Workspace, identities: IdentityFactory, credentials: str
) -> Exchange:
    path = okta_filter_path(identities.unknown_email())
    return okta_send(workspace, "GET", path, Authorization=credentials)


@when("Okta's spec test lists groups", target_fixture="response")
def okta_list_groups(workspace: Workspace) -> Exchange:
    return okta_send(workspace, "GET", "/Groups")


# Microsoft's SCIM validator


def validator_body(identity: Identity) -> dict[str, Any]:
    return {
        "active": True,
        "displayName": identity.display_name,
        "emails": [{"type": "work", "value": identity.email}],
        "externalId": str(uuid.uuid4()),
        "name": {
            "formatted": identity.display_name,
            "familyName": identity.family_name,
            "givenName": identity.given_name,
        },
        "schemas": [CORE_USER_URN],
        "userName": identity.email,
    }


def _validator_create(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    exchange = validator_send(workspace, "POST", "/Users", validator_body(identity))
    idp.remember(identity, exchange)
    return exchange


@when("the validator creates the user", target_fixture="response")
def validator_create(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    return _validator_create(workspace, idp, identity)


@given("the validator has created the user")
def validator_created(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> None:
    assert_status(_validator_create(workspace, idp, identity), 201)


@then("the created user echoes the validator's userName with an id")
def validator_created_echo(response: Exchange, identity: Identity) -> None:
    body = json_object(response)
    assert body.get("id"), response.describe()
    assert body.get("userName") == identity.email, response.describe()


@when(
    parsers.re(
        "the validator filters on the user's userName "
        "(?P<spelling>as created|in a different case)"
    ),
    target_fixture="response",
)
def validator_filter(
    workspace: Workspace, identity: Identity, spelling: str
) -> Exchange:
    email = identity.email if spelling == "as created" else identity.email.upper()
    path = validator_filter_path("Users", f'userName eq "{email}"')
    return validator_send(workspace, "GET", path)


@when("the validator reads the user by id", target_fixture="response")
def validator_read(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    return validator_send(workspace, "GET", idp.user_path(identity))


@then("the user read is the validator's user")
def validator_read_matches(
    response: Exchange, idp: IdentityProvider, identity: Identity
) -> None:
    body = json_object(response)
    assert body.get("id") == idp.user_id(identity), response.describe()
    assert body.get("userName") == identity.email, response.describe()


@given("the validator has created a manager for the user", target_fixture="manager_id")
def validator_manager(
    workspace: Workspace, idp: IdentityProvider, identities: IdentityFactory
) -> str:
    manager = identities.new()
    created = _validator_create(workspace, idp, manager)
    assert_status(created, 201)
    return str(json_object(created)["id"])


def _validator_patch(
    workspace: Workspace,
    idp: IdentityProvider,
    identity: Identity,
    operations: list[dict[str, Any]],
) -> Exchange:
    body = {"schemas": [PATCH_OP_URN], "Operations": operations}
    return validator_send(workspace, "PATCH", idp.user_path(identity), body)


@when("the validator patches the user with", target_fixture="response")
def validator_patch(
    workspace: Workspace,
    idp: IdentityProvider,
    identity: Identity,
    identities: IdentityFactory,
    docstring: str,
) -> Exchange:
    operations = json.loads(fill_placeholders(docstring, identity, identities))
    return _validator_patch(workspace, idp, identity, operations)


@when("the validator adds the manager", target_fixture="response")
def validator_add_manager(
    workspace: Workspace, idp: IdentityProvider, identity: Identity, manager_id: str
) -> Exchange:
    operation = {"op": "add", "path": MANAGER_PATH, "value": {"value": manager_id}}
    return _validator_patch(workspace, idp, identity, [operation])


@when("the validator removes the manager", target_fixture="response")
def validator_remove_manager(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    operation = {"op": "remove", "path": MANAGER_PATH}
    return _validator_patch(workspace, idp, identity, [operation])


@then(parsers.re('SCIM reads the work phone number as "(?P<value>[^"]*)"'))
def reads_work_phone(idp: IdentityProvider, identity: Identity, value: str) -> None:
    resource, exchange = read_user(idp, identity)
    numbers = [
        number.get("value")
        for number in resource.get("phoneNumbers", [])
        if number.get("type") == "work"
    ]
    assert numbers == [value], f"expected work phone {value!r}:\n{exchange.describe()}"


@then(
    parsers.re(
        'SCIM reads the work address as "(?P<street>[^"]*)" in "(?P<locality>[^"]*)"'
    )
)
def reads_work_address(
    idp: IdentityProvider, identity: Identity, street: str, locality: str
) -> None:
    resource, exchange = read_user(idp, identity)
    work = [
        address
        for address in resource.get("addresses", [])
        if address.get("type") == "work"
    ]
    assert len(work) == 1, f"expected one work address:\n{exchange.describe()}"
    assert work[0].get("streetAddress") == street, exchange.describe()
    assert work[0].get("locality") == locality, exchange.describe()


@then("SCIM reads the manager as the validator's manager")
def reads_manager(idp: IdentityProvider, identity: Identity, manager_id: str) -> None:
    resource, exchange = read_user(idp, identity)
    manager = (resource.get(ENTERPRISE_USER_URN) or {}).get("manager") or {}
    assert manager.get("value") == manager_id, exchange.describe()


@then("SCIM reads no manager")
def reads_no_manager(idp: IdentityProvider, identity: Identity) -> None:
    resource, exchange = read_user(idp, identity)
    manager = (resource.get(ENTERPRISE_USER_URN) or {}).get("manager")
    assert not manager, f"expected no manager:\n{exchange.describe()}"


@when("the validator deletes the user", target_fixture="response")
def validator_delete(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> Exchange:
    return validator_send(workspace, "DELETE", idp.user_path(identity))


@then("the validator's second delete of the user fails with status 404")
def validator_delete_again(
    workspace: Workspace, idp: IdentityProvider, identity: Identity
) -> None:
    assert_scim_error(validator_send(workspace, "DELETE", idp.user_path(identity)), 404)


@when("the validator deletes a user id that does not exist", target_fixture="response")
def validator_delete_unknown(workspace: Workspace) -> Exchange:
    return validator_send(workspace, "DELETE", f"/Users/{uuid.uuid4()}")


@when("the validator creates a group", target_fixture="response")
def validator_create_group(workspace: Workspace) -> Exchange:
    body = {
        "schemas": [GROUP_URN],
        "displayName": f"Validator group {uuid.uuid4().hex[:8]}",
        "externalId": str(uuid.uuid4()),
        "members": [],
    }
    return validator_send(workspace, "POST", "/Groups", body)


@when("the validator filters groups by displayName", target_fixture="response")
def validator_filter_groups(workspace: Workspace) -> Exchange:
    path = validator_filter_path("Groups", 'displayName eq "Validator group"')
    return validator_send(workspace, "GET", path)


@when("the validator reads the schemas", target_fixture="response")
def validator_schemas(workspace: Workspace) -> Exchange:
    return validator_send(workspace, "GET", "/Schemas")


@then("the schemas name no Group schema")
def no_group_schema(response: Exchange) -> None:
    _, resources = list_resources(response)
    ids = [schema.get("id") for schema in resources]
    assert GROUP_URN not in ids, f"expected no Group schema:\n{response.describe()}"
    assert LIST_RESPONSE_URN in json_object(response).get("schemas", [])
