"""Steps about authentication, discovery, groups, media types and raw bodies."""

from __future__ import annotations

import base64
import json
import uuid

from pytest_bdd import parsers, then, when

from mock_idp.admin import expect
from mock_idp.client import ScimClient
from mock_idp.identities import Identity
from mock_idp.provisioning import SOULANMA_USER_URN, IdentityProvider
from mock_idp.transcript import Exchange
from steps.checks import assert_scim_error, json_object, list_resources
from steps.fixtures import Workspace
from steps.target import Target

CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
SERVICE_PROVIDER_CONFIG_URN = (
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
)
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"


def credential_headers(credentials: str, token: str) -> dict[str, str]:
    if credentials == "with a wrong bearer token":
        return {"Authorization": f"Bearer wrong-{uuid.uuid4().hex}"}
    if credentials == "with the token as Basic":
        encoded = base64.b64encode(f"{token}:".encode()).decode("ascii")
        return {"Authorization": f"Basic {encoded}"}
    if credentials == "with an empty bearer token":
        return {"Authorization": "Bearer"}
    return {}


@when(
    parsers.re(
        "the identity provider lists users (?P<credentials>without a token|with a "
        "wrong bearer token|with the token as Basic|with an empty bearer token)"
    ),
    target_fixture="response",
)
def list_with_credentials(workspace: Workspace, credentials: str) -> Exchange:
    headers = credential_headers(credentials, workspace.scim.token)
    return workspace.scim.request("GET", "/Users", headers=headers, authenticate=False)


@when(
    "the identity provider provisions the user without a token",
    target_fixture="response",
)
def provision_without_token(idp: IdentityProvider, identity: Identity) -> Exchange:
    exchange = idp.client.request(
        "POST", "/Users", json=idp.payload(identity), authenticate=False
    )
    idp.remember(identity, exchange)
    return exchange


@when("the identity provider reads the user without a token", target_fixture="response")
def read_without_token(idp: IdentityProvider, identity: Identity) -> Exchange:
    path = f"/Users/{idp.user_id(identity)}"
    return idp.client.request("GET", path, authenticate=False)


@then("the response challenges for a Bearer token")
def bearer_challenge(response: Exchange) -> None:
    challenge = response.header("www-authenticate") or ""
    assert challenge.lower().startswith("bearer"), (
        f"expected a WWW-Authenticate Bearer challenge:\n{response.describe()}"
    )


@when(
    "another workspace's identity provider looks up the user by userName",
    target_fixture="response",
)
def other_workspace_lookup(
    workspace: Workspace, target: Target, identity: Identity
) -> Exchange:
    admin, _ = workspace.admin_api()
    created = expect(admin.create_workspace("SCIM conformance neighbour"), 201)
    other = created.json()
    client = ScimClient(
        target.base_url, other["scim_token"], transcript=admin.transcript
    )
    try:
        return client.find_by_user_name(identity.email)
    finally:
        client.close()
        expect(admin.delete_workspace(other["id"]), 204)


@when(
    "the identity provider reads the service provider configuration",
    target_fixture="response",
)
def read_service_provider_config(workspace: Workspace) -> Exchange:
    return workspace.scim.request("GET", "/ServiceProviderConfig")


@when("the identity provider reads the resource types", target_fixture="response")
def read_resource_types(workspace: Workspace) -> Exchange:
    return workspace.scim.request("GET", "/ResourceTypes")


@when("the identity provider reads the schemas", target_fixture="response")
def read_schemas(workspace: Workspace) -> Exchange:
    return workspace.scim.request("GET", "/Schemas")


@when(
    "the identity provider reads the Soulanma extension schema",
    target_fixture="response",
)
def read_soulanma_schema(workspace: Workspace) -> Exchange:
    return workspace.scim.request("GET", f"/Schemas/{SOULANMA_USER_URN}")


@then("the configuration supports PATCH and filtering but not bulk")
def config_features(response: Exchange) -> None:
    body = json_object(response)
    assert SERVICE_PROVIDER_CONFIG_URN in body.get("schemas", []), response.describe()
    assert body.get("patch", {}).get("supported") is True, response.describe()
    assert body.get("filter", {}).get("supported") is True, response.describe()
    assert body.get("bulk", {}).get("supported") is False, response.describe()


@then("the configuration names OAuth bearer token authentication")
def config_bearer(response: Exchange) -> None:
    schemes = json_object(response).get("authenticationSchemes", [])
    types = [str(scheme.get("type", "")).lower() for scheme in schemes]
    assert "oauthbearertoken" in types, response.describe()


def _resource_types(response: Exchange) -> list[dict]:
    _, resources = list_resources(response)
    return resources


@then(parsers.re('the only resource type is User at "(?P<endpoint>[^"]+)"'))
def only_user_type(response: Exchange, endpoint: str) -> None:
    resources = _resource_types(response)
    names = [resource.get("name") for resource in resources]
    assert names == ["User"], f"expected only User:\n{response.describe()}"
    assert resources[0].get("endpoint") == endpoint, response.describe()
    assert resources[0].get("schema") == CORE_USER_URN, response.describe()


@then("the User resource type names the Soulanma extension")
def user_type_extension(response: Exchange) -> None:
    extensions = _resource_types(response)[0].get("schemaExtensions", [])
    names = [extension.get("schema") for extension in extensions]
    assert SOULANMA_USER_URN in names, response.describe()


