"""Inputs from identity providers that broke SCIM servers, against the reference server.

Each test drives the reference server over real HTTP and observes membership,
seats, accounts and sign-in through the workspace admin API.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import (
    CORE_USER,
    ERROR,
    SOULANMA,
    assert_scim_error,
    patch_body,
    user_body,
)

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
MISSING_ID = "00000000-0000-0000-0000-000000000000"
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


# Helpers


def unique_email(local: str = "user") -> str:
    """Return an address no other test uses: accounts are shared by workspaces."""
    return f"{local}.{uuid.uuid4().hex[:10]}@example.com"


def create_user(scim: httpx.Client, email: str, **extra: object) -> dict[str, Any]:
    response = scim.post("/Users", json=user_body(email, **extra))
    assert response.status_code == 201, response.text
    return response.json()


def read_user(scim: httpx.Client, user_id: str) -> dict[str, Any]:
    response = scim.get(f"/Users/{user_id}")
    assert response.status_code == 200, response.text
    return response.json()


def patch_user(
    scim: httpx.Client, user_id: str, *operations: dict[str, object]
) -> httpx.Response:
    return scim.patch(f"/Users/{user_id}", json=patch_body(*operations))


def list_users(scim: httpx.Client, **params: str) -> dict[str, Any]:
    response = scim.get("/Users", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def members(admin: httpx.Client, workspace: dict[str, str]) -> list[dict[str, Any]]:
    response = admin.get(f"/workspaces/{workspace['id']}/members")
    assert response.status_code == 200, response.text
    return response.json()["members"]


def member(
    admin: httpx.Client, workspace: dict[str, str], user_id: str
) -> dict[str, Any]:
    found = [entry for entry in members(admin, workspace) if entry["id"] == user_id]
    assert len(found) == 1, found
    return found[0]


def editor_seats(admin: httpx.Client, workspace: dict[str, str]) -> int:
    response = admin.get(f"/workspaces/{workspace['id']}/seats")
    assert response.status_code == 200, response.text
    return response.json()["editor_seats"]


def sign_in(
    admin: httpx.Client, workspace: dict[str, str], email: str
) -> httpx.Response:
    return admin.post(
        f"/workspaces/{workspace['id']}/sso-sign-in", json={"email": email}
    )


def accounts(admin: httpx.Client, email: str) -> list[dict[str, Any]]:
    response = admin.get("/accounts", params={"email": email})
    assert response.status_code == 200, response.text
    return response.json()["accounts"]


def editor_of(resource: dict[str, Any]) -> object:
    return resource[SOULANMA]["editor"]


def state_of(resource: dict[str, Any]) -> object:
    return resource[SOULANMA]["state"]


def signed_in_editor(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> dict[str, Any]:
    """Provision an editor and sign them in, so that they hold an editor seat."""
    email = unique_email("editor")
    created = create_user(
        scim,
        email,
        name={"givenName": "Ada", "familyName": "Lovelace"},
        emails=[{"value": email, "type": "work", "primary": True}],
        **{SOULANMA: {"editor": True}},
    )
    response = sign_in(admin, workspace, email)
    assert response.status_code == 200, response.text
    return created


# PATCH operation names match in any letter case


@pytest.mark.parametrize("op", ["Replace", "replace", "REPLACE", "rEpLaCe"])
def test_patch_replace_in_any_case(scim: httpx.Client, op: str) -> None:
    user = create_user(scim, unique_email(), displayName="Old Name")

    response = patch_user(
        scim, user["id"], {"op": op, "path": "displayName", "value": "Ada Example"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["displayName"] == "Ada Example"
    assert read_user(scim, user["id"])["displayName"] == "Ada Example"


@pytest.mark.parametrize("op", ["Add", "add", "ADD", "aDd"])
def test_patch_add_in_any_case(scim: httpx.Client, op: str) -> None:
    user = create_user(scim, unique_email())

    response = patch_user(
        scim, user["id"], {"op": op, "path": "displayName", "value": "Ada Example"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["displayName"] == "Ada Example"
    assert read_user(scim, user["id"])["displayName"] == "Ada Example"


@pytest.mark.parametrize("op", ["Remove", "remove", "REMOVE", "rEmOvE"])
def test_patch_remove_in_any_case(scim: httpx.Client, op: str) -> None:
    user = create_user(scim, unique_email(), displayName="Ada Example")

    response = patch_user(scim, user["id"], {"op": op, "path": "displayName"})

    assert response.status_code == 200, response.text
    assert "displayName" not in response.json()
    assert "displayName" not in read_user(scim, user["id"])


def test_patch_keys_in_any_case(scim: httpx.Client) -> None:
    user = create_user(scim, unique_email())
    body = {
        "Schemas": [patch_body()["schemas"][0]],
        "operations": [
            {"OP": "Replace", "PATH": "displayName", "VALUE": "Ada Example"}
        ],
    }

    response = scim.patch(f"/Users/{user['id']}", json=body)

    assert response.status_code == 200, response.text
    assert read_user(scim, user["id"])["displayName"] == "Ada Example"


# Path-less deactivation and reactivation


@pytest.mark.parametrize("op", ["replace", "Replace"])
def test_pathless_deactivate_then_reactivate(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], op: str
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    assert editor_seats(admin, workspace) == 1

    deactivated = patch_user(scim, user["id"], {"op": op, "value": {"active": False}})

    assert deactivated.status_code == 200, deactivated.text
    body = deactivated.json()
    assert body["id"] == user["id"]
    assert body["active"] is False
    assert body["userName"] == user["userName"]
    assert body["emails"] == user["emails"]
    assert body["name"] == user["name"]
    assert editor_of(body) is True
    assert state_of(body) == "removed"
    assert member(admin, workspace, user["id"])["state"] == "removed"
    assert member(admin, workspace, user["id"])["role"] == "editor"
    assert editor_seats(admin, workspace) == 0
    assert read_user(scim, user["id"])["active"] is False

    reactivated = patch_user(scim, user["id"], {"op": op, "value": {"active": True}})

    assert reactivated.status_code == 200, reactivated.text
    body = reactivated.json()
    assert body["id"] == user["id"]
    assert body["active"] is True
    assert state_of(body) == "pending"
    assert editor_of(body) is True
    assert member(admin, workspace, user["id"])["state"] == "pending"
    assert editor_seats(admin, workspace) == 0


def test_deactivated_user_cannot_sign_in(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    deactivated = patch_user(
        scim, user["id"], {"op": "replace", "value": {"active": False}}
    )
    assert deactivated.status_code == 200, deactivated.text

    refused = sign_in(admin, workspace, user["userName"])

    assert refused.status_code == 403


def test_reactivated_user_member_after_sign_in(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    for active in (False, True):
        response = patch_user(
            scim, user["id"], {"op": "replace", "value": {"active": active}}
        )
        assert response.status_code == 200, response.text

    signed_in = sign_in(admin, workspace, user["userName"])

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["state"] == "member"
    assert signed_in.json()["id"] == user["id"]
    assert editor_seats(admin, workspace) == 1
    assert len(accounts(admin, user["userName"])) == 1


# Path-less PATCH whose value keys are attribute paths


def test_pathless_value_keys_are_paths(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = create_user(
        scim,
        unique_email(),
        name={"givenName": "Old", "familyName": "Name", "middleName": "Kept"},
    )
    value = {
        "displayName": "Ada Example",
        "name.givenName": "Ada",
        "name.familyName": "Example",
        f"{SOULANMA}:editor": True,
    }

    response = patch_user(scim, user["id"], {"op": "replace", "value": value})

    assert response.status_code == 200, response.text
    stored = read_user(scim, user["id"])
    assert stored["displayName"] == "Ada Example"
    assert stored["name"]["givenName"] == "Ada"
    assert stored["name"]["familyName"] == "Example"
    assert stored["name"]["middleName"] == "Kept"
    assert editor_of(stored) is True
    assert member(admin, workspace, user["id"])["role"] == "editor"


@pytest.mark.parametrize(
    ("key", "value", "read", "expected"),
    [
        (f"{CORE_USER}:displayName", "Ada", lambda u: u["displayName"], "Ada"),
        (f"{CORE_USER}:name.givenName", "Ada", lambda u: u["name"]["givenName"], "Ada"),
        ("NAME.GIVENNAME", "Ada", lambda u: u["name"]["givenName"], "Ada"),
        (
            f"{ENTERPRISE}:department",
            "R&D",
            lambda u: u[ENTERPRISE]["department"],
            "R&D",
        ),
        (
            f"{ENTERPRISE}:manager.value",
            "m-1",
            lambda u: u[ENTERPRISE]["manager"]["value"],
            "m-1",
        ),
        (ENTERPRISE, {"costCenter": "42"}, lambda u: u[ENTERPRISE]["costCenter"], "42"),
        (SOULANMA, {"editor": "True"}, editor_of, True),
    ],
)
def test_pathless_qualified_keys_applied(
    scim: httpx.Client,
    key: str,
    value: object,
    read: Callable[[dict[str, Any]], object],
    expected: object,
) -> None:
    user = create_user(scim, unique_email())

    response = patch_user(scim, user["id"], {"op": "replace", "value": {key: value}})

    assert response.status_code == 200, response.text
    assert read(read_user(scim, user["id"])) == expected


@pytest.mark.parametrize(
    ("key", "scim_type"),
    [
        ("name.nickname", "invalidPath"),
        ("favouriteColour", "invalidPath"),
        (f"{SOULANMA}:colour", "invalidPath"),
        (f"{ENTERPRISE}:shoeSize", "invalidPath"),
        ("urn:example:unknown:2.0:User:displayName", "invalidPath"),
    ],
)
def test_pathless_unknown_key_rejected(
    scim: httpx.Client, key: str, scim_type: str
) -> None:
    user = create_user(scim, unique_email(), displayName="Before")

    response = patch_user(
        scim, user["id"], {"op": "replace", "value": {"displayName": "After", key: "x"}}
    )

    assert_scim_error(response, 400, scim_type)
    assert read_user(scim, user["id"])["displayName"] == "Before"


# Replace the work email through a value-filter path


def email_change(new_email: str, op: str = "Replace") -> list[dict[str, object]]:
    return [
        {"op": op, "path": 'emails[type eq "work"].value', "value": new_email},
        {"op": op, "path": "userName", "value": new_email},
    ]


def test_value_filter_replaces_work_email(scim: httpx.Client) -> None:
    old = unique_email("ada")
    new = unique_email("ada.new")
    user = create_user(
        scim,
        old,
        emails=[
            {"value": old, "type": "work", "primary": True},
            {"value": "ada@home.example", "type": "home"},
        ],
    )

    response = patch_user(scim, user["id"], *email_change(new))

    assert response.status_code == 200, response.text
    stored = read_user(scim, user["id"])
    assert stored["userName"] == new
    assert stored["emails"] == [
        {"value": new, "type": "work", "primary": True},
        {"value": "ada@home.example", "type": "home"},
    ]


def test_value_filter_type_any_case(scim: httpx.Client) -> None:
    old = unique_email("ada")
    user = create_user(scim, old, emails=[{"value": old, "type": "work"}])

    response = patch_user(
        scim,
        user["id"],
        {
            "op": "replace",
            "path": 'EMAILS[TYPE EQ "Work"].VALUE',
            "value": "ada.new@example.com",
        },
    )

    assert response.status_code == 200, response.text
    assert read_user(scim, user["id"])["emails"] == [
        {"value": "ada.new@example.com", "type": "work"}
    ]


def test_value_filter_adds_missing_work_email(scim: httpx.Client) -> None:
    user = create_user(scim, unique_email())
    new = unique_email("ada.new")

    response = patch_user(scim, user["id"], *email_change(new))

    assert response.status_code == 200, response.text
    stored = read_user(scim, user["id"])
    assert stored["userName"] == new
    assert stored["emails"] == [{"type": "work", "value": new}]


@pytest.mark.parametrize("holder", ["scim", "invited"])
@pytest.mark.parametrize("transform", [str.lower, str.upper, str.title])
def test_email_change_conflict_changes_nothing(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    holder: str,
    transform: Any,
) -> None:
    taken = unique_email("taken")
    if holder == "scim":
        create_user(scim, taken)
    else:
        invited = admin.post(
            f"/workspaces/{workspace['id']}/members",
            json={"email": taken, "role": "viewer"},
        )
        assert invited.status_code == 201, invited.text
    old = unique_email("ada")
    user = create_user(scim, old, emails=[{"value": old, "type": "work"}])

    response = patch_user(scim, user["id"], *email_change(transform(taken)))

    assert_scim_error(response, 409, "uniqueness")
    stored = read_user(scim, user["id"])
    assert stored["userName"] == old
    assert stored["emails"] == [{"value": old, "type": "work"}]
    assert stored["meta"]["version"] == user["meta"]["version"]


# Replace a sub-attribute


@pytest.mark.parametrize(
    ("path", "kept", "changed"),
    [
        ("name.familyName", "givenName", "familyName"),
        ("name.givenName", "familyName", "givenName"),
        ("NAME.FAMILYNAME", "givenName", "familyName"),
        (f"{CORE_USER}:name.familyName", "givenName", "familyName"),
    ],
)
def test_sub_attribute_replace_keeps_siblings(
    scim: httpx.Client, path: str, kept: str, changed: str
) -> None:
    user = create_user(
        scim, unique_email(), name={"givenName": "Ada", "familyName": "Lovelace"}
    )

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": path, "value": "Changed"}
    )

    assert response.status_code == 200, response.text
    name = read_user(scim, user["id"])["name"]
    assert name[changed] == "Changed"
    assert name[kept] == user["name"][kept]


def test_sub_attribute_replace_without_parent(scim: httpx.Client) -> None:
    user = create_user(scim, unique_email())

    response = patch_user(
        scim,
        user["id"],
        {"op": "Replace", "path": "name.familyName", "value": "Example"},
    )

    assert response.status_code == 200, response.text
    assert read_user(scim, user["id"])["name"] == {"familyName": "Example"}


@pytest.mark.parametrize(
    ("path", "value", "scim_type"),
    [
        ("name.nickname", "Example", "invalidPath"),
        ("name.familyName.extra", "Example", "invalidPath"),
        ("name.", "Example", "invalidPath"),
        ("displayName.value", "Example", "invalidPath"),
        ("name.familyName", 42, "invalidValue"),
        ("name.familyName", ["Example"], "invalidValue"),
        ("name.familyName", {"value": "Example"}, "invalidValue"),
        ("name.familyName", True, "invalidValue"),
        ("name", "Example", "invalidValue"),
    ],
)
def test_malformed_sub_attribute_patch(
    scim: httpx.Client, path: str, value: object, scim_type: str
) -> None:
    user = create_user(
        scim, unique_email(), name={"givenName": "Ada", "familyName": "Lovelace"}
    )

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": path, "value": value}
    )

    assert_scim_error(response, 400, scim_type)
    assert read_user(scim, user["id"])["name"] == user["name"]


# The role attribute addressed by its full URN


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (f"{SOULANMA}:editor", True),
        (f"{SOULANMA.upper()}:EDITOR", True),
        ("editor", True),
        (SOULANMA, {"editor": True}),
    ],
)
def test_editor_by_urn_path(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    path: str,
    value: object,
) -> None:
    user = create_user(scim, unique_email())
    assert editor_of(user) is False

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": path, "value": value}
    )

    assert response.status_code == 200, response.text
    assert editor_of(response.json()) is True
    assert editor_of(read_user(scim, user["id"])) is True
    assert member(admin, workspace, user["id"])["role"] == "editor"


@pytest.mark.parametrize(
    ("short", "value"),
    [
        ("displayName", "Ada Example"),
        ("name.givenName", "Ada"),
        ("title", "Engineer"),
        ("externalId", "ext-1"),
        ("active", False),
    ],
)
def test_core_urn_path_equals_short(
    scim: httpx.Client, short: str, value: object
) -> None:
    short_user = create_user(scim, unique_email())
    long_user = create_user(scim, unique_email())

    short_response = patch_user(
        scim, short_user["id"], {"op": "replace", "path": short, "value": value}
    )
    long_response = patch_user(
        scim,
        long_user["id"],
        {"op": "replace", "path": f"{CORE_USER}:{short}", "value": value},
    )

    assert short_response.status_code == 200, short_response.text
    assert long_response.status_code == 200, long_response.text
    ignored = {"id", "userName", "meta"}
    short_read = {
        k: v for k, v in read_user(scim, short_user["id"]).items() if k not in ignored
    }
    long_read = {
        k: v for k, v in read_user(scim, long_user["id"]).items() if k not in ignored
    }
    assert short_read == long_read


# Boolean PATCH values as JSON booleans


@pytest.mark.parametrize(
    ("start", "value", "role"),
    [
        (True, False, "viewer"),
        (False, True, "editor"),
        (True, True, "editor"),
        (False, False, "viewer"),
    ],
)
def test_editor_patch_json_boolean(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    start: bool,
    value: bool,
    role: str,
) -> None:
    user = create_user(scim, unique_email(), **{SOULANMA: {"editor": start}})

    response = patch_user(
        scim,
        user["id"],
        {"op": "replace", "path": f"{SOULANMA}:editor", "value": value},
    )

    assert response.status_code == 200, response.text
    assert editor_of(response.json()) is value
    assert member(admin, workspace, user["id"])["role"] == role


# Booleans sent as strings


@pytest.mark.parametrize("text", ["False", "false", "FALSE", " false "])
def test_active_false_string_deactivates(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], text: str
) -> None:
    user = signed_in_editor(scim, admin, workspace)

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": "active", "value": text}
    )

    assert response.status_code == 200, response.text
    assert response.json()["active"] is False
    assert read_user(scim, user["id"])["active"] is False
    assert member(admin, workspace, user["id"])["state"] == "removed"
    assert editor_seats(admin, workspace) == 0


@pytest.mark.parametrize("text", ["True", "true", "TRUE"])
def test_active_true_string_reactivates(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], text: str
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    deactivated = patch_user(
        scim, user["id"], {"op": "Replace", "path": "active", "value": False}
    )
    assert deactivated.status_code == 200, deactivated.text

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": "active", "value": text}
    )

    assert response.status_code == 200, response.text
    assert response.json()["active"] is True
    assert read_user(scim, user["id"])["active"] is True
    assert member(admin, workspace, user["id"])["state"] == "pending"


@pytest.mark.parametrize(
    ("text", "editor", "role"),
    [
        ("True", True, "editor"),
        ("true", True, "editor"),
        ("TRUE", True, "editor"),
        ("False", False, "viewer"),
        ("false", False, "viewer"),
    ],
)
def test_editor_string_sets_role(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    text: str,
    editor: bool,
    role: str,
) -> None:
    user = create_user(scim, unique_email(), **{SOULANMA: {"editor": not editor}})

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": f"{SOULANMA}:editor", "value": text}
    )

    assert response.status_code == 200, response.text
    assert editor_of(response.json()) is editor
    assert editor_of(read_user(scim, user["id"])) is editor
    assert member(admin, workspace, user["id"])["role"] == role


@pytest.mark.parametrize("path", ["active", f"{SOULANMA}:editor"])
@pytest.mark.parametrize("text", ["yes", "no", "0", "1", "", "Falsey", "t", "null"])
def test_non_boolean_string_rejected(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    path: str,
    text: str,
) -> None:
    user = create_user(scim, unique_email())

    response = patch_user(
        scim, user["id"], {"op": "Replace", "path": path, "value": text}
    )

    assert_scim_error(response, 400, "invalidValue")
    stored = read_user(scim, user["id"])
    assert stored["active"] is True
    assert editor_of(stored) is False
    assert member(admin, workspace, user["id"])["state"] == "pending"


# Create with `active` as a string


@pytest.mark.parametrize("text", ["True", "true", "TRUE"])
def test_create_active_string_true(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], text: str
) -> None:
    response = scim.post("/Users", json=user_body(unique_email(), active=text))

    assert response.status_code == 201, response.text
    assert response.json()["active"] is True
    assert read_user(scim, response.json()["id"])["active"] is True
    assert member(admin, workspace, response.json()["id"])["state"] == "pending"


@pytest.mark.parametrize(("text", "editor"), [("True", True), ("FALSE", False)])
def test_create_editor_string(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    text: str,
    editor: bool,
) -> None:
    response = scim.post(
        "/Users", json=user_body(unique_email(), **{SOULANMA: {"editor": text}})
    )

    assert response.status_code == 201, response.text
    assert editor_of(response.json()) is editor
    assert editor_of(read_user(scim, response.json()["id"])) is editor


@pytest.mark.parametrize("extension", [None, {"editor": None}, {}])
@pytest.mark.parametrize(
    ("default_role", "editor"), [("viewer", False), ("editor", True)]
)
def test_create_without_editor_gets_default(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    extension: dict[str, object] | None,
    default_role: str,
    editor: bool,
) -> None:
    changed = admin.patch(
        f"/workspaces/{workspace['id']}", json={"default_role": default_role}
    )
    assert changed.status_code == 200, changed.text
    body = user_body(unique_email())
    if extension is not None:
        body[SOULANMA] = extension

    response = scim.post("/Users", json=body)

    assert response.status_code == 201, response.text
    assert editor_of(response.json()) is editor
    assert member(admin, workspace, response.json()["id"])["role"] == default_role


# Filter on externalId


def test_filter_external_id_finds_user(scim: httpx.Client) -> None:
    external_id = "00000000-0000-0000-0000-00000000000a"
    user = create_user(scim, unique_email(), externalId=external_id)
    create_user(scim, unique_email(), externalId="another")

    found = list_users(scim, filter=f'externalId eq "{external_id}"')

    assert found["totalResults"] == 1
    assert [item["id"] for item in found["Resources"]] == [user["id"]]
    assert found["Resources"][0]["externalId"] == external_id


def test_filter_external_id_case_sensitive(scim: httpx.Client) -> None:
    create_user(scim, unique_email(), externalId="Abc-Def")

    found = list_users(scim, filter='externalId eq "abc-def"')

    assert found["totalResults"] == 0
    assert found.get("Resources", []) == []


def test_filter_external_id_no_match(scim: httpx.Client) -> None:
    create_user(scim, unique_email())

    found = list_users(
        scim, filter='externalId eq "00000000-0000-0000-0000-000000000001"'
    )

    assert found["totalResults"] == 0
    assert found.get("Resources", []) == []


def test_external_id_stored_as_sent(scim: httpx.Client) -> None:
    external_id = "  MiXeD-Case ID  "

    user = create_user(scim, unique_email(), externalId=external_id)

    assert user["externalId"] == external_id
    assert read_user(scim, user["id"])["externalId"] == external_id


# Filter attribute names and operators in any letter case


@pytest.mark.parametrize(
    "template",
    [
        'userName eq "{email}"',
        'USERNAME EQ "{email}"',
        'userName Eq "{email}"',
        'username eQ "{email}"',
        'userName eq "{email}" AND active eq true',
        'userName eq "{email}" and ACTIVE EQ true',
        'userName eq "{email}" And active eq TRUE',
        'userName eq "nobody@example.com" OR userName eq "{email}"',
        'NOT (userName eq "nobody@example.com") AND userName EQ "{email}"',
        '(USERNAME eq "{email}")',
        f'{CORE_USER.upper()}:USERNAME eq "{{email}}"',
        'EMAILS[TYPE EQ "work" AND VALUE EQ "{email}"]',
        'userName SW "{prefix}" and userName CO "{email}"',
    ],
)
def test_filter_case_insensitive_names(scim: httpx.Client, template: str) -> None:
    email = unique_email("ada")
    user = create_user(scim, email, emails=[{"value": email, "type": "work"}])
    other = unique_email("grace")
    create_user(scim, other, emails=[{"value": other, "type": "work"}])

    canonical = list_users(scim, filter=f'userName eq "{email}"')
    found = list_users(scim, filter=template.format(email=email, prefix="ada."))

    assert [item["id"] for item in canonical["Resources"]] == [user["id"]]
    assert found["totalResults"] == canonical["totalResults"]
    assert found["Resources"] == canonical["Resources"]


# A filter with no match is an empty list


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName eq "nobody@example.com"',
        'externalId eq "missing"',
        'userName eq "nobody@example.com" and active eq true',
        'emails[value eq "nobody@example.com"]',
        "displayName pr",
        "active eq false",
    ],
)
def test_filter_no_match_empty_list(scim: httpx.Client, filter_text: str) -> None:
    create_user(scim, unique_email())

    response = scim.get("/Users", params={"filter": filter_text})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["schemas"] == [LIST_RESPONSE]
    assert body["totalResults"] == 0
    assert body["itemsPerPage"] == 0
    assert body["startIndex"] == 1
    assert body.get("Resources", []) == []


# userName uniqueness ignores letter case


@pytest.mark.parametrize(
    "variant",
    ["Ada.Example@Example.COM", "ADA.EXAMPLE@EXAMPLE.COM", "ada.example@example.com"],
)
def test_user_name_unique_any_case(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], variant: str
) -> None:
    user = create_user(scim, "ada.example@example.com")

    response = scim.post("/Users", json=user_body(variant))

    assert_scim_error(response, 409, "uniqueness")
    found = list_users(scim, filter='userName eq "ADA.EXAMPLE@EXAMPLE.COM"')
    assert found["totalResults"] == 1
    assert [item["id"] for item in found["Resources"]] == [user["id"]]
    assert found["Resources"][0]["userName"] == "ada.example@example.com"
    assert list_users(scim)["totalResults"] == 1
    assert len(members(admin, workspace)) == 1


def test_user_name_stored_as_sent(scim: httpx.Client) -> None:
    user = create_user(scim, "Ada.Example@Example.COM")

    assert user["userName"] == "Ada.Example@Example.COM"
    assert read_user(scim, user["id"])["userName"] == "Ada.Example@Example.COM"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_rename_to_taken_name_rejected(scim: httpx.Client, method: str) -> None:
    create_user(scim, "taken@example.com")
    user = create_user(scim, "ada@example.com")

    if method == "put":
        response = scim.put(f"/Users/{user['id']}", json=user_body("TAKEN@Example.com"))
    else:
        response = patch_user(
            scim,
            user["id"],
            {"op": "replace", "path": "userName", "value": "TAKEN@Example.com"},
        )

    assert_scim_error(response, 409, "uniqueness")
    assert read_user(scim, user["id"])["userName"] == "ada@example.com"


def test_rename_own_name_case_allowed(scim: httpx.Client) -> None:
    user = create_user(scim, "ada@example.com")

    response = patch_user(
        scim,
        user["id"],
        {"op": "replace", "path": "userName", "value": "ADA@Example.com"},
    )

    assert response.status_code == 200, response.text
    assert read_user(scim, user["id"])["userName"] == "ADA@Example.com"


# A duplicate create returns a standard SCIM error


def test_duplicate_create_error_body(scim: httpx.Client) -> None:
    email = unique_email()
    create_user(scim, email)

    response = scim.post("/Users", json=user_body(email))

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert set(body) == {"schemas", "status", "scimType", "detail"}
    assert body["schemas"] == [ERROR]
    assert body["status"] == "409"
    assert body["scimType"] == "uniqueness"
    assert isinstance(body["detail"], str)
    assert body["detail"] != ""


# Content-Type variants of the SCIM and JSON media types

CONTENT_TYPES = [
    "application/scim+json; charset=utf-8",
    "application/scim+json;charset=UTF-8",
    "application/scim+json",
    "application/json",
    "application/json; charset=utf-8",
    "Application/SCIM+JSON",
    'application/json ; charset="utf-8"',
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_create_accepts_content_type(scim: httpx.Client, content_type: str) -> None:
    email = unique_email()

    response = scim.post(
        "/Users",
        content=json.dumps(user_body(email)),
        headers={"Content-Type": content_type},
    )

    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    assert response.json()["userName"] == email


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_put_accepts_content_type(scim: httpx.Client, content_type: str) -> None:
    user = create_user(scim, unique_email())
    body = user_body(user["userName"], displayName="Ada")

    response = scim.put(
        f"/Users/{user['id']}",
        content=json.dumps(body),
        headers={"Content-Type": content_type},
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    assert response.json()["displayName"] == "Ada"


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_patch_accepts_content_type(scim: httpx.Client, content_type: str) -> None:
    user = create_user(scim, unique_email())
    body = patch_body({"op": "replace", "path": "displayName", "value": "Ada"})

    response = scim.patch(
        f"/Users/{user['id']}",
        content=json.dumps(body),
        headers={"Content-Type": content_type},
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    assert response.json()["displayName"] == "Ada"


# Plain JSON accepted, and any Accept header


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "application/json",
        "application/scim+json",
        "*/*",
        "application/scim+json, application/json;q=0.9",
    ],
)
def test_list_with_accept_header(scim: httpx.Client, accept: str | None) -> None:
    user = create_user(scim, unique_email())
    request = scim.build_request("GET", "/Users")
    del request.headers["accept"]
    if accept is not None:
        request.headers["accept"] = accept

    response = scim.send(request)

    assert response.status_code == 200, response.text
    assert response.json()["schemas"] == [LIST_RESPONSE]
    assert [item["id"] for item in response.json()["Resources"]] == [user["id"]]


@pytest.mark.parametrize("accept", [None, "application/json"])
def test_read_user_with_accept_header(scim: httpx.Client, accept: str | None) -> None:
    user = create_user(scim, unique_email())
    request = scim.build_request("GET", f"/Users/{user['id']}")
    del request.headers["accept"]
    if accept is not None:
        request.headers["accept"] = accept

    response = scim.send(request)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]


# Pagination at and beyond its bounds


@pytest.fixture
def three_users(scim: httpx.Client) -> list[str]:
    """Three users in creation order, by id."""
    return [create_user(scim, unique_email(f"page{i}"))["id"] for i in range(3)]


def page_ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body.get("Resources", [])]


@pytest.mark.parametrize(
    ("params", "start_index", "positions"),
    [
        ({}, 1, [0, 1, 2]),
        ({"startIndex": "1"}, 1, [0, 1, 2]),
        ({"startIndex": "0"}, 1, [0, 1, 2]),
        ({"startIndex": "-3"}, 1, [0, 1, 2]),
        ({"startIndex": "-3", "count": "2"}, 1, [0, 1]),
        ({"startIndex": "2"}, 2, [1, 2]),
        ({"startIndex": "2", "count": "1"}, 2, [1]),
        ({"startIndex": "3"}, 3, [2]),
        ({"startIndex": "4"}, 4, []),
        ({"startIndex": "1000000"}, 1000000, []),
        ({"count": "0"}, 1, []),
        ({"count": "-5"}, 1, []),
        ({"count": "-1", "startIndex": "2"}, 2, []),
        ({"count": "2"}, 1, [0, 1]),
        ({"count": "3"}, 1, [0, 1, 2]),
        ({"count": "10"}, 1, [0, 1, 2]),
        ({"count": " 2 "}, 1, [0, 1]),
    ],
)
def test_pagination_bounds(
    scim: httpx.Client,
    three_users: list[str],
    params: dict[str, str],
    start_index: int,
    positions: list[int],
) -> None:
    body = list_users(scim, **params)

    assert body["totalResults"] == 3
    assert body["startIndex"] == start_index
    assert body["itemsPerPage"] == len(positions)
    assert page_ids(body) == [three_users[i] for i in positions]


def test_pagination_count_capped(scim: httpx.Client) -> None:
    for index in range(201):
        create_user(scim, f"cap{index}.{uuid.uuid4().hex[:6]}@example.com")

    body = list_users(scim, count="1000")

    assert body["totalResults"] == 201
    assert body["itemsPerPage"] == 200
    assert len(body["Resources"]) == 200


@pytest.mark.parametrize("name", ["startIndex", "count"])
@pytest.mark.parametrize("value", ["abc", "", " ", "1.5", "1e2", "0x10", "two", "--1"])
def test_pagination_non_integer_rejected(
    scim: httpx.Client, name: str, value: str
) -> None:
    response = scim.get("/Users", params={name: value})

    assert_scim_error(response, 400, "invalidValue")


# Errors are a SCIM Error object at the top level


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_missing_user_is_scim_404(scim: httpx.Client, method: str) -> None:
    bodies = {
        "PUT": user_body(unique_email()),
        "PATCH": patch_body({"op": "replace", "path": "displayName", "value": "x"}),
    }

    response = scim.request(method, f"/Users/{MISSING_ID}", json=bodies.get(method))

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert set(body) == {"schemas", "status", "detail"}
    assert body["schemas"] == [ERROR]
    assert body["status"] == "404"
    assert isinstance(body["detail"], str)


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("GET", "/Users?filter=userName%20zz%20%22x%22", None, 400),
        ("GET", "/Users?count=abc", None, 400),
        ("POST", "/Users", {"userName": "not-an-email"}, 400),
        ("POST", "/Users", {"userName": "a@example.com", "colour": "red"}, 400),
        ("GET", "/Groups", None, 404),
        ("GET", "/Nowhere", None, 404),
        ("DELETE", "/Users", None, 405),
    ],
)
def test_error_scim_type_never_null_string(
    scim: httpx.Client, method: str, path: str, payload: object, status: int
) -> None:
    response = scim.request(method, path, json=payload)

    assert response.status_code == status
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body.get("scimType") != "null"
    assert body.get("scimType") is None or body["scimType"] in SCIM_TYPES
    assert "Errors" not in body
    assert "error" not in body


# Requests without a valid bearer token


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-token",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Token abc",
        "",
    ],
)
@pytest.mark.parametrize(
    "path", ["/Users", "/ServiceProviderConfig", "/Groups", f"/Users/{MISSING_ID}"]
)
def test_unauthenticated_request_is_401(
    server: Any, authorization: str | None, path: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = httpx.get(f"{server.base_url}{path}", headers=headers, timeout=10)

    assert_scim_error(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_deleted_workspace_token_is_401(server: Any, admin: httpx.Client) -> None:
    created = admin.post(
        "/workspaces",
        json={
            "name": "gone",
            "plan": "enterprise",
            "saml_configured": True,
            "default_role": "viewer",
        },
    )
    assert created.status_code == 201, created.text
    assert admin.delete(f"/workspaces/{created.json()['id']}").status_code == 204
    headers = {"Authorization": f"Bearer {created.json()['scim_token']}"}

    response = httpx.get(f"{server.base_url}/Users", headers=headers, timeout=10)

    assert_scim_error(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_bearer_scheme_any_case(server: Any, workspace: dict[str, str]) -> None:
    headers = {"Authorization": f"bearer {workspace['scim_token']}"}

    response = httpx.get(f"{server.base_url}/Users", headers=headers, timeout=10)

    assert response.status_code == 200, response.text


# Deactivated users stay readable


def test_deactivated_user_stays_readable(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)

    response = patch_user(
        scim, user["id"], {"op": "replace", "path": "active", "value": False}
    )

    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]
    assert response.json()["active"] is False
    by_id = read_user(scim, user["id"])
    assert by_id["id"] == user["id"]
    assert by_id["active"] is False
    found = list_users(scim, filter=f'userName eq "{user["userName"]}"')
    assert found["totalResults"] == 1
    assert found["Resources"][0]["id"] == user["id"]
    assert found["Resources"][0]["active"] is False
    assert member(admin, workspace, user["id"])["state"] == "removed"
    assert editor_seats(admin, workspace) == 0


def test_deactivated_user_by_active_filter(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    create_user(scim, unique_email())
    response = patch_user(
        scim, user["id"], {"op": "replace", "path": "active", "value": False}
    )
    assert response.status_code == 200, response.text

    found = list_users(scim, filter="active eq false")

    assert page_ids(found) == [user["id"]]


def test_deactivated_author_content_stays_shared(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    author = signed_in_editor(scim, admin, workspace)
    reader_email = unique_email("reader")
    create_user(scim, reader_email)
    assert sign_in(admin, workspace, reader_email).status_code == 200
    document = admin.post(
        f"/workspaces/{workspace['id']}/documents",
        json={"author_email": author["userName"], "folder": "shared"},
    )
    assert document.status_code == 201, document.text
    access_url = (
        f"/workspaces/{workspace['id']}/documents/{document.json()['id']}/access"
    )

    response = patch_user(
        scim, author["id"], {"op": "replace", "path": "active", "value": False}
    )

    assert response.status_code == 200, response.text
    reader = admin.get(access_url, params={"email": reader_email})
    assert reader.json() == {"can_open": True}
    former = admin.get(access_url, params={"email": author["userName"]})
    assert former.json() == {"can_open": False}


# Pending users read as active, and a full PUT of what was read


def test_pending_user_reads_active(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = create_user(scim, unique_email())

    stored = read_user(scim, user["id"])

    assert stored["active"] is True
    assert state_of(stored) == "pending"
    assert member(admin, workspace, user["id"])["state"] == "pending"
    assert member(admin, workspace, user["id"])["account_id"] is None


@pytest.mark.parametrize("keep_extension", [True, False])
@pytest.mark.parametrize("editor", [True, False])
def test_full_put_of_read_object(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    keep_extension: bool,
    editor: bool,
) -> None:
    user = create_user(
        scim,
        unique_email(),
        name={"givenName": "Ada"},
        **{SOULANMA: {"editor": editor}},
    )
    stored = read_user(scim, user["id"])
    stored.update(
        active=True, password="placeholder-Passw0rd!", groups=[], displayName="Ada L"
    )
    if not keep_extension:
        del stored[SOULANMA]
        stored["schemas"] = [CORE_USER]

    response = scim.put(f"/Users/{user['id']}", json=stored)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == user["id"]
    assert body["meta"]["created"] == user["meta"]["created"]
    assert body["displayName"] == "Ada L"
    assert body["active"] is True
    assert "password" not in body
    assert body.get("groups", []) == []
    assert editor_of(body) is editor
    assert state_of(body) == "pending"
    assert member(admin, workspace, user["id"])["role"] == (
        "editor" if editor else "viewer"
    )
    assert member(admin, workspace, user["id"])["state"] == "pending"


def test_put_ignores_foreign_read_only(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = create_user(scim, unique_email())
    stored = read_user(scim, user["id"])
    stored["id"] = MISSING_ID
    stored["meta"] = {"created": "2000-01-01T00:00:00Z", "version": 'W/"99"'}
    stored[SOULANMA] = {"state": "member"}

    response = scim.put(f"/Users/{user['id']}", json=stored)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]
    assert response.json()["meta"]["created"] == user["meta"]["created"]
    assert state_of(response.json()) == "pending"
    assert member(admin, workspace, user["id"])["state"] == "pending"


# First SSO sign-in links the pending user by email


@pytest.mark.parametrize("editor", [True, False])
def test_sign_in_links_any_case(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], editor: bool
) -> None:
    local = f"Ada.Example.{uuid.uuid4().hex[:8]}"
    provisioned = f"{local}@Example.com"
    user = create_user(scim, provisioned, **{SOULANMA: {"editor": editor}})
    assert accounts(admin, provisioned) == []

    response = sign_in(admin, workspace, provisioned.lower())

    assert response.status_code == 200, response.text
    assert response.json()["id"] == user["id"]
    assert response.json()["state"] == "member"
    assert response.json()["role"] == ("editor" if editor else "viewer")
    assert response.json()["account_id"] is not None
    assert len(accounts(admin, provisioned.lower())) == 1
    assert len(accounts(admin, provisioned.upper())) == 1
    assert state_of(read_user(scim, user["id"])) == "member"
    assert editor_seats(admin, workspace) == (1 if editor else 0)


def test_second_sign_in_keeps_one_account(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    email = unique_email("Ada")
    create_user(scim, email)
    first = sign_in(admin, workspace, email.upper())
    assert first.status_code == 200, first.text

    second = sign_in(admin, workspace, email.lower())

    assert second.status_code == 200, second.text
    assert second.json()["account_id"] == first.json()["account_id"]
    assert len(accounts(admin, email)) == 1


def test_sign_in_links_existing_account(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    email = unique_email("Ada")
    account = admin.post("/accounts", json={"email": email.lower()})
    assert account.status_code == 201, account.text
    user = create_user(scim, email.upper())
    assert member(admin, workspace, user["id"])["state"] == "pending"

    response = sign_in(admin, workspace, email)

    assert response.status_code == 200, response.text
    assert response.json()["account_id"] == account.json()["id"]
    assert response.json()["state"] == "member"
    assert len(accounts(admin, email)) == 1


def test_unprovisioned_sign_in_rejected(
    admin: httpx.Client, workspace: dict[str, str]
) -> None:
    email = unique_email()

    response = sign_in(admin, workspace, email)

    assert response.status_code == 403
    assert accounts(admin, email) == []


# Deleting twice


def test_delete_twice_then_404(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)

    first = scim.delete(f"/Users/{user['id']}")
    second = scim.delete(f"/Users/{user['id']}")

    assert first.status_code == 204
    assert first.content == b""
    assert_scim_error(second, 404)
    assert_scim_error(scim.get(f"/Users/{user['id']}"), 404)
    assert user["id"] not in [entry["id"] for entry in members(admin, workspace)]
    assert editor_seats(admin, workspace) == 0
    assert len(accounts(admin, user["userName"])) == 1
    assert list_users(scim)["totalResults"] == 0


def test_recreate_after_delete(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    assert scim.delete(f"/Users/{user['id']}").status_code == 204

    again = scim.post("/Users", json=user_body(user["userName"]))

    assert again.status_code == 201, again.text
    assert again.json()["id"] != user["id"]
    assert member(admin, workspace, again.json()["id"])["state"] == "pending"


# PUT without the editor attribute keeps the role


@pytest.mark.parametrize(
    "extension",
    [None, {"editor": None}, {}, {"state": "pending"}],
    ids=["absent", "null", "empty", "state-only"],
)
@pytest.mark.parametrize(
    ("default_role", "editor"), [("viewer", True), ("editor", False)]
)
def test_put_without_editor_keeps_role(
    scim: httpx.Client,
    admin: httpx.Client,
    workspace: dict[str, str],
    extension: dict[str, object] | None,
    default_role: str,
    editor: bool,
) -> None:
    changed = admin.patch(
        f"/workspaces/{workspace['id']}", json={"default_role": default_role}
    )
    assert changed.status_code == 200, changed.text
    email = unique_email()
    user = create_user(scim, email, **{SOULANMA: {"editor": editor}})
    body = user_body(
        email, name={"givenName": "Ada", "familyName": "Example"}, active=True
    )
    if extension is not None:
        body[SOULANMA] = extension

    response = scim.put(f"/Users/{user['id']}", json=body)

    assert response.status_code == 200, response.text
    assert editor_of(response.json()) is editor
    assert editor_of(read_user(scim, user["id"])) is editor
    assert member(admin, workspace, user["id"])["role"] == (
        "editor" if editor else "viewer"
    )


@pytest.mark.parametrize("path", [f"{SOULANMA}:editor", SOULANMA])
def test_patch_remove_editor_keeps_role(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], path: str
) -> None:
    user = signed_in_editor(scim, admin, workspace)

    response = patch_user(scim, user["id"], {"op": "remove", "path": path})

    assert response.status_code == 200, response.text
    assert editor_of(response.json()) is True
    assert member(admin, workspace, user["id"])["role"] == "editor"
    assert editor_seats(admin, workspace) == 1


def test_role_change_keeps_admin(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    user = signed_in_editor(scim, admin, workspace)
    granted = admin.post(
        f"/workspaces/{workspace['id']}/admins", json={"email": user["userName"]}
    )
    assert granted.status_code == 200, granted.text

    response = patch_user(
        scim,
        user["id"],
        {"op": "replace", "path": f"{SOULANMA}:editor", "value": False},
    )

    assert response.status_code == 200, response.text
    assert member(admin, workspace, user["id"])["admin"] is True
    assert member(admin, workspace, user["id"])["role"] == "viewer"


# Create without a schemas array


def test_create_without_schemas_accepted(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str]
) -> None:
    email = unique_email()

    response = scim.post("/Users", json={"userName": email, "displayName": "Ada"})

    assert response.status_code == 201, response.text
    assert response.json()["userName"] == email
    assert CORE_USER in response.json()["schemas"]
    assert member(admin, workspace, response.json()["id"])["state"] == "pending"
    assert member(admin, workspace, response.json()["id"])["role"] == "viewer"


@pytest.mark.parametrize(
    "schemas",
    [
        [],
        [SOULANMA],
        [ENTERPRISE, SOULANMA],
        [GROUP],
        "not-a-list",
        [CORE_USER, "urn:example:unknown"],
    ],
)
def test_create_bad_schemas_rejected(
    scim: httpx.Client, admin: httpx.Client, workspace: dict[str, str], schemas: object
) -> None:
    response = scim.post(
        "/Users", json={"schemas": schemas, "userName": unique_email()}
    )

    body = assert_scim_error(response, 400, "invalidValue")
    assert "schemas" in str(body["detail"])
    assert members(admin, workspace) == []


# Trailing slash on the collection


def test_trailing_slash_list_same(scim: httpx.Client) -> None:
    user = create_user(scim, unique_email())
    params = {"filter": f'userName eq "{user["userName"]}"'}

    plain = scim.get("/Users", params=params)
    slashed = scim.get("/Users/", params=params)

    assert slashed.status_code == 200
    assert slashed.json() == plain.json()
    assert page_ids(slashed.json()) == [user["id"]]


def test_trailing_slash_create(scim: httpx.Client) -> None:
    email = unique_email()

    response = scim.post("/Users/", json=user_body(email))

    assert response.status_code == 201, response.text
    assert response.json()["userName"] == email
    assert read_user(scim, response.json()["id"])["userName"] == email


@pytest.mark.parametrize(
    "path",
    ["/ServiceProviderConfig/", "/ResourceTypes/", "/Schemas/", "/ResourceTypes/User/"],
)
def test_trailing_slash_discovery(scim: httpx.Client, path: str) -> None:
    plain = scim.get(path.rstrip("/"))
    slashed = scim.get(path)

    assert slashed.status_code == 200
    assert slashed.json() == plain.json()


def test_trailing_slash_single_user(scim: httpx.Client) -> None:
    user = create_user(scim, unique_email())

    response = scim.get(f"/Users/{user['id']}/")

    assert response.status_code == 200
    assert response.json()["id"] == user["id"]


# Groups are not supported


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/Groups", "/Groups/", f"/Groups/{MISSING_ID}"])
def test_groups_answer_scim_404(scim: httpx.Client, method: str, path: str) -> None:
    payload = {"schemas": [GROUP], "displayName": "Editors"}

    response = scim.request(
        method, path, json=None if method in {"GET", "DELETE"} else payload
    )

    body = assert_scim_error(response, 404)
    assert "group" in str(body["detail"]).lower()
    assert "not supported" in str(body["detail"]).lower()


def test_resource_types_list_user_only(scim: httpx.Client) -> None:
    response = scim.get("/ResourceTypes")

    assert response.status_code == 200
    body = response.json()
    assert body["totalResults"] == 1
    assert [item["id"] for item in body["Resources"]] == ["User"]
    assert body["Resources"][0]["endpoint"] == "/Users"
    assert body["Resources"][0]["schema"] == CORE_USER


def test_group_resource_type_is_404(scim: httpx.Client) -> None:
    response = scim.get("/ResourceTypes/Group")

    assert_scim_error(response, 404)


def test_schemas_exclude_group(scim: httpx.Client) -> None:
    response = scim.get("/Schemas")

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["Resources"]]
    assert GROUP not in ids
    assert_scim_error(scim.get(f"/Schemas/{GROUP}"), 404)
