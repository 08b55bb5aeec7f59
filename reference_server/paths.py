"""Attribute paths (RFC 7644, Section 3.10) and the tokens they are written in.

This is the layer that `filters.py` builds on: the tokenizer shared by filters
and PATCH paths, the resolution of attribute names against the User schemas,
the `Path` target of a PATCH operation and the dateTime parser. Resolution
errors are `ValueError`, because a filter reports them as `invalidFilter` and a
PATCH path as `invalidPath`.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .schema import (
    CORE_USER_URN,
    EXTENSION_SCHEMAS,
    Attribute,
    core_attribute,
    schema_by_urn,
    split_urn,
)

if TYPE_CHECKING:
    from .filters import Filter


@dataclass(frozen=True)
class AttrPath:
    """An attribute reference resolved against the User schemas.

    `schema` is the URN of the schema that defines the attribute, and the core
    User URN for core and common attributes (`id`, `externalId`, `meta`).
    """

    schema: str
    attribute: Attribute
    sub_attribute: Attribute | None = None

    @property
    def target(self) -> Attribute:
        """The attribute whose values a comparison reads."""
        return self.sub_attribute or self.attribute

    def __str__(self) -> str:
        text = self.attribute.name
        if self.sub_attribute is not None:
            text += "." + self.sub_attribute.name
        if self.schema != CORE_USER_URN:
            text = f"{self.schema}:{text}"
        return text


@dataclass(frozen=True)
class Path:
    """The target of a PATCH operation (RFC 7644, Section 3.5.2).

    `schema` is the URN of the schema that defines the target, and the core
    User URN for core and common attributes. `attribute` is None when the path
    is a bare extension URN, which targets the whole extension object.
    `value_filter` selects values of a multi-valued attribute, and its paths
    name sub-attributes of `attribute`.
    """

    schema: str
    attribute: Attribute | None
    value_filter: Filter | None = None
    sub_attribute: Attribute | None = None

    @property
    def is_extension(self) -> bool:
        """Whether the target lives in an extension object keyed by its URN."""
        return self.schema != CORE_USER_URN


@dataclass(frozen=True)
class Token:
    """A lexical token: `kind` is `(`, `)`, `[`, `]`, `string`, `word` or `end`."""

    kind: str
    text: str
    position: int
    value: str | None = None


_PUNCTUATION = "()[]"
_WORD = re.compile(r"[^\s()\[\]\"]+")
_SPACE = re.compile(r"\s+")
_STRING_BODY = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def tokenize(text: str) -> list[Token]:
    """Split a filter or PATCH path into tokens, ending with an `end` token.

    Raises `ValueError` for an unterminated or invalid string literal.
    """
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        space = _SPACE.match(text, position)
        if space:
            position = space.end()
            continue
        char = text[position]
        if char in _PUNCTUATION:
            tokens.append(Token(char, char, position))
            position += 1
        elif char == '"':
            tokens.append(_string_token(text, position))
            position += len(tokens[-1].text)
        else:
            word = _WORD.match(text, position)
            assert word is not None  # every other character starts a word
            tokens.append(Token("word", word.group(), position))
            position = word.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _string_token(text: str, position: int) -> Token:
    literal = _STRING_BODY.match(text, position)
    if literal is None:
        raise ValueError(f"unterminated string at position {position}")
    try:
        # JSON string rules (RFC 7644, Section 3.4.2.2): \" \\ \/ \b \f \n \r \t \uXXXX.
        value = json.loads(literal.group(), strict=False)
    except ValueError as error:
        raise ValueError(
            f"invalid string {literal.group()[:40]!r} at position {position}: {error}"
        ) from None
    return Token("string", literal.group(), position, value)


def resolve_attribute(
    text: str, parent: Attribute | None = None, parent_schema: str | None = None
) -> AttrPath:
    """Resolve an attribute path such as `name.familyName` or a URN-qualified one.

    With `parent`, `text` names a sub-attribute of `parent` (inside a value
    filter). Names match in any letter case. An unqualified name is looked up in
    the core schema first, then in the extensions where it is unambiguous.
    Raises `ValueError` with a reason; callers turn it into their scimType.
    """
    if parent is not None:
        sub = parent.sub_attribute(text)
        if sub is None:
            raise ValueError(f"{parent.name} has no sub-attribute {text!r}")
        assert parent_schema is not None
        return AttrPath(parent_schema, parent, sub)
    schema, rest = split_urn(text)
    if schema is None and schema_by_urn(text) is not None:
        raise ValueError(f"{text!r} is a schema URN, not an attribute")
    if schema is None and text.lower().startswith("urn:"):
        raise ValueError(f"unknown schema in {text!r}")
    name, _, sub_name = rest.partition(".")
    attribute, schema_urn = _lookup(name, schema.id if schema else None)
    if attribute is None:
        raise ValueError(f"unknown attribute {text!r}")
    if not sub_name:
        if "." in rest:
            raise ValueError(f"missing sub-attribute name in {text!r}")
        return AttrPath(schema_urn, attribute)
    sub = attribute.sub_attribute(sub_name)
    if sub is None:
        raise ValueError(f"{attribute.name} has no sub-attribute {sub_name!r}")
    return AttrPath(schema_urn, attribute, sub)


def _lookup(name: str, schema_urn: str | None) -> tuple[Attribute | None, str]:
    if schema_urn == CORE_USER_URN or schema_urn is None:
        attribute = core_attribute(name)
        if attribute is not None or schema_urn is not None:
            return attribute, CORE_USER_URN
        # RFC 7644, Section 3.10 puts unqualified names in the core schema. The
        # extension names do not clash with core ones, so accepting them as well
        # only helps clients that omit the URN.
        found = [(s.attribute(name), s.id) for s in EXTENSION_SCHEMAS]
        found = [(a, urn) for a, urn in found if a is not None]
        return found[0] if len(found) == 1 else (None, CORE_USER_URN)
    schema = schema_by_urn(schema_urn)
    assert schema is not None
    return schema.attribute(name), schema.id


_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"([Zz]|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)


def parse_datetime(text: str) -> datetime.datetime | None:
    """Parse an xsd:dateTime (RFC 7643, Section 2.3.5), or return None."""
    found = _DATETIME.fullmatch(text.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=_timezone(zone),
        )
    except ValueError:
        return None


def _timezone(zone: str | None) -> datetime.tzinfo:
    # A dateTime without a zone is read as UTC, so that every value compares.
    if zone is None or zone in {"Z", "z"}:
        return datetime.timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return datetime.timezone(sign * offset)
