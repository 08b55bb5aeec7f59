"""Unit tests of the SCIM filter parser and evaluator and the PATCH path parser."""

from __future__ import annotations

import random
from typing import Any

import pytest

from reference_server.errors import ScimError
from reference_server.filters import (
    MAX_FILTER_LENGTH,
    MAX_NESTING_DEPTH,
    And,
    Comparison,
    Not,
    Or,
    Present,
    ValuePath,
    matches,
    parse_filter,
    parse_path,
)
from reference_server.schema import (
    CORE_USER_URN,
    ENTERPRISE_USER_URN,
    SOULANMA_USER_URN,
)

USER: dict[str, Any] = {
    "schemas": [CORE_USER_URN, SOULANMA_USER_URN],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "00000000-0000-0000-0000-000000000001",
    "userName": "Barbara.Jensen@example.com",
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    "active": True,
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    ENTERPRISE_USER_URN: {"employeeNumber": "701984", "manager": {"value": "m-1"}},
    SOULANMA_USER_URN: {"editor": False, "state": "pending"},
    "meta": {
        "resourceType": "User",
        "created": "2021-03-01T10:00:00Z",
        "lastModified": "2021-06-01T12:30:00.123+02:00",
    },
}


def check(text: str, resource: dict[str, Any] | None = None) -> bool:
    return matches(parse_filter(text), USER if resource is None else resource)


def filter_error(text: object) -> ScimError:
    with pytest.raises(ScimError) as caught:
        parse_filter(text)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('USERNAME EQ "barbara.jensen@example.com"', True),
        ('userName Eq "BARBARA.JENSEN@example.com" AND active eq true', True),
        ('userName eq "x" AND active eq true', False),
        ('externalId eq "00000000-0000-0000-0000-000000000001"', True),
        ('externalId eq "00000000-0000-0000-0000-00000000000A"', False),
        ('id eq "2819C223-7F76-453A-919D-413861904646"', False),
        ('emails[type eq "work"].value co "@"', True),
        ('emails[type eq "home"].value co "@example.com"', False),
        ('emails[type eq "work" and primary eq true]', True),
        ('emails[type eq "home" and primary eq true]', False),
        ('emails.value eq "babs@jensen.org"', True),
        ('emails eq "BABS@jensen.org"', True),
        ('emails.type eq "other"', False),
        ('not (userName sw "a")', True),
        ('not (userName sw "barbara")', False),
        ('userName ew "EXAMPLE.COM"', True),
        ('name.familyName eq "jensen"', True),
        ('meta.lastModified gt "2020-01-01T00:00:00Z"', True),
        ('meta.lastModified lt "2021-06-01T10:30:00.124Z"', True),
        ('meta.lastModified ge "2021-06-01T10:30:00.123Z"', True),
        ('meta.created le "2021-03-01"', False),
        ('userName gt "a"', True),
        ('userName lt "A"', False),
        ("title pr", False),
        ("name pr", True),
        ("emails pr", True),
        ("active eq TRUE", True),
        ('active eq "true"', True),
        ('active eq "False"', False),
        (f'{SOULANMA_USER_URN}:editor eq false', True),
        (f'{SOULANMA_USER_URN}:state eq "pending"', True),
        (f'{SOULANMA_USER_URN}:state eq "PENDING"', False),
        (f'{ENTERPRISE_USER_URN}:manager.value eq "m-1"', True),
        (f'{CORE_USER_URN}:userName sw "barbara"', True),
        ("editor eq false", True),
        ("employeeNumber eq 701984", True),
        ("externalId eq 00000000-0000-0000-0000-000000000001", True),
        ('title eq null', True),
        ('userName eq null', False),
        ('title ne "x"', True),
        ('userName ne "barbara.jensen@example.com"', False),
        ('emails ne "babs@jensen.org"', False),
        ('title sw "x" or userName sw "b"', True),
    ],
)
def test_filter_matches_table(text: str, expected: bool) -> None:
    result = check(text)

    assert result is expected


def test_filter_or_binds_weaker_than_and() -> None:
    parsed = parse_filter('title pr and title eq "x" or active eq true')

    assert isinstance(parsed, Or)
    assert isinstance(parsed.operands[0], And)
    assert matches(parsed, USER)


def test_filter_not_binds_tighter_than_and() -> None:
    parsed = parse_filter('not title pr and active eq true')

    assert isinstance(parsed, And)
    assert isinstance(parsed.operands[0], Not)


def test_filter_parentheses_group() -> None:
    parsed = parse_filter('title pr and (title eq "x" or active eq true)')

    assert isinstance(parsed, And)
    assert isinstance(parsed.operands[1], Or)
    assert not matches(parsed, USER)


