"""Unit tests of PATCH applied to a User resource (RFC 7644, Section 3.5.2)."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from reference_server.errors import ScimError
from reference_server.patch import MAX_VALUE_DEPTH, apply_patch
from reference_server.schema import (
    CORE_USER_URN,
    ENTERPRISE_USER_URN,
    PATCH_OP_URN,
    SOULANMA_USER_URN,
)

USER: dict[str, Any] = {
    "schemas": [CORE_USER_URN, SOULANMA_USER_URN],
    "id": "u-1",
    "externalId": "ext-1",
    "userName": "bjensen@example.com",
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    "displayName": "Babs",
    "active": True,
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    SOULANMA_USER_URN: {"editor": False, "state": "pending"},
    "meta": {"resourceType": "User", "created": "2021-03-01T10:00:00Z"},
}


def patch(*operations: dict[str, Any], resource: dict[str, Any] | None = None) -> Any:
    body = {"schemas": [PATCH_OP_URN], "Operations": list(operations)}
    return apply_patch(USER if resource is None else resource, body)


def patch_error(body: object, resource: dict[str, Any] | None = None) -> ScimError:
    with pytest.raises(ScimError) as caught:
        apply_patch(USER if resource is None else resource, body)
    return caught.value


def operation_error(*operations: dict[str, Any]) -> ScimError:
    return patch_error({"schemas": [PATCH_OP_URN], "Operations": list(operations)})


def test_patch_entra_replace_work_email() -> None:
    operation = {"op": "Replace", "path": 'emails[type eq "work"].value',
                 "value": "a@b.c"}

    result = patch(operation)

    assert result["emails"][0] == {"value": "a@b.c", "type": "work", "primary": True}
    assert result["emails"][1] == USER["emails"][1]


def test_patch_entra_adds_missing_work_email() -> None:
    resource = {**USER, "emails": [{"value": "babs@jensen.org", "type": "home"}]}
    operation = {"op": "Replace", "path": 'emails[type eq "work"].value',
                 "value": "a@b.c"}

    result = patch(operation, resource=resource)

    assert result["emails"] == [
        {"value": "babs@jensen.org", "type": "home"},
        {"type": "work", "value": "a@b.c"},
    ]


def test_patch_entra_adds_first_email() -> None:
    resource = {key: value for key, value in USER.items() if key != "emails"}
    operation = {"op": "Add", "path": 'emails[type eq "work"].value', "value": "a@b.c"}

    result = patch(operation, resource=resource)

    assert result["emails"] == [{"type": "work", "value": "a@b.c"}]


def test_patch_value_filter_without_eq_no_target() -> None:
    error = operation_error(
        {"op": "replace", "path": 'emails[type sw "w" or primary eq true].value',
         "value": "a@b.c"},
        {"op": "replace", "path": 'emails[value co "nowhere"].value', "value": "x"},
    )

    assert error.scim_type == "noTarget"
    assert error.detail.startswith("Operation 2: ")


def test_patch_entra_replace_family_name() -> None:
    result = patch({"op": "Replace", "path": "name.familyName", "value": "X"})

    assert result["name"] == {"familyName": "X", "givenName": "Barbara"}


def test_patch_string_boolean_kept() -> None:
    result = patch({"op": "Replace", "path": "active", "value": "False"})

    assert result["active"] == "False"


def test_patch_pathless_entra_keys() -> None:
    value = {"name.givenName": "Bee", f"{SOULANMA_USER_URN}:editor": True,
             "displayName": "B"}

    result = patch({"op": "replace", "value": value})

    assert result["name"] == {"familyName": "Jensen", "givenName": "Bee"}
    assert result[SOULANMA_USER_URN] == {"editor": True, "state": "pending"}
    assert result["displayName"] == "B"


def test_patch_okta_deactivate() -> None:
    result = patch({"op": "replace", "value": {"active": False}})

    expected = {**copy.deepcopy(USER), "active": False}
    assert result == expected


def test_patch_pathless_extension_object_merged() -> None:
    value = {ENTERPRISE_USER_URN: {"department": "R&D", "manager": {"value": "m-1"}},
             SOULANMA_USER_URN: {"editor": True}}

    result = patch({"op": "add", "value": value})

    assert result[ENTERPRISE_USER_URN] == {"department": "R&D",
                                           "manager": {"value": "m-1"}}
    assert result[SOULANMA_USER_URN] == {"editor": True, "state": "pending"}


def test_patch_pathless_schemas_ignored() -> None:
    result = patch({"op": "replace",
                    "value": {"schemas": ["anything"], "title": "Boss"}})

    assert result["schemas"] == USER["schemas"]
    assert result["title"] == "Boss"


def test_patch_pathless_unknown_key_rejected() -> None:
    error = operation_error({"op": "replace", "value": {"active": False, "bogus": 1}})

    assert error.scim_type == "invalidPath"
    assert "bogus" in error.detail


def test_patch_unqualified_extension_name() -> None:
    result = patch({"op": "replace", "value": {"editor": True}})

    assert result[SOULANMA_USER_URN]["editor"] is True


@pytest.mark.parametrize(
    ("path", "value", "key", "expected"),
    [
        (f"{SOULANMA_USER_URN}:editor", "true", SOULANMA_USER_URN,
         {"editor": "true", "state": "pending"}),
        (f"{ENTERPRISE_USER_URN}:manager.value", "m-2", ENTERPRISE_USER_URN,
         {"manager": {"value": "m-2"}}),
        (ENTERPRISE_USER_URN, {"employeeNumber": "7"}, ENTERPRISE_USER_URN,
         {"employeeNumber": "7"}),
        (f"{CORE_USER_URN}:displayName", "Core", "displayName", "Core"),
        ("DISPLAYNAME", "Upper", "displayName", "Upper"),
        ("name", {"givenName": "Bee"}, "name",
         {"familyName": "Jensen", "givenName": "Bee"}),
        ("title", None, "title", None),
    ],
)
def test_patch_replace_paths(path: str, value: Any, key: str, expected: Any) -> None:
    result = patch({"op": "replace", "path": path, "value": value})

    assert result.get(key) == expected


def test_patch_replace_stores_canonical_key() -> None:
    resource = {"id": "u-1", "DisplayName": "Old"}

    result = patch({"op": "replace", "path": "displayname", "value": "New"},
                   resource=resource)

    assert result == {"id": "u-1", "displayName": "New"}


def test_patch_add_appends_without_duplicates() -> None:
    new = {"value": "b@x.org", "type": "other"}

    result = patch({"op": "add", "path": "emails", "value": [new, USER["emails"][1]]})

    assert result["emails"] == [*USER["emails"], new]


def test_patch_add_primary_clears_others() -> None:
    new = {"value": "b@x.org", "type": "other", "primary": True}

    result = patch({"op": "add", "path": "emails", "value": new})

    assert result["emails"][0]["primary"] is False
    assert result["emails"][2]["primary"] is True


def test_patch_replace_multi_valued_whole() -> None:
    new = [{"value": "only@x.org"}]

    result = patch({"op": "replace", "path": "emails", "value": new})

    assert result["emails"] == new


def test_patch_replace_filtered_entry_whole() -> None:
    operation = {"op": "replace", "path": 'emails[type eq "home"]',
                 "value": {"value": "new@home.org", "type": "home"}}

    result = patch(operation)

    assert result["emails"][1] == {"value": "new@home.org", "type": "home"}


def test_patch_add_filtered_entry_merges() -> None:
    operation = {"op": "add", "path": 'emails[type eq "home"]',
                 "value": {"display": "Home"}}

    result = patch(operation)

    assert result["emails"][1] == {"value": "babs@jensen.org", "type": "home",
                                   "display": "Home"}


def test_patch_add_single_valued_replaces() -> None:
    result = patch({"op": "add", "path": "displayName", "value": "New"})

    assert result["displayName"] == "New"


def test_patch_add_complex_merges() -> None:
    result = patch({"op": "add", "path": "name", "value": {"middleName": "M"}})

    assert result["name"] == {"familyName": "Jensen", "givenName": "Barbara",
                              "middleName": "M"}


def test_patch_complex_unknown_sub_rejected() -> None:
    error = operation_error({"op": "add", "path": "name", "value": {"bogus": "x"}})

    assert error.scim_type == "invalidPath"


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("displayName", lambda r: "displayName" not in r),
        ("name.givenName", lambda r: r["name"] == {"familyName": "Jensen"}),
        ('emails[type eq "home"]', lambda r: len(r["emails"]) == 1),
        ('emails[type eq "work"].primary', lambda r: "primary" not in r["emails"][0]),
        ("emails.type", lambda r: all("type" not in e for e in r["emails"])),
        ("emails", lambda r: "emails" not in r),
        (f"{SOULANMA_USER_URN}:editor", lambda r: r[SOULANMA_USER_URN] == {
            "state": "pending"}),
        (SOULANMA_USER_URN, lambda r: SOULANMA_USER_URN not in r),
        ("title", lambda r: r == USER),
        ('emails[type eq "other"]', lambda r: r == USER),
        (f"{ENTERPRISE_USER_URN}:manager", lambda r: r == USER),
    ],
)
def test_patch_remove_paths(path: str, check: Any) -> None:
    result = patch({"op": "remove", "path": path})

    assert check(result)


def test_patch_remove_last_value_unassigns() -> None:
    operations = [{"op": "remove", "path": 'emails[type eq "home"]'},
                  {"op": "remove", "path": 'emails[type eq "work"]'}]

    result = patch(*operations)

    assert "emails" not in result


def test_patch_remove_listed_values() -> None:
    operation = {"op": "remove", "path": "emails",
                 "value": [{"value": "babs@jensen.org"}]}

    result = patch(operation)

    assert result["emails"] == [USER["emails"][0]]


def test_patch_remove_without_path_no_target() -> None:
    error = operation_error({"op": "remove", "value": {"title": "x"}})

    assert error.scim_type == "noTarget"


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "replace", "path": "id", "value": "other"},
        {"op": "remove", "path": "id"},
        {"op": "add", "path": "meta.created", "value": "2020-01-01T00:00:00Z"},
        {"op": "add", "path": "groups", "value": [{"value": "g"}]},
        {"op": "replace", "path": f"{SOULANMA_USER_URN}:state", "value": "member"},
        {"op": "replace", "value": {"id": "other"}},
        {"op": "replace", "value": {SOULANMA_USER_URN: {"state": "member"}}},
        {"op": "replace", "path": f"{ENTERPRISE_USER_URN}:manager",
         "value": {"displayName": "Boss"}},
    ],
)
def test_patch_read_only_rejected(operation: dict[str, Any]) -> None:
    error = operation_error(operation)

    assert error.status == 400
    assert error.scim_type == "mutability"


def test_patch_read_only_unchanged_accepted() -> None:
    value = {"id": "u-1", SOULANMA_USER_URN: {"editor": True, "state": "pending"}}

    result = patch({"op": "replace", "value": value})

    assert result["id"] == "u-1"
    assert result[SOULANMA_USER_URN] == {"editor": True, "state": "pending"}


def test_patch_password_accepted() -> None:
    result = patch({"op": "replace", "path": "password", "value": "s3cret!"})

    assert result["password"] == "s3cret!"


def test_patch_is_atomic() -> None:
    resource = copy.deepcopy(USER)
    body = {"schemas": [PATCH_OP_URN], "Operations": [
        {"op": "replace", "path": "displayName", "value": "Changed"},
        {"op": "replace", "path": "bogus", "value": "x"},
    ]}

    error = patch_error(body, resource=resource)

    assert error.scim_type == "invalidPath"
    assert resource == USER


def test_patch_input_not_mutated() -> None:
    resource = copy.deepcopy(USER)

    patch({"op": "remove", "path": "emails"}, resource=resource)

    assert resource == USER


def test_patch_result_not_aliased_to_body() -> None:
    value = [{"value": "b@x.org"}]

    result = patch({"op": "add", "path": "emails", "value": value})
    value[0]["value"] = "changed"

    assert result["emails"][-1] == {"value": "b@x.org"}


@pytest.mark.parametrize(
    "body",
    [
        {"Operations": [{"op": "replace", "path": "title", "value": "x"}]},
        {"SCHEMAS": [PATCH_OP_URN.upper()],
         "operations": [{"OP": "REPLACE", "PATH": "title", "VALUE": "x"}]},
        {"schemas": None, "Operations": [{"op": "add", "path": "title", "value": "x"}]},
    ],
)
def test_patch_body_tolerances(body: dict[str, Any]) -> None:
    result = apply_patch(USER, body)

    assert result["title"] == "x"


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        (None, "invalidSyntax"),
        ([], "invalidSyntax"),
        ("text", "invalidSyntax"),
        ({"schemas": [PATCH_OP_URN]}, "invalidSyntax"),
        ({"schemas": [PATCH_OP_URN], "Operations": []}, "invalidSyntax"),
        ({"schemas": [PATCH_OP_URN], "Operations": {"op": "add"}}, "invalidSyntax"),
        ({"schemas": [PATCH_OP_URN], "Operations": ["add"]}, "invalidSyntax"),
        ({"schemas": [CORE_USER_URN], "Operations": [{"op": "add"}]}, "invalidSyntax"),
        ({"schemas": PATCH_OP_URN, "Operations": [{"op": "add"}]}, "invalidSyntax"),
        ({"Operations": [{"path": "title", "value": "x"}]}, "invalidSyntax"),
        ({"Operations": [{"op": "move", "path": "title", "value": "x"}]},
         "invalidSyntax"),
        ({"Operations": [{"op": 1, "path": "title", "value": "x"}]}, "invalidSyntax"),
        ({"Operations": [{"op": "add", "path": 7, "value": "x"}]}, "invalidSyntax"),
        ({"Operations": [{"op": "add", "path": "title"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "value": "x"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "value": None}]}, "invalidValue"),
        ({"Operations": [{"op": "add", "path": "name", "value": "x"}]},
         "invalidValue"),
        ({"Operations": [{"op": "add", "path": ENTERPRISE_USER_URN, "value": 3}]},
         "invalidValue"),
        ({"Operations": [{"op": "add", "value": {ENTERPRISE_USER_URN: [1]}}]},
         "invalidValue"),
        ({"Operations": [{"op": "add", "path": "bogus", "value": "x"}]},
         "invalidPath"),
        ({"Operations": [{"op": "add", "path": "emails[", "value": "x"}]},
         "invalidPath"),
        ({"Operations": [{"op": "remove", "path": "name.bogus"}]}, "invalidPath"),
        ({"Operations": [{"op": "remove", "path": ""}]}, "noTarget"),
    ],
)
def test_patch_invalid_body_rejected(body: object, scim_type: str) -> None:
    error = patch_error(body)

    assert error.status == 400
    assert error.scim_type == scim_type


def test_patch_deep_value_rejected() -> None:
    value: Any = "leaf"
    for _ in range(MAX_VALUE_DEPTH + 1):
        value = [value]

    error = operation_error({"op": "add", "path": "emails", "value": value})

    assert error.scim_type == "invalidValue"


def test_patch_deepest_json_rejected() -> None:
    text = '{"Operations": [{"op": "add", "path": "title", "value": ' + \
        "[" * 900 + "]" * 900 + "}]}"

    error = patch_error(json.loads(text))

    assert error.scim_type == "invalidValue"


_FUZZ_VALUES: list[Any] = [
    None, True, 0, -1.5, "", "x" * 10_000, "False", [], {}, [None], [[1]],
    {"value": "a"}, {"a": {"b": {"c": []}}}, 'emails[type eq "work"].value',
    "name.givenName", "emails", SOULANMA_USER_URN, f"{SOULANMA_USER_URN}:editor",
    "id", "meta", "groups", "schemas", "urn:", "[", "emails[", {"name.givenName": 1},
    {SOULANMA_USER_URN: {"editor": "yes"}}, {"emails": "a"}, {"name": []},
    [{"type": "work", "primary": True}], "REPLACE", "Add", "remove", "move",
]


_FUZZ_PATHS = [
    "title", "name.givenName", "name", "emails", 'emails[type eq "work"].value',
    'emails[type eq "home"]', "emails.type", ENTERPRISE_USER_URN,
    f"{ENTERPRISE_USER_URN}:manager.value", f"{SOULANMA_USER_URN}:editor", "active",
]


def _random_operation(generator: random.Random) -> Any:
    if generator.random() < 0.1:
        return generator.choice(_FUZZ_VALUES)
    operation: dict[str, Any] = {}
    for key in ("op", "path", "value", "Path", "extra"):
        if generator.random() < 0.7:
            operation[key] = generator.choice(_FUZZ_VALUES)
    if generator.random() < 0.9:
        operation["op"] = generator.choice(["add", "Replace", "remove", "ADD"])
    if generator.random() < 0.6:
        operation["path"] = generator.choice(_FUZZ_PATHS)
    return operation


def test_patch_fuzz_raises_only_scim_error() -> None:
    generator = random.Random(3552)
    applied_count = 0

    for _ in range(4000):
        operations = [_random_operation(generator)
                      for _ in range(generator.randint(1, 2))]
        body: Any = {"schemas": [PATCH_OP_URN], "Operations": operations}
        if generator.random() < 0.1:
            body = generator.choice(_FUZZ_VALUES)
        resource = copy.deepcopy(USER)
        try:
            result = apply_patch(resource, body)
        except ScimError as error:
            assert error.status == 400, body
            assert resource == USER, body
            continue
        applied_count += 1
        assert isinstance(result, dict), body
        assert resource == USER, body

    assert applied_count > 400
