"""Steps that provision, deactivate and delete users, and read them back."""

from __future__ import annotations

import json
from typing import Any

from pytest_bdd import given, parsers, then, when

from mock_idp.dialects import ConnectionTest
from mock_idp.identities import Identity
from mock_idp.provisioning import (
    ABSENT,
    ENTERPRISE_USER_URN,
    EditorValue,
    IdentityProvider,
    Unexpressible,
)
from mock_idp.transcript import Exchange
from steps.checks import (
    assert_scim_error,
    assert_status,
    assert_updated,
    extension,
    json_object,
    list_resources,
    read_user,
)

EDITOR_PATTERN = r'(?P<editor>true|false|absent|null|"[^"]*")'


def parse_editor(text: str) -> EditorValue:
    """Turn an editor cell into what is sent: `absent` omits it, quotes a string."""
    if text == "absent":
        return ABSENT
    if text.startswith('"'):
        return text.strip('"')
    return {"true": True, "false": False, "null": None}[text]


def mixed_case(email: str) -> str:
    return "".join(
        char.upper() if index % 2 else char for index, char in enumerate(email)
    )


@given("the identity provider has provisioned the user")
def provisioned(idp: IdentityProvider, identity: Identity) -> None:
    assert_status(idp.provision(identity), 201)


@given(
    parsers.re(
        "the identity provider has provisioned the user as (?P<role>editor|viewer)"
    )
)
def provisioned_as(idp: IdentityProvider, identity: Identity, role: str) -> None:
    """Provision the user with editor set to the role.

    A provider that cannot send editor provisions without it, which gives the
    role only when the workspace default is that role.
    """
    try:
        assert_status(idp.provision(identity, role == "editor"), 201)
        return
    except Unexpressible as unexpressible:
        reason = str(unexpressible)
    assert_status(idp.provision(identity), 201)
    resource, exchange = read_user(idp, identity)
    if extension(resource, exchange).get("editor") is not (role == "editor"):
        raise Unexpressible(f"{reason}, and the workspace default role is not {role}")


@given(
    parsers.parse("the identity provider has provisioned {count:d} users"),
    target_fixture="provisioned_users",
)
def provisioned_many(
    idp: IdentityProvider, identities: Any, count: int
) -> list[Identity]:
    people = [identities.new() for _ in range(count)]
    for person in people:
        assert_status(idp.provision(person, False), 201)
    return people


@given("the identity provider has deactivated the user")
def deactivated(idp: IdentityProvider, identity: Identity) -> None:
    assert_updated(idp.deactivate(identity))


@given("the identity provider has deleted the user")
def deleted(idp: IdentityProvider, identity: Identity) -> None:
    assert_status(idp.delete(identity), 204)


@when(
    parsers.re(
        f"the identity provider provisions the user with editor {EDITOR_PATTERN}"
    ),
    target_fixture="response",
    converters={"editor": parse_editor},
)
def provision_with_editor(
    idp: IdentityProvider, identity: Identity, editor: EditorValue
) -> Exchange:
    return idp.provision(identity, editor)