def test_filter_comparison_fields() -> None:
    parsed = parse_filter('Emails[Type EQ "work"].Value Co "@"')

    assert isinstance(parsed, ValuePath)
    assert parsed.path.attribute.name == "emails"
    assert isinstance(parsed.filter, And)
    last = parsed.filter.operands[-1]
    assert isinstance(last, Comparison)
    assert last.op == "co"
    assert last.path.sub_attribute is not None
    assert last.path.sub_attribute.name == "value"


def test_filter_extension_schema_resolved() -> None:
    parsed = parse_filter(f"{ENTERPRISE_USER_URN}:Manager.Value pr")

    assert isinstance(parsed, Present)
    assert parsed.path.schema == ENTERPRISE_USER_URN
    assert parsed.path.attribute.name == "manager"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r'userName eq "a\"b"', 'a"b'),
        (r'userName eq "a\\b"', "a\\b"),
        (r'userName eq "\u00e9t\u00E9"', "été"),
        ("externalId eq 00aa-11", "00aa-11"),
        ("externalId eq 12345", "12345"),
        ("externalId eq 0012", "0012"),
        ("title eq null", None),
        ("active eq FALSE", False),
    ],
)
def test_filter_value_literals(text: str, value: object) -> None:
    parsed = parse_filter(text)

    assert isinstance(parsed, Comparison)
    assert parsed.value == value


def test_filter_unquoted_value_matches() -> None:
    resource = {"externalId": "00aa-11"}

    assert check("externalId eq 00aa-11", resource)


def test_filter_keys_any_case() -> None:
    resource = {"USERNAME": "a@b.c", "Name": {"FAMILYNAME": "X"}}

    assert check('userName eq "A@B.C"', resource)
    assert check('name.familyName eq "x"', resource)


def test_filter_string_boolean_resource() -> None:
    resource = {"active": "True"}

    assert check("active eq true", resource)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "userName eq",
        'userName zz "x"',
        '(userName eq "x"',
        'userName eq "x")',
        'userName eq "unterminated',
        'bogus eq "x"',
        'name.bogus eq "x"',
        'emails[bogus eq "x"]',
        'emails[type eq "x"',
        'emails[type eq "x"].bogus eq "y"',
        'emails[type eq "x"] eq "y"',
        'emails[type eq "x"].value',
        'name[givenName eq "x"]',
        'emails.value[type eq "x"]',
        'emails[type[value eq "x"] eq "y"]',
        "active gt true",
        'active co "t"',
        'active eq "yes"',
        'name eq "x"',
        'meta.lastModified gt "yesterday"',
        "meta.lastModified gt 5",
        "userName gt null",
        'userName eq "x" and',
        'userName eq "x" or or title pr',
        'and eq "x"',
        "userName eq and",
        "not",
        "()",
        "title pr pr",
        'userName eq "x" "y"',
        f'{CORE_USER_URN} eq "x"',
        f'{ENTERPRISE_USER_URN} pr',
        'urn:example:unknown:User:userName eq "x"',
        r'userName eq "bad \q escape"',
        'userName eq "x" ]',
        "name. pr",
    ],
)
def test_filter_malformed_rejected(text: str) -> None:
    error = filter_error(text)

    assert error.status == 400
    assert error.scim_type == "invalidFilter"
    assert error.detail.startswith("Invalid filter: ")


def test_filter_error_names_position() -> None:
    error = filter_error('userName zz "x"')

    assert "'zz' at position 9" in error.detail


def test_filter_error_names_unknown_attribute() -> None:
    error = filter_error('bogus eq "x"')

    assert "unknown attribute 'bogus'" in error.detail


def test_filter_deep_nesting_rejected() -> None:
    text = "(" * (MAX_NESTING_DEPTH + 1) + "title pr" + ")" * (MAX_NESTING_DEPTH + 1)

    error = filter_error(text)

    assert error.scim_type == "invalidFilter"
    assert "nesting" in error.detail


def test_filter_nesting_at_limit_accepted() -> None:
    text = "(" * MAX_NESTING_DEPTH + "title pr" + ")" * MAX_NESTING_DEPTH

    assert not check(text)


def test_filter_not_chain_rejected() -> None:
    error = filter_error("not " * 5000 + "title pr")

    assert error.scim_type == "invalidFilter"


def test_filter_long_flat_chain_accepted() -> None:
    text = " or ".join(['title eq "x"'] * 200) + " or active eq true"

    assert len(text) < MAX_FILTER_LENGTH
    assert check(text)


def test_filter_too_long_rejected() -> None:
    error = filter_error('userName eq "' + "a" * MAX_FILTER_LENGTH + '"')

    assert error.scim_type == "invalidFilter"
    assert "maximum" in error.detail


def test_filter_non_string_rejected() -> None:
    error = filter_error(None)

    assert error.scim_type == "invalidFilter"


