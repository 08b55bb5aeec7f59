"""Then steps about the status and body of the last response."""

from __future__ import annotations

from pytest_bdd import parsers, then

from mock_idp.transcript import Exchange
from steps.checks import (
    assert_scim_error,
    assert_scim_media_type,
    assert_status,
    assert_updated,
    json_object,
    list_resources,
)


@then(parsers.re(r"the request succeeds with status (?P<status>\d+)"))
def request_succeeds(response: Exchange, status: str) -> None:
    assert_status(response, int(status))


@then("the update succeeds")
def update_succeeds(response: Exchange) -> None:
    assert_updated(response)


@then(parsers.re(r"the request fails with status (?P<status>\d+)"))
def request_fails(response: Exchange, status: str) -> None:
    assert_scim_error(response, int(status))


@then(
    parsers.re(
        r"the request fails with status (?P<status>\d+) "
        r'and scimType "(?P<scim_type>\w+)"'
    )
)
def request_fails_with_type(response: Exchange, status: str, scim_type: str) -> None:
    assert_scim_error(response, int(status), scim_type)


@then(parsers.re(r'the error detail mentions "(?P<text>[^"]+)"'))
def detail_mentions(response: Exchange, text: str) -> None:
    detail = str(json_object(response).get("detail", ""))
    assert text.lower() in detail.lower(), (
        f"expected the detail to mention {text!r}:\n{response.describe()}"
    )


@then("the response is application/scim+json")
def response_is_scim_json(response: Exchange) -> None:
    assert_scim_media_type(response)


@then("the response is a list of users")
def response_is_list(response: Exchange) -> None:
    total, resources = list_resources(response)
    assert total >= len(resources), f"totalResults too small:\n{response.describe()}"


@then(parsers.re("the (?:filter|lookup) finds no user"))
def finds_no_user(response: Exchange) -> None:
    total, resources = list_resources(response)
    assert total == 0, f"expected totalResults 0:\n{response.describe()}"
    assert resources == [], f"expected no Resources:\n{response.describe()}"
