"""Each identity-provider dialect's requests, byte for byte, and their replay.

The first half captures each flow's requests with httpx.MockTransport and
compares method, path and query as sent, the headers that differ between
providers, and the body. The second half runs the same flows against a real
reference server and checks how it handles each of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from mock_idp.client import ScimClient
from mock_idp.dialects import DIALECT_NAMES, Unexpressible, get_dialect
from mock_idp.identities import Identity, IdentityFactory
from mock_idp.provisioning import SOULANMA_USER_URN, IdentityProvider
from soulanma_scim.target import Target

BASE_URL = "https://soulanma.example.com/scim-v2"
ADA = Identity(
    "Ada", "Lovelace", "ada.lovelace@scim-conformance.example.com", "idp-ada-1"
)
SHOWN_HEADERS = ("User-Agent", "Accept", "Content-Type")
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], '
ADA_EMAIL = "ada.lovelace@scim-conformance.example.com"
SCIM_JSON = "application/scim+json"

Flow = Callable[[IdentityProvider], Any]
FLOWS: dict[str, Flow] = {
    "connection test": lambda idp: idp.test_connection(),
    "match": lambda idp: idp.look_up(ADA.email),
    "create": lambda idp: idp.create(ADA, idp.payload(ADA, True)),
    "update": lambda idp: idp.update_profile(ADA, family_name="Byron"),
    "set role": lambda idp: idp.set_role(ADA, False),
    "deactivate": lambda idp: idp.deactivate(ADA),
    "reactivate": lambda idp: idp.reactivate(ADA),
    "delete": lambda idp: idp.delete(ADA),
    "import": lambda idp: idp.import_all(),
}


def _resource() -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "u1",
        "userName": ADA.email,
        "active": True,
        "meta": {"resourceType": "User", "location": f"{BASE_URL}/Users/u1"},
    }


def _respond(request: httpx.Request) -> httpx.Response:
    """Return a server's response, with the id u1 for Ada and t1 for others."""
    if request.method == "POST":
        user_id = "u1" if b"ada.lovelace" in request.content else "t1"
        return httpx.Response(201, json={**_resource(), "id": user_id})
    if request.method == "DELETE":
        return httpx.Response(204)
    if request.method == "GET" and request.url.path.endswith("/Users"):
        empty = {
            "schemas": [LIST_RESPONSE],
            "totalResults": 0,
            "startIndex": 1,
            "itemsPerPage": 0,
            "Resources": [],
        }
        return httpx.Response(200, json=empty)
    return httpx.Response(200, json=_resource())


def render(request: httpx.Request) -> str:
    """Show a request as sent: request line, provider headers, blank line, body."""
    lines = [f"{request.method} {request.url.raw_path.decode()}"]
    for name in SHOWN_HEADERS:
        value = request.headers.get(name)
        if value is not None and not value.startswith("python-httpx/"):
            lines.append(f"{name}: {value}")
    if request.content:
        lines += ["", request.content.decode()]
    return "\n".join(lines)