_FUZZ_ATTRIBUTES = [
    "userName", "emails", "emails.value", "EMAILS.TYPE", "name.familyName", "active",
    "meta.lastModified", "externalId", f"{SOULANMA_USER_URN}:editor", "title",
    f"{ENTERPRISE_USER_URN}:manager.value", "bogus", "emails[type eq \"work\"]",
]
_FUZZ_OPERATORS = ["eq", "NE", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "zz"]
_FUZZ_VALUES = [
    '"x"', '"work"', "true", "False", "null", "12", "-1.5e3", "00aa-11",
    '"2020-01-01T00:00:00Z"', r'"\u00e9\""', '"@"', '"unterminated',
]
_FUZZ_NOISE = ["(", ")", "[", "]", '"', "\\", ".", ":", " and ", " or ", "not ", "\x00"]


def _random_expression(generator: random.Random, depth: int = 0) -> str:
    if depth < 3 and generator.random() < 0.3:
        joiner = generator.choice([" and ", " or ", " AND "])
        left = _random_expression(generator, depth + 1)
        right = _random_expression(generator, depth + 1)
        text = left + joiner + right
        return f"({text})" if generator.random() < 0.4 else text
    if generator.random() < 0.1:
        return "not (" + _random_expression(generator, depth + 1) + ")"
    operator = generator.choice(_FUZZ_OPERATORS)
    text = generator.choice(_FUZZ_ATTRIBUTES) + " " + operator
    if operator != "pr":
        text += " " + generator.choice(_FUZZ_VALUES)
    return text


def _mutated(generator: random.Random, text: str) -> str:
    for _ in range(generator.randint(1, 3)):
        position = generator.randint(0, len(text))
        if generator.random() < 0.5:
            text = text[:position] + generator.choice(_FUZZ_NOISE) + text[position:]
        else:
            text = text[:position] + text[position + generator.randint(1, 4):]
    return text


def test_filter_fuzz_raises_only_scim_error() -> None:
    generator = random.Random(7644)
    texts = [_random_expression(generator) for _ in range(2000)]
    texts += [_mutated(generator, _random_expression(generator)) for _ in range(2000)]
    texts += [generator.randbytes(30).decode("latin-1") for _ in range(500)]
    parsed_count = 0

    for text in texts:
        try:
            parsed = parse_filter(text)
        except ScimError as error:
            assert error.scim_type == "invalidFilter", text
            continue
        parsed_count += 1
        assert isinstance(matches(parsed, USER), bool), text

    assert parsed_count > 200
    assert parsed_count < len(texts) - 200


def test_path_simple() -> None:
    path = parse_path("DisplayName")

    assert path.schema == CORE_USER_URN
    assert path.attribute is not None
    assert path.attribute.name == "displayName"
    assert path.value_filter is None
    assert path.sub_attribute is None


def test_path_sub_attribute() -> None:
    path = parse_path("name.familyName")

    assert path.attribute is not None
    assert path.attribute.name == "name"
    assert path.sub_attribute is not None
    assert path.sub_attribute.name == "familyName"


def test_path_value_filter_with_sub_attribute() -> None:
    path = parse_path('emails[type eq "work"].value')

    assert path.attribute is not None
    assert path.attribute.name == "emails"
    assert isinstance(path.value_filter, Comparison)
    assert path.sub_attribute is not None
    assert path.sub_attribute.name == "value"


def test_path_value_filter_alone() -> None:
    path = parse_path('emails[type eq "work"]')

    assert isinstance(path.value_filter, Comparison)
    assert path.sub_attribute is None


@pytest.mark.parametrize(
    ("text", "schema", "name"),
    [
        (f"{SOULANMA_USER_URN}:editor", SOULANMA_USER_URN, "editor"),
        (f"{CORE_USER_URN}:displayName", CORE_USER_URN, "displayName"),
        (f"{ENTERPRISE_USER_URN}:manager.value", ENTERPRISE_USER_URN, "manager"),
    ],
)
def test_path_urn_qualified(text: str, schema: str, name: str) -> None:
    path = parse_path(text)

    assert path.schema == schema
    assert path.attribute is not None
    assert path.attribute.name == name


def test_path_bare_extension_urn() -> None:
    path = parse_path(ENTERPRISE_USER_URN.upper())

    assert path.schema == ENTERPRISE_USER_URN
    assert path.attribute is None
    assert path.is_extension


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bogus",
        "name.bogus",
        'emails[bogus eq "x"]',
        'emails[type eq "x"].bogus',
        'emails[type zz "x"]',
        'emails[type eq "x"',
        'emails[type eq "x"] extra',
        "display Name",
        "name..familyName",
        CORE_USER_URN,
        f"{SOULANMA_USER_URN}:bogus",
        'userName eq "x"',
        '"quoted"',
        "(displayName)",
    ],
)
def test_path_malformed_rejected(text: str) -> None:
    with pytest.raises(ScimError) as caught:
        parse_path(text)

    assert caught.value.status == 400
    assert caught.value.scim_type == "invalidPath"
