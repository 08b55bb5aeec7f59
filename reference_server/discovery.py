"""Discovery documents: ServiceProviderConfig, ResourceTypes, Schemas.

RFC 7644, Section 4.
"""

from __future__ import annotations

from typing import Any

from reference_server.schema import (
    CORE_USER_URN,
    ENTERPRISE_USER_URN,
    LIST_RESPONSE_URN,
    RESOURCE_TYPE_URN,
    SERVICE_PROVIDER_CONFIG_URN,
    SOULANMA_USER_URN,
    USER_SCHEMAS,
)

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 100


def service_provider_config(base_url: str) -> dict[str, Any]:
    return {
        "schemas": [SERVICE_PROVIDER_CONFIG_URN],
        "documentationUri": "https://soulanma.com/help/scim",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_PAGE_SIZE},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The SCIM token from the Soulanma workspace settings.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url}/ServiceProviderConfig",
        },
    }


def user_resource_type(base_url: str) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_URN],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A member of a Soulanma workspace",
        "schema": CORE_USER_URN,
        "schemaExtensions": [
            {"schema": ENTERPRISE_USER_URN, "required": False},
            {"schema": SOULANMA_USER_URN, "required": False},
        ],
        "meta": {
            "resourceType": "ResourceType",
            "location": f"{base_url}/ResourceTypes/User",
        },
    }


def list_response(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE_URN],
        "totalResults": len(resources),
        "itemsPerPage": len(resources),
        "startIndex": 1,
        "Resources": resources,
    }


def schemas(base_url: str) -> list[dict[str, Any]]:
    return [schema.to_json(base_url) for schema in USER_SCHEMAS]
