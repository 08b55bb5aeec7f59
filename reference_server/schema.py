"""Schema definitions of the User resource: core, enterprise and Soulanma.

The definitions drive validation, attribute lookup in filters and PATCH paths,
and the `/Schemas` discovery endpoint (RFC 7643, Sections 4.1, 4.3 and 7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SOULANMA_USER_URN = "urn:ietf:params:scim:schemas:extension:soulanma:2.0:User"
PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SERVICE_PROVIDER_CONFIG_URN = (
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
)


@dataclass(frozen=True)
class Attribute:
    """One attribute definition, as RFC 7643, Section 7 describes it."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    description: str = ""
    sub_attributes: tuple[Attribute, ...] = ()
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()

    def sub_attribute(self, name: str) -> Attribute | None:
        """Return the sub-attribute called `name`, in any letter case."""
        return _find(self.sub_attributes, name)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
            "caseExact": self.case_exact,
            "mutability": self.mutability,
            "returned": self.returned,
            "uniqueness": self.uniqueness,
        }
        if self.sub_attributes:
            body["subAttributes"] = [sub.to_json() for sub in self.sub_attributes]
        if self.canonical_values:
            body["canonicalValues"] = list(self.canonical_values)
        if self.reference_types:
            body["referenceTypes"] = list(self.reference_types)
        return body


@dataclass(frozen=True)
class Schema:
    """A schema: its URN, name and top-level attributes."""

    id: str
    name: str
    description: str
    attributes: tuple[Attribute, ...] = field(default_factory=tuple)

    def attribute(self, name: str) -> Attribute | None:
        """Return the top-level attribute called `name`, in any letter case."""
        return _find(self.attributes, name)

    def to_json(self, base_url: str) -> dict[str, Any]:
        return {
            "schemas": [SCHEMA_URN],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": [attribute.to_json() for attribute in self.attributes],
            "meta": {
                "resourceType": "Schema",
                "location": f"{base_url}/Schemas/{self.id}",
            },
        }


def _find(attributes: tuple[Attribute, ...], name: str) -> Attribute | None:
    lowered = name.lower()
    for attribute in attributes:
        if attribute.name.lower() == lowered:
            return attribute
    return None


def _multi(name: str, *subs: Attribute, description: str = "") -> Attribute:
    return Attribute(
        name, "complex", multi_valued=True, sub_attributes=subs, description=description
    )


_TYPE = Attribute("type", description="A label for the value, such as work or home.")
_PRIMARY = Attribute("primary", "boolean", description="Marks the preferred value.")
_DISPLAY = Attribute("display", description="A human-readable name for the value.")


def _value(case_exact: bool = False, type_: str = "string") -> Attribute:
    return Attribute("value", type_, case_exact=case_exact)


# Attributes common to every resource (RFC 7643, Section 3.1). They are looked
# up as if they belonged to the core schema.
COMMON_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "id",
        case_exact=True,
        mutability="readOnly",
        returned="always",
        uniqueness="server",
        description="The server-assigned identifier.",
    ),
    Attribute(
        "externalId",
        case_exact=True,
        description="The identifier that the provisioning client assigned.",
    ),
    Attribute(
        "meta",
        "complex",
        mutability="readOnly",
        description="Resource metadata.",
        sub_attributes=(
            Attribute("resourceType", case_exact=True, mutability="readOnly"),
            Attribute("created", "dateTime", mutability="readOnly"),
            Attribute("lastModified", "dateTime", mutability="readOnly"),
            Attribute("location", "reference", mutability="readOnly"),
            Attribute("version", case_exact=True, mutability="readOnly"),
        ),
    ),
)

