"""Entra ID with `aadOptscim062020` in the tenant URL: its RFC-compliant PATCH.

Source: Microsoft Learn, "Known issues and resolutions with SCIM 2.0 protocol
compliance", which shows each request with and without the flag.
"""

from __future__ import annotations

from typing import Any

from mock_idp.dialects.base import REMOVE, Changes
from mock_idp.dialects.entra import ENTRA_LIMITS, EntraDialect


class EntraFlagDialect(EntraDialect):
    name = "entra-flag"
    title = "Microsoft Entra ID with aadOptscim062020"
    limits = ENTRA_LIMITS
    # The flag is a query parameter of the tenant URL that Entra reads itself.
    # NOTE: whether Entra also forwards it on each request is not documented.
    tenant_url_suffix = "/?aadOptscim062020"

    def patch_operations(self, changes: Changes) -> list[dict[str, Any]]:
        """Send lowercase ops with JSON booleans.

        A change of one attribute is one operation with a path. A change of
        several is one path-less replace whose value has dotted and URN-qualified
        keys, with value-filter paths and removals as operations of their own.
        """
        if len(changes) == 1:
            [(path, value)] = changes.items()
            if value is REMOVE:
                return [self.operation("remove", path)]
            return [self.operation("replace", path, value)]

        operations: list[dict[str, Any]] = []
        merged: dict[str, Any] = {}
        for path, value in changes.items():
            if value is REMOVE:
                operations.append(self.operation("remove", path))
            elif "[" in path:
                operations.append(self.operation("replace", path, value))
            else:
                merged[path] = value
        if merged:
            operations.append({"op": "replace", "value": merged})
        return operations
