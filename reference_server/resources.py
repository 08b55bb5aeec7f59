"""Validation of User bodies against the schemas, and rendering of User resources.

`parse_user` turns a POST or PUT body, or the result of a PATCH, into a
`UserInput` with every value of the right type, or raises a `ScimError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reference_server import mutants
from reference_server.errors import ScimError, invalid_value
from reference_server.schema import (
    CORE_USER_URN,
    ENTERPRISE_USER,
    ENTERPRISE_USER_URN,
    SOULANMA_USER_URN,
    Attribute,
    Schema,
    core_attribute,
    schema_by_urn,
    split_urn,
)
from reference_server.storage import User

MAX_STRING_LENGTH = 2048
MAX_MULTI_VALUES = 100
ADMIN_DETAIL = (
    "Workspace admin cannot be granted or revoked through SCIM; grant admin to a "
    "member in the Soulanma workspace settings."
)

# A practical address check: one @, no spaces, a dot in the domain. It is not
# RFC 5322, but it separates email addresses from user names and ids.
_EMAIL = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@[^\W_]([\w-]*[^\W_])?(\.[^\W_]([\w-]*[^\W_])?)+"
)
# Whole words of a role that name workspace admin.
_ADMIN_WORDS = {"admin", "admins", "administrator", "administrators", "owner", "owners"}

# Attributes a client may send back from a read; they are ignored on write.
_IGNORED = {"id", "meta", "groups"}
_STORED_ELSEWHERE = {"username", "externalid", "active", "password"}


@dataclass
class UserInput:
    """A validated User body: the columns and the remaining stored attributes."""

    user_name: str
    external_id: str | None = None
    active: bool | None = None
    editor: bool | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def is_email(value: str) -> bool:
    local_part = value.partition("@")[0]
    return (
        len(value) <= 254
        and len(local_part) <= 64
        and _EMAIL.fullmatch(value) is not None
    )


def parse_boolean(value: Any, name: str) -> bool:
    """Return a JSON boolean, also from "true" or "false" in any letter case.

    Microsoft Entra ID sends booleans as strings unless its compliance flag is
    set, so the strings are accepted wherever a boolean is expected.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and mutants.active("reject-string-booleans"):
        raise invalid_value(f"Attribute '{name}' must be a JSON boolean.")
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"Attribute '{name}' must be a boolean, got {_show(value)}.")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_value(attribute: Attribute, value: Any, name: str) -> Any:
    if attribute.multi_valued:
        return _check_multi(attribute, value, name)
    return _check_single(attribute, value, name)


def _check_multi(attribute: Attribute, value: Any, name: str) -> list[Any]:
    # Some clients render a single-valued object where a list is due (OneLogin
    # templates do); a lone object counts as a list of one.
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise invalid_value(f"Attribute '{name}' must be a list, got {_show(value)}.")
    if len(items) > MAX_MULTI_VALUES:
        raise invalid_value(
            f"Attribute '{name}' has {len(items)} values; at most "
            f"{MAX_MULTI_VALUES} are accepted."
        )
    checked = [
        _check_single(attribute, item, name) for item in items if item is not None
    ]
    checked = [item for item in checked if item not in ({}, None)]
    if attribute.sub_attribute("value") is not None:
        # An entry without its value carries no data, and a PATCH that removes
        # `emails.value` leaves such entries behind.
        checked = [item for item in checked if item.get("value") not in (None, "")]
    if sum(1 for item in checked if item.get("primary") is True) > 1:
        raise invalid_value(
            f"Attribute '{name}' marks more than one value primary; RFC 7643, "
            "Section 2.4 allows one."
        )
    return checked