CORE_USER = Schema(
    CORE_USER_URN,
    "User",
    "User account",
    (
        Attribute(
            "userName",
            required=True,
            uniqueness="server",
            description="The user's email address, unique in the workspace.",
        ),
        Attribute(
            "name",
            "complex",
            description="The components of the user's name.",
            sub_attributes=tuple(
                Attribute(sub)
                for sub in (
                    "formatted",
                    "familyName",
                    "givenName",
                    "middleName",
                    "honorificPrefix",
                    "honorificSuffix",
                )
            ),
        ),
        Attribute("displayName"),
        Attribute("nickName"),
        Attribute("profileUrl", "reference", reference_types=("external",)),
        Attribute("title"),
        Attribute("userType"),
        Attribute("preferredLanguage"),
        Attribute("locale"),
        Attribute("timezone"),
        Attribute("active", "boolean", description="Whether the user may sign in."),
        Attribute(
            "password",
            mutability="writeOnly",
            returned="never",
            description="Accepted and discarded: users sign in through SAML SSO.",
        ),
        _multi("emails", _value(), _DISPLAY, _TYPE, _PRIMARY),
        _multi("phoneNumbers", _value(), _DISPLAY, _TYPE, _PRIMARY),
        _multi("ims", _value(), _DISPLAY, _TYPE, _PRIMARY),
        _multi("photos", _value(type_="reference"), _DISPLAY, _TYPE, _PRIMARY),
        _multi(
            "addresses",
            *(
                Attribute(sub)
                for sub in (
                    "formatted",
                    "streetAddress",
                    "locality",
                    "region",
                    "postalCode",
                    "country",
                )
            ),
            _TYPE,
            _PRIMARY,
        ),
        Attribute(
            "groups",
            "complex",
            multi_valued=True,
            mutability="readOnly",
            description="Always empty: Soulanma does not support groups.",
            sub_attributes=(
                Attribute("value", mutability="readOnly"),
                Attribute("$ref", "reference", mutability="readOnly"),
                Attribute("display", mutability="readOnly"),
                Attribute("type", mutability="readOnly"),
            ),
        ),
        _multi("entitlements", _value(), _DISPLAY, _TYPE, _PRIMARY),
        _multi(
            "roles",
            _value(),
            _DISPLAY,
            _TYPE,
            _PRIMARY,
            description="Free-form roles. A role naming admin is rejected.",
        ),
        _multi("x509Certificates", _value(type_="binary"), _DISPLAY, _TYPE, _PRIMARY),
    ),
)

ENTERPRISE_USER = Schema(
    ENTERPRISE_USER_URN,
    "EnterpriseUser",
    "Enterprise User",
    (
        Attribute("employeeNumber"),
        Attribute("costCenter"),
        Attribute("organization"),
        Attribute("division"),
        Attribute("department"),
        Attribute(
            "manager",
            "complex",
            sub_attributes=(
                Attribute("value"),
                Attribute("$ref", "reference"),
                Attribute("displayName", mutability="readOnly"),
            ),
        ),
    ),
)

SOULANMA_USER = Schema(
    SOULANMA_USER_URN,
    "SoulanmaUser",
    "Soulanma workspace membership",
    (
        Attribute(
            "editor",
            "boolean",
            description=(
                "true for the editor role, false for viewer. Absent or null keeps "
                "the current role on update and gives the workspace default on "
                "create."
            ),
        ),
        Attribute(
            "state",
            mutability="readOnly",
            case_exact=True,
            canonical_values=("pending", "member", "removed"),
            description=(
                "pending until the first SAML sign-in, member after it, removed "
                "once deactivated."
            ),
        ),
    ),
)

USER_SCHEMAS: tuple[Schema, ...] = (CORE_USER, ENTERPRISE_USER, SOULANMA_USER)
EXTENSION_SCHEMAS: tuple[Schema, ...] = (ENTERPRISE_USER, SOULANMA_USER)


def schema_by_urn(urn: str) -> Schema | None:
    """Return the User schema with this URN, in any letter case."""
    lowered = urn.lower()
    for schema in USER_SCHEMAS:
        if schema.id.lower() == lowered:
            return schema
    return None


def core_attribute(name: str) -> Attribute | None:
    """Return a core or common User attribute by name, in any letter case."""
    return _find(COMMON_ATTRIBUTES, name) or CORE_USER.attribute(name)


def split_urn(path: str) -> tuple[Schema | None, str]:
    """Split a possibly URN-qualified attribute path into schema and rest.

    `urn:...:soulanma:2.0:User:editor` gives the Soulanma schema and `editor`;
    `name.givenName` gives (None, `name.givenName`). RFC 7644, Section 3.10.
    """
    lowered = path.lower()
    for schema in USER_SCHEMAS:
        prefix = schema.id.lower() + ":"
        if lowered.startswith(prefix):
            return schema, path[len(prefix) :]
    return None, path
