"""Bad input gets a SCIM Error with a 4xx status from the reference server, never a 500.

RFC 7644, Section 3.12 defines the Error body: `schemas`, `status` as a string
equal to the HTTP status, `scimType` for the 400 and 409 keywords it lists,
and `detail`.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import (
    CORE_USER,
    ERROR,
    PATCH_OP,
    SOULANMA,
    assert_scim_error,
    patch_body,
    user_body,
)

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MAX_BODY_BYTES = 1024 * 1024
TWO_MIB = 2 * 1024 * 1024
SCIM_TYPES = {
    "invalidFilter",
    "tooMany",
    "uniqueness",
    "mutability",
    "invalidSyntax",
    "invalidPath",
    "noTarget",
    "invalidValue",
    "invalidVers",
    "sensitive",
}
WRITE_METHODS = ["POST", "PUT", "PATCH"]


# Helpers


@pytest.fixture
def user(scim: httpx.Client) -> dict[str, Any]:
    """A provisioned user with a name, a work email and the viewer role."""
    response = scim.post(
        "/Users",
        json=user_body(
            "ada@example.com",
            name={"givenName": "Ada", "familyName": "Lovelace"},
            emails=[{"value": "ada@example.com", "type": "work", "primary": True}],
        ),
    )
    assert response.status_code == 201, response.text
    return response.json()


def write_path(method: str, user: dict[str, Any]) -> str:
    return "/Users" if method == "POST" else f"/Users/{user['id']}"


def send_raw(
    scim: httpx.Client,
    method: str,
    path: str,
    content: bytes,
    content_type: str = "application/scim+json",
) -> httpx.Response:
    return scim.request(
        method, path, content=content, headers={"Content-Type": content_type}
    )


def assert_error_form(response: httpx.Response) -> None:
    """Check the SCIM Error form of a 4xx response without fixing its status."""
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(response.status_code)
    assert body.get("scimType") is None or body["scimType"] in SCIM_TYPES
    assert isinstance(body.get("detail"), str)


def assert_unchanged(scim: httpx.Client, user: dict[str, Any]) -> None:
    response = scim.get(f"/Users/{user['id']}")
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["version"] == user["meta"]["version"]


# Malformed JSON

DEEP_ARRAY = b"[" * 10000 + b"]" * 10000
DEEP_OBJECT = b'{"a":' * 10000 + b"1" + b"}" * 10000
DEEP_VALUE = (
    b'{"userName": "ada@example.com", "displayName": '
    + b"[" * 10000
    + b"]" * 10000
    + b"}"
)

MALFORMED_JSON = {
    "truncated": b'{"userName": "ada@example.com"',
    "truncated-string": b'{"userName": "ada@exa',
    "trailing-garbage": b'{"userName": "ada@example.com"} trailing',
    "two-objects": b'{"userName": "a@example.com"}{"userName": "b@example.com"}',
    "nan": b'{"userName": "ada@example.com", "displayName": NaN}',
    "infinity": b'{"userName": "ada@example.com", "displayName": Infinity}',
    "minus-infinity": b'{"userName": "ada@example.com", "displayName": -Infinity}',
    "bare-string": b'"ada@example.com"',
    "array": b'[{"userName": "ada@example.com"}]',
    "number": b"42",
    "null": b"null",
    "true": b"true",
    "deep-array": DEEP_ARRAY,
    "deep-object": DEEP_OBJECT,
    "deep-value": DEEP_VALUE,
    "invalid-utf8": b'{"userName": "ada\xff\xfe@example.com"}',
    "latin1": '{"userName": "adé@example.com"}'.encode("latin-1"),
    "utf16": '{"userName": "ada@example.com"}'.encode("utf-16"),
    "empty": b"",
    "whitespace": b"  \r\n\t ",
    "single-quotes": b"{'userName': 'ada@example.com'}",
    "trailing-comma": b'{"userName": "ada@example.com",}',
    "comment": b'{"userName": "ada@example.com" /* note */}',
    "unquoted-key": b'{userName: "ada@example.com"}',
    "control-char": b'{"userName": "ada\x01@example.com"}',
    "bad-escape": b'{"userName": "ada\\q@example.com"}',
    "nul-byte": b"\x00",
}


@pytest.mark.parametrize("method", WRITE_METHODS)
@pytest.mark.parametrize("raw", MALFORMED_JSON.values(), ids=MALFORMED_JSON.keys())
def test_malformed_json_invalid_syntax(
    scim: httpx.Client, user: dict[str, Any], method: str, raw: bytes
) -> None:
    response = send_raw(scim, method, write_path(method, user), raw)

    assert_scim_error(response, 400, "invalidSyntax")
    assert_unchanged(scim, user)


LONE_SURROGATES = {
    "value": b'{"userName": "ada@example.com", "displayName": "Ada \\ud800"}',
    "low-half": b'{"userName": "ada@example.com", "displayName": "\\udfff"}',
    "key": b'{"userName": "ada@example.com", "\\ud800": 1}',
    "user-name": b'{"userName": "ada\\ud83d@example.com"}',
    "nested": b'{"userName": "ada@example.com", "name": {"givenName": "\\ud800"}}',
}


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("raw", LONE_SURROGATES.values(), ids=LONE_SURROGATES.keys())
def test_lone_surrogate_invalid_syntax(
    scim: httpx.Client, user: dict[str, Any], method: str, raw: bytes
) -> None:
    response = send_raw(scim, method, write_path(method, user), raw)

    assert_scim_error(response, 400, "invalidSyntax")
    assert_unchanged(scim, user)


def test_patch_lone_surrogate_invalid_syntax(
    scim: httpx.Client, user: dict[str, Any]
) -> None:
    raw = json.dumps(
        patch_body({"op": "replace", "path": "displayName", "value": "\ud800"})
    ).encode()

    response = send_raw(scim, "PATCH", f"/Users/{user['id']}", raw)

    assert_scim_error(response, 400, "invalidSyntax")
    assert_unchanged(scim, user)


def test_surrogate_pair_accepted(scim: httpx.Client, user: dict[str, Any]) -> None:
    raw = json.dumps(
        patch_body({"op": "replace", "path": "displayName", "value": "Ada \U0001f600"})
    ).encode()

    response = send_raw(scim, "PATCH", f"/Users/{user['id']}", raw)

    assert response.status_code == 200, response.text
    assert response.json()["displayName"] == "Ada \U0001f600"
    assert scim.get(f"/Users/{user['id']}").json()["displayName"] == "Ada \U0001f600"


def test_utf8_byte_order_mark_accepted(scim: httpx.Client) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(user_body("bom@example.com")).encode()

    response = send_raw(scim, "POST", "/Users", raw)

    assert response.status_code == 201, response.text
    assert response.json()["userName"] == "bom@example.com"


# Wrong types for every kind of core attribute

WRONG_TYPES: list[tuple[str, dict[str, object]]] = [
    ("userName-number", {"userName": 42}),
    ("userName-list", {"userName": ["ada@example.com"]}),
    ("userName-object", {"userName": {"value": "ada@example.com"}}),
    ("userName-boolean", {"userName": True}),
    ("userName-null", {"userName": None}),
    ("userName-empty", {"userName": ""}),
    ("userName-not-email", {"userName": "ada"}),
    ("userName-two-ats", {"userName": "ada@@example.com"}),
    ("userName-space", {"userName": "ada lovelace@example.com"}),
    ("active-maybe", {"active": "maybe"}),
    ("active-one", {"active": 1}),
    ("active-zero", {"active": 0}),
    ("active-list", {"active": []}),
    ("active-object", {"active": {}}),
    ("emails-string", {"emails": "ada@example.com"}),
    ("emails-number", {"emails": 42}),
    ("emails-value-number", {"emails": [{"value": 42}]}),
    ("emails-primary-yes", {"emails": [{"value": "a@example.com", "primary": "yes"}]}),
    ("emails-unknown-sub", {"emails": [{"value": "a@example.com", "colour": "red"}]}),
    ("emails-list-of-strings", {"emails": ["ada@example.com"]}),
    ("name-list", {"name": ["Ada", "Lovelace"]}),
    ("name-string", {"name": "Ada Lovelace"}),
    ("name-given-number", {"name": {"givenName": 42}}),
    ("name-unknown-sub", {"name": {"nickname": "Ada"}}),
    ("displayName-number", {"displayName": 42}),
    ("displayName-object", {"displayName": {"value": "Ada"}}),
    ("externalId-number", {"externalId": 42}),
    ("externalId-list", {"externalId": ["x"]}),
    ("title-boolean", {"title": False}),
    ("phoneNumbers-string", {"phoneNumbers": "+1 555"}),
    ("addresses-number", {"addresses": 1}),
    ("roles-string", {"roles": "viewer"}),
    ("password-number", {"password": 12345678}),
    ("editor-yes", {SOULANMA: {"editor": "yes"}}),
    ("editor-one", {SOULANMA: {"editor": 1}}),
    ("editor-list", {SOULANMA: {"editor": []}}),
    ("soulanma-string", {SOULANMA: "editor"}),
    ("soulanma-list", {SOULANMA: [{"editor": True}]}),
    ("enterprise-string", {ENTERPRISE: "R&D"}),
    ("department-number", {ENTERPRISE: {"department": 7}}),
    ("manager-string", {ENTERPRISE: {"manager": "boss@example.com"}}),
    ("editor-qualified-yes", {f"{SOULANMA}:editor": "yes"}),
    ("schemas-string", {"schemas": CORE_USER}),
    ("schemas-numbers", {"schemas": [1, 2]}),
    ("long-string", {"displayName": "x" * 100_000}),
    ("many-emails", {"emails": [{"value": f"a{i}@example.com"} for i in range(500)]}),
]


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    "changes", [item[1] for item in WRONG_TYPES], ids=[item[0] for item in WRONG_TYPES]
)
def test_wrong_type_invalid_value(
    scim: httpx.Client, user: dict[str, Any], method: str, changes: dict[str, object]
) -> None:
    body = {**user_body("grace@example.com"), **changes}

    response = scim.request(method, write_path(method, user), json=body)

    assert_scim_error(response, 400, "invalidValue")
    assert_unchanged(scim, user)


def test_missing_user_name_invalid_value(scim: httpx.Client) -> None:
    response = scim.post("/Users", json={"schemas": [CORE_USER], "displayName": "Ada"})

    body = assert_scim_error(response, 400, "invalidValue")
    assert "userName" in str(body["detail"])


# Attributes outside the User schemas

UNKNOWN_ATTRIBUTES: list[tuple[str, dict[str, object]]] = [
    ("top-level", {"favouriteColour": "red"}),
    ("top-level-null", {"favouriteColour": None}),
    ("soulanma-extension", {SOULANMA: {"colour": "red"}}),
    ("enterprise-extension", {ENTERPRISE: {"shoeSize": 42}}),
    ("soulanma-qualified", {f"{SOULANMA}:colour": "red"}),
    ("core-qualified", {f"{CORE_USER}:colour": "red"}),
    ("unknown-schema-object", {"urn:example:params:scim:2.0:User": {"a": 1}}),
    ("unknown-schema-attribute", {"urn:example:params:scim:2.0:User:a": 1}),
    ("group-members", {"members": [{"value": "x"}]}),
]


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    "changes",
    [item[1] for item in UNKNOWN_ATTRIBUTES],
    ids=[item[0] for item in UNKNOWN_ATTRIBUTES],
)
def test_unknown_attribute_invalid_value(
    scim: httpx.Client, user: dict[str, Any], method: str, changes: dict[str, object]
) -> None:
    body = {**user_body("grace@example.com"), **changes}

    response = scim.request(method, write_path(method, user), json=body)

    assert_scim_error(response, 400, "invalidValue")
    assert_unchanged(scim, user)


ADMIN_GRANTS: list[tuple[str, dict[str, object]]] = [
    ("qualified-admin", {f"{SOULANMA}:admin": True}),
    ("extension-admin", {SOULANMA: {"admin": True}}),
    ("extension-admin-false", {SOULANMA: {"admin": False}}),
    ("role-admin", {"roles": [{"value": "admin"}]}),
    ("role-owner", {"roles": [{"value": "Owner"}]}),
    ("role-display-admin", {"roles": [{"value": "r1", "display": "Workspace Admin"}]}),
]


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    "changes",
    [item[1] for item in ADMIN_GRANTS],
    ids=[item[0] for item in ADMIN_GRANTS],
)
def test_admin_grant_rejected(
    scim: httpx.Client, user: dict[str, Any], method: str, changes: dict[str, object]
) -> None:
    body = {**user_body("grace@example.com"), **changes}

    response = scim.request(method, write_path(method, user), json=body)

    error = assert_scim_error(response, 400, "invalidValue")
    assert "workspace settings" in str(error["detail"])
    assert_unchanged(scim, user)


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "add", "path": f"{SOULANMA}:admin", "value": True},
        {"op": "replace", "value": {f"{SOULANMA}:admin": True}},
        {"op": "add", "path": "roles", "value": [{"value": "admin"}]},
    ],
)
def test_patch_admin_grant_rejected(
    scim: httpx.Client, user: dict[str, Any], operation: dict[str, object]
) -> None:
    response = scim.patch(f"/Users/{user['id']}", json=patch_body(operation))

    assert response.status_code == 400, response.text
    assert_error_form(response)
    assert response.json()["scimType"] in {"invalidPath", "invalidValue"}
    assert_unchanged(scim, user)


# Bodies over the size limit


def padded_user(size: int) -> bytes:
    """Return a valid user body padded with JSON whitespace to `size` bytes."""
    raw = json.dumps(user_body("padded@example.com")).encode()
    return raw[:-1] + b" " * (size - len(raw)) + b"}"


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_two_mib_body_is_413(
    scim: httpx.Client, user: dict[str, Any], method: str
) -> None:
    response = send_raw(scim, method, write_path(method, user), padded_user(TWO_MIB))

    assert_scim_error(response, 413)
    assert_unchanged(scim, user)


def test_body_one_byte_over_limit(scim: httpx.Client) -> None:
    response = send_raw(scim, "POST", "/Users", padded_user(MAX_BODY_BYTES + 1))

    assert_scim_error(response, 413)


def test_body_at_limit_accepted(scim: httpx.Client) -> None:
    response = send_raw(scim, "POST", "/Users", padded_user(MAX_BODY_BYTES))

    assert response.status_code == 201, response.text


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_chunked_two_mib_is_413(
    scim: httpx.Client, user: dict[str, Any], method: str
) -> None:
    raw = padded_user(TWO_MIB)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(raw), 65536):
            yield raw[start : start + 65536]

    response = scim.request(
        method,
        write_path(method, user),
        content=chunks(),
        headers={"Content-Type": "application/scim+json"},
    )

    assert "content-length" not in response.request.headers
    assert_scim_error(response, 413)
    assert_unchanged(scim, user)


def raw_exchange(base_url: str, request: bytes, timeout: float = 10.0) -> bytes:
    """Send `request` on a new socket and return the bytes of the first response."""
    parts = urlsplit(base_url)
    assert parts.hostname in {"127.0.0.1", "localhost"}
    with socket.create_connection(
        (parts.hostname, parts.port), timeout=timeout
    ) as sock:
        # The server may respond and close before it reads everything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        head, _, rest = received.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    return head + b"\r\n\r\n" + rest[:length]


def parse_raw_response(raw: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, json.loads(body)


def raw_request(server: Any, token: str, declared_length: int, body: bytes) -> bytes:
    path = urlsplit(server.base_url).path + "/Users"
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: application/scim+json\r\n"
        f"Content-Length: {declared_length}\r\n"
        f"Connection: close\r\n\r\n"
    )
    return head.encode() + body


def test_declared_length_over_limit(server: Any, workspace: dict[str, str]) -> None:
    request = raw_request(server, workspace["scim_token"], TWO_MIB, b'{"userName": ')
    started = time.monotonic()

    raw = raw_exchange(server.base_url, request)

    status, headers, body = parse_raw_response(raw)
    assert status == 413
    assert headers["content-type"].startswith("application/scim+json")
    assert body["schemas"] == [ERROR]
    assert body["status"] == "413"
    assert "scimType" not in body
    assert time.monotonic() - started < 5


def test_understated_length_reads_declared(
    server: Any, workspace: dict[str, str], scim: httpx.Client
) -> None:
    # The surplus stays small: the server reads it all from the socket, so it
    # closes with FIN. Unread megabytes would make it reset the connection,
    # and Linux drops a response not yet read when a reset arrives.
    request = raw_request(server, workspace["scim_token"], 20, padded_user(32 * 1024))

    raw = raw_exchange(server.base_url, request)

    status, headers, body = parse_raw_response(raw)
    assert status == 400
    assert headers["content-type"].startswith("application/scim+json")
    assert body["schemas"] == [ERROR]
    assert body["status"] == "400"
    assert body["scimType"] == "invalidSyntax"
    assert scim.get("/Users").json()["totalResults"] == 0


# Malformed filters

BAD_FILTERS = [
    "userName eq",
    'userName "ada@example.com"',
    'eq "ada@example.com"',
    'userName xx "ada@example.com"',
    'userName equals "ada@example.com"',
    'userName eq "ada@example.com',
    '(userName eq "ada@example.com"',
    'userName eq "ada@example.com")',
    'userName eq "ada@example.com" and',
    'and userName eq "ada@example.com"',
    'userName eq "a@example.com" or or userName eq "b@example.com"',
    'userName eq "a@example.com" and (',
    'emails[type eq "work"',
    "emails[]",
    'emails[type eq "work"]]',
    'emails[type eq "work"][value pr]',
    'favouriteColour eq "red"',
    'name.nickname eq "Ada"',
    'urn:example:unknown:2.0:User:colour eq "red"',
    'active eq "maybe"',
    "active gt true",
    'meta.lastModified gt "not a date"',
    "userName pr extra",
    'userName eq "ada\\q"',
    'name eq "Ada"',
    'emails[type eq "work"].colour eq "x"',
    'displayName[value eq "x"]',
    'emails[type eq "work" and nickname eq "x"]',
    'emails[value eq "a" and emails[type eq "b"]]',
    "userName sw null",
    "(" * 60 + 'userName eq "a"' + ")" * 60,
    "(" * 10000 + 'userName eq "a"' + ")" * 10000,
    "not " * 60 + 'userName eq "a"',
    'userName eq "' + "a" * 5000 + '"',
    "",
    "   ",
    "()",
    "and",
    "userName",
    '"ada@example.com"',
    "[userName]",
]


@pytest.mark.parametrize("filter_text", BAD_FILTERS)
def test_malformed_filter_invalid_filter(
    scim: httpx.Client, user: dict[str, Any], filter_text: str
) -> None:
    response = scim.get("/Users", params={"filter": filter_text})

    assert_scim_error(response, 400, "invalidFilter")


# Pagination values

BAD_PAGINATION = ["abc", "", " ", "1.5", "1e3", "0x10", "two", "--1", "1 2", "∞"]


@pytest.mark.parametrize("name", ["startIndex", "count"])
@pytest.mark.parametrize("value", BAD_PAGINATION)
def test_bad_pagination_invalid_value(
    scim: httpx.Client, name: str, value: str
) -> None:
    response = scim.get("/Users", params={name: value})

    assert_scim_error(response, 400, "invalidValue")


@pytest.mark.parametrize("name", ["startIndex", "count"])
@pytest.mark.parametrize(
    "value", ["99999999999999999999999999", "-99999999999999999999999999", "9" * 5000]
)
def test_extreme_pagination_never_500(
    scim: httpx.Client, user: dict[str, Any], name: str, value: str
) -> None:
    response = scim.get("/Users", params={name: value})

    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_scim_error(response, 400, "invalidValue")


ODD_QUERIES = [
    ("/Users?filter=userName%20eq%20%22%5Cud800%22", 200, None),
    ("/Users?filter=userName%20eq%20%22%FF%22", 200, None),
    ("/Users?filter=userName%20eq%20%22%00%22", 200, None),
    ("/Users?filter=%ED%A0%80", 400, "invalidFilter"),
    ("/Users?count=%FF", 400, "invalidValue"),
    ("/Users?startIndex=%00", 400, "invalidValue"),
    ("/Users?attributes=%FF", 200, None),
    ("/Users?excludedAttributes=%5Cud800", 200, None),
    ("/Users/%FF", 404, None),
    ("/Users/%ED%A0%80", 404, None),
    ("/Users/..%2F..%2Fadmin", 404, None),
    ("/Schemas/%FF", 404, None),
    ("/ResourceTypes/%ED%A0%80", 404, None),
    ("/Nowhere%FF", 404, None),
]


@pytest.mark.parametrize(("url", "status", "scim_type"), ODD_QUERIES)
def test_odd_url_bytes_handled(
    scim: httpx.Client, url: str, status: int, scim_type: str | None
) -> None:
    response = scim.get(url)

    if status == 200:
        assert response.status_code == 200, response.text
        assert response.json()["totalResults"] == 0
    else:
        assert_scim_error(response, status, scim_type)


# Malformed PATCH bodies

MALFORMED_PATCH: list[tuple[str, object, str]] = [
    ("no-operations", {"schemas": [PATCH_OP]}, "invalidSyntax"),
    ("operations-null", {"schemas": [PATCH_OP], "Operations": None}, "invalidSyntax"),
    (
        "operations-object",
        {"schemas": [PATCH_OP], "Operations": {"op": "add"}},
        "invalidSyntax",
    ),
    (
        "operations-string",
        {"schemas": [PATCH_OP], "Operations": "replace"},
        "invalidSyntax",
    ),
    ("operations-empty", {"schemas": [PATCH_OP], "Operations": []}, "invalidSyntax"),
    (
        "operation-string",
        {"schemas": [PATCH_OP], "Operations": ["replace"]},
        "invalidSyntax",
    ),
    ("operation-null", {"schemas": [PATCH_OP], "Operations": [None]}, "invalidSyntax"),
    ("op-missing", patch_body({"path": "displayName", "value": "x"}), "invalidSyntax"),
    (
        "op-unknown",
        patch_body({"op": "move", "path": "displayName", "value": "x"}),
        "invalidSyntax",
    ),
    (
        "op-number",
        patch_body({"op": 1, "path": "displayName", "value": "x"}),
        "invalidSyntax",
    ),
    (
        "op-empty",
        patch_body({"op": "", "path": "displayName", "value": "x"}),
        "invalidSyntax",
    ),
    (
        "wrong-schema",
        {
            "schemas": [CORE_USER],
            "Operations": [{"op": "replace", "path": "displayName", "value": "x"}],
        },
        "invalidSyntax",
    ),
    (
        "path-number",
        patch_body({"op": "replace", "path": 5, "value": "x"}),
        "invalidSyntax",
    ),
    (
        "unknown-path",
        patch_body({"op": "replace", "path": "favouriteColour", "value": "red"}),
        "invalidPath",
    ),
    (
        "unknown-sub-path",
        patch_body({"op": "replace", "path": "name.nickname", "value": "Ada"}),
        "invalidPath",
    ),
    (
        "unknown-extension-path",
        patch_body({"op": "replace", "path": f"{SOULANMA}:colour", "value": "red"}),
        "invalidPath",
    ),
    (
        "unknown-schema-path",
        patch_body(
            {"op": "replace", "path": "urn:example:x:2.0:User:colour", "value": "red"}
        ),
        "invalidPath",
    ),
    (
        "unclosed-filter-path",
        patch_body({"op": "replace", "path": 'emails[type eq "work"', "value": "x"}),
        "invalidPath",
    ),
    (
        "bad-filter-path",
        patch_body({"op": "replace", "path": "emails[type zz 1]", "value": "x"}),
        "invalidPath",
    ),
    (
        "filter-on-single-path",
        patch_body(
            {"op": "replace", "path": 'displayName[value eq "x"]', "value": "x"}
        ),
        "invalidPath",
    ),
    ("remove-without-path", patch_body({"op": "remove"}), "noTarget"),
    ("remove-empty-path", patch_body({"op": "remove", "path": ""}), "noTarget"),
    (
        "remove-no-match-filter",
        patch_body(
            {
                "op": "replace",
                "path": 'emails[type sw "hom"].value',
                "value": "x@example.com",
            }
        ),
        "noTarget",
    ),
    (
        "replace-without-value",
        patch_body({"op": "replace", "path": "displayName"}),
        "invalidValue",
    ),
    (
        "add-without-value",
        patch_body({"op": "add", "path": "displayName"}),
        "invalidValue",
    ),
    (
        "pathless-string-value",
        patch_body({"op": "replace", "value": "x"}),
        "invalidValue",
    ),
    (
        "pathless-list-value",
        patch_body({"op": "add", "value": [{"active": False}]}),
        "invalidValue",
    ),
    (
        "active-maybe",
        patch_body({"op": "replace", "path": "active", "value": "maybe"}),
        "invalidValue",
    ),
    (
        "active-number",
        patch_body({"op": "replace", "path": "active", "value": 0}),
        "invalidValue",
    ),
    (
        "userName-number",
        patch_body({"op": "replace", "path": "userName", "value": 5}),
        "invalidValue",
    ),
    (
        "userName-not-email",
        patch_body({"op": "replace", "path": "userName", "value": "ada"}),
        "invalidValue",
    ),
    (
        "userName-remove",
        patch_body({"op": "remove", "path": "userName"}),
        "invalidValue",
    ),
    (
        "name-string",
        patch_body({"op": "replace", "path": "name", "value": "Ada"}),
        "invalidValue",
    ),
    (
        "emails-string",
        patch_body({"op": "add", "path": "emails", "value": "ada@example.com"}),
        "invalidValue",
    ),
    (
        "editor-yes",
        patch_body({"op": "replace", "path": f"{SOULANMA}:editor", "value": "yes"}),
        "invalidValue",
    ),
    (
        "extension-string",
        patch_body({"op": "replace", "path": SOULANMA, "value": "editor"}),
        "invalidValue",
    ),
    (
        "value-too-deep",
        patch_body(
            {
                "op": "replace",
                "path": "displayName",
                "value": json.loads("[" * 40 + "]" * 40),
            }
        ),
        "invalidValue",
    ),
    (
        "id-changed",
        patch_body({"op": "replace", "path": "id", "value": "other"}),
        "mutability",
    ),
    (
        "state-changed",
        patch_body({"op": "replace", "path": f"{SOULANMA}:state", "value": "member"}),
        "mutability",
    ),
    (
        "meta-changed",
        patch_body(
            {"op": "replace", "path": "meta.created", "value": "2000-01-01T00:00:00Z"}
        ),
        "mutability",
    ),
    ("id-removed", patch_body({"op": "remove", "path": "id"}), "mutability"),
]


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [item[1:] for item in MALFORMED_PATCH],
    ids=[item[0] for item in MALFORMED_PATCH],
)
def test_malformed_patch_rejected(
    scim: httpx.Client, user: dict[str, Any], body: object, scim_type: str
) -> None:
    response = scim.patch(f"/Users/{user['id']}", json=body)

    assert_scim_error(response, 400, scim_type)
    assert_unchanged(scim, user)


def test_patch_all_or_nothing(scim: httpx.Client, user: dict[str, Any]) -> None:
    body = patch_body(
        {"op": "replace", "path": "displayName", "value": "Changed"},
        {"op": "replace", "path": "favouriteColour", "value": "red"},
    )

    response = scim.patch(f"/Users/{user['id']}", json=body)

    assert_scim_error(response, 400, "invalidPath")
    assert "displayName" not in scim.get(f"/Users/{user['id']}").json()


# Unsupported media types

UNSUPPORTED_TYPES = [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/scim+xml",
    "application/jsonx",
    "application/octet-stream",
    "text/json-ish",
]


@pytest.mark.parametrize("method", WRITE_METHODS)
@pytest.mark.parametrize("content_type", UNSUPPORTED_TYPES)
def test_unsupported_content_type_415(
    scim: httpx.Client, user: dict[str, Any], method: str, content_type: str
) -> None:
    body = patch_body({"op": "replace", "path": "displayName", "value": "x"})
    if method != "PATCH":
        body = user_body("grace@example.com")

    response = send_raw(
        scim, method, write_path(method, user), json.dumps(body).encode(), content_type
    )

    assert_scim_error(response, 415)
    assert_unchanged(scim, user)


# Wrong methods, unknown endpoints and groups


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/Users"),
        ("PUT", "/Users"),
        ("PATCH", "/Users"),
        ("DELETE", "/Users/"),
        ("POST", "/Users/{id}"),
        ("POST", "/ServiceProviderConfig"),
        ("PUT", "/ServiceProviderConfig"),
        ("DELETE", "/ResourceTypes"),
        ("POST", "/ResourceTypes/User"),
        ("PATCH", "/Schemas"),
        ("DELETE", f"/Schemas/{CORE_USER}"),
    ],
)
def test_wrong_method_is_scim_405(
    scim: httpx.Client, user: dict[str, Any], method: str, path: str
) -> None:
    response = scim.request(
        method, path.format(id=user["id"]), json=user_body("x@example.com")
    )

    assert_scim_error(response, 405)
    assert_unchanged(scim, user)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize(
    "path", ["/Nowhere", "/Users/{id}/extra", "/Bulk", "/Me", "/users-v2", ""]
)
def test_unknown_endpoint_is_scim_404(
    scim: httpx.Client, user: dict[str, Any], method: str, path: str
) -> None:
    response = scim.request(method, path.format(id=user["id"]))

    assert_scim_error(response, 404)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/Groups", "/Groups/", "/Groups/g1", "/Groups/g1/x"])
def test_groups_every_method_404(scim: httpx.Client, method: str, path: str) -> None:
    response = scim.request(method, path, json={"displayName": "Editors"})

    body = assert_scim_error(response, 404)
    assert "not supported" in str(body["detail"])


def test_groups_head_is_404(scim: httpx.Client) -> None:
    response = scim.head("/Groups")

    assert response.status_code == 404


# Randomized mutation of valid bodies

ODD_TEXT = [
    "\u0000",
    "\ud800",
    "\udfff",
    "\ufeff",
    "\u202e",
    "e\u0301",
    "😀",
    "\U0010ffff",
    "\n\r\t",
    "'; DROP TABLE users; --",
    '"',
    "\\",
    "%00",
    "${jndi:ldap://x}",
    "urn:ietf:params:scim:schemas:core:2.0:User:",
    "@",
    "null",
]
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    2**70,
    1.5,
    1e308,
    "",
    [],
    {},
    [None],
    [[]],
    {"": ""},
    "x" * 5000,
    "x" * 200_000,
    ["x"] * 150,
]


def base_user_body(rng: random.Random) -> dict[str, object]:
    email = f"fuzz{rng.randrange(10**9)}@example.com"
    return {
        "schemas": [CORE_USER, ENTERPRISE, SOULANMA],
        "userName": email,
        "externalId": f"ext-{rng.randrange(10**6)}",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "displayName": "Ada Lovelace",
        "active": True,
        "emails": [{"value": email, "type": "work", "primary": True}],
        "phoneNumbers": [{"value": "+1 555 0100", "type": "work"}],
        "roles": [{"value": "engineer"}],
        ENTERPRISE: {"department": "R&D", "manager": {"value": "m1"}},
        SOULANMA: {"editor": True},
    }


def base_patch_body(rng: random.Random) -> dict[str, object]:
    operations = [
        {"op": "replace", "path": "displayName", "value": "Ada"},
        {
            "op": "Add",
            "path": 'emails[type eq "work"].value',
            "value": f"f{rng.randrange(10**9)}@example.com",
        },
        {"op": "remove", "path": "name.givenName"},
        {"op": "replace", "value": {"active": False, "name.familyName": "L"}},
        {"op": "replace", "path": f"{SOULANMA}:editor", "value": "False"},
    ]
    return patch_body(*rng.sample(operations, rng.randint(1, len(operations))))


def odd_value(rng: random.Random) -> object:
    if rng.random() < 0.5:
        return rng.choice(ODD_VALUES)
    return "".join(rng.choice(ODD_TEXT) for _ in range(rng.randint(1, 4)))


def mutate(value: object, rng: random.Random, depth: int = 0) -> object:
    """Return `value` with one random change somewhere inside it."""
    if isinstance(value, dict) and value and depth < 4:
        key = rng.choice(list(value))
        action = rng.random()
        if action < 0.25:
            return {k: v for k, v in value.items() if k != key}
        if action < 0.45:
            return {**value, key: odd_value(rng)}
        if action < 0.55:
            return {**value, str(odd_value(rng))[:300]: odd_value(rng)}
        if action < 0.65:
            return {k.upper() if isinstance(k, str) else k: v for k, v in value.items()}
        return {**value, key: mutate(value[key], rng, depth + 1)}
    if isinstance(value, list) and value and depth < 4:
        index = rng.randrange(len(value))
        action = rng.random()
        if action < 0.3:
            return value[:index] + value[index + 1 :]
        if action < 0.5:
            return [*value, odd_value(rng)]
        return [
            *value[:index],
            mutate(value[index], rng, depth + 1),
            *value[index + 1 :],
        ]
    if isinstance(value, str) and rng.random() < 0.5:
        position = rng.randrange(len(value) + 1)
        return value[:position] + str(odd_value(rng)) + value[position:]
    return odd_value(rng)


def test_random_mutations_never_500(scim: httpx.Client) -> None:
    rng = random.Random(1234)
    seed_user = scim.post("/Users", json=base_user_body(rng))
    assert seed_user.status_code == 201, seed_user.text
    user_id = seed_user.json()["id"]
    failures: list[str] = []

    for _ in range(300):
        method = rng.choice(WRITE_METHODS)
        body = base_patch_body(rng) if method == "PATCH" else base_user_body(rng)
        for _ in range(rng.randint(1, 3)):
            body = mutate(copy.deepcopy(body), rng)
        path = "/Users" if method == "POST" else f"/Users/{user_id}"
        raw = json.dumps(body).encode()
        try:
            response = send_raw(scim, method, path, raw)
        except httpx.TransportError as error:
            # Uvicorn closes the connection after an unhandled exception.
            failures.append(f"{method} {raw[:300]!r} -> {error!r}")
            continue

        if response.status_code >= 500:
            failures.append(f"{method} {raw[:300]!r} -> {response.text[:300]}")
        elif response.status_code >= 400:
            assert_error_form(response)
        if (
            response.status_code == 404
            or scim.get(f"/Users/{user_id}").status_code != 200
        ):
            failures.append(f"{method} lost the user: {raw[:300]!r}")
            break

    assert failures == []


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/Users", "DELETE"),
        ("/Users/some-id", "POST"),
        ("/ServiceProviderConfig", "PUT"),
    ],
)
def test_method_not_allowed_names_allowed_methods(
    scim: httpx.Client, path: str, method: str
) -> None:
    response = scim.request(method, path)

    assert_scim_error(response, 405)
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize("value", ["+5", "\u20095", "\u0665", "1_0", "5.0"])
def test_count_must_be_ascii_integer(scim: httpx.Client, value: str) -> None:
    response = scim.get("/Users", params={"count": value})

    assert_scim_error(response, 400, "invalidValue")


@pytest.mark.parametrize(
    "role", [{"display": "Admin"}, {"type": "owner"}, {"value": "Workspace Owner"}]
)
def test_admin_role_without_value_is_rejected(
    scim: httpx.Client, role: dict[str, str]
) -> None:
    body = {
        "schemas": [CORE_USER],
        "userName": "role.check@example.com",
        "roles": [role],
    }

    response = scim.post("/Users", json=body)

    assert_scim_error(response, 400, "invalidValue")
    assert "workspace settings" in response.json()["detail"]


def test_wrong_method_without_token_is_401(server: Any) -> None:
    response = httpx.put(f"{server.base_url}/Users", json={}, timeout=10)

    assert_scim_error(response, 401)
    assert "allow" not in response.headers