def _schema(response: Exchange, urn: str) -> dict:
    _, resources = list_resources(response)
    for schema in resources:
        if schema.get("id") == urn:
            return schema
    raise AssertionError(f"expected the schema {urn}:\n{response.describe()}")


@then("the schemas include the core User schema")
def has_core_schema(response: Exchange) -> None:
    attributes = _schema(response, CORE_USER_URN).get("attributes", [])
    names = {attribute.get("name") for attribute in attributes}
    assert {"userName", "name", "emails", "active"} <= names, response.describe()


@then("the schemas include the Soulanma extension with editor as a boolean")
def has_soulanma_schema(response: Exchange) -> None:
    attributes = _schema(response, SOULANMA_USER_URN).get("attributes", [])
    editor = [
        attribute for attribute in attributes if attribute.get("name") == "editor"
    ]
    assert editor, f"expected an editor attribute:\n{response.describe()}"
    assert editor[0].get("type") == "boolean", response.describe()


@then(parsers.re('the schema has the read-only attribute "(?P<name>\\w+)"'))
def read_only_attribute(response: Exchange, name: str) -> None:
    attributes = json_object(response).get("attributes", [])
    matches = [attribute for attribute in attributes if attribute.get("name") == name]
    assert matches, f"expected the attribute {name!r}:\n{response.describe()}"
    assert matches[0].get("mutability") == "readOnly", response.describe()


@when("the identity provider lists groups", target_fixture="response")
def list_groups(workspace: Workspace) -> Exchange:
    return workspace.scim.request("GET", "/Groups")


@when("the identity provider creates a group", target_fixture="response")
def create_group(workspace: Workspace) -> Exchange:
    body = {"schemas": [GROUP_URN], "displayName": "Editors", "members": []}
    return workspace.scim.request("POST", "/Groups", json=body)


@then("a list of groups still answers 404")
def groups_still_404(workspace: Workspace) -> None:
    assert_scim_error(workspace.scim.request("GET", "/Groups"), 404)


@when(
    parsers.re("the identity provider sends the create body '(?P<body>.*)'"),
    target_fixture="response",
)
def send_raw_body(workspace: Workspace, body: str) -> Exchange:
    headers = {"Content-Type": "application/scim+json"}
    return workspace.scim.request("POST", "/Users", content=body, headers=headers)


@when(
    parsers.parse("the identity provider sends a create body of {size:d} bytes"),
    target_fixture="response",
)
def send_large_body(idp: IdentityProvider, identity: Identity, size: int) -> Exchange:
    body = idp.payload(identity)
    padding = size - len(json.dumps(body)) + 32
    body["nickName"] = "x" * max(padding, 0)
    exchange = idp.client.request("POST", "/Users", json=body)
    idp.remember(identity, exchange)
    return exchange


@when(
    parsers.re(
        "the identity provider sends (?P<method>GET|PUT|PATCH|DELETE) for an "
        "unknown user id"
    ),
    target_fixture="response",
)
def unknown_id(idp: IdentityProvider, identity: Identity, method: str) -> Exchange:
    user_id = f"unknown-{uuid.uuid4()}"
    if method == "PUT":
        return idp.client.replace(user_id, idp.payload(identity))
    if method == "PATCH":
        operation = {"op": "replace", "path": "active", "value": False}
        return idp.client.patch(user_id, [operation])
    if method == "DELETE":
        return idp.client.delete(user_id)
    return idp.client.get(user_id)


@when(
    parsers.re(
        "the identity provider provisions the user with the content type "
        '"(?P<media>.+)"'
    ),
    target_fixture="response",
)
def provision_media_type(
    idp: IdentityProvider, identity: Identity, media: str
) -> Exchange:
    headers = {"Content-Type": media}
    exchange = idp.client.request(
        "POST", "/Users", json=idp.payload(identity), headers=headers
    )
    idp.remember(identity, exchange)
    return exchange


@when(
    parsers.re('the identity provider lists users at "(?P<path>[^"]+)"'),
    target_fixture="response",
)
def list_at_path(workspace: Workspace, path: str) -> Exchange:
    return workspace.scim.request("GET", path)


@when(
    parsers.re('the identity provider lists users with Accept "(?P<accept>[^"]+)"'),
    target_fixture="response",
)
def list_with_accept(workspace: Workspace, accept: str) -> Exchange:
    return workspace.scim.request("GET", "/Users", headers={"Accept": accept})


@when(
    parsers.re('the identity provider provisions the user at "(?P<path>[^"]+)"'),
    target_fixture="response",
)
def provision_at_path(idp: IdentityProvider, identity: Identity, path: str) -> Exchange:
    exchange = idp.send("POST", path, idp.payload(identity))
    idp.remember(identity, exchange)
    return exchange


@when(
    "the identity provider replaces the user with read-only attributes of another user",
    target_fixture="response",
)
def replace_read_only(idp: IdentityProvider, identity: Identity) -> Exchange:
    body = idp.payload(identity)
    body["id"] = f"other-{uuid.uuid4()}"
    body["meta"] = {"resourceType": "User", "created": "2001-01-01T00:00:00Z"}
    body["groups"] = [{"value": "admins", "display": "Admins"}]
    body["password"] = f"Placeholder-{uuid.uuid4()}!"
    body["schemas"].append(SOULANMA_USER_URN)
    body[SOULANMA_USER_URN] = {"state": "member"}
    return idp.client.replace(idp.user_id(identity), body)