def capture(dialect: str, flow: str) -> list[str]:
    """Run one flow of one dialect against a mock transport; return its requests."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return _respond(request)

    client = ScimClient(BASE_URL, "secret", transport=httpx.MockTransport(handler))
    idp = IdentityProvider(client, get_dialect(dialect))
    idp.ids[ADA.email] = "u1"
    FLOWS[flow](idp)
    return [render(request) for request in requests]


def request(method_and_path: str, headers: str, body: str = "") -> str:
    """Build an expected request; `headers` are lines separated by '|'."""
    lines = [method_and_path, *headers.split("|")]
    if body:
        lines += ["", body]
    return "\n".join(lines)


OKTA = f"User-Agent: Okta SCIM Client 1.0.0|Accept: {SCIM_JSON}"
OKTA_BODY = f"{OKTA}|Content-Type: {SCIM_JSON}; charset=utf-8"
OKTA_PROFILE = (
    '"userName": "ada.lovelace@scim-conformance.example.com", "name": '
    '{"givenName": "Ada", "familyName": "%s"}, "emails": [{"primary": true, '
    '"value": "ada.lovelace@scim-conformance.example.com", "type": "work"}], '
    '"displayName": "Ada %s", "locale": "en-US", "externalId": "idp-ada-1", '
    '"groups": []'
)
OKTA_META = (
    '"meta": {"resourceType": "User", "location": '
    '"https://soulanma.example.com/scim-v2/Users/u1"}'
)
ENTRA = f"Accept: {SCIM_JSON}"
ENTRA_BODY = f"{ENTRA}|Content-Type: {SCIM_JSON}"
ENTRA_CREATE = (
    '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", '
    '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], '
    '"externalId": "idp-ada-1", '
    '"userName": "ada.lovelace@scim-conformance.example.com", '
    '"active": true, "displayName": "Ada Lovelace", "emails": [{"primary": true, '
    '"type": "work", "value": "ada.lovelace@scim-conformance.example.com"}], '
    '"meta": {"resourceType": "User"}, "name": {"formatted": "Ada Lovelace", '
    '"familyName": "Lovelace", "givenName": "Ada"}, "roles": [], '
    '"urn:ietf:params:scim:schemas:extension:soulanma:2.0:User": {"editor": true}}'
)
ONELOGIN = "Accept: application/json"
ONELOGIN_BODY = f"{ONELOGIN}|Content-Type: application/json"
ONELOGIN_TEMPLATE = (
    '"userName": "ada.lovelace@scim-conformance.example.com", "name": '
    '{"givenName": "Ada", "familyName": "%s"}, "emails": [{"value": '
    '"ada.lovelace@scim-conformance.example.com", "type": "work", "primary": true}], '
    '"displayName": "Ada %s", "externalId": "idp-ada-1", "active": %s'
)
CORE = '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], '
CORE_AND_SOULANMA = (
    '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", '
    '"urn:ietf:params:scim:schemas:extension:soulanma:2.0:User"], '
)
SOULANMA = '"urn:ietf:params:scim:schemas:extension:soulanma:2.0:User"'
GENERIC = f"Accept: {SCIM_JSON}"
GENERIC_BODY = f"{GENERIC}|Content-Type: {SCIM_JSON}"
MATCH_PERCENT = (
    "GET /scim-v2/Users?filter=userName%20eq%20%22ada.lovelace"
    "%40scim-conformance.example.com%22"
)
MATCH_PLUS = (
    "GET /scim-v2/Users?filter=userName+eq+%22ada.lovelace"
    "%40scim-conformance.example.com%22"
)


def active_patch(op: str, value: str) -> str:
    return (
        PATCH_OP
        + f'"Operations": [{{"op": "{op}", "path": "active", "value": {value}}}]}}'
    )


EXPECTED: dict[tuple[str, str], list[str]] = {
    # Okta
    ("okta", "connection test"): [
        request("GET /scim-v2/Users?startIndex=1&count=2", OKTA)
    ],
    ("okta", "match"): [request(MATCH_PERCENT + "&startIndex=1&count=100", OKTA)],
    ("okta", "create"): [
        request(
            "POST /scim-v2/Users",
            OKTA_BODY,
            CORE
            + OKTA_PROFILE % ("Lovelace", "Lovelace")
            + ', "password": "Okta-placeholder-1!", "active": true, '
            + SOULANMA
            + ': {"editor": true}}',
        )
    ],
    ("okta", "update"): [
        request("GET /scim-v2/Users/u1", OKTA),
        request(
            "PUT /scim-v2/Users/u1",
            OKTA_BODY,
            CORE[:-2]
            + ', "id": "u1", '
            + OKTA_PROFILE % ("Byron", "Byron")
            + ', "active": true, '
            + OKTA_META
            + "}",
        ),
    ],
    ("okta", "set role"): [
        request("GET /scim-v2/Users/u1", OKTA),
        request(
            "PUT /scim-v2/Users/u1",
            OKTA_BODY,
            CORE[:-2]
            + ', "id": "u1", '
            + OKTA_PROFILE % ("Lovelace", "Lovelace")
            + ', "active": true, '
            + OKTA_META
            + ", "
            + SOULANMA
            + ': {"editor": false}}',
        ),
    ],
    ("okta", "deactivate"): [
        request(
            "PATCH /scim-v2/Users/u1",
            OKTA_BODY,
            PATCH_OP + '"Operations": [{"op": "replace", "value": {"active": false}}]}',
        )
    ],
    ("okta", "reactivate"): [
        request(
            "PATCH /scim-v2/Users/u1",
            OKTA_BODY,
            PATCH_OP + '"Operations": [{"op": "replace", "value": {"active": true}}]}',
        )
    ],
    ("okta", "import"): [request("GET /scim-v2/Users?startIndex=1&count=100", OKTA)],
    # Entra ID, without and with aadOptscim062020
    ("entra", "match"): [request(MATCH_PLUS, ENTRA)],
    ("entra", "create"): [request("POST /scim-v2/Users", ENTRA_BODY, ENTRA_CREATE)],
    ("entra", "update"): [
        request(
            "PATCH /scim-v2/Users/u1",
            ENTRA_BODY,
            PATCH_OP + '"Operations": [{"op": "Replace", "path": "name.familyName", '
            '"value": "Byron"}, {"op": "Replace", "path": "displayName", '
            '"value": "Ada Byron"}]}',
        )
    ],
    ("entra", "set role"): [
        request(
            "PATCH /scim-v2/Users/u1",
            ENTRA_BODY,
            PATCH_OP + '"Operations": [{"op": "Replace", "path": '
            '"urn:ietf:params:scim:schemas:extension:soulanma:2.0:User:editor", '
            '"value": "False"}]}',
        )
    ],
    ("entra", "deactivate"): [
        request(
            "PATCH /scim-v2/Users/u1", ENTRA_BODY, active_patch("Replace", '"False"')
        )
    ],
    ("entra", "reactivate"): [
        request(
            "PATCH /scim-v2/Users/u1", ENTRA_BODY, active_patch("Replace", '"True"')
        )
    ],
    ("entra", "delete"): [request("DELETE /scim-v2/Users/u1", ENTRA)],
    ("entra", "import"): [request("GET /scim-v2/Users?startIndex=1&count=100", ENTRA)],
    ("entra-flag", "match"): [request(MATCH_PLUS, ENTRA)],
    ("entra-flag", "create"): [
        request("POST /scim-v2/Users", ENTRA_BODY, ENTRA_CREATE)
    ],
    ("entra-flag", "update"): [
        request(
            "PATCH /scim-v2/Users/u1",
            ENTRA_BODY,
            PATCH_OP + '"Operations": [{"op": "replace", "value": {"name.familyName": '
            '"Byron", "displayName": "Ada Byron"}}]}',
        )
    ],
    ("entra-flag", "set role"): [
        request(
            "PATCH /scim-v2/Users/u1",
            ENTRA_BODY,
            PATCH_OP + '"Operations": [{"op": "replace", "path": '
            '"urn:ietf:params:scim:schemas:extension:soulanma:2.0:User:editor", '
            '"value": false}]}',
        )
    ],
    ("entra-flag", "deactivate"): [
        request("PATCH /scim-v2/Users/u1", ENTRA_BODY, active_patch("replace", "false"))
    ],
    ("entra-flag", "reactivate"): [
        request("PATCH /scim-v2/Users/u1", ENTRA_BODY, active_patch("replace", "true"))
    ],
    ("entra-flag", "delete"): [request("DELETE /scim-v2/Users/u1", ENTRA)],
    # OneLogin
    ("onelogin", "connection test"): [
        request(
            "GET /scim-v2/Users?filter=userName%20eq%20%22onelogin-connection-test"
            "%40invalid.example.com%22",
            ONELOGIN,
        )
    ],
    ("onelogin", "match"): [request(MATCH_PERCENT, ONELOGIN)],
    ("onelogin", "create"): [
        request(
            "POST /scim-v2/Users",
            ONELOGIN_BODY,
            CORE_AND_SOULANMA
            + ONELOGIN_TEMPLATE % ("Lovelace", "Lovelace", "true")
            + ", "
            + SOULANMA
            + ': {"editor": "true"}}',
        )
    ],
    ("onelogin", "update"): [
        request(
            "PUT /scim-v2/Users/u1",
            ONELOGIN_BODY,
            CORE + ONELOGIN_TEMPLATE % ("Byron", "Byron", "true") + "}",
        )
    ],
    ("onelogin", "set role"): [
        request(
            "PUT /scim-v2/Users/u1",
            ONELOGIN_BODY,
            CORE_AND_SOULANMA
            + ONELOGIN_TEMPLATE % ("Lovelace", "Lovelace", "true")
            + ", "
            + SOULANMA
            + ': {"editor": "false"}}',
        )
    ],
    ("onelogin", "deactivate"): [
        request(
            "PUT /scim-v2/Users/u1",
            ONELOGIN_BODY,
            CORE + ONELOGIN_TEMPLATE % ("Lovelace", "Lovelace", "false") + "}",
        )
    ],
    ("onelogin", "delete"): [request("DELETE /scim-v2/Users/u1", ONELOGIN)],
    # JumpCloud
    ("jumpcloud", "match"): [request(MATCH_PERCENT, GENERIC)],
    ("jumpcloud", "update"): [
        request(
            "PATCH /scim-v2/Users/u1",
            GENERIC_BODY,
            PATCH_OP + '"Operations": [{"op": "replace", "path": "name.familyName", '
            '"value": "Byron"}, {"op": "replace", "path": "displayName", '
            '"value": "Ada Byron"}]}',
        )
    ],
    ("jumpcloud", "deactivate"): [
        request(
            "PATCH /scim-v2/Users/u1", GENERIC_BODY, active_patch("replace", "false")
        )
    ],
    ("jumpcloud", "delete"): [request("DELETE /scim-v2/Users/u1", GENERIC)],
    # The generic RFC 7644 client
    ("generic", "connection test"): [
        request("GET /scim-v2/ServiceProviderConfig", GENERIC)
    ],
    ("generic", "match"): [request(MATCH_PERCENT, GENERIC)],
    ("generic", "create"): [
        request(
            "POST /scim-v2/Users",
            GENERIC_BODY,
            CORE_AND_SOULANMA
            + '"userName": "ada.lovelace@scim-conformance.example.com", '
            '"externalId": "idp-ada-1", "name": {"givenName": "Ada", '
            '"familyName": "Lovelace"}, "displayName": "Ada Lovelace", '
            '"emails": [{"value": "ada.lovelace@scim-conformance.example.com", '
            '"type": "work", "primary": true}], "active": true, '
            + SOULANMA
            + ': {"editor": true}}',
        )
    ],
    ("generic", "set role"): [
        request(
            "PATCH /scim-v2/Users/u1",
            GENERIC_BODY,
            PATCH_OP + '"Operations": [{"op": "replace", "path": '
            '"urn:ietf:params:scim:schemas:extension:soulanma:2.0:User:editor", '
            '"value": false}]}',
        )
    ],
    ("generic", "deactivate"): [
        request(
            "PATCH /scim-v2/Users/u1", GENERIC_BODY, active_patch("replace", "false")
        )
    ],
    ("generic", "delete"): [request("DELETE /scim-v2/Users/u1", GENERIC)],
}

UNEXPRESSIBLE = {
    ("okta", "delete"): "Okta never sends DELETE",
    ("jumpcloud", "create"): "cannot set editor",
    ("jumpcloud", "set role"): "cannot set editor",
}


@pytest.mark.parametrize(
    ("dialect", "flow"), list(EXPECTED), ids=[" ".join(key) for key in EXPECTED]
)
def test_requests_as_sent(dialect: str, flow: str) -> None:
    assert capture(dialect, flow) == EXPECTED[(dialect, flow)]


@pytest.mark.parametrize(
    ("dialect", "flow"), list(UNEXPRESSIBLE), ids=[" ".join(k) for k in UNEXPRESSIBLE]
)
def test_flows_a_provider_never_sends(dialect: str, flow: str) -> None:
    with pytest.raises(Unexpressible, match=UNEXPRESSIBLE[(dialect, flow)]):
        capture(dialect, flow)


@pytest.mark.parametrize("dialect", ["entra", "entra-flag"])
def test_entra_connection_test_filters_a_random_guid(dialect: str) -> None:
    [sent] = capture(dialect, "connection test")

    line = sent.splitlines()[0]
    guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(
        f"GET /scim-v2/Users\\?filter=userName\\+eq\\+%22{guid}%22", line
    )
    assert sent.splitlines()[1:] == [ENTRA]


def test_jumpcloud_connection_test_creates_and_deletes() -> None:
    created, deleted = capture("jumpcloud", "connection test")

    assert created.startswith("POST /scim-v2/Users\n" + GENERIC_BODY.replace("|", "\n"))
    assert '"userName": "jumpcloud-test.' in created
    assert SOULANMA not in created
    assert deleted == request("DELETE /scim-v2/Users/t1", GENERIC)


def test_every_dialect_and_flow_is_shown() -> None:
    shown = set(EXPECTED) | set(UNEXPRESSIBLE)
    shown |= {
        (name, "connection test") for name in ("entra", "entra-flag", "jumpcloud")
    }
    assert {name for name, _ in shown} == set(DIALECT_NAMES)
    for name in DIALECT_NAMES:
        flows = {flow for dialect, flow in shown if dialect == name}
        assert {"match", "create", "deactivate", "delete"} <= flows, name


# Replay against a real reference server


@pytest.fixture
def provider_for(
    server: Target, workspace: dict[str, str]
) -> Iterator[Callable[[str], IdentityProvider]]:
    clients: list[ScimClient] = []

    def make(dialect: str) -> IdentityProvider:
        client = ScimClient(server.base_url, workspace["scim_token"])
        clients.append(client)
        return IdentityProvider(client, get_dialect(dialect))

    yield make
    for client in clients:
        client.close()


def _read(idp: IdentityProvider, identity: Identity) -> dict[str, Any]:
    exchange = idp.read(identity)
    assert exchange.status == 200, exchange.describe()
    body = exchange.json()
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_reference_server_accepts_each_flow(
    provider_for: Callable[[str], IdentityProvider], dialect: str
) -> None:
    idp = provider_for(dialect)
    person = IdentityFactory(f"replay-{dialect}").new()
    can_send_editor = dialect != "jumpcloud"

    connection = idp.test_connection()
    assert connection.passed, connection.problems
    created = idp.provision(person, True) if can_send_editor else idp.provision(person)
    assert created.status == 201, created.describe()
    assert idp.last_lookup is not None and idp.last_lookup.status == 200
    assert _read(idp, person)[SOULANMA_USER_URN]["editor"] is can_send_editor

    updated = idp.update_profile(person, family_name="Byron")
    assert updated.status == 200, updated.describe()
    read = _read(idp, person)
    assert read["name"]["familyName"] == "Byron"
    assert read[SOULANMA_USER_URN]["editor"] is can_send_editor

    if can_send_editor:
        demoted = idp.set_role(person, False)
        assert demoted.status == 200, demoted.describe()
        assert _read(idp, person)[SOULANMA_USER_URN]["editor"] is False

    deactivated = idp.deactivate(person)
    assert deactivated.status == 200, deactivated.describe()
    assert _read(idp, person)["active"] is False
    assert _read(idp, person)[SOULANMA_USER_URN]["state"] == "removed"

    reactivated = idp.reactivate(person)
    assert reactivated.status == 200, reactivated.describe()
    assert _read(idp, person)["active"] is True
    assert _read(idp, person)[SOULANMA_USER_URN]["state"] == "pending"

    imported = idp.import_all()
    assert idp.user_id(person) in [user["id"] for user in imported.resources]

    if dialect == "okta":
        with pytest.raises(Unexpressible):
            idp.delete(person)
        return
    deleted = idp.delete(person)
    assert deleted.status == 204, deleted.describe()
    assert idp.read(person).status == 404


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_reference_server_changes_email_and_user_name(
    provider_for: Callable[[str], IdentityProvider], dialect: str
) -> None:
    idp = provider_for(dialect)
    person = IdentityFactory(f"email-{dialect}").new()
    assert idp.provision(person).status == 201
    new_email = f"renamed.{person.email}"

    changed = idp.change_email(person, new_email)

    assert changed.status == 200, changed.describe()
    read = _read(idp, person)
    assert read["userName"] == new_email
    assert [email["value"] for email in read["emails"]] == [new_email]
