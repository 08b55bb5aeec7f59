"""SCIM filters (RFC 7644, Section 3.4.2.2) and PATCH paths: parsing and evaluation.

`parse_filter` turns a filter into a tree of frozen dataclasses, `matches`
evaluates that tree against a User resource in its SCIM JSON form, and
`parse_path` parses the `path` of a PATCH operation. Filter errors are
`ScimError` 400 `invalidFilter` and path errors 400 `invalidPath`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import mutants
from .errors import ScimError, invalid_filter, invalid_path
from .paths import (
    AttrPath,
    Path,
    Token,
    parse_datetime,
    resolve_attribute,
    tokenize,
)
from .schema import CORE_USER_URN, Attribute, schema_by_urn

MAX_FILTER_LENGTH = 4096
MAX_NESTING_DEPTH = 50

COMPARISON_OPERATORS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
ORDERING_OPERATORS = frozenset({"gt", "ge", "lt", "le"})
_LOGICAL_WORDS = frozenset({"and", "or", "not"})
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?", re.ASCII)

Literal = str | int | float | bool | None


@dataclass(frozen=True)
class Comparison:
    """`path op value`, where `op` is a lower-case comparison operator."""

    path: AttrPath
    op: str
    value: Literal


@dataclass(frozen=True)
class Present:
    """`path pr`."""

    path: AttrPath


@dataclass(frozen=True)
class And:
    """The conjunction of two or more filters."""

    operands: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    """The disjunction of two or more filters."""

    operands: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    """The negation of a filter."""

    operand: Filter


@dataclass(frozen=True)
class ValuePath:
    """`attribute[filter]`: some value of a multi-valued attribute matches `filter`.

    The paths inside `filter` name sub-attributes of `path.attribute`, so they
    carry that attribute with a sub-attribute. `emails[type eq "work"].value co
    "@"` parses as `emails[type eq "work" and value co "@"]`, which means the same.
    """

    path: AttrPath
    filter: Filter


Filter = Comparison | Present | And | Or | Not | ValuePath


class Parser:
    """A recursive-descent parser over the tokens of one filter or PATCH path."""

    def __init__(self, text: object, subject: str = "filter") -> None:
        self.subject = subject
        self.make_error: Callable[[str], ScimError] = (
            invalid_filter if subject == "filter" else invalid_path
        )
        if not isinstance(text, str):
            raise self.fail(f"the {subject} must be a string")
        if len(text) > MAX_FILTER_LENGTH:
            raise self.fail(
                f"the {subject} is {len(text)} characters long, and the maximum is "
                f"{MAX_FILTER_LENGTH}"
            )
        try:
            self.tokens = tokenize(text)
        except ValueError as error:
            raise self.fail(str(error)) from None
        self.index = 0
        self.depth = 0

    def fail(self, reason: str) -> ScimError:
        return self.make_error(f"Invalid {self.subject}: {reason}.")

    def unexpected(self, expected: str) -> ScimError:
        token = self.current
        got = (
            f"the end of the {self.subject}"
            if token.kind == "end"
            else (f"{token.text[:40]!r} at position {token.position}")
        )
        return self.fail(f"expected {expected}, got {got}")

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.current
        if token.kind != "end":
            self.index += 1
        return token

    def keyword(self) -> str | None:
        token = self.current
        return token.text.lower() if token.kind == "word" else None

    def expect(self, kind: str, expected: str) -> Token:
        if self.current.kind != kind:
            raise self.unexpected(expected)
        return self.advance()

    def enter(self) -> None:
        # The cap keeps recursion far below Python's limit whatever the input.
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise self.fail(
                f"nesting deeper than {MAX_NESTING_DEPTH} levels at position "
                f"{self.current.position}"
            )

    def parse_filter(self) -> Filter:
        result = self.parse_or(None)
        self.expect("end", "'and', 'or' or the end of the filter")
        return result

    def parse_patch_path(self) -> Path:
        token = self.current
        path = self.parse_attribute(None)
        value_filter = None
        sub = path.sub_attribute
        if self.current.kind == "[":
            value_filter = self.parse_bracket(path, None, token).filter
            if self.current.kind == "word" and self.current.text.startswith("."):
                sub = self.parse_sub_attribute(path).sub_attribute
        self.expect("end", "the end of the path")
        return Path(path.schema, path.attribute, value_filter, sub)

    def parse_or(self, parent: AttrPath | None) -> Filter:
        operands = [self.parse_and(parent)]
        while self.keyword() == "or":
            self.advance()
            operands.append(self.parse_and(parent))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self, parent: AttrPath | None) -> Filter:
        # RFC 7644, Section 3.4.2.2: "and" binds tighter than "or".
        operands = [self.parse_unary(parent)]
        while self.keyword() == "and":
            self.advance()
            operands.append(self.parse_unary(parent))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self, parent: AttrPath | None) -> Filter:
        if self.keyword() == "not":
            self.advance()
            self.enter()
            operand = self.parse_unary(parent)
            self.depth -= 1
            return Not(operand)
        if self.current.kind == "(":
            self.advance()
            self.enter()
            inner = self.parse_or(parent)
            self.expect(")", "')' to close the group")
            self.depth -= 1
            return inner
        return self.parse_expression(parent)

    def parse_expression(self, parent: AttrPath | None) -> Filter:
        token = self.current
        path = self.parse_attribute(parent)
        if self.current.kind != "[":
            return self.parse_test(path)
        bracket = self.parse_bracket(path, parent, token)
        if self.current.kind != "word" or not self.current.text.startswith("."):
            return bracket
        # `emails[type eq "work"].value co "@"`: one value must satisfy both.
        sub = self.parse_sub_attribute(path)
        inner = bracket.filter
        operands = inner.operands if isinstance(inner, And) else (inner,)
        return ValuePath(path, And((*operands, self.parse_test(sub))))

    def parse_attribute(self, parent: AttrPath | None) -> AttrPath:
        token = self.expect("word", "an attribute name")
        if token.text.lower() in _LOGICAL_WORDS:
            raise self.fail(
                f"expected an attribute name, got {token.text!r} at position "
                f"{token.position}"
            )
        try:
            return resolve_attribute(
                token.text,
                parent.attribute if parent else None,
                parent.schema if parent else None,
            )
        except ValueError as error:
            raise self.fail(f"{error} at position {token.position}") from None

    def parse_bracket(
        self, path: AttrPath, parent: AttrPath | None, token: Token
    ) -> ValuePath:
        # RFC 7644, Section 3.4.2.2: a value filter selects values of a
        # multi-valued complex attribute, and value filters do not nest.
        if parent is not None or path.sub_attribute is not None:
            raise self.fail(
                f"a value filter cannot follow {token.text!r} at position "
                f"{token.position}"
            )
        if not (path.attribute.multi_valued and path.attribute.sub_attributes):
            raise self.fail(
                f"{path.attribute.name} is not a multi-valued complex attribute, so "
                f"it takes no value filter (position {token.position})"
            )
        self.advance()
        self.enter()
        inner = self.parse_or(path)
        self.expect("]", "']' to close the value filter")
        self.depth -= 1
        return ValuePath(path, inner)

    def parse_sub_attribute(self, path: AttrPath) -> AttrPath:
        token = self.advance()
        sub = path.attribute.sub_attribute(token.text[1:])
        if sub is None:
            raise self.fail(
                f"{path.attribute.name} has no sub-attribute {token.text[1:]!r} at "
                f"position {token.position}"
            )
        return AttrPath(path.schema, path.attribute, sub)

    def parse_test(self, path: AttrPath) -> Filter:
        operator = self.current
        op = self.keyword()
        if op == "pr":
            self.advance()
            return Present(path)
        if op not in COMPARISON_OPERATORS:
            raise self.unexpected(f"a comparison operator or 'pr' after {str(path)!r}")
        self.advance()
        value_token = self.current
        if value_token.kind == "string":
            value: Literal = value_token.value
        elif value_token.kind == "word" and value_token.text.lower() not in (
            _LOGICAL_WORDS
        ):
            value = _bare_value(value_token.text)
        else:
            raise self.unexpected(f"a comparison value after {op!r}")
        self.advance()
        try:
            return check_comparison(path, op, value, value_token.text)
        except ValueError as error:
            raise self.fail(f"{error} (position {operator.position})") from None


def _bare_value(text: str) -> Literal:
    lowered = text.lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    if lowered == "null":
        return None
    if _NUMBER.fullmatch(text):
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text  # more digits than int() converts
    # Entra ID sends some values unquoted (`externalId eq 00aa-11`), so any
    # other bare token is a string.
    return text


def check_comparison(path: AttrPath, op: str, value: Literal, text: str) -> Comparison:
    """Check that `op` and `value` suit the attribute's type, and coerce the value.

    `text` is the value as written. RFC 7644, Section 3.4.2.2 rejects gt, ge,
    lt and le on boolean and binary attributes. A multi-valued complex attribute
    compared without a sub-attribute compares its `value` sub-attribute.
    Raises `ValueError` with the reason.
    """
    target = path.target
    if target.type == "complex":
        value_sub = target.sub_attribute("value") if target.multi_valued else None
        if value_sub is None:
            raise ValueError(
                f"{target.name} is complex, so compare one of its sub-attributes"
            )
        path = AttrPath(path.schema, path.attribute, value_sub)
        target = value_sub
    if value is None and op not in {"eq", "ne"}:
        raise ValueError(f"{op!r} cannot compare with null")
    if target.type in {"boolean", "binary"} and op not in {"eq", "ne"}:
        raise ValueError(f"{op!r} does not apply to {target.type} {target.name}")
    if target.type == "boolean" and isinstance(value, str):
        if value.lower() not in {"true", "false"}:
            raise ValueError(
                f"{target.name} is boolean, so compare it with true or false"
            )
        value = value.lower() == "true"
    elif target.type in {"string", "reference", "binary"} and _is_number(value):
        # An unquoted number compared with a string, as in
        # `externalId eq 12345`, means the text as written.
        value = text
    if (
        op in ORDERING_OPERATORS
        and target.type == "dateTime"
        and (not isinstance(value, str) or parse_datetime(value) is None)
    ):
        raise ValueError(
            f"{target.name} needs an ISO 8601 date and time, not {value!r}"
        )
    return Comparison(path, op, value)


def parse_filter(text: str) -> Filter:
    """Parse a SCIM filter (RFC 7644, Section 3.4.2.2) into a `Filter` tree.

    Raises `ScimError` 400 `invalidFilter` for a syntax error, an unknown
    attribute, a comparison that does not suit the attribute's type, a filter
    longer than MAX_FILTER_LENGTH characters or nesting deeper than
    MAX_NESTING_DEPTH levels.
    """
    return Parser(text).parse_filter()


def parse_path(text: str) -> Path:
    """Parse the `path` of a PATCH operation (RFC 7644, Sections 3.5.2 and 3.10).

    Raises `ScimError` 400 `invalidPath` for a malformed path or an unknown
    attribute or sub-attribute.
    """
    if isinstance(text, str):
        schema = schema_by_urn(text.strip())
        if schema is not None and schema.id != CORE_USER_URN:
            return Path(schema.id, None)
    return Parser(text, "path").parse_patch_path()


def matches(node: Filter, resource: dict[str, Any]) -> bool:
    """Evaluate a filter against a User resource in its SCIM JSON form.

    Keys match in any letter case, and strings compare in any letter case
    unless the attribute is caseExact. A multi-valued attribute matches when
    any of its values does. An absent or null attribute matches only `eq null`,
    `ne` and negations: `ne` is evaluated as `not eq` (RFC 7644, Section
    3.4.2.2 defines "ne" as "not identical"), so `emails ne "x"` means that
    no email equals "x".
    """
    return _evaluate(node, resource, None)


def matches_value(node: Filter, value: object) -> bool:
    """Evaluate the filter of a value path against one value of its attribute."""
    return _evaluate(node, None, value)


def _evaluate(node: Filter, resource: object, element: object) -> bool:
    if isinstance(node, And):
        return all(_evaluate(operand, resource, element) for operand in node.operands)
    if isinstance(node, Or):
        return any(_evaluate(operand, resource, element) for operand in node.operands)
    if isinstance(node, Not):
        return not _evaluate(node.operand, resource, element)
    if isinstance(node, ValuePath):
        values = _as_list(
            _get(_container(resource, node.path), node.path.attribute.name)
        )
        return any(_evaluate(node.filter, None, value) for value in values)
    present = [
        value for value in _values(node.path, resource, element) if _is_set(value)
    ]
    if isinstance(node, Present):
        return bool(present)
    return _test(node, present)


def _test(node: Comparison, present: list[Any]) -> bool:
    if node.op == "ne":
        return not _test(Comparison(node.path, "eq", node.value), present)
    if node.value is None:
        return not present
    target = node.path.target
    return any(_compare(node.op, value, node.value, target) for value in present)


def _values(path: AttrPath, resource: object, element: object) -> list[Any]:
    if element is not None:
        # Inside a value filter, paths are relative to one value.
        if path.sub_attribute is None:
            return [element]
        return _as_list(_get(element, path.sub_attribute.name))
    values = _as_list(_get(_container(resource, path), path.attribute.name))
    if path.sub_attribute is None:
        return values
    found: list[Any] = []
    for value in values:
        found.extend(_as_list(_get(value, path.sub_attribute.name)))
    return found


def _container(resource: object, path: AttrPath) -> object:
    # RFC 7643, Section 3.3: extension attributes live under the schema URN.
    return resource if path.schema == CORE_USER_URN else _get(resource, path.schema)


def _get(mapping: object, name: str) -> Any:
    """Return the value of key `name` in any letter case, or None."""
    if not isinstance(mapping, dict):
        return None
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return None


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _is_set(value: object) -> bool:
    # RFC 7643, Section 2.5: null, "" and [] all mean unassigned.
    return value not in (None, "", [], {})


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compare(op: str, actual: Any, expected: Literal, attribute: Attribute) -> bool:
    if isinstance(expected, bool):
        if isinstance(actual, str) and actual.lower() in {"true", "false"}:
            actual = actual.lower() == "true"
        return isinstance(actual, bool) and actual is expected
    if _is_number(expected):
        return _is_number(actual) and _order(op, actual, expected)
    if not isinstance(expected, str) or not isinstance(actual, str):
        return False
    if attribute.type == "dateTime" and op not in {"co", "sw", "ew"}:
        actual_moment, expected_moment = (
            parse_datetime(actual),
            parse_datetime(expected),
        )
        if actual_moment is not None and expected_moment is not None:
            return _order(op, actual_moment, expected_moment)
    case_sensitive = attribute.case_exact or (
        attribute.name == "userName" and mutants.active("case-sensitive-user-name")
    )
    if not case_sensitive:
        actual, expected = actual.casefold(), expected.casefold()
    if op == "co":
        return expected in actual
    if op == "sw":
        return actual.startswith(expected)
    if op == "ew":
        return actual.endswith(expected)
    return _order(op, actual, expected)


def _order(op: str, actual: Any, expected: Any) -> bool:
    if op == "eq":
        return bool(actual == expected)
    if op == "gt":
        return bool(actual > expected)
    if op == "ge":
        return bool(actual >= expected)
    if op == "lt":
        return bool(actual < expected)
    if op == "le":
        return bool(actual <= expected)
    return False
