"""Steps that filter and page through users."""

from __future__ import annotations

import re
import uuid
from collections import Counter

from httpx import URL
from pytest_bdd import parsers, then, when

from mock_idp.identities import Identity, IdentityFactory
from mock_idp.provisioning import IdentityProvider, ImportResult
from mock_idp.transcript import Exchange
from steps.checks import json_object, list_resources

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_placeholders(
    text: str, identity: Identity, identities: IdentityFactory
) -> str:
    """Replace {email}, {EMAIL}, {external_id} and the like with the user's values."""
    values = {
        "email": identity.email,
        "EMAIL": identity.email.upper(),
        "external_id": identity.external_id,
        "EXTERNAL_ID": identity.external_id.upper(),
        "family_name": identity.family_name,
        "given_name": identity.given_name,
        "local_part": identity.email.split("@")[0],
        "new_email": f"changed.{identity.email}",
        "unknown_email": identities.unknown_email(),
        "random_uuid": str(uuid.uuid4()),
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


@when(
    parsers.re("the identity provider filters users with '(?P<expression>.+)'"),
    target_fixture="response",
)
def filter_users(
    idp: IdentityProvider,
    identity: Identity,
    identities: IdentityFactory,
    expression: str,
) -> Exchange:
    return idp.search(fill_placeholders(expression, identity, identities))


@then(parsers.re("the (?:filter|lookup) finds only the user"))
def finds_only_user(
    response: Exchange, idp: IdentityProvider, identity: Identity
) -> None:
    total, resources = list_resources(response)
    assert total == 1, f"expected totalResults 1:\n{response.describe()}"
    assert len(resources) == 1, f"expected one resource:\n{response.describe()}"
    assert resources[0].get("id") == idp.user_id(identity), response.describe()


@when(
    parsers.re(
        r"the identity provider lists users from startIndex (?P<start_index>\S+) "
        r"with count (?P<count>\S+)"
    ),
    target_fixture="response",
)
def list_page(idp: IdentityProvider, start_index: str, count: str) -> Exchange:
    return idp.list_users(start_index, count)


@then(
    parsers.parse("the page starts at index {start_index:d} and holds {items:d} users")
)
def page_shape(response: Exchange, start_index: int, items: int) -> None:
    _, resources = list_resources(response)
    body = json_object(response)
    assert body.get("startIndex") == start_index, response.describe()
    assert body.get("itemsPerPage") == items, response.describe()
    assert len(resources) == items, response.describe()


@then("the page is the same as the page from startIndex 1")
def same_as_first_page(idp: IdentityProvider, response: Exchange) -> None:
    count = URL(response.url).params.get("count")
    first = idp.list_users(1, count)
    _, expected = list_resources(first)
    _, actual = list_resources(response)
    assert [item.get("id") for item in actual] == [
        item.get("id") for item in expected
    ], f"{response.describe()}\n\n{first.describe()}"


@then("totalResults, startIndex and itemsPerPage are integers")
def counters_are_integers(response: Exchange) -> None:
    body = json_object(response)
    for name in ("totalResults", "startIndex", "itemsPerPage"):
        value = body.get(name)
        assert type(value) is int, (
            f"expected {name} as an integer:\n{response.describe()}"
        )


@when(
    parsers.parse("the identity provider imports all users {size:d} per page"),
    target_fixture="imported",
)
def import_users(idp: IdentityProvider, size: int) -> ImportResult:
    return idp.import_all(size)


@when("the identity provider imports all users", target_fixture="imported")
def import_in_page_size(idp: IdentityProvider) -> ImportResult:
    return idp.import_all()


@then(parsers.parse("every page holds at most {size:d} users"))
def page_sizes(imported: ImportResult, size: int) -> None:
    for page in imported.pages:
        _, resources = list_resources(page)
        assert len(resources) <= size, page.describe()
        assert json_object(page).get("itemsPerPage") == len(resources), page.describe()


def _imported_ids(imported: ImportResult) -> list[str]:
    return [str(resource.get("id")) for resource in imported.resources]


@then("the import holds every provisioned user once")
def import_complete(
    imported: ImportResult,
    idp: IdentityProvider,
    provisioned_users: list[Identity],
) -> None:
    counts = Counter(_imported_ids(imported))
    repeated = [user_id for user_id, seen in counts.items() if seen > 1]
    assert not repeated, f"users imported twice: {repeated}"
    for person in provisioned_users:
        assert counts[idp.user_id(person)] == 1, (
            f"{person.email} ({idp.user_id(person)}) is missing from the import"
        )


@then("the provisioned users come in creation order")
def creation_order(
    imported: ImportResult,
    idp: IdentityProvider,
    provisioned_users: list[Identity],
) -> None:
    positions = {
        user_id: index for index, user_id in enumerate(_imported_ids(imported))
    }
    order = [positions[idp.user_id(person)] for person in provisioned_users]
    assert order == sorted(order), f"import positions out of creation order: {order}"


@then(parsers.parse("a second import with {size:d} per page gives the same order"))
def stable_order(imported: ImportResult, idp: IdentityProvider, size: int) -> None:
    again = idp.import_all(size)
    assert _imported_ids(again) == _imported_ids(imported), (
        "the second import came in a different order"
    )
