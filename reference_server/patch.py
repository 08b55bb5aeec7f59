"""PATCH (RFC 7644, Section 3.5.2) applied to a User resource in its SCIM JSON form.

`apply_patch` works on a deep copy and returns it, so a failing operation
leaves the caller's resource untouched and the request applies all or nothing.
It checks the structure, paths and mutability but not value types: the caller
validates the result as it would a PUT body.

Every error is a `ScimError` 400. A malformed PatchOp message is
`invalidSyntax`. A missing value, or a value of the wrong shape for its target,
is `invalidValue`. A malformed path or an unknown attribute is `invalidPath`.
`remove` without a path, and a value filter that selects nothing, are
`noTarget`. A change to a read-only attribute is `mutability`.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import (
    ScimError,
    invalid_path,
    invalid_syntax,
    invalid_value,
    mutability,
    no_target,
)
from .filters import And, Comparison, Filter, matches_value, parse_path
from .paths import Path
from .schema import CORE_USER_URN, PATCH_OP_URN, Attribute, schema_by_urn

# SCIM User values nest at most three levels deep. The limit keeps copying and
# comparing values far from Python's recursion limit.
MAX_VALUE_DEPTH = 32

_OPERATIONS = frozenset({"add", "replace", "remove"})
_MISSING = object()


def apply_patch(resource: dict[str, Any], body: object) -> dict[str, Any]:
    """Apply a PatchOp request body to a copy of `resource` and return the copy.

    Raises `ScimError` (400) for any invalid body or operation. A body without
    `schemas` is accepted, because some clients omit it, but a `schemas` that
    is present must name the PatchOp URN. Operation names and member names
    (`op`, `path`, `value`, `Operations`) match in any letter case.
    """
    operations = _operations(body)
    result = copy.deepcopy(resource)
    for number, operation in enumerate(operations, start=1):
        try:
            _apply_operation(result, operation)
        except ScimError as error:
            detail = f"Operation {number}: {error.detail}"
            raise ScimError(error.status, detail, error.scim_type) from None
    return result


def _operations(body: object) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        raise invalid_syntax("The PATCH body must be a JSON object.")
    schemas = _member(body, "schemas")
    if (
        schemas is not _MISSING
        and schemas is not None
        and not (
            isinstance(schemas, list)
            and any(
                isinstance(urn, str) and urn.lower() == PATCH_OP_URN.lower()
                for urn in schemas
            )
        )
    ):
        raise invalid_syntax(f'"schemas" must contain "{PATCH_OP_URN}".')
    operations = _member(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax('"Operations" must be a non-empty array of operations.')
    if not all(isinstance(operation, dict) for operation in operations):
        raise invalid_syntax('Each entry of "Operations" must be a JSON object.')
    return operations


def _apply_operation(resource: dict[str, Any], operation: dict[str, Any]) -> None:
    op = _member(operation, "op")
    if op is _MISSING:
        raise invalid_syntax('"op" is missing; it must be add, replace or remove.')
    if not isinstance(op, str) or op.lower() not in _OPERATIONS:
        raise invalid_syntax(f'"op" must be add, replace or remove, not {_show(op)}.')
    op = op.lower()
    raw_path = _member(operation, "path")
    if (
        raw_path is not _MISSING
        and raw_path is not None
        and not isinstance(raw_path, str)
    ):
        raise invalid_syntax(f'"path" must be a string, not {_show(raw_path)}.')
    # A null or empty path is taken as no path, which is what clients mean by it.
    path_text = raw_path.strip() if isinstance(raw_path, str) else ""
    value = _member(operation, "value")
    if value is not _MISSING:
        _check_depth(value)
    if op == "remove":
        # RFC 7644, Section 3.5.2.2: remove without a path fails with noTarget.
        if not path_text:
            raise no_target('"remove" needs a "path".')
        _remove(resource, parse_path(path_text), path_text, value)
        return
    if value is _MISSING:
        raise invalid_value(f'"{op}" needs a "value".')
    if path_text:
        _write(resource, op, parse_path(path_text), path_text, value)
    else:
        _write_attributes(resource, op, value, None)


def _write_attributes(
    resource: dict[str, Any], op: str, value: object, schema_urn: str | None
) -> None:
    """Apply each member of `value` as its own operation (RFC 7644, Section 3.5.2.1)."""
    if not isinstance(value, dict):
        where = f"The value of {schema_urn}" if schema_urn else "A value without a path"
        raise invalid_value(f"{where} must be an object of attributes.")
    for key, item in value.items():
        if not isinstance(key, str):
            raise invalid_path(f"An attribute name must be a string, not {_show(key)}.")
        if schema_urn is None and key.lower() == "schemas":
            continue  # the resource's schemas list is derived, not patched
        schema = schema_by_urn(key) if schema_urn is None else None
        if schema is not None:
            _write_attributes(resource, op, item, schema.id)
            continue
        text = f"{schema_urn}:{key}" if schema_urn else key
        _write(resource, op, parse_path(text), key, item)


def _write(
    resource: dict[str, Any], op: str, path: Path, label: str, value: object
) -> None:
    if path.attribute is None:
        _write_attributes(resource, op, value, path.schema)
        return
    _check_mutable(resource, path, label, value)
    container = _container(resource, path.schema, create=True)
    assert container is not None
    attribute = path.attribute
    if path.value_filter is not None:
        _write_filtered(container, op, path, label, value)
    elif path.sub_attribute is not None:
        _write_sub_attribute(container, attribute, path.sub_attribute, value)
    elif attribute.multi_valued:
        _write_multi_valued(container, op, attribute, value)
    elif attribute.type == "complex" and value is not None:
        current = _get(container, attribute.name)
        _set(container, attribute.name, _merged(current, attribute, value, label))
    else:
        _set(container, attribute.name, copy.deepcopy(value))


def _write_multi_valued(
    container: dict[str, Any], op: str, attribute: Attribute, value: object
) -> None:
    # RFC 7644, Section 3.5.2.1: add appends to a multi-valued attribute, and
    # Section 3.5.2.3: replace without a filter replaces all of its values.
    items = value if isinstance(value, list) else [value]
    current = [] if op == "replace" else _as_list(_get(container, attribute.name))
    result = list(current)
    for item in items:
        if item is not None and item not in result:
            result.append(copy.deepcopy(item))
    _keep_one_primary(result, result[len(current) :])
    _set(container, attribute.name, result or None)


def _write_sub_attribute(
    container: dict[str, Any], attribute: Attribute, sub: Attribute, value: object
) -> None:
    if not attribute.multi_valued:
        holder = _get(container, attribute.name)
        holder = holder if isinstance(holder, dict) else {}
        _set(holder, sub.name, copy.deepcopy(value))
        _set(container, attribute.name, holder or None)
        return
    # Without a filter, `emails.value` addresses every value. When there are no
    # values yet, it creates one.
    elements = [
        e for e in _as_list(_get(container, attribute.name)) if isinstance(e, dict)
    ]
    if not elements:
        elements = [{}]
    for element in elements:
        _set(element, sub.name, copy.deepcopy(value))
    _set(container, attribute.name, [e for e in elements if e] or None)


def _write_filtered(
    container: dict[str, Any], op: str, path: Path, label: str, value: object
) -> None:
    assert path.attribute is not None and path.value_filter is not None
    attribute = path.attribute
    elements = _as_list(_get(container, attribute.name))
    selected = [
        e
        for e in elements
        if isinstance(e, dict) and matches_value(path.value_filter, e)
    ]
    created = False
    if not selected:
        # RFC 7644, Section 3.5.2.3 requires noTarget here. Entra ID replaces
        # `emails[type eq "work"].value` on users without a work email and
        # expects the value to be added, which is unambiguous when the filter
        # only states sub-attribute values.
        seed = _seed_from_filter(path.value_filter)
        if seed is None:
            raise no_target(f"The filter in {label!r} matches no value.")
        elements.append(seed)
        selected = [seed]
        created = True
    for element in selected:
        if path.sub_attribute is not None:
            _set(element, path.sub_attribute.name, copy.deepcopy(value))
            continue
        base = element if op == "add" or created else {}
        merged = _merged(base, attribute, value, label)
        element.clear()
        element.update(merged)
    _keep_one_primary(elements, selected)
    _set(container, attribute.name, [e for e in elements if e != {}] or None)


def _seed_from_filter(value_filter: Filter) -> dict[str, Any] | None:
    """Return the sub-attribute values that an `eq`-only filter states, or None."""
    terms = value_filter.operands if isinstance(value_filter, And) else (value_filter,)
    seed: dict[str, Any] = {}
    for term in terms:
        if not (
            isinstance(term, Comparison)
            and term.op == "eq"
            and term.value is not None
            and term.path.sub_attribute is not None
        ):
            return None
        name = term.path.sub_attribute.name
        if seed.get(name, term.value) != term.value:
            return None
        seed[name] = term.value
    return seed


def _merged(
    current: object, attribute: Attribute, value: object, label: str
) -> dict[str, Any]:
    """Return `current` with the sub-attributes in `value` set.

    RFC 7644, Section 3.5.2.3: sub-attributes that `value` does not name are
    left unchanged, for replace as for add.
    """
    if not isinstance(value, dict):
        raise invalid_value(f"The value of {label!r} must be an object.")
    result = copy.deepcopy(current) if isinstance(current, dict) else {}
    for key, item in value.items():
        sub = attribute.sub_attribute(key) if isinstance(key, str) else None
        if sub is None:
            raise invalid_path(f"{attribute.name} has no sub-attribute {key!r}.")
        if sub.mutability == "readOnly" and _get(result, sub.name) != item:
            raise mutability(f"{attribute.name}.{sub.name} is read-only.")
        _set(result, sub.name, copy.deepcopy(item))
    return result


def _remove(resource: dict[str, Any], path: Path, label: str, value: object) -> None:
    if path.attribute is None:
        _pop(resource, path.schema)
        return
    _check_mutable(resource, path, label, _MISSING)
    container = _container(resource, path.schema, create=False)
    if container is None:
        return  # removing an absent attribute succeeds and changes nothing
    name = path.attribute.name
    current = _get(container, name)
    if path.value_filter is None and path.sub_attribute is None:
        if path.attribute.multi_valued and isinstance(value, list):
            _remove_listed(container, name, current, value)
        else:
            _pop(container, name)
        return
    elements = _as_list(current) if path.attribute.multi_valued else [current]
    remaining = []
    for element in elements:
        selected = isinstance(element, dict) and (
            path.value_filter is None or matches_value(path.value_filter, element)
        )
        if selected and path.sub_attribute is not None:
            _pop(element, path.sub_attribute.name)
        if not (selected and path.sub_attribute is None) and element not in ({}, None):
            remaining.append(element)
    if not path.attribute.multi_valued:
        _set(container, name, remaining[0] if remaining else None)
    else:
        # RFC 7644, Section 3.5.2.2: with no values left, the attribute is unassigned.
        _set(container, name, remaining or None)


def _remove_listed(
    container: dict[str, Any], name: str, current: object, listed: list[Any]
) -> None:
    """Remove the listed values, as Entra ID sends them for `members`-style removes.

    A listed object with a `value` removes the values with that `value`.
    """

    def is_listed(element: object) -> bool:
        for item in listed:
            key = _get(item, "value")
            if element == item or (key is not None and _get(element, "value") == key):
                return True
        return False

    remaining = [e for e in _as_list(current) if not is_listed(e)]
    _set(container, name, remaining or None)


def _check_mutable(
    resource: dict[str, Any], path: Path, label: str, value: object
) -> None:
    """Raise mutability for a change to a read-only attribute (RFC 7643, Section 7).

    Writing the value that is already there is no change, so clients that
    send back what they read (`id`, the Soulanma `state`) are not rejected.
    """
    assert path.attribute is not None
    sub = path.sub_attribute
    read_only = path.attribute.mutability == "readOnly" or (
        sub is not None and sub.mutability == "readOnly"
    )
    if not read_only:
        return
    if value is not _MISSING and path.value_filter is None:
        current = _get(
            _container(resource, path.schema, create=False), path.attribute.name
        )
        if sub is not None:
            current = _get(current, sub.name)
        if current == value:
            return
    raise mutability(f"{label!r} is read-only.")


def _keep_one_primary(elements: list[Any], written: list[Any]) -> None:
    # RFC 7643, Section 2.4: at most one value may have primary set to true,
    # so the value written last wins.
    primaries = [
        e for e in written if isinstance(e, dict) and _get(e, "primary") is True
    ]
    if not primaries:
        return
    for element in elements:
        if (
            element is not primaries[-1]
            and isinstance(element, dict)
            and (_get(element, "primary") is True)
        ):
            _set(element, "primary", False)


def _container(
    resource: dict[str, Any], schema_urn: str, create: bool
) -> dict[str, Any] | None:
    # RFC 7643, Section 3.3: extension attributes live under the schema URN.
    if schema_urn == CORE_USER_URN:
        return resource
    extension = _get(resource, schema_urn)
    if isinstance(extension, dict):
        return extension
    if not create:
        return None
    _set(resource, schema_urn, {})
    return resource[schema_urn]


def _member(mapping: dict[str, Any], name: str) -> Any:
    """Return the member `name` in any letter case, or _MISSING."""
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return _MISSING


def _get(mapping: object, name: str) -> Any:
    if not isinstance(mapping, dict):
        return None
    value = _member(mapping, name)
    return None if value is _MISSING else value


def _set(mapping: dict[str, Any], name: str, value: object) -> None:
    """Store `value` under the schema's spelling of `name`, or remove it if None.

    RFC 7643, Section 2.5: null is the same as unassigned, so null removes.
    """
    _pop(mapping, name)
    if value is not None:
        mapping[name] = value


def _pop(mapping: dict[str, Any], name: str) -> None:
    lowered = name.lower()
    for key in [
        key for key in mapping if isinstance(key, str) and key.lower() == lowered
    ]:
        del mapping[key]


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _check_depth(value: object) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_VALUE_DEPTH:
            raise invalid_value(
                f"The value nests deeper than {MAX_VALUE_DEPTH} levels."
            )
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
