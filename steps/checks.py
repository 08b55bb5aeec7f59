"""Assertions shared by the Then steps, whose messages show the exchange."""

from __future__ import annotations

from typing import Any

from mock_idp.identities import Identity
from mock_idp.provisioning import SOULANMA_USER_URN, IdentityProvider
from mock_idp.transcript import Exchange

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_MEDIA_TYPE = "application/scim+json"


def assert_status(exchange: Exchange, status: int) -> None:
    assert exchange.status == status, (
        f"expected status {status}, got {exchange.status}:\n{exchange.describe()}"
    )


def json_object(exchange: Exchange) -> dict[str, Any]:
    body = exchange.json()
    assert isinstance(body, dict), f"expected a JSON object:\n{exchange.describe()}"
    return body


def assert_scim_media_type(exchange: Exchange) -> None:
    content_type = exchange.header("content-type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    assert media_type == SCIM_MEDIA_TYPE, (
        f"expected Content-Type {SCIM_MEDIA_TYPE}, got {content_type!r}:\n"
        f"{exchange.describe()}"
    )


def assert_scim_error(
    exchange: Exchange, status: int, scim_type: str | None = None
) -> dict[str, Any]:
    """Check the status and the SCIM Error body of RFC 7644, Section 3.12."""
    assert_status(exchange, status)
    assert_scim_media_type(exchange)
    body = json_object(exchange)
    assert ERROR_URN in body.get("schemas", []), (
        f"expected schemas to contain {ERROR_URN}:\n{exchange.describe()}"
    )
    assert body.get("status") == str(status), (
        f"expected status as the string {str(status)!r}:\n{exchange.describe()}"
    )
    if scim_type is not None:
        assert body.get("scimType") == scim_type, (
            f"expected scimType {scim_type!r}:\n{exchange.describe()}"
        )
    return body


def assert_updated(exchange: Exchange) -> None:
    """Accept 200 with the resource or 204, the two responses RFC 7644 allows."""
    assert exchange.status in (200, 204), (
        f"expected 200 or 204, got {exchange.status}:\n{exchange.describe()}"
    )
    if exchange.status == 200:
        assert "id" in json_object(exchange), (
            f"expected the updated resource in the body:\n{exchange.describe()}"
        )


def read_user(idp: IdentityProvider, identity: Identity) -> tuple[dict, Exchange]:
    """GET the user by its id and return the resource with the exchange."""
    exchange = idp.read(identity)
    assert_status(exchange, 200)
    return json_object(exchange), exchange


def extension(resource: dict[str, Any], exchange: Exchange) -> dict[str, Any]:
    value = resource.get(SOULANMA_USER_URN)
    assert isinstance(value, dict), (
        f"expected the {SOULANMA_USER_URN} object:\n{exchange.describe()}"
    )
    return value


def list_resources(exchange: Exchange) -> tuple[int, list[dict[str, Any]]]:
    """Check a ListResponse and return its totalResults and Resources."""
    assert_status(exchange, 200)
    body = json_object(exchange)
    assert LIST_RESPONSE_URN in body.get("schemas", []), (
        f"expected a ListResponse:\n{exchange.describe()}"
    )
    total = body.get("totalResults")
    assert isinstance(total, int), (
        f"expected integer totalResults:\n{exchange.describe()}"
    )
    resources = body.get("Resources", [])
    assert isinstance(resources, list), (
        f"expected Resources as a list:\n{exchange.describe()}"
    )
    return total, resources


def attribute_at(resource: dict[str, Any], path: str) -> Any:
    """Return the value at a dotted path such as `name.familyName`, or None."""
    value: Any = resource
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