@when(
    "the identity provider provisions the user with editor true but without the "
    "extension in schemas",
    target_fixture="response",
)
def provision_unlisted_extension(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.provision(identity, True, list_extension=False)


@when(
    parsers.re(
        r'the identity provider provisions a user whose userName is "(?P<name>.*)"'
    ),
    target_fixture="response",
)
def provision_user_name(
    idp: IdentityProvider, identity: Identity, name: str
) -> Exchange:
    return idp.provision(identity, user_name=name)


@when(
    "the identity provider provisions the user with the email in mixed case",
    target_fixture="response",
)
def provision_mixed_case(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.provision(identity, user_name=mixed_case(identity.email))


@when("the identity provider provisions the user again", target_fixture="response")
def provision_again(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.create(identity, idp.payload(identity))


@when(
    "the identity provider provisions the user again with the email in upper case",
    target_fixture="response",
)
def provision_again_upper(idp: IdentityProvider, identity: Identity) -> Exchange:
    body = idp.payload(identity, user_name=identity.email.upper())
    return idp.create(identity, body)


@when(
    "the identity provider provisions the user without schemas",
    target_fixture="response",
)
def provision_without_schemas(idp: IdentityProvider, identity: Identity) -> Exchange:
    body = idp.payload(identity)
    del body["schemas"]
    return idp.create(identity, body)


@when(
    "the identity provider provisions the user with only the enterprise schema",
    target_fixture="response",
)
def provision_enterprise_only(idp: IdentityProvider, identity: Identity) -> Exchange:
    body = idp.payload(identity)
    body["schemas"] = [ENTERPRISE_USER_URN]
    return idp.create(identity, body)


@when(
    parsers.re(
        r'the identity provider provisions the user with the attribute "(?P<name>\w+)"'
    ),
    target_fixture="response",
)
def provision_unknown_attribute(
    idp: IdentityProvider, identity: Identity, name: str
) -> Exchange:
    body = idp.payload(identity)
    body[name] = "blue"
    return idp.create(identity, body)


@when(
    parsers.re(
        r'the identity provider provisions the user with "(?P<name>\w+)" '
        r"set to (?P<value>.+)"
    ),
    target_fixture="response",
)
def provision_wrong_type(
    idp: IdentityProvider, identity: Identity, name: str, value: str
) -> Exchange:
    body = idp.payload(identity)
    body[name] = json.loads(value)
    return idp.create(identity, body)


@when(
    parsers.re(
        r'the identity provider replaces the user with "(?P<name>\w+)" '
        r"set to (?P<value>.+)"
    ),
    target_fixture="response",
)
def replace_wrong_type(
    idp: IdentityProvider, identity: Identity, name: str, value: str
) -> Exchange:
    body = idp.payload(identity)
    body[name] = json.loads(value)
    return idp.replace(identity, body)


@when(
    "the identity provider provisions the user with a password",
    target_fixture="response",
)
def provision_with_password(idp: IdentityProvider, identity: Identity) -> Exchange:
    body = idp.payload(identity)
    body["password"] = password_for(identity)
    return idp.create(identity, body)


def password_for(identity: Identity) -> str:
    return f"Placeholder-{identity.external_id}!"


@when("the identity provider deactivates the user", target_fixture="response")
def deactivate(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.deactivate(identity)


@when("the identity provider tests the connection", target_fixture="connection_test")
def test_connection(idp: IdentityProvider) -> ConnectionTest:
    return idp.test_connection()


@then("the connection test passes")
def connection_test_passes(connection_test: ConnectionTest) -> None:
    assert connection_test.passed, "\n\n".join(connection_test.problems)


@given("the identity provider has provisioned a collaborator")
def provisioned_collaborator(idp: IdentityProvider, collaborator: Identity) -> None:
    assert_status(idp.provision(collaborator), 201)


@when("the identity provider changes the user's email", target_fixture="response")
def change_email(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.change_email(identity, f"changed.{identity.email}")


@when(
    "the identity provider changes the user's email to the collaborator's in upper "
    "case",
    target_fixture="response",
)
def change_email_to_collaborator(
    idp: IdentityProvider, identity: Identity, collaborator: Identity
) -> Exchange:
    return idp.change_email(identity, collaborator.email.upper())


@then("the response reads active as the JSON boolean true")
def response_active_true(response: Exchange) -> None:
    assert json_object(response).get("active") is True, (
        f"expected active true:\n{response.describe()}"
    )


@when("the identity provider deactivates the user with PUT", target_fixture="response")
def deactivate_with_put(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.update(identity, {"active": False}, "PUT")


@when("the identity provider reactivates the user", target_fixture="response")
def reactivate(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.reactivate(identity)


@when("the identity provider deletes the user", target_fixture="response")
def delete(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.delete(identity)


@when("the identity provider looks up the user by userName", target_fixture="response")
def look_up(idp: IdentityProvider, identity: Identity) -> Exchange:
    return idp.look_up(identity.email)


@then(
    parsers.re(
        r"SCIM reads the user as (?P<role>editor|viewer) and "
        r"(?P<state>pending|member|removed)(?P<same_id> with the same id)?"
    )
)
def reads_role_and_state(
    idp: IdentityProvider, identity: Identity, role: str, state: str
) -> None:
    resource, exchange = read_user(idp, identity)
    values = extension(resource, exchange)
    assert values.get("editor") is (role == "editor"), (
        f"expected editor {role == 'editor'}:\n{exchange.describe()}"
    )
    assert values.get("state") == state, (
        f"expected state {state!r}:\n{exchange.describe()}"
    )
    assert resource.get("id") == idp.user_id(identity), (
        f"expected id {idp.user_id(identity)!r}:\n{exchange.describe()}"
    )


@then("SCIM reads the user as active")
def reads_active(idp: IdentityProvider, identity: Identity) -> None:
    resource, exchange = read_user(idp, identity)
    assert resource.get("active") is True, (
        f"expected active true:\n{exchange.describe()}"
    )


@then("SCIM reads the user by id as inactive")
def reads_inactive(idp: IdentityProvider, identity: Identity) -> None:
    resource, exchange = read_user(idp, identity)
    assert resource.get("id") == idp.user_id(identity), (
        f"id changed:\n{exchange.describe()}"
    )
    assert resource.get("active") is False, (
        f"expected active false:\n{exchange.describe()}"
    )


@then("a lookup by userName finds the user as inactive")
def lookup_inactive(idp: IdentityProvider, identity: Identity) -> None:
    exchange = idp.look_up(identity.email)
    total, resources = list_resources(exchange)
    assert total == 1, f"expected totalResults 1:\n{exchange.describe()}"
    assert resources[0].get("id") == idp.user_id(identity), (
        f"expected the same id {idp.user_id(identity)!r}:\n{exchange.describe()}"
    )
    assert resources[0].get("active") is False, (
        f"expected active false:\n{exchange.describe()}"
    )


@then("a lookup by userName finds exactly one user")
def lookup_one(idp: IdentityProvider, identity: Identity) -> None:
    exchange = idp.look_up(identity.email)
    total, resources = list_resources(exchange)
    assert total == 1, f"expected totalResults 1:\n{exchange.describe()}"
    assert len(resources) == 1, f"expected one resource:\n{exchange.describe()}"
    assert resources[0].get("id") == idp.user_id(identity), (
        f"expected id {idp.user_id(identity)!r}:\n{exchange.describe()}"
    )


@then("a lookup by userName finds no user")
def lookup_none(idp: IdentityProvider, identity: Identity) -> None:
    exchange = idp.look_up(identity.email)
    total, resources = list_resources(exchange)
    assert total == 0, f"expected totalResults 0:\n{exchange.describe()}"
    assert resources == [], f"expected no Resources:\n{exchange.describe()}"


@then("SCIM answers 404 for the user's id")
def reads_404(idp: IdentityProvider, identity: Identity) -> None:
    assert_scim_error(idp.read(identity), 404)


@then("SCIM reads the userName exactly as sent")
def reads_user_name_as_sent(idp: IdentityProvider, identity: Identity) -> None:
    resource, exchange = read_user(idp, identity)
    expected = mixed_case(identity.email)
    assert resource.get("userName") == expected, (
        f"expected userName {expected!r}:\n{exchange.describe()}"
    )


@then("SCIM reads the user's name as sent")
def reads_name(idp: IdentityProvider, identity: Identity) -> None:
    resource, exchange = read_user(idp, identity)
    name = resource.get("name") or {}
    assert name.get("givenName") == identity.given_name, exchange.describe()
    assert name.get("familyName") == identity.family_name, exchange.describe()
    assert resource.get("userName") == identity.email, exchange.describe()


@then("no response carries the password")
def password_never_returned(
    idp: IdentityProvider, identity: Identity, response: Exchange
) -> None:
    _, read = read_user(idp, identity)
    for exchange in (response, read):
        assert "password" not in json_object(exchange), (
            f"expected no password attribute:\n{exchange.describe()}"
        )
        assert password_for(identity) not in exchange.response_body, (
            f"the password came back:\n{exchange.describe()}"
        )