def _check_single(attribute: Attribute, value: Any, name: str) -> Any:
    if value is None:
        return None
    if attribute.type == "complex":
        return _check_complex(attribute, value, name)
    if attribute.type == "boolean":
        return parse_boolean(value, name)
    if attribute.type in ("integer", "decimal"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise invalid_value(f"Attribute '{name}' must be a number.")
        return value
    if not isinstance(value, str):
        raise invalid_value(f"Attribute '{name}' must be a string, got {_show(value)}.")
    if len(value) > MAX_STRING_LENGTH:
        raise invalid_value(
            f"Attribute '{name}' is {len(value)} characters long; the maximum is "
            f"{MAX_STRING_LENGTH}."
        )
    return value


def _check_complex(attribute: Attribute, value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid_value(
            f"Attribute '{name}' must be an object, got {_show(value)}."
        )
    checked: dict[str, Any] = {}
    for key, sub_value in value.items():
        sub = attribute.sub_attribute(key)
        if sub is None:
            raise invalid_value(f"Attribute '{name}' has no sub-attribute '{key}'.")
        if sub.mutability == "readOnly":
            continue
        result = _check_single(sub, sub_value, f"{name}.{sub.name}")
        if result is not None:
            checked[sub.name] = result
    return checked


def _check_schemas(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid_value("Attribute 'schemas' must be a list of schema URNs.")
    for item in value:
        if schema_by_urn(item) is None:
            raise invalid_value(f"Unknown schema URN in 'schemas': {item!r}.")
    if not any(item.lower() == CORE_USER_URN.lower() for item in value):
        raise invalid_value(f"Attribute 'schemas' must contain {CORE_USER_URN}.")


def names_admin(roles: list[Any]) -> bool:
    """Return whether a `roles` value names workspace admin (or owner)."""
    for role in roles:
        for key in ("value", "display", "type"):
            words = re.split(r"[^a-z0-9]+", str(role.get(key, "")).casefold())
            if _ADMIN_WORDS.intersection(words):
                return True
    return False


def _check_roles(roles: list[Any]) -> None:
    if names_admin(roles) and not mutants.active("admin-through-roles"):
        raise invalid_value(ADMIN_DETAIL)


class _Collector:
    """Gathers checked attributes per schema while a body is walked."""

    def __init__(self) -> None:
        self.core: dict[str, Any] = {}
        self.extensions: dict[str, dict[str, Any]] = {}

    def add_extension_value(self, schema: Schema, name: str, value: Any) -> None:
        if schema.id == SOULANMA_USER_URN and name.lower() == "admin":
            raise invalid_value(ADMIN_DETAIL)
        attribute = schema.attribute(name)
        if attribute is None:
            raise invalid_value(f"Schema {schema.id} has no attribute '{name}'.")
        if attribute.mutability == "readOnly":
            return
        self.extensions.setdefault(schema.id, {})[attribute.name] = _check_value(
            attribute, value, attribute.name
        )

    def add_extension_object(self, schema: Schema, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            raise invalid_value(f"Extension {schema.id} must be an object.")
        for name, sub_value in value.items():
            self.add_extension_value(schema, name, sub_value)

    def add_core_value(self, name: str, value: Any) -> None:
        attribute = core_attribute(name)
        if attribute is None:
            raise invalid_value(
                f"Unknown attribute '{name}': it is not in the core User, enterprise "
                "or Soulanma schema."
            )
        if attribute.name == "roles" and isinstance(value, list):
            # Checked before validation, which drops entries without a value.
            _check_roles([item for item in value if isinstance(item, dict)])
        if attribute.name in _IGNORED or attribute.name == "password":
            if attribute.name == "password" and value is not None:
                _check_single(attribute, value, "password")
            return
        self.core[attribute.name] = _check_value(attribute, value, attribute.name)


def parse_user(body: Any) -> UserInput:
    """Validate a User body and return its parts. RFC 7643, Section 4.1."""
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a JSON object.", "invalidSyntax")

    collector = _Collector()
    for key, value in body.items():
        if not isinstance(key, str):
            raise invalid_value("Attribute names must be strings.")
        if key.lower() == "schemas":
            if value is not None:
                _check_schemas(value)
            continue
        extension = schema_by_urn(key)
        if extension is not None and extension.id != CORE_USER_URN:
            collector.add_extension_object(extension, value)
            continue
        schema, rest = split_urn(key)
        if schema is not None and schema.id != CORE_USER_URN:
            collector.add_extension_value(schema, rest, value)
            continue
        collector.add_core_value(rest, value)

    return _assemble(collector)


def _assemble(collector: _Collector) -> UserInput:
    core = {key: value for key, value in collector.core.items() if value is not None}
    user_name = core.pop("userName", None)
    if not user_name:
        raise invalid_value(
            "Attribute 'userName' is required: the user's email address."
        )
    if not is_email(user_name):
        raise invalid_value(
            "Attribute 'userName' must be the user's email address, got "
            f"{_show(user_name)}."
        )
    _check_roles(core.get("roles", []))

    soulanma = collector.extensions.get(SOULANMA_USER_URN, {})
    enterprise = {
        key: value
        for key, value in collector.extensions.get(ENTERPRISE_USER_URN, {}).items()
        if value not in (None, {})
    }
    attributes = {
        key: value
        for key, value in core.items()
        if key.lower() not in _STORED_ELSEWHERE and value not in ([], {})
    }
    if enterprise:
        attributes[ENTERPRISE_USER_URN] = enterprise
    return UserInput(
        user_name=user_name,
        external_id=core.get("externalId"),
        active=core.get("active"),
        editor=soulanma.get("editor"),
        attributes=attributes,
    )


def render_user(user: User, base_url: str) -> dict[str, Any]:
    """Render a stored user as a SCIM User resource (RFC 7643, Section 4.1)."""
    attributes = dict(user.attributes)
    enterprise = attributes.pop(ENTERPRISE_USER_URN, None)
    schemas = [CORE_USER_URN]
    if enterprise:
        schemas.append(ENTERPRISE_USER.id)
    schemas.append(SOULANMA_USER_URN)

    resource: dict[str, Any] = {"schemas": schemas, "id": user.id}
    if user.external_id is not None:
        resource["externalId"] = user.external_id
    resource["userName"] = user.user_name
    resource.update(attributes)
    resource["active"] = user.active
    if enterprise:
        resource[ENTERPRISE_USER_URN] = enterprise
    resource[SOULANMA_USER_URN] = {"editor": user.role == "editor", "state": user.state}
    resource["meta"] = {
        "resourceType": "User",
        "created": _timestamp(user.created),
        "lastModified": _timestamp(user.last_modified),
        "location": f"{base_url}/Users/{user.id}",
        "version": etag(user),
    }
    return resource


def etag(user: User) -> str:
    return f'W/"{user.version}"'


def _timestamp(value: Any) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")
